"""Wiring only: the device's store and sync client, the services, the root component.

``build_main`` makes the ``main(page)`` Flet calls for each session. Without a
``devices`` registry (desktop, or the browser under Pyodide) there is one device at the
platform's default path; ``app.ui.served_app`` passes a registry that keeps one device per
browser. Run ``python -m app.ui.main`` for a desktop window against a local server.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Protocol
from urllib.parse import parse_qs, urlsplit

import flet as ft

from app.services import (
    CallbackReminders,
    CallerSession,
    choose_language,
    load_catalogues,
    practice_session,
)
from app.store import DeviceStore
from app.sync import SyncClient, SyncStatus

from .app import CallerApp
from .context import Services
from .notifier import NoNotifier, Notifier
from .page_language import speak_in
from .state import AppState, SyncState
from .theme import app_theme, fonts_for

if TYPE_CHECKING:
    import ssl

log = logging.getLogger(__name__)

DEFAULT_SERVER_URL = "http://127.0.0.1:8550"
SYNC_INTERVAL = 60.0
REMINDER_CHECK = 30.0
"""Seconds between looks for callbacks that have fallen due (a sync also looks)."""
PREFIX = "phonebank."


class DeviceSource(Protocol):
    """Where a page's device comes from: ``session_for(page)`` → its CallerSession."""

    async def session_for(self, page: ft.Page) -> CallerSession: ...


class SingleDevice:
    """One device for the whole process: the platform's default database path."""

    def __init__(self, server_url: str, interval: float = SYNC_INTERVAL) -> None:
        self.server_url = server_url
        self.interval = interval
        self._session: CallerSession | None = None
        self._loop: asyncio.Task[None] | None = None

    async def session_for(self, page: ft.Page) -> CallerSession:
        if self._session is None:
            store = DeviceStore.open()
            self._session, self._loop = start_device(
                store, self.server_url, self.interval, "Phonebank app"
            )
        return self._session


def start_device(
    store: DeviceStore,
    server_url: str,
    interval: float,
    device_name: str,
    *,
    tls: ssl.SSLContext | None = None,
) -> tuple[CallerSession, asyncio.Task[None]]:
    """A session over ``store`` and its sync loop, running as an asyncio task; ``tls``
    is what the sync trusts instead of the system's certificate authorities."""
    transport = None
    if tls is not None:  # only on the server: the offline app's start path never imports it
        import httpx

        transport = httpx.AsyncHTTPTransport(verify=tls)
    sync = SyncClient(store, transport=transport)
    session = CallerSession(store, sync, server_url, device_name=device_name)
    return session, asyncio.get_running_loop().create_task(sync.run(interval))


def invite_in(route: str | None) -> str | None:
    """The ``invite`` of an invite link (``/?invite=CODE``), if the page was opened with one."""
    query = parse_qs(urlsplit(route or "").query)
    codes = query.get("invite") or []
    return codes[0].strip() or None if codes else None


async def device_languages(page: ft.Page) -> list[str]:
    try:
        info = await page.get_device_info()
    except Exception:  # a platform without device info: English it is
        log.info("no device info", exc_info=True)
        return []
    return [locale.language_code for locale in (info.locales if info else [])]


def build_main(
    devices: DeviceSource, notifier: Notifier | None = None
) -> Callable[[ft.Page], Awaitable[None]]:
    """``notifier`` tells the caller of callbacks falling due (the offline app's page
    shows system notifications); without one the list's banner is all."""
    catalogues = load_catalogues()
    notifier = notifier or NoNotifier()

    async def main(page: ft.Page) -> None:
        page.title = "Phonebank"
        page.theme = app_theme()
        page.theme_mode = ft.ThemeMode.LIGHT
        page.padding = 0
        preferences = ft.SharedPreferences()
        launcher = ft.UrlLauncher()

        async def ui_language() -> str:
            chosen = await preferences.get(PREFIX + "ui_language")
            if isinstance(chosen, str) and chosen in catalogues:
                return chosen
            return choose_language(await device_languages(page), catalogues)

        # The device's database opens while the page answers (each is a round trip).
        session, chosen = await asyncio.gather(devices.session_for(page), ui_language())
        session.platform = page.platform.value if page.platform else None
        app = AppState(screen="list" if session.joined else "join", ui_language=chosen)

        practice_languages: set[str] = set()

        def needed_fonts() -> dict[str, str]:
            # Only the script fonts the UI, households and scripts on this device (and in
            # practice mode, once started) need: each one named is downloaded (and cached
            # for offline) at once.
            languages = {app.ui_language, *session.store.languages(), *practice_languages}
            return fonts_for(languages)

        def load_fonts() -> None:
            fonts = needed_fonts()
            if fonts != (page.fonts or {}):
                page.fonts = fonts
                page.update()

        page.fonts = needed_fonts()
        speak_in(page, app.ui_language, catalogues)
        invite = invite_in(page.route)
        if invite and (not session.joined or session.rejoin_needed):
            app.invite_code, app.auto_join, app.screen = invite, True, "join"

        async def open_link(url: str) -> None:
            await launcher.launch_url(url)

        async def remember(key: str, value: str) -> None:
            await preferences.set(PREFIX + key, value)
            if key == "ui_language":
                speak_in(page, value, catalogues)
                load_fonts()

        async def refresh_fonts() -> None:
            load_fonts()

        def start_practice(caller_name: str) -> CallerSession:
            # Made while a screen draws: the fonts follow in a task of their own.
            practice = practice_session(caller_name)
            practice_languages.update(practice.store.languages())
            page.run_task(refresh_fonts)
            return practice

        def ask_for_reminders() -> None:
            async def ask() -> None:
                if await preferences.get(PREFIX + "reminders_asked"):
                    return  # asked once, whatever the answer: the browser remembers it
                await preferences.set(PREFIX + "reminders_asked", "yes")
                notifier.ask()

            page.run_task(ask)

        services = Services(
            session=session,
            catalogues=catalogues,
            make_practice=start_practice,
            open_link=open_link,
            remember=remember,
            ask_for_reminders=ask_for_reminders,
        )
        reminders = CallbackReminders()

        def remind() -> None:
            """Tell of the callbacks that fell due since the last look (the first look, now,
            only notes those already due: the list's banner shows them)."""
            fresh = reminders.newly_due(session.follow_ups())
            if not fresh:
                return
            app.changed()  # the banner and the Follow-ups tab's count
            tr = services.tr(app)
            for reminder in fresh:
                body = tr("reminder.body", name=reminder.household_name)
                notifier.notify(tr("reminder.title"), body, reminder.follow_up_id)

        async def keep_reminding() -> None:
            while True:
                await asyncio.sleep(REMINDER_CHECK)
                remind()

        def after_sync() -> None:
            if session.status.erased:  # wiped: the join screen says what happened
                app.sync_details_open = False
            load_fonts()  # a pull may have brought households in another script
            remind()  # or a callback already due
            app.changed()  # or changed the list

        remind()
        reminding = page.run_task(keep_reminding)
        sync_state = SyncState()
        sync_state.copy_from(session.status)
        unsubscribe = session.status.subscribe(
            _mirror(page, session.status, sync_state, after_sync)
        )

        def closed() -> None:
            unsubscribe()
            reminding.cancel()
            services.end_practice()

        page.on_close = closed
        page.on_resize = lambda: app.changed()
        page.render(CallerApp, services, app, sync_state)

    return main


def _mirror(
    page: ft.Page,
    status: SyncStatus,
    sync_state: SyncState,
    after_sync: Callable[[], None],
) -> Callable[[SyncStatus], None]:
    """A status listener that copies into this page's observable, on this page's loop,
    and calls ``after_sync`` when a sync has finished."""

    async def copy() -> None:
        finished = sync_state.syncing and not status.syncing
        sync_state.copy_from(status)
        if finished:
            after_sync()

    def listener(_status: SyncStatus) -> None:
        try:
            page.run_task(copy)
        except Exception:  # the page is gone; its listener goes with on_close
            log.debug("sync status for a closed page", exc_info=True)

    return listener


def run() -> None:
    """A desktop window (or a browser with FLET_FORCE_WEB_SERVER=1) on this machine's device."""
    server_url = os.environ.get("PHONEBANK_SERVER_URL", DEFAULT_SERVER_URL)
    ft.run(build_main(SingleDevice(server_url)), assets_dir=str(_assets()), no_cdn=True)


def _assets() -> str:
    from pathlib import Path

    return str(Path(__file__).resolve().parents[2] / "assets")


if __name__ == "__main__":
    run()
