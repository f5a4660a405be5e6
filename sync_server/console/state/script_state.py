"""A script being written: its draft, edited piece by piece, and the household to preview it
for. Plain methods, so editing is tested without a page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import flet as ft

from app.core.models import ScriptDraft, ScriptSection, SurveyQuestion, TextTemplate


def split_list(text: str) -> list[str]:
    """'no-device, food; iep' → ['no-device', 'food', 'iep']."""
    return [part.strip() for part in text.replace(";", ",").split(",") if part.strip()]


def _fresh_id(prefix: str, taken: list[str]) -> str:
    number = len(taken) + 1
    while f"{prefix}-{number}" in taken:
        number += 1
    return f"{prefix}-{number}"


@ft.observable
@dataclass
class ScriptEditor:
    draft: ScriptDraft
    saved: ScriptDraft | None = None
    preview_household_id: str | None = None
    """None previews the script for a made-up family with every tag it asks about."""
    version: int = 0
    """Bumped on every edit: the preview follows it."""

    @property
    def dirty(self) -> bool:
        return self.saved != self.draft

    def _set(self, **changes: Any) -> None:
        self.draft = self.draft.model_copy(update=changes)
        self.version += 1

    def was_saved(self, draft: ScriptDraft) -> None:
        self.draft = self.saved = draft
        self.version += 1

    def set_title(self, title: str) -> None:
        self._set(title=title)

    # sections

    def add_section(self) -> None:
        taken = [section.id for section in self.draft.sections]
        section = ScriptSection(id=_fresh_id("section", taken), title="", body="")
        self._set(sections=[*self.draft.sections, section])

    def set_section(self, index: int, **changes: Any) -> None:
        if "when_tags" in changes and isinstance(changes["when_tags"], str):
            changes["when_tags"] = split_list(changes["when_tags"])
        sections = list(self.draft.sections)
        sections[index] = sections[index].model_copy(update=changes)
        self._set(sections=sections)

    def remove_section(self, index: int) -> None:
        self._set(sections=[s for i, s in enumerate(self.draft.sections) if i != index])

    def move_section(self, index: int, step: int) -> None:
        sections = list(self.draft.sections)
        target = index + step
        if 0 <= target < len(sections):
            sections[index], sections[target] = sections[target], sections[index]
            self._set(sections=sections)

    # survey questions

    def add_question(self) -> None:
        taken = [question.id for question in self.draft.questions]
        question = SurveyQuestion(id=_fresh_id("question", taken), prompt="")
        self._set(questions=[*self.draft.questions, question])

    def set_question(self, index: int, **changes: Any) -> None:
        for key in ("choices", "when_tags"):
            if key in changes and isinstance(changes[key], str):
                changes[key] = split_list(changes[key])
        questions = list(self.draft.questions)
        questions[index] = questions[index].model_copy(update=changes)
        self._set(questions=questions)

    def remove_question(self, index: int) -> None:
        self._set(questions=[q for i, q in enumerate(self.draft.questions) if i != index])

    # text templates

    def add_template(self) -> None:
        taken = [template.id for template in self.draft.text_templates]
        template = TextTemplate(id=_fresh_id("text", taken), label="", body="")
        self._set(text_templates=[*self.draft.text_templates, template])

    def set_template(self, index: int, **changes: Any) -> None:
        templates = list(self.draft.text_templates)
        templates[index] = templates[index].model_copy(update=changes)
        self._set(text_templates=templates)

    def remove_template(self, index: int) -> None:
        self._set(text_templates=[t for i, t in enumerate(self.draft.text_templates) if i != index])

    def preview_for(self, household_id: str | None) -> None:
        self.preview_household_id = household_id
        self.version += 1
