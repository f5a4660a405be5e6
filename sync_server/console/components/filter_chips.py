"""A row of chips that choose what a list shows: one is chosen, a tap chooses another."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

import flet as ft

from app.ui.components.tap import chip


def filter_chips(
    choices: Sequence[tuple[str, str]],
    chosen: str,
    choose: Callable[[str], Any],
    *,
    read_as: Callable[[str], str] = "Show {}".format,
) -> ft.Control:
    """A chip per (key, title); a screen reader says ``read_as(title)``."""
    return ft.Row(
        [
            chip(title, partial(choose, key), selected=chosen == key, label=read_as(title))
            for key, title in choices
        ],
        wrap=True,
        spacing=6,
        run_spacing=6,
    )
