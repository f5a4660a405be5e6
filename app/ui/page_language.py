"""The page's language: the caller's (or supervisor's) UI language, as Flutter's locale.

Shared by the caller app and the supervisor console.
"""

from __future__ import annotations

from collections.abc import Iterable

import flet as ft


def ui_locale(language: str) -> ft.Locale:
    """A UI language's tag as Flutter's locale: "zh-Hant" is Chinese in its script."""
    code, _, script = language.partition("-")
    return ft.Locale(code, script_code=script or None)


def speak_in(page: ft.Page, language: str, languages: Iterable[str]) -> None:
    """Flutter's own words (a text box's menu, a date picker) and the page's language, which
    a screen reader chooses its voice by, follow the caller's UI language."""
    page.locale_configuration = ft.LocaleConfiguration(
        supported_locales=[ui_locale(tag) for tag in languages],
        current_locale=ui_locale(language),
    )
