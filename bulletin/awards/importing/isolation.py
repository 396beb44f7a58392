"""Running the workbook reader in a child process with a memory limit and a timeout.

The children are forked by a waiting process (multiprocessing's "forkserver"), started once
per worker with the reader already imported: a child costs a few milliseconds instead of the
second a fresh interpreter took to import its code. The waiting process is started by exec,
not forked from the worker, so it holds none of the worker's threads, connections or
requests; each child sets its own address-space limit (RLIMIT_AS) before it reads anything.
"""

import multiprocessing
import os
import resource
import threading
from pathlib import Path

# What a child needs, imported once in the waiting process. "__main__" first: the waiting
# process imports the parent's main script (gunicorn's, flask's) once, as multiprocessing
# would otherwise do in every child before it runs.
PRELOAD = ["__main__", "bulletin.awards.importing.guard", "bulletin.awards.importing.workbook"]
MEMORY_ERROR_EXIT = 3

_lock = threading.Lock()
_context = None


class ReaderTimeout(Exception):
    """The child did not answer in time (it has been killed)."""


def _fork_context():
    """The forkserver context, with the reader preloaded (started on first use)."""
    global _context  # noqa: PLW0603 -- one waiting process per worker, made on demand
    with _lock:
        if _context is None:
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(PRELOAD)
            _start_waiting_process()
            _context = context
    return _context


def _start_waiting_process() -> None:
    """Start the waiting process importing this very code: Python 3.11's forkserver does not
    take the parent's sys.path, so the folder holding `bulletin` goes first on its
    PYTHONPATH (a checkout run from elsewhere would otherwise load an installed copy)."""
    from multiprocessing import forkserver

    root = str(Path(__file__).resolve().parents[3])
    before = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, (root, before)))
    try:
        forkserver.ensure_running()
    finally:
        if before is None:
            del os.environ["PYTHONPATH"]
        else:
            os.environ["PYTHONPATH"] = before


def _child(connection, memory_mb: int, target, args) -> None:
    """In the child: limit the address space, run `target(*args)`, send back what it gave."""
    limit = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    try:
        connection.send(target(*args))
    except MemoryError:
        os._exit(MEMORY_ERROR_EXIT)
    finally:
        connection.close()


def run(target, args: tuple, memory_mb: int, timeout: float):
    """Return what `target(*args)` returns, computed in a child limited to `memory_mb` of
    address space; None when the child died without answering (its memory ran out); raise
    ReaderTimeout after `timeout` seconds. `target` must be a module-level function."""
    context = _fork_context()
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(sender, memory_mb, target, args), daemon=True)
    child.start()
    sender.close()
    try:
        if not receiver.poll(timeout):
            raise ReaderTimeout
        try:
            return receiver.recv()
        except (EOFError, OSError):
            return None  # killed by the memory limit while reading, or before it answered
    finally:
        if child.is_alive():
            child.kill()
        child.join()
        receiver.close()
