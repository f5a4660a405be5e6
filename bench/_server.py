"""The real server in a subprocess on a free loopback port, for benchmarks: the tests'
ServerProcess (start, SIGKILL, restart on the same URL, ``pid`` for /proc)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.server_process import ServerProcess

RestartableServer = ServerProcess


@contextmanager
def running_server(db_path: Path) -> Iterator[str]:
    """Start a server on ``db_path``; yield its base URL; stop it on exit."""
    with ServerProcess(db_path) as server:
        yield server.url
