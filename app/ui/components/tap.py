"""A tappable area: at least 48 px high, one accessibility node named by its semantics
label (what it draws is not read a second time) with one tap, and a stable test id; the
chips built on it, and the wrapping rows they sit in.

Shared by the caller app and the supervisor console.

Plain functions, not components: they only build controls.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import flet as ft

from ..theme import BOUNDARY, TOUCH
from .heading import heading

CHIP_PADDING = 13
"""Above and below a chip's text: 1 + 13 + 21 (a 15 px line) + 13 + 1 (its edge) = 49, a
48 px target at any text size without a fixed height (which would stretch the pill across
a wrapped row). Without the edge it was 47."""
CHIP_SIDE = 14
"""Left and right of a chip's text."""


def tap(
    content: ft.Control,
    on_click: Callable[..., Any] | None,
    *,
    label: str,
    identifier: str | None = None,
    selected: bool | None = None,
    bgcolor: ft.ColorValue | None = None,
    border: ft.Border | None = None,
    padding: int | ft.Padding = 12,
    expand: bool | int | None = None,
    height: int | None = None,
) -> ft.Control:
    """``label`` is all a screen reader hears: it must say what ``content`` shows.

    One node, one tap: the InkWell's tap (a finger on the screen, a screen reader's
    double tap, a click in the browser) merges into the labelled node, and only what
    ``content`` draws is left out of the accessibility tree, else a chip reads its name
    twice ("IEP IEP") and a row with a labelled badge inside becomes a button in a button.
    No second handler on the node itself: one control, one way into the app."""
    return ft.MergeSemantics(
        expand=expand,
        content=ft.Semantics(
            label=label,
            identifier=identifier,
            button=True,
            selected=selected,
            content=ft.Container(
                content=ft.Semantics(content=content, exclude_semantics=True),
                on_click=on_click,
                ink=True,
                bgcolor=bgcolor,
                border=border,
                border_radius=10,
                padding=padding,
                height=height,
            ),
        ),
    )


def chip(
    text: str,
    on_click: Callable[..., Any] | None,
    *,
    selected: bool,
    identifier: str | None = None,
    label: str | None = None,
) -> ft.Control:
    """A pill that toggles: a filter, a need, a language."""
    drawn = ft.Text(
        text,
        size=15,
        weight=ft.FontWeight.W_600 if selected else None,
        color=ft.Colors.ON_PRIMARY if selected else None,
    )
    return tap(
        # At least 48 px wide too: a one-letter answer ("否", "لا") was 39-45 px. A Stack is
        # as wide as its widest child, so a strut sets the least width and a longer label
        # its own.
        ft.Stack([ft.Container(width=TOUCH - 2 * CHIP_SIDE), drawn], alignment=ft.Alignment.CENTER),
        on_click,
        label=label or text,
        identifier=identifier,
        selected=selected,
        bgcolor=ft.Colors.PRIMARY if selected else ft.Colors.SURFACE_CONTAINER_HIGHEST,
        # The grey fill alone hardly shows on the page: an edge that does (3:1 or more).
        border=ft.Border.all(1, ft.Colors.PRIMARY if selected else BOUNDARY),
        padding=ft.Padding.symmetric(horizontal=CHIP_SIDE, vertical=CHIP_PADDING),
    )


def chip_row(chips: list[ft.Control]) -> ft.Control:
    """Chips side by side, wrapping onto more lines on a narrow phone."""
    return ft.Row(chips, wrap=True, spacing=6, run_spacing=6)


def chip_group(title: str, chips: list[ft.Control]) -> list[ft.Control]:
    """A small heading and the chips it asks to pick from."""
    return [heading(title, 3), chip_row(chips)]
