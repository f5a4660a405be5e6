"""Search and filter "My list" by name, language and need."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable
from functools import partial

import flet as ft

from ..context import use_caller_app
from ..guard import guarded
from .tap import chip

SEARCH_PAUSE = 0.3
"""Seconds without a key before the list filters."""


@ft.component
@guarded
def ListFilters(languages: tuple[str, ...], tags: tuple[str, ...]) -> ft.Control:
    _, app, tr = use_caller_app()
    # Typing does not redraw at each key (a redraw sends the value back to the box and
    # drops letters typed meanwhile): the list filters once typing pauses.
    typed = ft.use_ref(app.search)
    made_for = ft.use_ref(app.search_field)
    if made_for.current != app.search_field:  # the filters were cleared: a new, empty box
        made_for.current, typed.current = app.search_field, app.search

    async def search(e: ft.Event[ft.TextField]) -> None:
        value = typed.current = e.control.value or ""
        await asyncio.sleep(SEARCH_PAUSE)
        if typed.current == value:
            app.search = value

    def pick_language(language: str | None) -> None:
        app.language_filter = None if app.language_filter == language else language

    def pick_tag(tag: str | None) -> None:
        app.tag_filter = None if app.tag_filter == tag else tag

    def filter_chips(
        kind: str,
        everything: str,
        current: str | None,
        pick: Callable[[str | None], None],
        values: Iterable[tuple[str, str, str | None]],
    ) -> list[ft.Control]:
        """The "all" chip, then one for each (value, text, label)."""
        return [
            chip(
                everything,
                partial(pick, None),
                selected=current is None,
                identifier=f"filter-{kind}-all",
            ),
            *(
                chip(
                    text,
                    partial(pick, value),
                    selected=current == value,
                    label=label,
                    identifier=f"filter-{kind}-{value}",
                )
                for value, text, label in values
            ),
        ]

    language_chips = filter_chips(
        "language",
        tr("list.all_languages"),
        app.language_filter,
        pick_language,
        ((language, language.upper(), tr.language_name(language)) for language in languages),
    )
    tag_chips = filter_chips(
        "tag", tr("list.all_tags"), app.tag_filter, pick_tag, ((tag, tag, None) for tag in tags)
    )
    return ft.Column(
        [
            ft.TextField(
                label=tr("list.search"),
                value=typed.current or "",
                on_change=search,
                key=f"search-{app.search_field}",
                prefix_icon=ft.Icons.SEARCH,
                dense=False,
            ),
            ft.Row(language_chips, scroll=ft.ScrollMode.AUTO, spacing=6),
            ft.Row(tag_chips, scroll=ft.ScrollMode.AUTO, spacing=6) if tags else ft.Container(),
        ],
        spacing=6,
        horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
    )
