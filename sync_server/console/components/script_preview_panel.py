"""The script as a caller would read it to one household: placeholders filled, the sections
its needs call for, the questions, the texts. A placeholder with no value is flagged."""

from __future__ import annotations

from functools import partial

import flet as ft

from app.core.models import ScriptDraft
from app.ui.components.tap import chip
from app.ui.guard import guarded

from ...languages import language_name
from ...targeting import ListedHousehold
from ..context import use_console, use_query, use_tr
from ..state import ScriptEditor, ScriptPreview
from ..theme import labelled

HOUSEHOLDS_SHOWN = 12
PREVIEW_DELAY = 0.25
"""Seconds of quiet typing before the preview is drawn again."""


@ft.component
@guarded
def ScriptPreviewPanel(
    campaign_id: str,
    editor: ScriptEditor,
    preview: ScriptPreview,
    households: list[ListedHousehold],
) -> ft.Control:
    """``preview`` is ``editor.preview``, handed in on its own so that this panel (and only
    this panel) redraws as the supervisor types."""
    console, tr = use_console(), use_tr()
    draft: ScriptDraft = editor.draft
    household_id = preview.household_id
    loaded = use_query(
        lambda: console.service.preview_script(campaign_id, draft, household_id),
        [campaign_id, id(editor), preview.version],  # another script, or an edit
        delay=PREVIEW_DELAY,
    )
    choices: list[ft.Control] = [
        chip(
            tr("preview.sample"),
            partial(editor.preview_for, None),
            selected=household_id is None,
            label=tr("preview.for_sample"),
        )
    ] + [
        chip(
            tr("preview.family_chip", name=h.name, code=h.language),
            partial(editor.preview_for, h.id),
            selected=household_id == h.id,
            label=tr("preview.for", name=h.name),
        )
        for h in households[:HOUSEHOLDS_SHOWN]
    ]
    blocks: list[ft.Control] = [
        ft.Text(tr("preview.title"), size=18, weight=ft.FontWeight.BOLD),
        ft.Row(choices, wrap=True, spacing=6, run_spacing=6),
    ]
    shown = loaded.value
    if loaded.error:
        blocks.append(ft.Text(loaded.error, color=ft.Colors.ERROR))
    if shown is None:
        return ft.Column(blocks, spacing=10)
    script = shown.script
    align = ft.TextAlign.RIGHT if script.direction == "rtl" else ft.TextAlign.LEFT
    if script.fell_back:
        blocks.append(
            ft.Text(
                tr(
                    "preview.fell_back",
                    name=shown.household.name,
                    language=language_name(shown.household.language, tr.language),
                ),
                color=ft.Colors.TERTIARY,
                size=13,
            )
        )
    if script.missing:
        blocks.append(
            labelled(
                "preview-missing",
                tr("preview.missing_label", names=", ".join(script.missing)),
                tr("preview.missing", names=", ".join("{" + name + "}" for name in script.missing)),
                color=ft.Colors.ERROR,
                size=14,
            )
        )
    if script.title:
        blocks.append(ft.Text(script.title, size=17, weight=ft.FontWeight.BOLD, text_align=align))
    for section in script.sections:
        body: list[ft.Control] = [ft.Text(section.body, size=15, text_align=align, selectable=True)]
        if section.title:
            body.insert(
                0, ft.Text(section.title, size=15, weight=ft.FontWeight.W_600, text_align=align)
            )
        blocks.append(
            ft.Semantics(
                exclude_semantics=True,
                identifier=f"preview-section-{section.id}",
                label=f"{section.title}: {section.body}" if section.title else section.body,
                content=ft.Container(
                    content=ft.Column(body, spacing=4),
                    padding=10,
                    border_radius=8,
                    bgcolor=ft.Colors.SURFACE,
                ),
            )
        )
    for question in script.questions:
        kind = (
            tr(f"preview.answer.{question.type}")
            if question.type in {"yes_no", "number", "text"}
            else " / ".join(choice.label for choice in question.choices)
        )
        blocks.append(
            ft.Row(
                [
                    ft.Icon(ft.Icons.QUIZ_OUTLINED, size=18),
                    ft.Text(f"{question.prompt} ({kind})", size=14, text_align=align, expand=True),
                ],
                spacing=8,
            )
        )
    for text in shown.texts:
        blocks.append(
            ft.Row(
                [
                    ft.Icon(ft.Icons.SMS_OUTLINED, size=18),
                    ft.Text(
                        f"{text.label}: {text.body}",
                        size=14,
                        text_align=align,
                        selectable=True,
                        expand=True,
                    ),
                ],
                spacing=8,
            )
        )
    return ft.Column(blocks, spacing=10)
