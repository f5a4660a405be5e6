"""Sizes, colours and fonts of the console: a laptop screen, big targets, readable figures."""

from __future__ import annotations

from typing import Any

import flet as ft

# The caller app's touch target, fonts and theme: one look for both apps.
from app.ui.theme import FONTS, TOUCH
from app.ui.theme import app_theme as console_theme

__all__ = ["CHART_COLOURS", "FONTS", "MAX_WIDTH", "TOUCH", "console_theme"]

MAX_WIDTH = 1100

CHART_COLOURS = (
    ft.Colors.TEAL,
    ft.Colors.INDIGO,
    ft.Colors.AMBER_700,
    ft.Colors.PINK_400,
    ft.Colors.LIGHT_GREEN_700,
    ft.Colors.DEEP_ORANGE_400,
    ft.Colors.BLUE_GREY_400,
    ft.Colors.PURPLE_300,
    ft.Colors.CYAN_700,
    ft.Colors.BROWN_400,
    ft.Colors.LIME_800,
    ft.Colors.RED_300,
)


def button_style() -> ft.ButtonStyle:
    return ft.ButtonStyle(
        padding=ft.Padding.symmetric(horizontal=18, vertical=14),
        shape=ft.RoundedRectangleBorder(radius=10),
        text_style=ft.TextStyle(size=15, weight=ft.FontWeight.W_600),
    )


def filled_button(text: str, **options: Any) -> ft.FilledButton:
    """The screen's main action: big enough to hit, in the console's type."""
    return ft.FilledButton(text, style=button_style(), **options)


def outlined_button(text: str, **options: Any) -> ft.OutlinedButton:
    return ft.OutlinedButton(text, style=button_style(), **options)


def card(content: ft.Control, *, padding: int = 16, expand: bool | int | None = None) -> ft.Control:
    return ft.Container(
        content=content,
        padding=padding,
        border_radius=12,
        bgcolor=ft.Colors.SURFACE_CONTAINER_LOW,
        expand=expand,
    )


def labelled(
    identifier: str, label: str, content: ft.Control | str, *, live: bool = False, **text: Any
) -> ft.Control:
    """A piece of a screen that a screen reader (and a browser test) finds by ``identifier``
    and reads as ``label``; a string is drawn as text styled by ``text``."""
    return ft.Semantics(
        exclude_semantics=True,
        identifier=identifier,
        label=label,
        live_region=live or None,
        content=ft.Text(content, **text) if isinstance(content, str) else content,
    )


def error_line(identifier: str, text: str, size: int | None = None) -> ft.Control:
    """What is wrong with a form, announced as it appears."""
    return labelled(identifier, text, text, live=True, color=ft.Colors.ERROR, size=size)


def quiet_text(text: str, **style: Any) -> ft.Text:
    """A line that explains rather than tells: smaller and greyer than the rest."""
    return ft.Text(text, color=ft.Colors.ON_SURFACE_VARIANT, **style)


def heading(text: str, size: int = 20) -> ft.Control:
    return ft.Semantics(header=True, content=ft.Text(text, size=size, weight=ft.FontWeight.BOLD))


def list_notes(error: str | None, empty: bool, nothing: str) -> list[ft.Control]:
    """What a list says besides its rows: why it could not load, and ``nothing`` when it
    has loaded empty."""
    notes: list[ft.Control] = []
    if error:
        notes.append(ft.Text(error, color=ft.Colors.ERROR))
    if empty:
        notes.append(ft.Text(nothing, italic=True))
    return notes


def dotted(*parts: str) -> str:
    """The parts that say something, as one line: "es · Lincoln · no-device"."""
    return " · ".join(part for part in parts if part)


def percent(rate: float) -> str:
    return f"{rate * 100:.0f}%"
