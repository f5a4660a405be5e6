"""A box to type one thing and the big button that saves it (a number, a note); the box
empties once it is saved."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import flet as ft

from ..guard import guarded
from ..theme import big_button_style
from .typed_field import TypedField

if TYPE_CHECKING:
    from .family_panel import Correct


@ft.component
@guarded
def EntryForm(
    label: str,
    button: str,
    icon: ft.IconData,
    identifier: str,
    save: Callable[[str], str],
    correct: Correct,
    **field_options: Any,
) -> ft.Control:
    """``save(text)`` returns what to tell the caller; ``identifier`` names the button."""
    typed = ft.use_ref("")
    field, set_field = ft.use_state(0)

    def on_text(text: str) -> None:
        typed.current = text

    def add(_event: object = None) -> None:
        if correct(lambda: save(typed.current or "")):
            typed.current = ""
            set_field(field + 1)  # a new, empty box

    return ft.Column(
        [
            TypedField(
                "",
                on_text,
                label=label,
                on_submit=add,
                key=f"{identifier}-{field}",
                **field_options,
            ),
            ft.Semantics(
                identifier=identifier,
                content=ft.FilledTonalButton(
                    button, icon=icon, on_click=add, style=big_button_style()
                ),
            ),
        ],
        spacing=8,
    )
