"""A tappable area: at least 48 px high, with a semantics label and a stable test id;
the chips built on it, and the wrapping rows they sit in.

Shared by the caller app and the supervisor console.

Plain functions, not components: they only build controls.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import flet as ft


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
    return ft.Semantics(
        label=label,
        identifier=identifier,
        button=True,
        selected=selected,
        expand=expand,
        content=ft.Container(
            content=content,
            on_click=on_click,
            ink=True,
            bgcolor=bgcolor,
            border=border,
            border_radius=10,
            padding=padding,
            height=height,
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
    return tap(
        ft.Text(
            text,
            size=15,
            weight=ft.FontWeight.W_600 if selected else None,
            color=ft.Colors.ON_PRIMARY if selected else None,
        ),
        on_click,
        label=label or text,
        identifier=identifier,
        selected=selected,
        bgcolor=ft.Colors.PRIMARY if selected else ft.Colors.SURFACE_CONTAINER_HIGHEST,
        # 13 + 22 (a 16 px line) + 13: a 48 px target without a fixed height, which
        # would stretch the pill across a wrapped row.
        padding=ft.Padding.symmetric(horizontal=14, vertical=13),
    )


def chip_row(chips: list[ft.Control]) -> ft.Control:
    """Chips side by side, wrapping onto more lines on a narrow phone."""
    return ft.Row(chips, wrap=True, spacing=6, run_spacing=6)


def chip_group(title: str, chips: list[ft.Control]) -> list[ft.Control]:
    """A small heading and the chips it asks to pick from."""
    return [ft.Text(title, size=16, weight=ft.FontWeight.W_600), chip_row(chips)]
