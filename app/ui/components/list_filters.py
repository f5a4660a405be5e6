"""Search and filter "My list" by name, language and need."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable
from functools import partial
from typing import cast

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
    # Typing does not redraw at each key: the list filters once typing pauses.
    typed = ft.use_ref(app.search)
    # The search box as last drawn: Flet writes each value the browser sends into it as
    # the message arrives, before the change handler runs.
    box = ft.use_ref(cast(ft.TextField | None, None))
    made_for = ft.use_ref(app.search_field)
    if made_for.current != app.search_field:  # the filters were cleared: a new, empty box
        made_for.current, typed.current, box.current = app.search_field, app.search, None

    async def search(e: ft.Event[ft.TextField]) -> None:
        # The text this change sent, not the box's value when the handler runs: a redraw
        # in between may have replaced the box.
        value = typed.current = str(e.data or "")
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
        ((language, tr.language_label(language), None) for language in languages),
    )
    tag_chips = filter_chips(
        "tag",
        tr("list.all_tags"),
        app.tag_filter,
        pick_tag,
        ((tag, tr.need(tag), None) for tag in tags),
    )
    # A redraw (a sync ends, a chip is picked) draws the box with what the browser holds:
    # a value older than that would be sent back to the box, and its letters lost.
    box.current = ft.TextField(
        label=tr("list.search"),
        value=box.current.value if box.current is not None else app.search,
        on_change=search,
        key=f"search-{app.search_field}",
        prefix_icon=ft.Icons.SEARCH,
        dense=False,
    )
    return ft.Column(
        [
            box.current,
            ft.Row(language_chips, scroll=ft.ScrollMode.AUTO, spacing=6),
            ft.Row(tag_chips, scroll=ft.ScrollMode.AUTO, spacing=6) if tags else ft.Container(),
        ],
        spacing=6,
        horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
    )
