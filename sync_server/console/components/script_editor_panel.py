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
from ..state.script_state import choices_text
from ..theme import quiet_text

QUESTION_TYPES: tuple[tuple[QuestionType, str], ...] = (
    ("yes_no", "Yes / no"),
    ("choice", "Choice"),
    ("number", "Number"),
    ("text", "Text"),
)
PLACEHOLDERS = (
    "{the_family} {family_name} {household} {guardian} {student} {students} {student_count} "
    "{school} {organization} {caller} {campaign}"
)
FORMS = "{students|has|have}: the first words for one student, the second for several"


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


class _Piece:
    """One section, question or text template of the script: its fields are keyed by script
    and piece, so each keeps its own text wherever the piece moves."""

    def __init__(self, prefix: int, kind: str, piece_id: str, update: Callable[..., None]) -> None:
        self.key = f"{prefix}:{kind}:{piece_id}"
        self.update = update

    def field(self, name: str, label: str, value: str, **options: Any) -> ft.TextField:
        return _field(
            label, value, partial(_set, self.update, name), key=f"{self.key}:{name}", **options
        )


# A piece is drawn as its first row (before its remove button) and what goes under it.
Drawn = tuple[list[ft.Control], list[ft.Control]]


def _section(editor: ScriptEditor, index: int, piece: _Piece, align: ft.TextAlign | None) -> Drawn:
    section = editor.draft.sections[index]
    title = piece.field("title", f"Section {index + 1} title", section.title, expand=True)
    moves = [
        ft.IconButton(icon, tooltip=tip, on_click=partial(editor.move_section, index, step))
        for icon, tip, step in (
            (ft.Icons.ARROW_UPWARD, "Move up", -1),
            (ft.Icons.ARROW_DOWNWARD, "Move down", 1),
        )
    ]
    return [title, *moves], [
        piece.field("body", f"Section {index + 1} text", section.body, multiline=True, align=align),
        piece.field(
            "when_tags",
            f"Section {index + 1} only for tags (empty: everyone)",
            ", ".join(section.when_tags),
        ),
    ]


def _question(editor: ScriptEditor, index: int, piece: _Piece, align: ft.TextAlign | None) -> Drawn:
    question = editor.draft.questions[index]
    kinds = [ft.Segment(value=value, label=ft.Text(title)) for value, title in QUESTION_TYPES]
    return [piece.field("prompt", f"Question {index + 1}", question.prompt, expand=True)], [
        ft.SegmentedButton(
            segments=kinds, selected=[question.type], on_change=partial(_set_type, editor, index)
        ),
        ft.Row(
            [
                piece.field(
                    "choices",
                    "Choices (comma-separated; id = label keeps answers the same across languages)",
                    choices_text(question.choices),
                    expand=True,
                ),
                *(
                    [
                        piece.field(
                            "opens_follow_up",
                            "A yes opens a follow-up for (empty: none)",
                            question.opens_follow_up or "",
                            width=280,
                        )
                    ]
                    if question.type == "yes_no"
                    else []
                ),
                piece.field("when_tags", "Only for tags", ", ".join(question.when_tags), width=220),
                ft.Checkbox(
                    label="Required",
                    value=question.required,
                    on_change=partial(_set_required, editor, index),
                ),
            ],
            wrap=True,
        ),
    ]


def _template(editor: ScriptEditor, index: int, piece: _Piece, align: ft.TextAlign | None) -> Drawn:
    template = editor.draft.text_templates[index]
    return [piece.field("label", f"Text {index + 1} label", template.label, expand=True)], [
        piece.field("body", f"Text {index + 1} message", template.body, multiline=True, align=align)
    ]


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
        quiet_text(
            f"Placeholders: {PLACEHOLDERS}, and the campaign's own variables. {FORMS}.",
            size=12,
            selectable=True,
        ),
    ]
    kinds = (
        # heading, the pieces' ids, key and name of one, how one is drawn, changed, removed, added
        (
            "Sections",
            [section.id for section in draft.sections],
            ("section", "section"),
            _section,
            (editor.set_section, editor.remove_section, editor.add_section),
        ),
        (
            "Survey questions",
            [question.id for question in draft.questions],
            ("question", "question"),
            _question,
            (editor.set_question, editor.remove_question, editor.add_question),
        ),
        (
            "Text message templates",
            [template.id for template in draft.text_templates],
            ("template", "text"),
            _template,
            (editor.set_template, editor.remove_template, editor.add_template),
        ),
    )
    for heading, piece_ids, (kind, word), draw, (update, remove, add) in kinds:
        blocks.append(ft.Text(heading, size=16, weight=ft.FontWeight.BOLD))
        for index, piece_id in enumerate(piece_ids):
            piece = _Piece(prefix, kind, piece_id, partial(update, index))
            first_row, rest = draw(editor, index, piece, align)
            first_row.append(_remove(f"Remove {word} {index + 1}", partial(remove, index)))
            blocks.append(
                ft.Container(
                    content=ft.Column(
                        [ft.Row(first_row), *rest],
                        spacing=8,
                        horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
                    ),
                    padding=10,
                    border=ft.Border.all(1, ft.Colors.OUTLINE_VARIANT),
                    border_radius=10,
                )
            )
        adding = "Add a text template" if kind == "template" else f"Add a {word}"
        blocks.append(ft.TextButton(adding, icon=ft.Icons.ADD, on_click=add))
    return ft.Column(blocks, spacing=10)


def _set(update: Callable[..., None], name: str, value: str) -> None:
    update(**{name: value})


def _set_type(editor: ScriptEditor, index: int, e: ft.Event[ft.SegmentedButton]) -> None:
    chosen = list(e.control.selected or [])
    if chosen:
        editor.set_question(index, type=chosen[0])


def _set_required(editor: ScriptEditor, index: int, e: ft.Event[ft.Checkbox]) -> None:
    editor.set_question(index, required=bool(e.control.value))
