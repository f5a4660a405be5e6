"""The way forward as a big filled button, and the other way as an outlined one below it:
both full width and at least 48 px tall, as a screen's last word ("Join" / "Practice",
"Sync now" / "Join again", "Next household" / "Back to list")."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import flet as ft

from ..theme import big_button_style

FULL_WIDTH = 10_000  # wider than any screen: the column narrows it to its own width


@dataclass(frozen=True)
class ButtonChoice:
    """One of the pair: its words (also its semantics label), icon and tap."""

    text: str
    icon: ft.IconData
    on_click: Callable[[], Any]
    disabled: bool = False
    height: float | None = None


def button_pair(primary: ButtonChoice, secondary: ButtonChoice) -> list[ft.Control]:
    """The two buttons, primary first, to put in a column."""
    return [_big(ft.FilledButton, primary), _big(ft.OutlinedButton, secondary)]


def _big(kind: type[ft.FilledButton | ft.OutlinedButton], choice: ButtonChoice) -> ft.Control:
    return kind(
        choice.text,
        icon=choice.icon,
        on_click=choice.on_click,
        disabled=choice.disabled,
        style=big_button_style(),
        height=choice.height,
        width=FULL_WIDTH,
    )
