"""The console as an ASGI app for the sync server to mount under /console: wiring only.

``console_asgi_app(store)`` serves the Flet pages (server-driven: Python runs here, the
browser draws), the CSV uploads the import screen sends, and ``/download/{ticket}`` for
the files it hands back. Each page watches a cheap fingerprint of the database every
``interval`` seconds and tells its screens to read again when it moved, so the dashboard
follows devices as they sync without a reload. ``phonebank serve`` mounts it.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from urllib.parse import urlsplit

import flet as ft
import flet_web.fastapi as flet_fastapi
from fastapi import FastAPI, HTTPException
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from app.core.errors import PhonebankError, Unauthorized
from app.services.i18n import Translator, choose_language
from app.ui.main import device_languages
from app.ui.page_language import speak_in

from .. import auth
from ..db import Store
from ..guessing import LoginLimiter
from .context import Console, ConsoleContext, PickerRelay, StateContext
from .downloads import Downloads
from .i18n import console_catalogues, said
from .services import ConsoleService
from .state import ConsoleState
from .theme import FONTS, console_theme
from .views.shell import Shell

log = logging.getLogger(__name__)

ASSETS = Path(__file__).resolve().parents[2] / "assets"
TOKEN_KEY = "phonebank.console.session"
LANGUAGE_KEY = "phonebank.console.ui_language"
WATCH_INTERVAL = 2.0
MAX_UPLOAD = 200_000_000
STALE_UPLOAD = 86_400.0
"""Seconds after which an upload nobody imported is deleted (at the next start)."""


def http_base(page_url: str | None) -> str:
    """The console's own address from the page's websocket URL (ws://host/console)."""
    url = page_url or ""
    for websocket, http in (("wss://", "https://"), ("ws://", "http://")):
        if url.startswith(websocket):
            return http + url[len(websocket) :]
    return url.rstrip("/")


def origin(url: str) -> str:
    """``http://host:port`` of ``http://host:port/console``."""
    scheme, _, rest = url.partition("://")
    return f"{scheme}://{rest.split('/', 1)[0]}" if rest else url


@ft.component
def ConsoleApp(console: Console, state: ConsoleState) -> ft.Control:
    return ConsoleContext(console, lambda: StateContext(state, lambda: Shell()))


async def watch_changes(console: Console, state: ConsoleState, interval: float) -> None:
    """Tell the screens to read again whenever the database's fingerprint moves."""
    last: object = None
    while not state.closed:
        if state.signed_in and state.connected:
            try:
                marker = await console.run(console.service.changes_marker)
            except Unauthorized as error:
                state.signed_out(said(error, Translator(state.ui_language, console.catalogues)))
            except Exception:  # never let a hiccup end the watch; try again next tick
                log.exception("console: reading the changes marker failed")
            else:
                if last is not None and marker != last:
                    state.changed()
                last = marker
        await asyncio.sleep(state.watch_pause(interval))


def build_main(
    store: Store,
    downloads: Downloads,
    upload_dir: Path,
    *,
    invite_base_url: str | None,
    interval: float,
    limiter: LoginLimiter,
) -> Callable[[ft.Page], Awaitable[None]]:
    async def main(page: ft.Page) -> None:
        page.title = "Phonebank console"
        page.fonts = dict(FONTS)
        page.theme = console_theme()
        page.theme_mode = ft.ThemeMode.LIGHT
        page.padding = 0
        preferences = ft.SharedPreferences()
        service = ConsoleService(store, downloads=downloads, limiter=limiter)
        state = ConsoleState()
        catalogues = console_catalogues()
        # The language this browser chose before, else the browser's own (es-MX: Spanish).
        chosen = await preferences.get(LANGUAGE_KEY)
        if isinstance(chosen, str) and chosen in catalogues:
            state.speak(chosen)
        else:
            state.speak(choose_language(await device_languages(page), catalogues))
        speak_in(page, state.ui_language, catalogues)
        saved = await preferences.get(TOKEN_KEY)
        if isinstance(saved, str) and saved:
            name = await asyncio.to_thread(service.resume, saved)
            if name:
                state.signed_in_as(name, service.is_admin)

        async def remember_token(token: str | None) -> None:
            if token:
                await preferences.set(TOKEN_KEY, token)
            else:
                await preferences.remove(TOKEN_KEY)

        async def remember_language(language: str) -> None:
            speak_in(page, language, catalogues)
            await preferences.set(LANGUAGE_KEY, language)

        base = http_base(page.url)
        relay = PickerRelay()
        console = Console(
            service=service,
            base_path=urlsplit(base).path.rstrip("/"),
            invite_base_url=invite_base_url or origin(base),
            upload_dir=upload_dir,
            upload_url=lambda name: page.get_upload_url(name, 600),
            file_picker=ft.FilePicker(on_result=relay.result, on_upload=relay.upload),
            picker_events=relay,
            remember_token=remember_token,
            catalogues=catalogues,
            remember_language=remember_language,
        )
        watcher = asyncio.get_running_loop().create_task(watch_changes(console, state, interval))

        def disconnected() -> None:
            state.connected = False

        def connected() -> None:
            state.connected = True
            state.changed()

        def closed() -> None:
            state.closed = True
            watcher.cancel()

        page.on_disconnect = disconnected
        page.on_connect = connected
        page.on_close = closed
        page.render(ConsoleApp, console, state)

    return main


def forget_stale_uploads(folder: Path, older_than: float = STALE_UPLOAD) -> int:
    """Delete uploads nobody imported (the page closed mid-way); how many went."""
    cutoff = time.time() - older_than
    stale = [path for path in folder.glob("*.csv") if path.stat().st_mtime < cutoff]
    for path in stale:
        path.unlink(missing_ok=True)
    return len(stale)


def console_asgi_app(
    store: Store,
    *,
    upload_dir: Path | None = None,
    secret_key: str | None = None,
    invite_base_url: str | None = None,
    interval: float = WATCH_INTERVAL,
    login_limiter: LoginLimiter | None = None,
) -> FastAPI:
    """The console over ``store``, to mount under ``/console``.

    ``upload_dir`` holds CSV files for the moment between upload and import (default: a
    fresh temporary folder); ``secret_key`` signs upload URLs (default: random per
    process); invite links point at ``invite_base_url`` (default: this server's origin).
    """
    downloads = Downloads()
    folder = Path(upload_dir or tempfile.mkdtemp(prefix="phonebank-console-"))
    folder.mkdir(parents=True, exist_ok=True)
    forget_stale_uploads(folder)
    limiter = login_limiter or LoginLimiter()
    pages = flet_fastapi.app(
        build_main(
            store,
            downloads,
            folder,
            invite_base_url=invite_base_url,
            interval=interval,
            limiter=limiter,
        ),
        assets_dir=str(ASSETS),
        app_name="Phonebank console",
        app_short_name="Console",
        app_description="Import, assign and follow a phone bank",
        no_cdn=True,
        upload_dir=str(folder),
        max_upload_size=MAX_UPLOAD,
        secret_key=secret_key or secrets.token_urlsafe(32),
    )
    console = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)
    console.state.downloads = downloads

    @console.get("/download/{ticket}")
    async def download(ticket: str) -> Response:
        item = downloads.get(ticket)
        if item is None:
            raise HTTPException(404, "This download link has expired; make a new one")

        def produce() -> bytes:
            with store.reading() as db:
                auth.supervisor_for_token(db, item.session_token)
            return item.produce()

        try:
            content = await run_in_threadpool(produce)
        except Unauthorized as error:
            raise HTTPException(401, error.message) from error
        except PhonebankError as error:
            raise HTTPException(404, error.message) from error
        return Response(
            content,
            media_type=item.media_type,
            headers={
                "Content-Disposition": f'attachment; filename="{item.filename}"',
                "Cache-Control": "no-store",
            },
        )

    console.mount("/", pages)
    return console
