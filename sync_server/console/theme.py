"""Sizes, colours and fonts of the console: a laptop screen, big targets, readable figures."""

from __future__ import annotations

import flet as ft

TOUCH = 48
"""The smallest target, in logical pixels."""
MAX_WIDTH = 1100

FONTS = {
    "Noto Sans TC": "fonts/NotoSansTC-Regular.subset.otf",
    "Noto Sans Arabic": "fonts/NotoSansArabic-Regular.subset.ttf",
}
FALLBACK_FAMILIES = ["Noto Sans TC", "Noto Sans Arabic"]

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


def console_theme() -> ft.Theme:
    fallback = ft.TextStyle(font_family_fallback=FALLBACK_FAMILIES)
    return ft.Theme(
        color_scheme_seed=ft.Colors.TEAL,
        text_theme=ft.TextTheme(
            body_large=fallback,
            body_medium=fallback,
            body_small=fallback,
            title_large=fallback,
            title_medium=fallback,
            title_small=fallback,
            label_large=fallback,
            label_medium=fallback,
            headline_small=fallback,
        ),
    )


def button_style() -> ft.ButtonStyle:
    return ft.ButtonStyle(
        padding=ft.Padding.symmetric(horizontal=18, vertical=14),
        shape=ft.RoundedRectangleBorder(radius=10),
        text_style=ft.TextStyle(size=15, weight=ft.FontWeight.W_600),
    )


def card(content: ft.Control, *, padding: int = 16, expand: bool | int | None = None) -> ft.Control:
    return ft.Container(
        content=content,
        padding=padding,
        border_radius=12,
        bgcolor=ft.Colors.SURFACE_CONTAINER_LOW,
        expand=expand,
    )


def heading(text: str, size: int = 20) -> ft.Control:
    return ft.Semantics(header=True, content=ft.Text(text, size=size, weight=ft.FontWeight.BOLD))


def percent(rate: float) -> str:
    return f"{rate * 100:.0f}%"
