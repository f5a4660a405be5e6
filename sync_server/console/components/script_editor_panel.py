"""A script in one language, piece by piece: title, sections (some only for certain needs),
survey questions, text templates. Placeholders like {guardian} or {student} are filled in
the preview beside it."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

import flet as ft

from app.core.models import QuestionType, text_direction
from app.services.i18n import Translator
from app.ui.guard import guarded

from ..context import use_tr
from ..state import ScriptEditor
from ..state.script_state import choices_text
from ..theme import quiet_text

QUESTION_TYPES: tuple[QuestionType, ...] = ("yes_no", "choice", "number", "text")
"""Each with its name under ``script_editor.type.``."""
PLACEHOLDERS = (
    "{the_family} {family_name} {household} {guardian} {student} {students} {student_count} "
    "{school} {organization} {caller} {campaign}"
)


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

    def __init__(
        self, prefix: int, kind: str, piece_id: str, update: Callable[..., None], tr: Translator
    ) -> None:
        self.key = f"{prefix}:{kind}:{piece_id}"
        self.update = update
        self.tr = tr

    def body(self, label: str, value: str, align: ft.TextAlign | None) -> ft.TextField:
        """The piece's text, as long as it needs, aligned to the script's direction."""
        return self.field("body", label, value, multiline=True, align=align)

    def field(self, name: str, label: str, value: str, **options: Any) -> ft.TextField:
        return _field(
            label, value, partial(_set, self.update, name), key=f"{self.key}:{name}", **options
        )


# A piece is drawn as its first row (before its remove button) and what goes under it.
Drawn = tuple[list[ft.Control], list[ft.Control]]


def _section(editor: ScriptEditor, index: int, piece: _Piece, align: ft.TextAlign | None) -> Drawn:
    section, tr, number = editor.draft.sections[index], piece.tr, index + 1
    title = piece.field(
        "title", tr("script_editor.section_title", number=number), section.title, expand=True
    )
    moves = [
        ft.IconButton(icon, tooltip=tip, on_click=partial(editor.move_section, index, step))
        for icon, tip, step in (
            (ft.Icons.ARROW_UPWARD, tr("script_editor.move_up"), -1),
            (ft.Icons.ARROW_DOWNWARD, tr("script_editor.move_down"), 1),
        )
    ]
    return [title, *moves], [
        piece.body(tr("script_editor.section_text", number=number), section.body, align),
        piece.field(
            "when_tags",
            tr("script_editor.section_tags", number=number),
            ", ".join(section.when_tags),
        ),
    ]


def _question(editor: ScriptEditor, index: int, piece: _Piece, align: ft.TextAlign | None) -> Drawn:
    question, tr = editor.draft.questions[index], piece.tr
    kinds = [
        ft.Segment(value=value, label=ft.Text(tr(f"script_editor.type.{value}")))
        for value in QUESTION_TYPES
    ]
    prompt = tr("script_editor.question", number=index + 1)
    return [piece.field("prompt", prompt, question.prompt, expand=True)], [
        ft.SegmentedButton(
            segments=kinds, selected=[question.type], on_change=partial(_set_type, editor, index)
        ),
        ft.Row(
            [
                piece.field(
                    "choices",
                    tr("script_editor.choices"),
                    choices_text(question.choices),
                    expand=True,
                ),
                *(
                    [
                        piece.field(
                            "opens_follow_up",
                            tr("script_editor.opens_follow_up"),
                            question.opens_follow_up or "",
                            width=280,
                        )
                    ]
                    if question.type == "yes_no"
                    else []
                ),
                piece.field(
                    "when_tags",
                    tr("script_editor.only_tags"),
                    ", ".join(question.when_tags),
                    width=220,
                ),
                ft.Checkbox(
                    label=tr("script_editor.required"),
                    value=question.required,
                    on_change=partial(_set_required, editor, index),
                ),
            ],
            wrap=True,
        ),
    ]


def _template(editor: ScriptEditor, index: int, piece: _Piece, align: ft.TextAlign | None) -> Drawn:
    template, tr, number = editor.draft.text_templates[index], piece.tr, index + 1
    label = tr("script_editor.template_label", number=number)
    return [piece.field("label", label, template.label, expand=True)], [
        piece.body(tr("script_editor.template_body", number=number), template.body, align)
    ]


@ft.component
@guarded
def ScriptEditorPanel(editor: ScriptEditor) -> ft.Control:
    tr = use_tr()
    draft = editor.draft
    align = ft.TextAlign.RIGHT if text_direction(draft.language) == "rtl" else None
    prefix = id(editor)  # a field keeps its text per script and piece, wherever it moves
    blocks: list[ft.Control] = [
        _field(
            tr("script_editor.title", code=draft.language),
            draft.title,
            editor.set_title,
            key=f"{prefix}:title",
        ),
        quiet_text(
            tr(
                "script_editor.placeholders",
                names=PLACEHOLDERS,
                forms=tr("script_editor.forms"),
            ),
            size=12,
            selectable=True,
        ),
    ]
    kinds = (
        # heading, the pieces' ids, their kind, how one is drawn, changed, removed, added
        (
            tr("script_editor.sections"),
            [section.id for section in draft.sections],
            "section",
            _section,
            (editor.set_section, editor.remove_section, editor.add_section),
        ),
        (
            tr("script_editor.questions"),
            [question.id for question in draft.questions],
            "question",
            _question,
            (editor.set_question, editor.remove_question, editor.add_question),
        ),
        (
            tr("script_editor.templates"),
            [template.id for template in draft.text_templates],
            "template",
            _template,
            (editor.set_template, editor.remove_template, editor.add_template),
        ),
    )
    for heading, piece_ids, kind, draw, (update, remove, add) in kinds:
        blocks.append(ft.Text(heading, size=16, weight=ft.FontWeight.BOLD))
        for index, piece_id in enumerate(piece_ids):
            piece = _Piece(prefix, kind, piece_id, partial(update, index), tr)
            first_row, rest = draw(editor, index, piece, align)
            first_row.append(
                _remove(
                    tr(f"script_editor.remove.{kind}", number=index + 1), partial(remove, index)
                )
            )
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
        blocks.append(
            ft.TextButton(tr(f"script_editor.add.{kind}"), icon=ft.Icons.ADD, on_click=add)
        )
    return ft.Column(blocks, spacing=10)


def _set(update: Callable[..., None], name: str, value: str) -> None:
    update(**{name: value})


def _set_type(editor: ScriptEditor, index: int, e: ft.Event[ft.SegmentedButton]) -> None:
    chosen = list(e.control.selected or [])
    if chosen:
        editor.set_question(index, type=chosen[0])


def _set_required(editor: ScriptEditor, index: int, e: ft.Event[ft.Checkbox]) -> None:
    editor.set_question(index, required=bool(e.control.value))
