"""The caller app's entry in the browser (Pyodide): ``phonebank build-web`` packs a
``main.py`` that calls ``run()``.

Wires what ``app.ui.main.SingleDevice`` does on the desktop, plus the browser-only parts:
the IDBFS mount at ``/data`` (loaded once at start, written back after every commit), the
store at ``/data/phonebank.sqlite`` and the SyncClient over ``FetchTransport``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import flet as ft

from app.services import CallerSession
from app.store import DeviceStore
from app.ui.main import SYNC_INTERVAL, build_main, start_device
from app.ui.notifier import BroadcastNotifier

log = logging.getLogger(__name__)

DATA = "/data"
DATABASE = Path(DATA) / "phonebank.sqlite"


def _fs() -> Any:
    import pyodide_js

    return pyodide_js.FS


def _syncfs(populate: bool) -> asyncio.Future[None]:
    """IDBFS ``syncfs`` as a future: populate=True loads IndexedDB into memory."""
    from pyodide.ffi import create_once_callable

    future: asyncio.Future[None] = asyncio.get_running_loop().create_future()

    def done(error: object = None) -> None:
        if future.done():
            return
        if error:
            future.set_exception(RuntimeError(f"syncfs failed: {error}"))
        else:
            future.set_result(None)

    _fs().syncfs(populate, create_once_callable(done))
    return future


class PyodideDevice:
    """One device per browser profile, kept in IndexedDB through IDBFS."""

    def __init__(self, server_url: str, interval: float = SYNC_INTERVAL) -> None:
        self.server_url = server_url
        self.interval = interval
        self._session: CallerSession | None = None
        self._loop: asyncio.Task[None] | None = None
        self._lock = asyncio.Lock()
        self._sync_lock: asyncio.Lock | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    async def _mount(self) -> None:
        fs = _fs()
        with contextlib.suppress(Exception):  # already there
            fs.mkdir(DATA)
        fs.mount(fs.filesystems.IDBFS, {}, DATA)
        await _syncfs(True)

    def _after_commit(self, *_args: object) -> None:
        async def save() -> None:
            assert self._sync_lock is not None
            async with self._sync_lock:
                try:
                    await _syncfs(False)
                except Exception:
                    log.exception("saving to IndexedDB failed")

        task = asyncio.get_running_loop().create_task(save())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def session_for(self, page: ft.Page) -> CallerSession:
        async with self._lock:
            if self._session is None:
                self._sync_lock = asyncio.Lock()
                await self._mount()
                store = DeviceStore.open(DATABASE, after_commit=self._after_commit)
                # SyncClient sends through fetch by itself under Pyodide.
                self._session, self._loop = start_device(
                    store, self.server_url, self.interval, "Phonebank web app"
                )
            return self._session


def _server_url() -> str:
    """The API's origin: the page's own origin (the PWA is served by the sync server)."""
    try:
        import flet_js

        parts = urlsplit(str(flet_js.documentUrl))
        return f"{parts.scheme}://{parts.netloc}"
    except Exception:
        return "http://127.0.0.1:8550"


def run() -> None:
    ft.run(build_main(PyodideDevice(_server_url()), BroadcastNotifier()))
