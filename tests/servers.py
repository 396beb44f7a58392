"""Servers the tests start, each on a port the system gives at that moment.

A test never picks a port number: it binds port 0 itself and hands that very listening
socket to the server it starts (gunicorn's `fd://` bind, or werkzeug's socket), so nothing
else can be answering there. Before trusting an answer it also checks that its own server
process is still the one alive behind it.
"""

import os
import socket
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from werkzeug.serving import make_server


def listening_socket() -> socket.socket:
    """A loopback socket listening on a port the system chose, inheritable by a child."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


class Gunicorn:
    """gunicorn started on a socket of the test's own; `url` is its base address."""

    def __init__(self, args: list[str], *, cwd: Path, env: dict | None = None,
                 log_path: Path, new_session: bool = False):
        self.args, self.cwd, self.env, self.log_path = args, cwd, env, log_path
        self.new_session = new_session
        self.sock: socket.socket | None = None
        self.process: subprocess.Popen | None = None
        # Kept after a stop: a request a test's thread sends to a killed server must be
        # refused (an OSError), as by any closed port, not fail on a missing socket.
        self.url = ""

    def start(self, ready: Callable[[str], bool], timeout: float = 90) -> None:
        """Start gunicorn on a fresh socket and wait until `ready(url)` while it runs."""
        self.close_socket()
        self.sock = listening_socket()
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        fd = self.sock.fileno()
        with open(self.log_path, "a") as log:
            self.process = subprocess.Popen(  # noqa: S603 -- our own venv's gunicorn
                [self.args[0], "--bind", f"fd://{fd}", *self.args[1:]],
                cwd=self.cwd, env=self.env, stdout=log, stderr=subprocess.STDOUT,
                pass_fds=(fd,), start_new_session=self.new_session)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.check_alive()
            try:
                if ready(self.url):
                    self.check_alive()
                    return
            except OSError:
                pass
            time.sleep(0.1)
        self.stop()
        raise AssertionError(f"gunicorn did not answer: {self.log_tail()}")

    def check_alive(self) -> None:
        """Fail when our gunicorn has stopped: an answer could then not be its own."""
        if self.process is None or self.process.poll() is not None:
            raise AssertionError(f"gunicorn stopped: {self.log_tail()}")

    def log_tail(self) -> str:
        """The end of the server's log."""
        return self.log_path.read_text(errors="replace")[-2000:] if self.log_path.exists() \
            else ""

    def stop(self, sig: int | None = None) -> None:
        """Stop gunicorn (SIGTERM, or `sig` to its whole process group) and free the port."""
        if self.process is not None and self.process.poll() is None:
            if sig is not None:
                os.killpg(self.process.pid, sig)
            else:
                self.process.terminate()
            self.process.wait(timeout=30)
        self.close_socket()

    def close_socket(self) -> None:
        """Let go of the listening socket (the port goes back to the system)."""
        if self.sock is not None:
            self.sock.close()
            self.sock = None


@contextmanager
def serving(app) -> Iterator[str]:
    """Serve `app` in a thread (a thread per request) on a port the system gives; yield its
    base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="test-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
