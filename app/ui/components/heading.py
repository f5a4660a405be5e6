"""A screen's or a section's title, announced as a heading (role=heading with its level in
the browser), so a screen-reader user can jump from one to the next.

A plain function, not a component: it only builds controls. Shared with the console.
"""

from __future__ import annotations

import flet as ft

SIZES = {1: 20, 2: 22, 3: 16}
"""Text size by level: the app's name (1) is smaller than a screen's title (2)."""


def heading(
    text: str,
    level: int,
    *,
    size: int | None = None,
    color: ft.ColorValue | None = None,
    identifier: str | None = None,
    expand: bool | int | None = None,
    font_family: str | None = None,
) -> ft.Control:
    """``text`` as a heading of ``level`` (1 the app, 2 a screen, 3 a section, 4 below)."""
    text_control = ft.Text(
        text,
        size=size or SIZES.get(level, 16),
        weight=ft.FontWeight.BOLD if level < 3 else ft.FontWeight.W_600,
        color=color,
        font_family=font_family,
    )
    return as_heading(text_control, level, identifier=identifier, expand=expand)


def as_heading(
    title: ft.Control,
    level: int,
    *,
    identifier: str | None = None,
    expand: bool | int | None = None,
) -> ft.Control:
    """A title drawn its own way (a script's, in its language's font) as a heading."""
    return ft.Semantics(
        header=True, heading_level=level, identifier=identifier, expand=expand, content=title
    )
