"""A real sync server for device tests: in a uvicorn subprocess (to SIGKILL it) or in-process,
seeded as a supervisor would seed it, and a transport that loses requests and answers.

Run as ``python -m tests.server_process DB_PATH PORT`` to serve ``DB_PATH`` on loopback.
"""

from __future__ import annotations

import os
import signal
import socket
import ssl
import subprocess
import sys
import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import httpx

from app.core.models import Caller, Campaign, CampaignDraft, Household
from sync_server import auth
from sync_server.campaigns import create_campaign
from sync_server.db import Store

ROOT = Path(__file__).resolve().parent.parent


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
    """uvicorn serving one SQLite file on a free loopback port, in its own session."""

    def __init__(self, db_path: Path, port: int | None = None) -> None:
        self.db_path = db_path
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = db_path.with_suffix(".log")
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def pid(self) -> int:
        """The server's own process (uvicorn runs in it), for /proc figures."""
        assert self.process is not None, "the server is not running"
        return self.process.pid

    def start(self, timeout: float = 30.0) -> ServerProcess:
        with self.log_path.open("ab") as log:  # the child keeps its own copy of the handle
            self.process = subprocess.Popen(
                [sys.executable, "-m", "tests.server_process", str(self.db_path), str(self.port)],
                cwd=ROOT,
                start_new_session=True,
                stdout=log,
                stderr=log,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"server exited with {self.process.returncode}: "
                    + self.log_path.read_text(errors="replace")[-2000:]
                )
            try:
                if httpx.get(f"{self.url}/api/health", timeout=1).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.05)
        self.kill()
        raise RuntimeError("server did not start")

    def kill(self) -> None:
        """SIGKILL: no shutdown, no flush — a power cut for the server."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
        self.process = None

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()
        self.process = None

    def __enter__(self) -> ServerProcess:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


class ServeProcess:
    """``phonebank serve`` (API, console at /console, caller apps at /app and, with
    ``web_app``, the offline app at /) on a free loopback port, in its own process group.

    ``args`` are more ``serve`` options and ``env`` more environment variables; with
    ``tls`` (a certificate file) it speaks HTTPS and readiness is checked trusting it.
    """

    def __init__(
        self,
        db_path: Path,
        *,
        web_app: Path | None = None,
        args: Sequence[str] = (),
        env: dict[str, str] | None = None,
        tls: Path | None = None,
        port: int | None = None,
    ) -> None:
        self.db_path = db_path
        self.web_app = web_app
        self.args = list(args)
        self.env = env or {}
        self.tls = tls
        self.port = port or free_port()
        self.url = f"{'https' if tls else 'http'}://127.0.0.1:{self.port}"
        self.log = db_path.with_name("serve.log")
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, ready: str = "/api/health", timeout: float = 60.0) -> ServeProcess:
        command = [sys.executable, "-m", "sync_server.cli", "serve", "--db", str(self.db_path)]
        command += ["--port", str(self.port), "--web-app", str(self.web_app or "none")]
        command += self.args
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                command,
                cwd=ROOT,
                start_new_session=True,
                stdout=log,
                stderr=subprocess.STDOUT,
                env={**os.environ, **self.env},
            )
        _wait_for(self.url + ready, self.process, timeout, verify=self.verify)
        return self

    @property
    def verify(self) -> ssl.SSLContext | bool:
        """How a test's httpx client trusts this server."""
        if self.tls is None:
            return True
        context = ssl.create_default_context(cafile=str(self.tls))
        return context

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def stop(self) -> None:
        _stop(self.process)
        self.process = None

    def __enter__(self) -> ServeProcess:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


def _wait_for(
    url: str,
    process: subprocess.Popen[bytes],
    timeout: float,
    *,
    verify: ssl.SSLContext | bool = True,
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url}: process exited with {process.returncode}")
        try:
            if httpx.get(url, timeout=1, verify=verify).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.05)
    _stop(process)
    raise RuntimeError(f"{url} did not answer within {timeout} s")


def _stop(process: subprocess.Popen[bytes] | None) -> None:
    if process is None or process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


@dataclass
class PhoneBank:
    """The server's database seen from a test: seeded and inspected as a supervisor would."""

    store: Store
    campaign: Campaign

    @classmethod
    def create(cls, store: Store, slug: str = "tech-check") -> PhoneBank:
        with store.transaction() as db:
            campaign = create_campaign(db, CampaignDraft(slug=slug, name="Tech check 2026"))
        return cls(store, campaign)

    def caller(self, name: str = "Ana", languages: tuple[str, ...] = ("en", "es")) -> Caller:
        with self.store.transaction() as db:
            return auth.create_caller(db, name, list(languages))

    def invite(self, caller: Caller) -> str:
        with self.store.transaction() as db:
            code, _ = auth.create_invite(db, caller.id)
        return code

    def households(self, caller: Caller | None, count: int, start: int = 0) -> list[Household]:
        from .conftest import make_household, seed_households  # not needed by the subprocess

        seeded = [make_household(start + index) for index in range(count)]
        seed_households(self.store, self.campaign.id, seeded, caller.id if caller else None)
        return seeded

    def reassign(self, household_id: str, caller: Caller | None) -> None:
        from .conftest import assign

        assign(self.store, self.campaign.id, household_id, caller.id if caller else None)

    def revoke(self, device_id: str) -> None:
        with self.store.transaction() as db:
            auth.revoke_device(db, device_id)

    def rows(self, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
        with self.store.reading() as db:
            return list(db.query(sql, params or []))

    def events(self) -> list[dict[str, Any]]:
        return self.rows("SELECT * FROM events ORDER BY device_id, seq")

    def assigned_to(self, caller: Caller) -> set[str]:
        rows = self.rows(
            "SELECT household_id FROM campaign_households WHERE caller_id = ? AND open = 1",
            [caller.id],
        )
        return {row["household_id"] for row in rows}


Fault = Literal["lose_request", "lose_response", "server_error", "refuse", "unauthorized"]


class FaultyTransport(httpx.AsyncBaseTransport):
    """Wraps the real transport and injects faults, per API path, in the order planned.

    ``lose_request`` never reaches the server; ``lose_response`` reaches it (and commits)
    but the answer is lost; ``server_error`` answers 503 without reaching it; ``refuse``
    answers 422, ``unauthorized`` 401. ``refuse_event`` answers 422 to any push carrying
    that event id. Every request that got through is recorded in ``sent``.
    """

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.plan: dict[str, list[Fault]] = defaultdict(list)
        self.offline = False
        self.refused_events: set[str] = set()
        self.sent: list[tuple[str, Any]] = []
        self.before_response: Callable[[str], None] | None = None

    def fail(self, path: str, *faults: Fault) -> None:
        self.plan[f"/api/v1/{path}"].extend(faults)

    def refuse_event(self, event_id: uuid.UUID | str) -> None:
        self.refused_events.add(str(event_id))

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        fault = self.plan[path].pop(0) if self.plan[path] else None
        if self.offline or fault == "lose_request":
            raise httpx.ConnectError("All connection attempts failed", request=request)
        if fault == "server_error":
            return _error(503, "unavailable", "The server is restarting")
        if fault == "unauthorized":
            return _error(401, "unauthorized", "Sign in again")
        body = await request.aread()
        if fault == "refuse" or (
            path.endswith("/push") and any(eid.encode() in body for eid in self.refused_events)
        ):
            return _error(422, "invalid_request", "Invalid request — events.0.payload: refused")
        response = await self.inner.handle_async_request(request)
        await response.aread()
        self.sent.append((path, body))
        if self.before_response is not None:
            self.before_response(path)
        if fault == "lose_response":
            raise httpx.ReadError("Connection reset by peer", request=request)
        return response


def _error(status: int, code: str, message: str) -> httpx.Response:
    return httpx.Response(status, json={"error": code, "message": message})


def main() -> None:
    import uvicorn

    from sync_server.app import create_app

    db_path, port = sys.argv[1], int(sys.argv[2])
    uvicorn.run(create_app(db_path), host="127.0.0.1", port=port, log_level="warning")


if __name__ == "__main__":
    main()
