"""The caller app served to browsers by this server (Python runs here, the page draws).

``caller_asgi_app(server_url, data_dir)`` is an ASGI app to mount (e.g. under ``/app``)
or to serve on its own port. Each browser keeps a random device key in its local storage;
its device database is ``data_dir/devices/<key>.sqlite``, so a reload keeps the joined
device, and two tabs of one browser share one device and one sync loop.

``python -m app.ui.served_app --server URL --port 8551 --data DIR`` serves it on its own.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import re
import secrets
import ssl
from pathlib import Path

import flet as ft
import flet_web.fastapi as flet_fastapi
from fastapi import FastAPI

from app.services import CallerSession
from app.store import DeviceStore

from .main import PREFIX, SYNC_INTERVAL, build_main, start_device

log = logging.getLogger(__name__)

ASSETS = Path(__file__).resolve().parents[2] / "assets"
DEVICE_KEY = PREFIX + "device_key"
_KEY = re.compile(r"^[0-9a-f]{32}$")


class ServedDevices:
    """One device per browser, by the key the browser keeps; opened once per process."""

    def __init__(
        self,
        server_url: str,
        data_dir: Path,
        interval: float = SYNC_INTERVAL,
        tls: ssl.SSLContext | None = None,
    ) -> None:
        self.server_url = server_url.rstrip("/")
        self.tls = tls
        self.folder = Path(data_dir) / "devices"
        self.interval = interval
        self._sessions: dict[str, CallerSession] = {}
        self._loops: dict[str, asyncio.Task[None]] = {}

    async def session_for(self, page: ft.Page) -> CallerSession:
        preferences = ft.SharedPreferences()
        key = await preferences.get(DEVICE_KEY)
        if not isinstance(key, str) or not _KEY.match(key):
            # Never a path from the browser as it is: only 32 hex digits name a file.
            key = secrets.token_hex(16)
            await preferences.set(DEVICE_KEY, key)
        return self.open(key)

    def open(self, key: str) -> CallerSession:
        if not _KEY.match(key):
            raise ValueError("A device key is 32 hex digits")
        if key not in self._sessions:
            store = DeviceStore.open(self.folder / f"{key}.sqlite")
            session, loop = start_device(
                store, self.server_url, self.interval, f"Browser {key[:6]}", tls=self.tls
            )
            self._sessions[key], self._loops[key] = session, loop
        return self._sessions[key]

    async def aclose(self) -> None:
        for key, session in list(self._sessions.items()):
            if session.sync is not None:
                session.sync.stop()
                await session.sync.aclose()
            self._loops[key].cancel()
            session.store.close()
        self._sessions.clear()
        self._loops.clear()


def caller_asgi_app(
    server_url: str,
    data_dir: Path,
    *,
    interval: float = SYNC_INTERVAL,
    tls: ssl.SSLContext | None = None,
) -> FastAPI:
    """The caller app as an ASGI app that syncs with ``server_url`` (over HTTPS trusting
    ``tls`` when given); devices in ``data_dir``."""
    devices = ServedDevices(server_url, data_dir, interval, tls)
    app: FastAPI = flet_fastapi.app(
        build_main(devices),
        assets_dir=str(ASSETS),
        app_name="Phonebank",
        app_short_name="Phonebank",
        app_description="Call the families on your list, online or not",
        no_cdn=True,
    )
    app.state.devices = devices
    return app


def main(argv: list[str] | None = None) -> None:
    import uvicorn

    parser = argparse.ArgumentParser(description="Serve the Phonebank caller app on its own port")
    parser.add_argument("--server", default="http://127.0.0.1:8550", help="The sync server")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8551)
    parser.add_argument(
        "--data", type=Path, default=Path("data"), help="Device databases go in DATA/devices"
    )
    parser.add_argument("--sync-interval", type=float, default=SYNC_INTERVAL)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(name)s %(message)s")
    app = caller_asgi_app(args.server, args.data, interval=args.sync_interval)
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
