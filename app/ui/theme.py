"""Sizes, colours and fonts the caller app shares: big touch targets, readable text, and the
Noto fonts that draw Chinese and Arabic scripts offline."""

from __future__ import annotations

from collections.abc import Iterable

import flet as ft

from app.core.models import text_direction
from app.core.scripts import written_language

TOUCH = 48
"""The smallest touch target, in logical pixels."""
BIG_BUTTON = 60
MAX_WIDTH = 760
"""The content column's width on a laptop; a phone uses its full width."""

FONTS = {
    "Noto Sans TC": "fonts/NotoSansTC-Regular.subset.otf",
    "Noto Sans Arabic": "fonts/NotoSansArabic-Regular.subset.ttf",
}
"""Every script font the app has. Flutter downloads each font of ``page.fonts`` at once
(2.8 MB for Chinese), so a page names only those ``fonts_for`` its languages; the offline
app's service worker keeps a font once it was downloaded."""
UI_FAMILY = "Roboto"
"""Flutter's own font, named first: the script fonts carry Latin letters too (so a name
inside Chinese or Arabic text never leaves its font for a box), and as fallbacks named
first they drew the whole English UI in their Latin once one had loaded."""
FALLBACK_FAMILIES = ["Noto Sans TC", "Noto Sans Arabic"]
FALLBACK_STYLES = (
    "body_large",
    "body_medium",
    "body_small",
    "title_large",
    "title_medium",
    "title_small",
    "label_large",
    "label_medium",
    "headline_small",
)
"""The theme's text styles the app's controls draw with: each falls back to the script fonts."""


def script_font(language: str) -> str | None:
    """The font family that draws a script in ``language`` best (None: the default)."""
    base = written_language(language)  # Cantonese (yue) is written in Chinese characters
    if text_direction(language) == "rtl":
        return "Noto Sans Arabic"
    if base in ("zh", "ja", "ko"):
        return "Noto Sans TC"
    return None


def fonts_for(languages: Iterable[str]) -> dict[str, str]:
    """The script fonts (``page.fonts``) text in these languages needs."""
    families = {script_font(language) for language in languages}
    return {family: path for family, path in FONTS.items() if family in families}


SURFACE = "#F4FBF8"
"""The page behind everything (the teal seed's own surface, stated so contrast can be checked)."""
BOUNDARY = "#6F7977"
"""The edge of a chip or a card (the scheme's ``outline``): 4.3:1 on SURFACE, where the
seed's ``outline_variant`` was 1.6:1 and the grey chip fill alone 1.2:1 (3:1 needed)."""
FOCUS = "#006A60"
FOCUS_OPACITY = 0.7
"""Keyboard focus: a tappable area (an InkWell) can only fill, not ring, so it fills
FOCUS at this opacity, 3.3:1 against the page (the default, black at 12 %, was 1.3:1);
text drawn in ON_SURFACE on it keeps 4.9:1."""
FOCUS_RING = 3
"""A Flutter button draws a ring this wide, in FOCUS, while it has keyboard focus."""
BUTTON_PADDING = 12
"""Above and below a button's label: a 17 px label (24 px line) is then 48 px high."""


def _button_style(padding: ft.Padding, *, outlined: bool = False) -> ft.ButtonStyle:
    """What every button of a kind shares: 48 px high, and a ring when focused by keyboard
    (an outlined button keeps its outline otherwise)."""
    rest = ft.BorderSide(1, BOUNDARY) if outlined else ft.BorderSide(0, ft.Colors.TRANSPARENT)
    return ft.ButtonStyle(
        padding=padding,
        side={
            ft.ControlState.FOCUSED: ft.BorderSide(FOCUS_RING, FOCUS),
            ft.ControlState.DEFAULT: rest,
        },
        visual_density=ft.VisualDensity.STANDARD,
    )


def app_theme() -> ft.Theme:
    fallback = ft.TextStyle(font_family=UI_FAMILY, font_family_fallback=FALLBACK_FAMILIES)
    styles = dict.fromkeys(FALLBACK_STYLES, fallback)
    # Buttons draw their labels with label_large. A button style's own text style would
    # replace it, fallback fonts and all (Arabic and Chinese labels drawn as boxes), so the
    # big buttons' size and weight live here.
    styles["label_large"] = ft.TextStyle(
        size=17,
        weight=ft.FontWeight.W_600,
        font_family=UI_FAMILY,
        font_family_fallback=FALLBACK_FAMILIES,
    )
    label_padding = ft.Padding.symmetric(horizontal=16, vertical=BUTTON_PADDING)
    return ft.Theme(
        color_scheme_seed=ft.Colors.TEAL,
        color_scheme=ft.ColorScheme(surface=SURFACE, outline=BOUNDARY),
        text_theme=ft.TextTheme(**styles),
        # A desktop browser would get Flutter's compact density: 32 px text buttons.
        visual_density=ft.VisualDensity.STANDARD,
        focus_color=ft.Colors.with_opacity(FOCUS_OPACITY, FOCUS),
        button_theme=ft.ButtonTheme(style=_button_style(label_padding)),
        text_button_theme=ft.TextButtonTheme(style=_button_style(label_padding)),
        filled_button_theme=ft.FilledButtonTheme(style=_button_style(label_padding)),
        outlined_button_theme=ft.OutlinedButtonTheme(
            style=_button_style(label_padding, outlined=True)
        ),
        icon_button_theme=ft.IconButtonTheme(style=_button_style(ft.Padding.all(BUTTON_PADDING))),
    )


BIG_BUTTON_PADDING = 12
"""Above and below a wrapping label: with the button's own, one line of it is BIG_BUTTON high."""


def big_label(label: str) -> ft.Control:
    """A big button's label that wraps, whole, however long it is in the caller's language
    (and at 200 % text): the button grows instead of a fixed height cutting it."""
    return ft.Container(
        ft.Text(label, text_align=ft.TextAlign.CENTER),
        padding=ft.Padding.symmetric(vertical=BIG_BUTTON_PADDING),
    )


def big_button_style() -> ft.ButtonStyle:
    return ft.ButtonStyle(
        padding=ft.Padding.symmetric(horizontal=16, vertical=14),
        shape=ft.RoundedRectangleBorder(radius=12),
    )
