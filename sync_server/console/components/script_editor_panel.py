"""A script in one language, piece by piece: title, sections (some only for certain needs),
survey questions, text templates. Placeholders like {guardian} or {student} are filled in
the preview beside it."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

import flet as ft

from app.core.models import QuestionType, text_direction
from app.ui.guard import guarded

from ..state import ScriptEditor

QUESTION_TYPES: tuple[tuple[QuestionType, str], ...] = (
    ("yes_no", "Yes / no"),
    ("choice", "Choice"),
    ("number", "Number"),
    ("text", "Text"),
)
PLACEHOLDERS = "{household} {guardian} {student} {students} {school} {caller} {campaign}"


def _field(
    label: str,
    value: str,
    on_text: Callable[[str], Any],
    *,
    key: str,
    multiline: bool = False,
    width: int | None = None,
    expand: bool = False,
    align: ft.TextAlign | None = None,
) -> ft.TextField:
    """A field keyed by script and piece, so it keeps its own text wherever the piece moves."""

    def changed(e: ft.Event[ft.TextField]) -> None:
        on_text(e.control.value or "")

    return ft.TextField(
        label=label,
        value=value,
        on_change=changed,
        multiline=multiline,
        min_lines=3 if multiline else None,
        max_lines=12 if multiline else None,
        width=width,
        expand=expand,
        dense=True,
        text_size=14,
        text_align=align,
        key=key,
    )


def _remove(label: str, on_click: Callable[[], Any]) -> ft.Control:
    return ft.IconButton(ft.Icons.DELETE_OUTLINE, tooltip=label, on_click=on_click)


@ft.component
@guarded
def ScriptEditorPanel(editor: ScriptEditor) -> ft.Control:
    draft = editor.draft
    align = ft.TextAlign.RIGHT if text_direction(draft.language) == "rtl" else None
    prefix = id(editor)  # a field keeps its text per script and piece, wherever it moves
    blocks: list[ft.Control] = [
        _field(
            f"Script title ({draft.language})", draft.title, editor.set_title, key=f"{prefix}:title"
        ),
        ft.Text(
            f"Placeholders: {PLACEHOLDERS}, and the campaign's own variables.",
            size=12,
            color=ft.Colors.ON_SURFACE_VARIANT,
            selectable=True,
        ),
        ft.Text("Sections", size=16, weight=ft.FontWeight.BOLD),
    ]
    for index, section in enumerate(draft.sections):
        blocks.append(
            ft.Container(
                content=ft.Column(
                    [
                        ft.Row(
                            [
                                _field(
                                    f"Section {index + 1} title",
                                    section.title,
                                    partial(_set_section, editor, index, "title"),
                                    key=f"{prefix}:section:{section.id}:title",
                                    expand=True,
                                ),
                                ft.IconButton(
                                    ft.Icons.ARROW_UPWARD,
                                    tooltip="Move up",
                                    on_click=partial(editor.move_section, index, -1),
                                ),
                                ft.IconButton(
                                    ft.Icons.ARROW_DOWNWARD,
                                    tooltip="Move down",
                                    on_click=partial(editor.move_section, index, 1),
                                ),
                                _remove(
                                    f"Remove section {index + 1}",
                                    partial(editor.remove_section, index),
                                ),
                            ]
                        ),
                        _field(
                            f"Section {index + 1} text",
                            section.body,
                            partial(_set_section, editor, index, "body"),
                            key=f"{prefix}:section:{section.id}:body",
                            multiline=True,
                            align=align,
                        ),
                        _field(
                            f"Section {index + 1} only for tags (empty: everyone)",
                            ", ".join(section.when_tags),
                            partial(_set_section, editor, index, "when_tags"),
                            key=f"{prefix}:section:{section.id}:when_tags",
                        ),
                    ],
                    spacing=8,
                    horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
                ),
                padding=10,
                border=ft.Border.all(1, ft.Colors.OUTLINE_VARIANT),
                border_radius=10,
            )
        )
    blocks.append(ft.TextButton("Add a section", icon=ft.Icons.ADD, on_click=editor.add_section))
    blocks.append(ft.Text("Survey questions", size=16, weight=ft.FontWeight.BOLD))
    for index, question in enumerate(draft.questions):
        blocks.append(
            ft.Container(
                content=ft.Column(
                    [
                        ft.Row(
                            [
                                _field(
                                    f"Question {index + 1}",
                                    question.prompt,
                                    partial(_set_question, editor, index, "prompt"),
                                    key=f"{prefix}:question:{question.id}:prompt",
                                    expand=True,
                                ),
                                _remove(
                                    f"Remove question {index + 1}",
                                    partial(editor.remove_question, index),
                                ),
                            ]
                        ),
                        ft.SegmentedButton(
                            segments=[
                                ft.Segment(value=value, label=ft.Text(title))
                                for value, title in QUESTION_TYPES
                            ],
                            selected=[question.type],
                            on_change=partial(_set_type, editor, index),
                        ),
                        ft.Row(
                            [
                                _field(
                                    "Choices (comma-separated)",
                                    ", ".join(question.choices),
                                    partial(_set_question, editor, index, "choices"),
                                    key=f"{prefix}:question:{question.id}:choices",
                                    expand=True,
                                ),
                                _field(
                                    "Only for tags",
                                    ", ".join(question.when_tags),
                                    partial(_set_question, editor, index, "when_tags"),
                                    key=f"{prefix}:question:{question.id}:when_tags",
                                    width=220,
                                ),
                                ft.Checkbox(
                                    label="Required",
                                    value=question.required,
                                    on_change=partial(_set_required, editor, index),
                                ),
                            ],
                            wrap=True,
                        ),
                    ],
                    spacing=8,
                    horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
                ),
                padding=10,
                border=ft.Border.all(1, ft.Colors.OUTLINE_VARIANT),
                border_radius=10,
            )
        )
    blocks.append(ft.TextButton("Add a question", icon=ft.Icons.ADD, on_click=editor.add_question))
    blocks.append(ft.Text("Text message templates", size=16, weight=ft.FontWeight.BOLD))
    for index, template in enumerate(draft.text_templates):
        blocks.append(
            ft.Container(
                content=ft.Column(
                    [
                        ft.Row(
                            [
                                _field(
                                    f"Text {index + 1} label",
                                    template.label,
                                    partial(_set_template, editor, index, "label"),
                                    key=f"{prefix}:template:{template.id}:label",
                                    expand=True,
                                ),
                                _remove(
                                    f"Remove text {index + 1}",
                                    partial(editor.remove_template, index),
                                ),
                            ]
                        ),
                        _field(
                            f"Text {index + 1} message",
                            template.body,
                            partial(_set_template, editor, index, "body"),
                            key=f"{prefix}:template:{template.id}:body",
                            multiline=True,
                            align=align,
                        ),
                    ],
                    spacing=8,
                    horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
                ),
                padding=10,
                border=ft.Border.all(1, ft.Colors.OUTLINE_VARIANT),
                border_radius=10,
            )
        )
    blocks.append(
        ft.TextButton("Add a text template", icon=ft.Icons.ADD, on_click=editor.add_template)
    )
    return ft.Column(blocks, spacing=10)


def _set_section(editor: ScriptEditor, index: int, name: str, value: str) -> None:
    editor.set_section(index, **{name: value})


def _set_question(editor: ScriptEditor, index: int, name: str, value: str) -> None:
    editor.set_question(index, **{name: value})


def _set_template(editor: ScriptEditor, index: int, name: str, value: str) -> None:
    editor.set_template(index, **{name: value})


def _set_type(editor: ScriptEditor, index: int, e: ft.Event[ft.SegmentedButton]) -> None:
    chosen = list(e.control.selected or [])
    if chosen:
        editor.set_question(index, type=chosen[0])


def _set_required(editor: ScriptEditor, index: int, e: ft.Event[ft.Checkbox]) -> None:
    editor.set_question(index, required=bool(e.control.value))
