"""One survey question with an answer of its type: yes/no, a choice, a number or text."""

from __future__ import annotations

from functools import partial

import flet as ft

from app.core.models import SurveyQuestion as Question

from ..context import use_caller_app
from ..guard import guarded
from ..state import CallState
from .tap import chip, chip_row
from .typed_field import TypedField


@ft.component
@guarded
def SurveyQuestion(question: Question, call: CallState, font: str | None, rtl: bool) -> ft.Control:
    tr = use_caller_app().tr
    value = call.answers.get(question.id)
    prompt = question.prompt + (" *" if question.required else "")

    def pick(answer: object) -> None:
        call.answer(question.id, None if value == answer else answer)  # type: ignore[arg-type]

    def typed(text: str) -> None:
        call.draft.typed_answers[question.id] = text

    answer: ft.Control
    match question.type:
        case "yes_no":
            answer = ft.Row(
                [
                    chip(
                        word,
                        partial(pick, meaning),
                        selected=value is meaning,
                        identifier=f"answer-{question.id}-{suffix}",
                        label=f"{word}: {question.prompt}",
                    )
                    for meaning, word, suffix in (
                        (True, tr("call.yes"), "yes"),
                        (False, tr("call.no"), "no"),
                    )
                ],
                spacing=8,
            )
        case "choice":
            answer = chip_row(
                [
                    chip(
                        choice.label,
                        partial(pick, choice.id),
                        selected=value == choice.id,
                        identifier=f"answer-{question.id}-{index}",
                    )
                    for index, choice in enumerate(question.choices)
                ]
            )
        case "number":
            answer = TypedField(
                str(call.draft.typed_answers.get(question.id) or ""),
                typed,
                label=tr("call.number_hint"),
                keyboard_type=ft.KeyboardType.NUMBER,
                width=200,
            )
        case _:
            answer = TypedField(
                str(call.draft.typed_answers.get(question.id) or ""),
                typed,
                label=tr("call.text_hint"),
                multiline=True,
                min_lines=1,
            )
    return ft.Column(
        [ft.Text(prompt, size=16, weight=ft.FontWeight.W_600, font_family=font, rtl=rtl), answer],
        spacing=6,
    )
