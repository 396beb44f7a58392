"""The backup file: its members, its manifest, typed JSON rows, and reading it back safely.

A backup is a tar archive (gzip-compressed as a whole when its name ends in .gz or .tgz):

    db/<table>.jsonl.gz   one member per table: gzip JSON lines, one array per row
    uploads/<path>        every file under UPLOAD_DIR
    manifest.json         written last: format, schema revision, each table's columns (name
                          and kind) and row count, and the sha256 and size of every other member

The rows are a logical dump with typed values, so a backup of SQLite restores into PostgreSQL.
"""

import base64
import gzip
import hashlib
import io
import json
import tarfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from sqlalchemy import Column
from sqlalchemy.types import TypeDecorator

from bulletin.backup.errors import BackupError

FORMAT = "bangtin-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DB_DIR = "db/"
UPLOADS_DIR = "uploads/"
CHUNK = 1024 * 1024
# A manifest lists every upload (~150 bytes each); this allows several hundred thousand.
MAX_MANIFEST_BYTES = 128 * 1024 * 1024
# Errors the tar and gzip readers raise on a damaged or cut-off file.
DAMAGE_ERRORS = (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile)

KINDS = {bool: "bool", int: "int", float: "float", str: "str", datetime: "datetime",
         date: "date", time: "time", Decimal: "decimal", bytes: "bytes", dict: "json",
         list: "json"}
ENCODERS: dict[str, Callable] = {
    "datetime": datetime.isoformat, "date": date.isoformat, "time": time.isoformat,
    "decimal": str, "bytes": lambda value: base64.b64encode(value).decode("ascii"),
}
DECODERS: dict[str, Callable] = {
    "datetime": datetime.fromisoformat, "date": date.fromisoformat, "time": time.fromisoformat,
    "decimal": Decimal, "bytes": base64.b64decode,
}


def column_kind(column: Column) -> str:
    """Name how a column's values are written: int, str, bool, datetime, date, …"""
    type_ = column.type
    if isinstance(type_, TypeDecorator):
        type_ = type_.impl_instance
    try:
        kind = KINDS.get(type_.python_type)
    except NotImplementedError:
        kind = None
    if kind is None:
        raise BackupError(f"cannot save column {column.table.name}.{column.name} ({type_})")
    return kind


def encode_row(values, kinds: list[str]) -> str:
    """Return one row as a JSON line; dates and times as ISO 8601 (with their UTC offset)."""
    encoded = [
        value if value is None or kind not in ENCODERS else ENCODERS[kind](value)
        for value, kind in zip(values, kinds, strict=True)
    ]
    return json.dumps(encoded, ensure_ascii=False, separators=(",", ":")) + "\n"


def decode_row(line: str, kinds: list[str]) -> list:
    """Return the values of one JSON line written by `encode_row`."""
    values = json.loads(line)
    if not isinstance(values, list) or len(values) != len(kinds):
        raise BackupError("a row does not match its table's columns")
    return [
        value if value is None or kind not in DECODERS else DECODERS[kind](value)
        for value, kind in zip(values, kinds, strict=True)
    ]


class HashingReader:
    """A file wrapper that hashes and counts what is read through it."""

    def __init__(self, fileobj: BinaryIO):
        self.fileobj = fileobj
        self.sha256 = hashlib.sha256()
        self.size = 0

    def read(self, size: int = -1) -> bytes:
        """Read from the wrapped file, hashing the bytes."""
        data = self.fileobj.read(size)
        self.sha256.update(data)
        self.size += len(data)
        return data

    def digest(self) -> dict:
        """Return what the manifest records of a member."""
        return {"sha256": self.sha256.hexdigest(), "size": self.size}


def add_member(tar: tarfile.TarFile, name: str, fileobj: BinaryIO, size: int,
               mtime: float) -> dict:
    """Add `size` bytes of `fileobj` as member `name`; return its sha256 and size."""
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = size, int(mtime), 0o600
    reader = HashingReader(fileobj)
    tar.addfile(info, reader)
    return reader.digest()


def add_bytes(tar: tarfile.TarFile, name: str, data: bytes, mtime: float) -> dict:
    """Add a member made of `data`."""
    return add_member(tar, name, io.BytesIO(data), len(data), mtime)


def check_member(member: tarfile.TarInfo, seen: set[str]) -> None:
    """Refuse links, devices, odd or escaping paths and names that appear twice."""
    name = member.name
    path = PurePosixPath(name)
    if not member.isreg():
        raise BackupError(f"it holds {name!r}, which is not a regular file")
    known_place = name == MANIFEST or name.startswith((DB_DIR, UPLOADS_DIR))
    if path.is_absolute() or ".." in path.parts or path.as_posix() != name or not known_place:
        raise BackupError(f"it holds an unexpected member {name!r}")
    if name in seen:
        raise BackupError(f"the member {name!r} appears twice")


def copy_member(reader: BinaryIO, target: Path | None) -> dict:
    """Hash a member while reading it, copying it to `target` when given."""
    hashing = HashingReader(reader)
    if target is None:
        while hashing.read(CHUNK):
            pass
        return hashing.digest()
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "wb") as out:
        while data := hashing.read(CHUNK):
            out.write(data)
    return hashing.digest()


def scan_archive(path: Path, target_for: Callable[[str], Path | None] | None = None,
                 advance: Callable[[int], None] | None = None,
                 passphrase: str | None = None) -> tuple[bytes | None, dict]:
    """Read every member once, hashing it (and copying it where `target_for` says).

    Returns the manifest's bytes (None when absent) and {member name: digest} of the others.
    `advance` is told how many bytes of the file were read, for a progress bar. An encrypted
    backup is read through its `passphrase`.
    """
    digests: dict[str, dict] = {}
    manifest, seen, done = None, set(), 0
    with (open(path, "rb") as file, plain_reader(file, passphrase) as raw, open_tar(raw) as tar,
          _damage_is_backup_error()):
        for member in tar:
            check_member(member, seen)
            seen.add(member.name)
            reader = tar.extractfile(member)
            if member.name == MANIFEST:
                manifest = reader.read(MAX_MANIFEST_BYTES + 1)
            else:
                digests[member.name] = copy_member(
                    reader, target_for(member.name) if target_for else None
                )
            if advance:
                advance(raw.tell() - done)
                done = raw.tell()
    return manifest, digests


@contextmanager
def plain_reader(file: BinaryIO, passphrase: str | None) -> Iterator[BinaryIO]:
    """Yield the file itself, or a reader decrypting it when it is an encrypted backup."""
    from bulletin.backup import crypto  # `cryptography` is not loaded by serving pages

    encrypted = file.read(len(crypto.MAGIC)) == crypto.MAGIC
    file.seek(0)
    yield crypto.DecryptingReader(file, passphrase) if encrypted else file


def open_tar(raw: BinaryIO) -> tarfile.TarFile:
    """Open a tar archive (plain or compressed), or refuse a file that is not one."""
    # An encrypted backup can only be read forwards: the stream mode never seeks.
    mode = "r:*" if hasattr(raw, "seek") else "r|*"
    try:
        return tarfile.open(fileobj=raw, mode=mode)
    except DAMAGE_ERRORS as error:
        raise BackupError("it is not a Bảng tin backup (not a tar archive)") from error


@contextmanager
def _damage_is_backup_error() -> Iterator[None]:
    """Turn the reader's errors on a damaged or truncated file into a clear BackupError."""
    try:
        yield
    except DAMAGE_ERRORS as error:
        raise BackupError(f"the file is damaged or incomplete ({error})") from error


def parse_manifest(data: bytes | None) -> dict:
    """Return the manifest, refusing a missing, damaged, foreign or newer one."""
    if data is None:
        raise BackupError("it has no manifest.json: the file is incomplete or not a backup")
    try:
        manifest = json.loads(data)
    except ValueError as error:
        raise BackupError("its manifest.json is damaged") from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError("it is not a Bảng tin backup (unknown manifest)")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            f"it uses backup format {manifest.get('format_version')!r}; this version of "
            f"Bảng tin reads format {FORMAT_VERSION}"
        )
    _check_manifest_shape(manifest)
    return manifest


def _check_manifest_shape(manifest: dict) -> None:
    """Refuse a manifest whose fields are missing or of the wrong type."""
    members, tables = manifest.get("members"), manifest.get("tables")
    well_formed = (
        isinstance(manifest.get("schema_revision"), str)
        and isinstance(members, dict)
        and all(_is_digest(digest) for digest in members.values())
        and isinstance(tables, dict)
        and all(_is_table_entry(entry, members) for entry in tables.values())
    )
    if not well_formed:
        raise BackupError("its manifest.json is damaged (missing or malformed fields)")


def _is_digest(digest) -> bool:
    """Tell whether a manifest entry is a {sha256, size} pair."""
    return (isinstance(digest, dict) and isinstance(digest.get("sha256"), str)
            and isinstance(digest.get("size"), int))


def _is_table_entry(entry, members: dict) -> bool:
    """Tell whether a table entry names a listed member, its row count and typed columns."""
    if not isinstance(entry, dict) or entry.get("member") not in members:
        return False
    columns = entry.get("columns")
    return (
        isinstance(entry.get("rows"), int)
        and isinstance(columns, list)
        and all(isinstance(c, list) and len(c) == 2 and c[1] in KINDS.values() for c in columns)
    )


def check_digests(manifest: dict, digests: dict) -> None:
    """Refuse an archive whose members differ from what its manifest lists."""
    expected = manifest["members"]
    missing = sorted(set(expected) - set(digests))
    extra = sorted(set(digests) - set(expected))
    changed = sorted(name for name in expected
                     if name in digests and digests[name] != expected[name])
    if missing:
        raise BackupError(f"it is incomplete: {len(missing)} member(s) missing, e.g. {missing[0]}")
    if extra:
        raise BackupError(f"it holds {len(extra)} member(s) its manifest does not list, "
                          f"e.g. {extra[0]}")
    if changed:
        raise BackupError(f"it is damaged: the checksum of {changed[0]} does not match "
                          f"({len(changed)} member(s) differ)")


def verify(path: Path, advance: Callable[[int], None] | None = None,
           passphrase: str | None = None) -> dict:
    """Read the whole file and return its manifest if every member matches its checksum."""
    data, digests = scan_archive(path, advance=advance, passphrase=passphrase)
    manifest = parse_manifest(data)
    check_digests(manifest, digests)
    return manifest
