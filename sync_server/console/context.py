"""What the screens are handed through context: the console's powers and its state.

Components never import the services; they reach them through ``use_console()``. Every
service call runs in a worker thread (``console.run``): the console shares its event loop
with the sync API, which must never wait for a dashboard query.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar, cast

import flet as ft

from app.core.errors import PhonebankError, Unauthorized
from app.core.models import Campaign
from app.services.i18n import Catalogues, Translator

from .i18n import console_catalogues, said
from .services import ConsoleService
from .state import ConsoleState, ImportState

log = logging.getLogger(__name__)

T = TypeVar("T")


class PickerRelay:
    """Hands the page's one FilePicker's events to whichever screen is listening now.

    The browser learns which events a service has when the service is registered, so the
    picker is made once per page with these handlers, and screens swap what they call.
    """

    def __init__(self) -> None:
        self.on_result: Callable[[ft.FilePickerResultEvent], Awaitable[None]] | None = None
        self.on_upload: Callable[[ft.FilePickerUploadEvent], Awaitable[None]] | None = None

    async def result(self, e: ft.FilePickerResultEvent) -> None:
        if self.on_result is not None:
            await self.on_result(e)

    async def upload(self, e: ft.FilePickerUploadEvent) -> None:
        if self.on_upload is not None:
            await self.on_upload(e)


@dataclass(eq=False)
class Console:
    """The services and the few page powers a screen may use."""

    service: ConsoleService
    base_path: str
    """Where the console is served on this origin, e.g. ``/console``: links stay relative,
    so they survive a proxy that terminates TLS."""
    invite_base_url: str
    """Where callers open the app; an invite link is ``{invite_base_url}/?invite=CODE``."""
    upload_dir: Path
    upload_url: Callable[[str], str]
    file_picker: ft.FilePicker | None = None
    picker_events: PickerRelay = field(default_factory=PickerRelay)
    remember_token: Callable[[str | None], Awaitable[None]] = field(default=lambda _: _done())
    imports: ImportState = field(default_factory=ImportState)
    """The import in progress: kept while the supervisor looks at other screens."""
    catalogues: Catalogues = field(default_factory=console_catalogues)
    remember_language: Callable[[str], Awaitable[None]] = field(default=lambda _: _done())
    """Keep the supervisor's language in this browser for the next visit."""

    async def run(self, function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        return await asyncio.to_thread(function, *args, **kwargs)

    def download_url(self, ticket: str) -> str:
        return f"{self.base_path}/download/{ticket}"


async def _done() -> None:
    return None


# No default: every page provides both before anything reads them.
ConsoleContext = ft.create_context(cast(Console, None))
StateContext = ft.create_context(cast(ConsoleState, None))


def use_console() -> Console:
    console: Console = ft.use_context(ConsoleContext)
    return console


def use_state_of_console() -> ConsoleState:
    state: ConsoleState = ft.use_context(StateContext)
    return state


def use_tr() -> Translator:
    """The console's words in the language the supervisor reads."""
    console, state = use_console(), use_state_of_console()
    return Translator(state.ui_language, console.catalogues)


@dataclass(eq=False)
class Loaded(Generic[T]):
    """What a query read: its value, or the message of the error that stopped it."""

    value: T | None = None
    error: str | None = None
    loading: bool = True


def use_query(
    load: Callable[[], T], dependencies: Sequence[object], *, delay: float = 0.0
) -> Loaded[T]:
    """Run ``load`` in a worker thread on mount and whenever a dependency changes.

    The last value stays shown while a new one loads, so a live screen does not flicker.
    With a ``delay``, a burst of changes (typing) loads once: Flet cancels the effect that
    is still waiting when the next change comes.
    """
    console, state, tr = use_console(), use_state_of_console(), use_tr()
    initial: Loaded[T] = Loaded()
    loaded, set_loaded = ft.use_state(initial)

    async def run() -> None:
        if delay:
            await asyncio.sleep(delay)
        try:
            value = await console.run(load)
        except Unauthorized as error:
            state.signed_out(said(error, tr))
            return
        except PhonebankError as error:
            set_loaded(Loaded(error=said(error, tr), loading=False))
            return
        set_loaded(Loaded(value=value, loading=False))

    ft.use_effect(run, list(dependencies))
    return loaded


def use_action() -> Callable[..., Awaitable[Any]]:
    """``await attempt(function, *args)``: run a service call, and on an error a person can
    cause, say so in the console's notice line instead of failing; returns None then."""
    console, state, tr = use_console(), use_state_of_console(), use_tr()

    async def attempt(function: Callable[..., T], *args: Any, **kwargs: Any) -> T | None:
        try:
            return await console.run(function, *args, **kwargs)
        except Unauthorized as error:
            state.signed_out(said(error, tr))
        except PhonebankError as error:
            state.tell(said(error, tr))
        return None

    return attempt


def use_screen() -> tuple[Console, ConsoleState, Callable[..., Awaitable[Any]]]:
    """What a screen that acts works with: the console, its state and ``attempt`` (see
    ``use_action``)."""
    return use_console(), use_state_of_console(), use_action()


def use_chosen_campaign(*dependencies: object) -> Campaign | None:
    """The campaign chosen at the top of the console (None: none chosen), read again when
    the choice or any of ``dependencies`` changes."""
    console, state = use_console(), use_state_of_console()
    campaign_id = state.campaign_id
    return use_query(
        lambda: console.service.campaign(campaign_id) if campaign_id else None,
        [campaign_id, *dependencies],
    ).value
