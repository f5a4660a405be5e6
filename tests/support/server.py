"""The real server in a subprocess on a free loopback port, waited for and stopped by its
process group, and ``phonebank`` run as a person types it.

Run as ``python -m tests.support.server DB_PATH PORT`` to serve only the API of ``DB_PATH``
on loopback (what ``ServerProcess(..., api_only=True)`` starts).
"""

from __future__ import annotations

import os
import signal
import socket
import ssl
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]


def phonebank(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """``phonebank ARGS…`` as a person types it, run to the end; its output captured."""
    return subprocess.run(
        [sys.executable, "-m", "sync_server.cli", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class ServerProcess:
    """The server over one SQLite file on a free loopback port, in its own process group.

    By default ``phonebank serve`` as a district runs it: the API, the console at /console,
    the server-driven caller app at /app and, with ``web_app``, the offline app at /;
    ``args`` are more ``serve`` options and ``env`` more environment variables, and with
    ``tls`` (a certificate file) it speaks HTTPS and readiness is checked trusting it.

    ``api_only`` serves only the API (``create_app`` under uvicorn): quicker to start and
    lighter, for the fault tests and the benchmarks. Either way ``kill()`` is a power cut,
    and ``start()`` again serves the same file on the same port.
    """

    def __init__(
        self,
        db_path: Path,
        *,
        api_only: bool = False,
        web_app: Path | None = None,
        args: Sequence[str] = (),
        env: dict[str, str] | None = None,
        tls: Path | None = None,
        port: int | None = None,
    ) -> None:
        if api_only and (web_app or args or tls):
            raise ValueError("web_app, args and tls are `phonebank serve` options")
        self.db_path = db_path
        self.api_only = api_only
        self.web_app = web_app
        self.args = list(args)
        self.env = env or {}
        self.tls = tls
        self.port = port or free_port()
        self.url = f"{'https' if tls else 'http'}://127.0.0.1:{self.port}"
        self.log = db_path.with_name(f"{db_path.stem}-server.log")
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def pid(self) -> int:
        """The server's own process (uvicorn runs in it), for /proc figures."""
        assert self.process is not None, "the server is not running"
        return self.process.pid

    @property
    def command(self) -> list[str]:
        if self.api_only:
            return [sys.executable, "-m", "tests.support.server", str(self.db_path), str(self.port)]
        command = [sys.executable, "-m", "sync_server.cli", "serve", "--db", str(self.db_path)]
        command += ["--port", str(self.port), "--web-app", str(self.web_app or "none")]
        return command + self.args

    def start(self, ready: str = "/api/health", timeout: float = 60.0) -> ServerProcess:
        """Start it and wait until ``ready`` answers 200."""
        with self.log.open("ab") as log:  # the child keeps its own copy of the handle
            self.process = subprocess.Popen(
                self.command,
                cwd=ROOT,
                start_new_session=True,
                stdout=log,
                stderr=subprocess.STDOUT,
                env={**os.environ, **self.env},
            )
        wait_until_ready(self.url + ready, self.process, timeout, verify=self.verify, log=self.log)
        return self

    @property
    def verify(self) -> ssl.SSLContext | bool:
        """How a test's httpx client trusts this server."""
        if self.tls is None:
            return True
        return ssl.create_default_context(cafile=str(self.tls))

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def kill(self) -> None:
        """SIGKILL: no shutdown, no flush — a power cut for the server."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
        self.process = None

    def stop(self) -> None:
        stop_process_group(self.process)
        self.process = None

    def __enter__(self) -> ServerProcess:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


def wait_until_ready(
    url: str,
    process: subprocess.Popen[bytes],
    timeout: float,
    *,
    verify: ssl.SSLContext | bool = True,
    log: Path | None = None,
) -> None:
    """Poll ``url`` until it answers 200; fail (with the end of ``log``) if the process
    exits first or ``timeout`` seconds pass, stopping the process."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            output = log.read_text(errors="replace")[-2000:] if log else ""
            raise RuntimeError(f"{url}: process exited with {process.returncode}\n{output}")
        try:
            if httpx.get(url, timeout=1, verify=verify).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.05)
    stop_process_group(process)
    raise RuntimeError(f"{url} did not answer within {timeout} s")


def stop_process_group(process: subprocess.Popen[bytes] | None) -> None:
    """SIGTERM the process's group; SIGKILL it if it is still there after 10 s."""
    if process is None or process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def main() -> None:
    import uvicorn

    from sync_server.app import create_app

    db_path, port = sys.argv[1], int(sys.argv[2])
    uvicorn.run(create_app(db_path), host="127.0.0.1", port=port, log_level="warning")


if __name__ == "__main__":
    main()
