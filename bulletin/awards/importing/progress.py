"""How far a long dry run or confirm has got, for the page that polls while it waits.

The form's script sends a random id (`progress`); the view `begin`s under it, the import
`report`s its phase and rows every few hundred rows, and GET /awards/import/progress/<id>
answers with `read` — only to the account that started it. The figures live in Redis when
REDIS_URL is set, else in a small file of the instance folder (every worker of the machine
sees it), and are deleted at the `end` (an hour at most).
"""

import contextlib
import json
import os
import re
import time
from pathlib import Path

from flask import current_app, g, has_app_context

from bulletin import redis_support

ID_RE = re.compile(r"[A-Za-z0-9_-]{16,64}")
KEEP_SECONDS = 3600
EVERY_ROWS = 250  # report every so many rows
REDIS_TIMEOUT = 0.5
_clients: dict[str, object] = {}


def _redis():
    """The Redis client when REDIS_URL is set (one per process), else None."""
    url = current_app.config.get("REDIS_URL")
    if not url:
        return None
    if url not in _clients:
        _clients[url] = redis_support.connect(url, REDIS_TIMEOUT)
    return _clients[url]


def _folder() -> Path:
    """Where the progress files are written without Redis."""
    return Path(current_app.instance_path) / "import-progress"


def _write(progress_id: str, value: dict) -> None:
    """Store one progress record (Redis, else a file replaced whole)."""
    text = json.dumps(value)
    client = _redis()
    if client is not None:
        # Progress is a courtesy: the import goes on without it.
        with contextlib.suppress(redis_support.RedisError):
            client.set(f"bulletin:import-progress:{progress_id}", text, ex=KEEP_SECONDS)
        return
    folder = _folder()
    with contextlib.suppress(OSError):
        folder.mkdir(parents=True, exist_ok=True)
        tmp = folder / f"{progress_id}.{os.getpid()}.tmp"
        tmp.write_text(text)
        os.replace(tmp, folder / f"{progress_id}.json")


def _remove_stale(folder: Path) -> None:
    """Delete progress files older than an hour (an import that never ended)."""
    limit = time.time() - KEEP_SECONDS
    for path in folder.glob("*.json"):
        try:
            if path.stat().st_mtime < limit:
                path.unlink()
        except FileNotFoundError:
            continue


def begin(progress_id: str | None, user_id: int) -> None:
    """Start reporting under the id the form sent (nothing when it sent none or a bad one)."""
    if not progress_id or not ID_RE.fullmatch(progress_id):
        return
    if _redis() is None and _folder().is_dir():
        _remove_stale(_folder())
    g.import_progress = {"id": progress_id, "user": user_id, "phase": "read", "done": 0,
                         "total": 0}
    _save(g.import_progress)


def _save(state: dict) -> None:
    """Write the state the poll reads."""
    _write(state["id"], {key: state[key] for key in ("user", "phase", "done", "total")})


def report(phase: str, done: int = 0, total: int = 0) -> None:
    """Note the phase and how many of `total` rows are done (a no-op without `begin`)."""
    state = g.get("import_progress") if has_app_context() else None
    if state is None:
        return
    state.update(phase=phase, done=done, total=total)
    _save(state)


def every(rows, phase: str):
    """Iterate over `rows`, reporting `phase` every EVERY_ROWS rows."""
    total = len(rows)
    for number, row in enumerate(rows):
        if number % EVERY_ROWS == 0:
            report(phase, number, total)
        yield row
    report(phase, total, total)


def read(progress_id: str, user_id: int) -> dict | None:
    """The progress under an id, if the account started it; None otherwise."""
    if not ID_RE.fullmatch(progress_id):
        return None
    client = _redis()
    try:
        if client is not None:
            text = client.get(f"bulletin:import-progress:{progress_id}")
        else:
            text = (_folder() / f"{progress_id}.json").read_text()
        value = json.loads(text) if text else None
    except (OSError, ValueError, redis_support.RedisError):
        return None
    if not isinstance(value, dict) or value.get("user") != user_id:
        return None
    return {key: value.get(key) for key in ("phase", "done", "total")}


def end() -> None:
    """Forget the progress of this request's import."""
    state = g.pop("import_progress", None) if has_app_context() else None
    if state is None:
        return
    client = _redis()
    if client is not None:
        with contextlib.suppress(redis_support.RedisError):
            client.delete(f"bulletin:import-progress:{state['id']}")
        return
    (_folder() / f"{state['id']}.json").unlink(missing_ok=True)
