"""Small helpers the backup commands share: progress, batches, sizes, error texts."""

import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from itertools import islice

import click
from sqlalchemy.exc import SQLAlchemyError


@contextmanager
def progress(label: str, length: int) -> Iterator[Callable[[int], None]]:
    """Show a progress bar on stderr (only the label when it is not a terminal)."""
    with click.progressbar(length=max(length, 1), label=label, file=sys.stderr) as bar:
        yield bar.update


def batched(items: Iterable, size: int) -> Iterator[list]:
    """Yield lists of up to `size` items (itertools.batched arrives with Python 3.12)."""
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def describe(manifest: dict) -> str:
    """Summarise a backup: tables, rows, files, bytes."""
    rows = sum(entry["rows"] for entry in manifest["tables"].values())
    uploads = manifest["uploads"]
    return (f"{len(manifest['tables'])} tables, {rows} rows, {uploads['files']} files "
            f"({human_size(uploads['bytes'])})")


def human_size(size: float) -> str:
    """Return a byte count as a short text: 12.3 MB."""
    if size < 1000:
        return f"{size:.0f} bytes"
    for unit in ("kB", "MB"):
        size /= 1000
        if size < 1000:
            return f"{size:.1f} {unit}"
    return f"{size / 1000:.1f} GB"


def short(error: SQLAlchemyError) -> str:
    """Return the database's own message, without the statement and its many parameters."""
    message = str(getattr(error, "orig", None) or error)
    return message.strip().splitlines()[0][:300]


def reason(error: Exception) -> str:
    """Return what to tell the user about an error."""
    return short(error) if isinstance(error, SQLAlchemyError) else str(error)
