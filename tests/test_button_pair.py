"""The screens' closing pair of buttons: the filled one first, both full width and big."""

from __future__ import annotations

import flet as ft

from app.ui.components.button_pair import ButtonChoice, button_pair
from app.ui.theme import BIG_BUTTON


def _tapped() -> None:
    pass


def test_the_pair_is_a_filled_then_an_outlined_button_carrying_each_choice() -> None:
    filled, outlined = button_pair(
        ButtonChoice("Sync now", ft.Icons.SYNC, _tapped, disabled=True, height=BIG_BUTTON),
        ButtonChoice("Join again with a new code", ft.Icons.LOGIN, _tapped),
    )
    assert isinstance(filled, ft.FilledButton) and isinstance(outlined, ft.OutlinedButton)
    assert (filled.content, filled.icon, filled.disabled, filled.height) == (
        "Sync now",
        ft.Icons.SYNC,
        True,
        BIG_BUTTON,
    )
    assert (outlined.content, outlined.icon, outlined.disabled, outlined.height) == (
        "Join again with a new code",
        ft.Icons.LOGIN,
        False,
        None,
    )
    for button in (filled, outlined):
        assert button.on_click is _tapped
        assert button.width == 10_000
        assert button.style is not None and button.style.padding == ft.Padding.symmetric(
            horizontal=16, vertical=14
        )
