"""A text field that keeps every letter typed when the screen redraws while typing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

import flet as ft


@ft.component
def TypedField(value: str, on_text: Callable[[str], None], **options: Any) -> ft.Control:
    """A ``ft.TextField`` showing ``value`` at first, then what the browser holds.

    Flet writes each value the browser sends into the field as the message arrives, and
    runs the change handler later, in a task of its own. A redraw in between (a sync ends)
    would draw the field from state the handler has not updated yet and send that older
    value back to the browser, losing letters (issue 15). So a redraw draws the field with
    what it last received, and ``on_text`` gets the text the change event carried. To
    start afresh (the field cleared after saving), give the component a new key.
    """
    field = ft.use_ref(cast(ft.TextField | None, None))

    def changed(e: ft.Event[ft.TextField]) -> None:
        on_text(str(e.data or ""))

    shown = field.current.value if field.current is not None else value
    field.current = ft.TextField(value=shown, on_change=changed, **options)
    return field.current
