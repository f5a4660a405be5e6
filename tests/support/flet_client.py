"""A Flet page with no browser: the caller app's real component tree in a Flet session whose
client is this process, so a test can send what a browser sends (a field's new value, then
its change event) in exactly the order it wants, and read what goes back."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Callable, Iterator
from typing import Any

import flet as ft
import msgpack
from flet.controls.context import _context_page
from flet.messaging.connection import Connection
from flet.messaging.protocol import Message, configure_encode_object_for_msgpack
from flet.messaging.session import Session
from flet.pubsub.pubsub_hub import PubSubHub

from app.services import load_catalogues, practice_session
from app.ui.app import CallerApp
from app.ui.context import Services
from app.ui.state import AppState, SyncState

_ENCODE = configure_encode_object_for_msgpack(ft.BaseControl)


class FletClient(Connection):
    """The browser's end of a session: keeps every message sent to it, encoded as on the
    wire (encoding is what draws components, as it does for a real client)."""

    def __init__(self) -> None:
        super().__init__()
        self.sent: list[Any] = []
        self.pubsubhub = PubSubHub()

    def send_message(self, message: Message) -> None:
        raw = msgpack.packb([message.action, message.body], default=_ENCODE)
        self.sent.append(msgpack.unpackb(raw, strict_map_key=False))


class FletPageWithoutBrowser:
    def __init__(self) -> None:
        self.client = FletClient()
        self.client.loop = asyncio.get_running_loop()
        self.session = Session(self.client)
        self.page = self.session.page
        _context_page.set(self.page)
        msgpack.packb(self.session.get_page_patch(), default=_ENCODE)  # the client registers

    def render(self, component: Callable[..., Any], *args: Any) -> None:
        self.page.render(component, *args)

    def controls(self) -> Iterator[ft.BaseControl]:
        """Every control on the page now, components' bodies included."""
        seen: set[int] = set()

        def walk(value: Any) -> Iterator[ft.BaseControl]:
            if id(value) in seen:
                return
            seen.add(id(value))
            if isinstance(value, ft.BaseControl):
                yield value
            if isinstance(value, list | tuple):
                for item in value:
                    yield from walk(item)
            elif dataclasses.is_dataclass(value):
                for field in dataclasses.fields(value):
                    if field.name != "_parent":
                        yield from walk(getattr(value, field.name, None))

        return walk(self.page)

    def text_field(self, label: str) -> ft.TextField:
        return next(
            control
            for control in self.controls()
            if isinstance(control, ft.TextField) and control.label == label
        )

    def typed(self, control_id: int, value: str) -> asyncio.Task[None]:
        """What a browser sends for one key in a text field: the new value, then a change
        event (each event runs in a task of its own, as Flet's web server runs it)."""
        self.session.apply_patch(control_id, {"value": value})
        return asyncio.create_task(self.session.dispatch_event(control_id, "change", value))

    def values_sent(self) -> list[Any]:
        """Every ``value`` the page has sent to the browser since it was drawn."""
        return [
            operation[3]
            for _action, body in self.client.sent
            if isinstance(body, dict)
            for operation in body.get("patch", [])[1:]
            if operation[2:3] == ["value"]
        ]


async def _nothing(*_args: object) -> None:
    return None


def practice_caller_app(page: FletPageWithoutBrowser, app: AppState) -> None:
    """Draw the caller app on ``page`` with Ana's practice session, as a phone would."""
    services = Services(
        session=practice_session("Ana"),
        catalogues=load_catalogues(),
        make_practice=practice_session,
        open_link=_nothing,
        remember=_nothing,
    )
    page.render(CallerApp, services, app, SyncState())
