"""What the screens are handed through context: services and observable state."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import NamedTuple, cast

import flet as ft

from app.services import CallerSession, Translator
from app.services.i18n import Catalogues

from .state import AppState, SyncState


@dataclass(eq=False)
class Services:
    """The caller's session (real or practice), the catalogues, and the page's few powers
    a component may use (open a link, remember a setting, ask to send reminders)."""

    session: CallerSession
    catalogues: Catalogues
    make_practice: Callable[[str], CallerSession]
    open_link: Callable[[str], Awaitable[None]]
    remember: Callable[[str, str], Awaitable[None]]
    ask_for_reminders: Callable[[], None] = field(default=lambda: None)
    """After the first callback is scheduled: may the app notify when callbacks fall due?"""
    practice: CallerSession | None = field(default=None)

    def active(self, app: AppState) -> CallerSession:
        """The practice session in practice mode (made fresh on first use), else the real one."""
        if not app.practice:
            return self.session
        if self.practice is None:
            self.practice = self.make_practice(self.session.caller_name)
        return self.practice

    def end_practice(self) -> None:
        if self.practice is not None:
            self.practice.store.close()
        self.practice = None

    def tr(self, app: AppState) -> Translator:
        return Translator(app.ui_language, self.catalogues)


# No defaults: the root component always provides all three.
ServicesContext = ft.create_context(cast(Services | None, None))
AppContext = ft.create_context(cast(AppState | None, None))
SyncContext = ft.create_context(cast(SyncState | None, None))


def use_services() -> Services:
    services = ft.use_context(ServicesContext)
    assert services is not None, "CallerApp provides the services"
    return services


def use_app() -> AppState:
    app = ft.use_context(AppContext)
    assert app is not None, "CallerApp provides the app state"
    return app


class CallerAppContext(NamedTuple):
    """What nearly every component starts with."""

    services: Services
    app: AppState
    tr: Translator
    """The app's words in the language the caller chose."""


def use_caller_app() -> CallerAppContext:
    # Each context once: every use_context is a hook and subscribes to an observable value.
    services, app = use_services(), use_app()
    return CallerAppContext(services, app, services.tr(app))


def use_sync() -> SyncState:
    sync = ft.use_context(SyncContext)
    assert sync is not None, "CallerApp provides the sync state"
    return sync
