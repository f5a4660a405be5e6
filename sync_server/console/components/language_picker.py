"""The languages a caller speaks, chosen from a list: chips to remove, a field to search
by name or code as you type (the chips name languages in the supervisor's language; the
list to search is in English for now)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any

import flet as ft

from app.core.models import LanguageCode
from app.services.i18n import capitalised
from app.ui.guard import guarded

from ..context import use_tr
from ..services import language_name


@ft.component
@guarded
def LanguagePicker(
    chosen: Sequence[LanguageCode],
    choices: Sequence[tuple[LanguageCode, str]],
    on_change: Callable[[list[LanguageCode]], Awaitable[Any]],
    *,
    who: str,
    identifier: str,
) -> ft.Control:
    """``choices`` are (tag, name) to pick from; ``who`` names whose languages these are,
    for the labels ("Marisol Reyes", "the new caller"); each chip's semantics identifier is
    ``{identifier}-{tag}``.

    The searchable list is drawn only while adding: it holds several hundred languages, and
    a page of callers each with their own would be slow to draw and to type into.
    """
    tr = use_tr()
    searching, set_searching = ft.use_state(False)

    async def add(e: ft.Event[ft.Dropdown]) -> None:
        # Enter in the search field now and then selects "nothing" although the field shows
        # one language (the highlight is lost when the menu redraws): then what the field
        # shows decides.
        tag = e.control.value or typed_choice(e.control.text, choices)
        if tag is None:
            return
        set_searching(False)
        if tag not in chosen:
            await on_change([*chosen, tag])

    def remover(tag: LanguageCode) -> Callable[[], Any]:
        async def remove() -> None:
            await on_change([language for language in chosen if language != tag])

        return remove

    def named(tag: LanguageCode) -> str:
        return language_name(tag, tr.language)

    chips: list[ft.Control] = [
        ft.Semantics(
            identifier=f"{identifier}-{tag}",
            label=tr("languages.speaks", who=who, language=named(tag)),
            content=ft.Chip(
                label=ft.Text(tr("languages.chip", language=capitalised(named(tag)), code=tag)),
                on_delete=remover(tag),
                delete_icon_tooltip=tr("languages.remove", language=named(tag)),
            ),
        )
        for tag in chosen
    ]
    if not chosen:
        chips.append(ft.Text(tr("languages.none_yet"), size=13, italic=True, color=ft.Colors.ERROR))
    if not searching:
        adding = ft.TextButton(
            tr("languages.add"), icon=ft.Icons.ADD, on_click=lambda: set_searching(True)
        )
        label = tr("languages.add_for", who=who)
        chips.append(ft.Semantics(identifier=f"{identifier}-add", label=label, content=adding))
        return ft.Row(chips, wrap=True, spacing=6)
    search = ft.Dropdown(
        label=tr("languages.search", who=who),
        hint_text=tr("languages.type"),
        options=[
            ft.DropdownOption(key=tag, text=f"{name} ({tag})")
            for tag, name in choices
            if tag not in chosen
        ],
        editable=True,
        enable_filter=True,
        autofocus=True,
        menu_height=320,
        on_select=add,
        width=360,
        dense=True,
    )
    done = ft.TextButton(tr("common.cancel"), on_click=lambda: set_searching(False))
    return ft.Row([*chips, search, done], wrap=True, spacing=6)


def typed_choice(
    text: str | None, choices: Sequence[tuple[LanguageCode, str]]
) -> LanguageCode | None:
    """The one language ``text`` names: an entry as the list shows it ("Cantonese (yue)"),
    a name or a tag, in any case; ``None`` when it names none or several."""
    wanted = (text or "").strip().casefold()
    if not wanted:
        return None
    found = {
        tag
        for tag, name in choices
        if wanted in (f"{name} ({tag})".casefold(), name.casefold(), tag.casefold())
    }
    return found.pop() if len(found) == 1 else None
