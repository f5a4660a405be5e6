"""Search and filter "My list" by name, language and need."""

from __future__ import annotations

from functools import partial

import flet as ft

from ..context import use_app, use_services
from ..guard import guarded
from .tap import chip


@ft.component
@guarded
def ListFilters(languages: tuple[str, ...], tags: tuple[str, ...]) -> ft.Control:
    services, app = use_services(), use_app()
    tr = services.tr(app)
    # The search box is uncontrolled while typing (a value sent back on every keystroke
    # drops letters): its value is what was typed when this field was made.
    field = ft.use_ref((app.search_field, app.search))
    if field.current is None or field.current[0] != app.search_field:
        field.current = (app.search_field, app.search)
    typed_before = field.current[1]

    def search(e: ft.Event[ft.TextField]) -> None:
        app.search = e.control.value or ""

    def pick_language(language: str | None) -> None:
        app.language_filter = None if app.language_filter == language else language

    def pick_tag(tag: str | None) -> None:
        app.tag_filter = None if app.tag_filter == tag else tag

    language_chips = [
        chip(
            tr("list.all_languages"),
            lambda: pick_language(None),
            selected=app.language_filter is None,
            identifier="filter-language-all",
        ),
        *(
            chip(
                language.upper(),
                partial(pick_language, language),
                selected=app.language_filter == language,
                label=tr.language_name(language),
                identifier=f"filter-language-{language}",
            )
            for language in languages
        ),
    ]
    tag_chips = [
        chip(
            tr("list.all_tags"),
            lambda: pick_tag(None),
            selected=app.tag_filter is None,
            identifier="filter-tag-all",
        ),
        *(
            chip(
                tag,
                partial(pick_tag, tag),
                selected=app.tag_filter == tag,
                identifier=f"filter-tag-{tag}",
            )
            for tag in tags
        ),
    ]
    return ft.Column(
        [
            ft.TextField(
                label=tr("list.search"),
                value=typed_before,
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
