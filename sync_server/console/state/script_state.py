"""A script being written: its draft, edited piece by piece, and the household to preview it
for. Plain methods, so editing is tested without a page.

Typing must not redraw the editor: a redraw carries the text of a few keys ago and can land
after newer keys, wiping them. So text edits change the draft quietly (``_draft`` is not
observed) and tick only ``preview``, which the preview panel follows; adding, removing or
moving a piece is a change of ``shape``, which redraws the editor.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import flet as ft

from app.core.models import (
    Choice,
    ScriptDraft,
    ScriptSection,
    SurveyQuestion,
    TextTemplate,
    choice_id,
)

TEXT_FIELDS = frozenset(
    {"title", "body", "prompt", "label", "choices", "when_tags", "opens_follow_up"}
)


def split_list(text: str) -> list[str]:
    """'no-device, food; iep' → ['no-device', 'food', 'iep']."""
    return [part.strip() for part in text.replace(";", ",").split(",") if part.strip()]


def choices_text(choices: list[Choice]) -> str:
    """The choices as the editor shows them: 'home-wifi = Wifi en casa, Hotspot' (a choice
    whose id is its label's slug shows just the label)."""
    return ", ".join(
        choice.label if choice.id == choice_id(choice.label) else f"{choice.id} = {choice.label}"
        for choice in choices
    )


def choices_from_text(text: str, before: list[Choice]) -> list[Choice]:
    """'id = label' parts as typed; a bare label keeps the id it had (else its slug), so
    fixing a label's wording does not change what answers store."""
    kept = {choice.label: choice.id for choice in before}
    choices = []
    for part in split_list(text):
        given, equals, label = part.partition("=")
        if equals and given.strip() and label.strip():
            choices.append(Choice(id=given.strip(), label=label.strip()))
        else:
            choices.append(Choice(id=kept.get(part) or choice_id(part), label=part))
    return choices


def _fresh_id(prefix: str, taken: list[str]) -> str:
    number = len(taken) + 1
    while f"{prefix}-{number}" in taken:
        number += 1
    return f"{prefix}-{number}"


@ft.observable
@dataclass
class ScriptPreview:
    """What the preview follows: every edit, and the household it is shown for."""

    version: int = 0
    household_id: str | None = None
    """None previews the script for a made-up family with every tag it asks about."""


@ft.observable
@dataclass(eq=False)
class ScriptEditor:
    _draft: ScriptDraft
    saved: ScriptDraft | None = None
    shape: int = 0
    """Bumped when pieces are added, removed, moved or change type: the editor redraws."""
    preview: ScriptPreview = field(default_factory=ScriptPreview)

    @property
    def draft(self) -> ScriptDraft:
        return self._draft

    @property
    def dirty(self) -> bool:
        return self.saved != self._draft

    def _set(self, reshaped: bool, **changes: Any) -> None:
        self._draft = self._draft.model_copy(update=changes)
        self.preview.version += 1
        if reshaped:
            self.shape += 1

    def was_saved(self, draft: ScriptDraft) -> None:
        self._draft = draft
        self.saved = draft
        self.preview.version += 1

    def set_title(self, title: str) -> None:
        self._set(False, title=title)

    # sections

    def add_section(self) -> None:
        taken = [section.id for section in self._draft.sections]
        section = ScriptSection(id=_fresh_id("section", taken), title="", body="")
        self._set(True, sections=[*self._draft.sections, section])

    def set_section(self, index: int, **changes: Any) -> None:
        if "when_tags" in changes and isinstance(changes["when_tags"], str):
            changes["when_tags"] = split_list(changes["when_tags"])
        sections = list(self._draft.sections)
        sections[index] = sections[index].model_copy(update=changes)
        self._set(not set(changes) <= TEXT_FIELDS, sections=sections)

    def remove_section(self, index: int) -> None:
        self._set(True, sections=[s for i, s in enumerate(self._draft.sections) if i != index])

    def move_section(self, index: int, step: int) -> None:
        sections = list(self._draft.sections)
        target = index + step
        if 0 <= target < len(sections):
            sections[index], sections[target] = sections[target], sections[index]
            self._set(True, sections=sections)

    # survey questions

    def add_question(self) -> None:
        taken = [question.id for question in self._draft.questions]
        question = SurveyQuestion(id=_fresh_id("question", taken), prompt="")
        self._set(True, questions=[*self._draft.questions, question])

    def set_question(self, index: int, **changes: Any) -> None:
        questions = list(self._draft.questions)
        if "when_tags" in changes and isinstance(changes["when_tags"], str):
            changes["when_tags"] = split_list(changes["when_tags"])
        if "opens_follow_up" in changes:
            changes["opens_follow_up"] = (changes["opens_follow_up"] or "").strip() or None
        if "choices" in changes and isinstance(changes["choices"], str):
            changes["choices"] = choices_from_text(changes["choices"], questions[index].choices)
        questions[index] = questions[index].model_copy(update=changes)
        self._set(not set(changes) <= TEXT_FIELDS, questions=questions)

    def remove_question(self, index: int) -> None:
        self._set(True, questions=[q for i, q in enumerate(self._draft.questions) if i != index])

    # text templates

    def add_template(self) -> None:
        taken = [template.id for template in self._draft.text_templates]
        template = TextTemplate(id=_fresh_id("text", taken), label="", body="")
        self._set(True, text_templates=[*self._draft.text_templates, template])

    def set_template(self, index: int, **changes: Any) -> None:
        templates = list(self._draft.text_templates)
        templates[index] = templates[index].model_copy(update=changes)
        self._set(not set(changes) <= TEXT_FIELDS, text_templates=templates)

    def remove_template(self, index: int) -> None:
        kept = [t for i, t in enumerate(self._draft.text_templates) if i != index]
        self._set(True, text_templates=kept)

    def preview_for(self, household_id: str | None) -> None:
        self.preview.household_id = household_id
        self.preview.version += 1
