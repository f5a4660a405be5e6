"""The theme's colours and sizes that accessibility rests on: edges and keyboard focus that
show against the page (3:1, WCAG 1.4.11), text that stays readable on the focus fill, and
a chip and a tappable area that are one named node."""

from __future__ import annotations

import flet as ft
import pytest

from app.ui.components.heading import heading
from app.ui.components.tap import CHIP_PADDING, chip
from app.ui.theme import BOUNDARY, FOCUS, FOCUS_OPACITY, SURFACE, TOUCH, app_theme

ON_SURFACE = "#171D1C"
"""The teal seed's text colour on the page (Material 3, tone 10)."""


def channels(colour: str) -> tuple[float, float, float]:
    value = colour.lstrip("#")
    return (int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16))


def luminance(rgb: tuple[float, float, float]) -> float:
    def linear(channel: float) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: tuple[float, float, float], b: tuple[float, float, float]) -> float:
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def over(top: str, opacity: float, below: str) -> tuple[float, float, float]:
    up, down = channels(top), channels(below)
    return (
        up[0] * opacity + down[0] * (1 - opacity),
        up[1] * opacity + down[1] * (1 - opacity),
        up[2] * opacity + down[2] * (1 - opacity),
    )


def test_chip_and_card_edges_show_against_the_page() -> None:
    assert contrast(channels(BOUNDARY), channels(SURFACE)) >= 3


def test_keyboard_focus_shows_and_its_text_stays_readable() -> None:
    focused = over(FOCUS, FOCUS_OPACITY, SURFACE)
    assert contrast(focused, channels(SURFACE)) >= 3
    assert contrast(channels(ON_SURFACE), focused) >= 4.5


def test_the_theme_states_the_colours_it_is_checked_with() -> None:
    theme = app_theme()
    assert theme.color_scheme is not None
    assert (theme.color_scheme.surface, theme.color_scheme.outline) == (SURFACE, BOUNDARY)
    assert theme.visual_density == ft.VisualDensity.STANDARD  # not compact on a desktop
    for kind in ("button", "text_button", "filled_button", "outlined_button"):
        style = getattr(theme, f"{kind}_theme").style
        assert isinstance(style.side, dict) and ft.ControlState.FOCUSED in style.side


def test_a_chip_is_one_node_named_once_and_tall_enough() -> None:
    picked: list[str] = []
    node = chip("IEP", lambda: picked.append("iep"), selected=False, identifier="need-iep")
    assert isinstance(node, ft.MergeSemantics)  # one node: the InkWell's tap merges into it
    named = node.content
    assert isinstance(named, ft.Semantics)
    assert (named.label, named.button, named.exclude_semantics) == ("IEP", True, False)
    assert named.on_tap is None  # one tap per node: the InkWell's, not a second handler
    inkwell = named.content
    assert isinstance(inkwell, ft.Container) and inkwell.on_click is not None
    drawn = inkwell.content  # what the chip draws is not read a second time
    assert isinstance(drawn, ft.Semantics) and drawn.exclude_semantics
    inkwell.on_click()  # type: ignore[call-arg]
    assert picked == ["iep"]
    line = 15 * 1.43  # the chip's text size and the theme's line height
    assert 2 * CHIP_PADDING + line + 2 >= TOUCH


@pytest.mark.parametrize("level", [1, 2, 3, 4])
def test_a_heading_is_announced_with_its_level(level: int) -> None:
    node = heading("Settings", level)
    assert isinstance(node, ft.Semantics)
    assert (node.header, node.heading_level) == (True, level)
