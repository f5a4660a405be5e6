"""The script in the family's language (one tap to another), placeholders filled, need
sections shown; right to left for Arabic, with the fonts that draw every script offline."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import flet as ft

from app.core.bidi import isolate_lines
from app.core.scripts import RenderedScript

from ..context import use_caller_app
from ..guard import guarded
from ..theme import script_font
from .heading import as_heading, heading
from .tap import chip


@ft.component
@guarded
def ScriptPanel(
    script: RenderedScript | None,
    languages: tuple[str, ...],
    choose_language: Callable[[str], None],
) -> ft.Control:
    """Plain values in (no observable), so ``ft.memo`` skips it while only the rest of the
    call screen changes: the script is the largest thing on it."""
    tr = use_caller_app().tr
    if script is None:
        return ft.Text(tr("call.no_script"))
    font = script_font(script.language)
    rtl = script.direction == "rtl"
    switch = ft.Row(
        [
            chip(
                tr.language_label(language),
                partial(choose_language, language),
                selected=language == script.language,
                label=tr("call.script_language", language=tr.language_name(language)),
                identifier=f"script-language-{language}",
            )
            for language in languages
        ],
        wrap=True,
        spacing=6,
    )

    def script_text(
        text: str, size: int, *, bold: bool = False, color: ft.ColorValue | None = None
    ) -> ft.Text:
        """All of the script is drawn in its language's font, and in its own direction: a
        left-to-right script inside the mirrored (Arabic) UI, whose direction Flet can set
        to right-to-left only, is isolated line by line."""
        if tr.direction == "rtl" and not rtl:
            text = isolate_lines(text, "ltr")
        weight = ft.FontWeight.BOLD if bold else None
        return ft.Text(text, size=size, weight=weight, color=color, font_family=font)

    body: list[ft.Control] = []
    if script.title:
        body.append(as_heading(script_text(script.title, 20, bold=True), 4))
    for section in script.sections:
        if section.title:
            body.append(
                as_heading(script_text(section.title, 17, bold=True, color=ft.Colors.PRIMARY), 4)
            )
        # Its own node: beside the headings, the paragraphs would otherwise merge into one
        # label on the panel, read as one block (and found by no text search).
        body.append(ft.Semantics(container=True, content=script_text(section.body, 17)))
    notes: list[ft.Control] = []
    if script.fell_back:
        notes.append(
            ft.Text(
                tr("call.script_fell_back", language=tr.language_name(script.language)),
                color=ft.Colors.TERTIARY,
            )
        )
    if script.missing:
        notes.append(
            ft.Text(
                tr("call.missing_values", names=", ".join(script.missing)), color=ft.Colors.ERROR
            )
        )
    return ft.Column(
        [
            heading(tr("call.script"), 3, size=18),
            switch,
            *notes,
            ft.Semantics(
                identifier="script-panel",
                container=True,
                content=ft.Container(
                    content=ft.Column(
                        body, spacing=8, rtl=rtl, horizontal_alignment=ft.CrossAxisAlignment.STRETCH
                    ),
                    rtl=rtl,
                    padding=12,
                    border_radius=12,
                    bgcolor=ft.Colors.SURFACE_CONTAINER_LOW,
                ),
            ),
        ],
        spacing=8,
    )
