"""The offline caller app (the PWA the server offers at /) as the browser tests drive it:
the sync server offering a copy of the bundle, and Chromium over one profile folder."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from sync_server.db import Store
from sync_server.pwa import build_web

from .browser import CHROMIUM, CHROMIUM_ARGS, PHONE, PWA_START, FletPage
from .families import SeededBank, seed_bank
from .phone_bank import invite
from .server import ServerProcess


class Server:
    def __init__(self, url: str, store: Store, bank: SeededBank, web_app: Path) -> None:
        self.url, self.store, self.bank, self.web_app = url, store, bank, web_app

    def deploy(self, label: str) -> None:
        """A new version of the app, built into the folder the running server offers."""
        build_web(self.web_app, label=label)

    def rows(self, sql: str) -> list[dict[str, Any]]:
        with self.store.reading() as db:
            return list(db.query(sql))


@contextmanager
def offline_app_server(web_app: Path, folder: Path) -> Iterator[Server]:
    """The sync server offering a copy of the bundle (a test may deploy a new version)."""
    served = folder / "web"
    shutil.copytree(web_app, served)
    db_path = folder / "data" / "phonebank.sqlite"
    db_path.parent.mkdir()
    store = Store(db_path)
    bank = seed_bank(store)
    process = ServerProcess(db_path, web_app=served).start()
    try:
        yield Server(process.url, store, bank, served)
    finally:
        process.stop()
        store.close()


class Browser:
    """Chromium over one profile folder: closing and launching again is a browser restart."""

    def __init__(self, chromium: Any, profile: Path) -> None:
        self.chromium = chromium
        self.profile = profile
        self.requests: list[str] = []
        self.app_requests: list[str] = []
        """Those of the page and its workers, not the service worker's."""
        self.console: list[str] = []
        """What the page and its Python worker logged since the last launch."""
        self.context: Any = None

    def launch(self, *, offline: bool = False) -> FletPage:
        self.context = self.chromium.launch_persistent_context(
            str(self.profile),
            executable_path=CHROMIUM,
            args=CHROMIUM_ARGS,
            viewport=PHONE,
            locale="en-US",
            service_workers="allow",
        )
        self.context.on("request", self._record)
        self.console = []
        self.context.on("console", lambda message: self.console.append(message.text))
        self.context.set_offline(offline)
        page = self.context.pages[0] if self.context.pages else self.context.new_page()
        page.set_default_timeout(20_000)
        return FletPage(page)

    def _record(self, request: Any) -> None:
        self.requests.append(request.url)
        if request.service_worker is None:
            self.app_requests.append(urlsplit(request.url).path)

    def close(self) -> None:
        self.context.close()


def first_visit(chromium: Browser, server: Server, *, init_script: str = "") -> FletPage:
    """Online, the invite link joins, the list arrives, the service worker takes over.
    ``init_script`` runs in every page of the launch before the app's own scripts."""
    phone = chromium.launch()
    if init_script:
        chromium.context.add_init_script(init_script)
    phone.start_offline_app(f"{server.url}/?invite={invite(server.store, server.bank.caller)}")
    phone.by_id("household-hh-chen").wait_for(state="attached", timeout=PWA_START)
    phone.page.wait_for_function("navigator.serviceWorker.controller !== null", timeout=PWA_START)
    phone.page.evaluate("navigator.serviceWorker.ready")
    return phone
