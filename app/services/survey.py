"""Survey answers as typed values, and callback times, from what a caller tapped or typed."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from app.core.errors import PhonebankError
from app.core.events import Answer
from app.core.limits import NOTE_CHARS
from app.core.models import SurveyQuestion

from .sheets import CallbackChoice

RawAnswer = str | bool | int | float | None

_YES = {"yes", "y", "true", "1", "sí", "si", "s"}
_NO = {"no", "n", "false", "0"}
_CLOCK = re.compile(r"^\s*(\d{1,2})(?:[:.h](\d{2}))?\s*([ap]\.?m\.?)?\s*$", re.IGNORECASE)


class InvalidAnswer(PhonebankError):
    """That answer does not fit the question"""

    key = "error.invalid_answer"


class InvalidCallbackTime(PhonebankError):
    """Type a time such as 18:30 or 6:30 pm"""

    key = "error.invalid_callback_time"


def typed_answer(
    question: SurveyQuestion, raw: RawAnswer, labels: Mapping[str, str] | None = None
) -> Answer:
    """The answer to store for ``question``; None when left blank.

    yes/no → bool, number → int or float, choice → the id of one of the choices, text → str.
    A choice may be given by its id or its label (any case); ``labels`` maps more labels
    (casefolded: the same question's in other languages' scripts) to choice ids.
    """
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    match question.type:
        case "yes_no":
            if isinstance(raw, bool):
                return raw
            word = str(raw).strip().casefold()
            if word in _YES:
                return True
            if word in _NO:
                return False
            raise InvalidAnswer(
                f"{question.prompt}: answer yes or no",
                key="error.answer_yes_or_no",
                question=question.prompt,
            )
        case "number":
            if isinstance(raw, bool):
                raise _not_a_number(question)
            if isinstance(raw, int | float):
                return raw
            text = str(raw).strip().replace(",", ".")
            try:
                return int(text)
            except ValueError:
                pass
            try:
                return float(text)
            except ValueError:
                raise _not_a_number(question) from None
        case "choice":
            return _choice_id(question, str(raw).strip(), labels)
        case _:
            text = str(raw).strip()
            if len(text) > NOTE_CHARS:
                raise InvalidAnswer(
                    f"{question.prompt}: at most {NOTE_CHARS:,} characters",
                    key="error.answer_too_long",
                    question=question.prompt,
                    count=NOTE_CHARS,
                )
            return text


def _choice_id(question: SurveyQuestion, text: str, labels: Mapping[str, str] | None) -> str:
    if not question.choices:
        return text
    ids = {choice.id for choice in question.choices}
    if text in ids:
        return text
    word = text.casefold()
    by_label = {choice.label.casefold(): choice.id for choice in question.choices}
    found = by_label.get(word) or (labels or {}).get(word)
    if found in ids:
        return found
    shown = ", ".join(choice.label for choice in question.choices)
    raise InvalidAnswer(
        f"{question.prompt}: pick one of {shown}",
        key="error.answer_one_of",
        question=question.prompt,
        choices=shown,
    )


def choice_labels(questions_by_language: list[list[SurveyQuestion]]) -> dict[str, dict[str, str]]:
    """Per question id, every label it has in any script (casefolded) → its choice id."""
    labels: dict[str, dict[str, str]] = {}
    for questions in questions_by_language:
        for question in questions:
            for choice in question.choices:
                labels.setdefault(question.id, {})[choice.label.casefold()] = choice.id
    return labels


def _not_a_number(question: SurveyQuestion) -> InvalidAnswer:
    return InvalidAnswer(
        f"{question.prompt}: type a number", key="error.answer_a_number", question=question.prompt
    )


def typed_answers(
    questions: list[SurveyQuestion],
    raw: Mapping[str, RawAnswer],
    labels: Mapping[str, Mapping[str, str]] | None = None,
) -> dict[str, Answer]:
    """Every non-blank answer, typed; InvalidAnswer names the first that does not fit.

    ``labels``: per question id, its choices' labels in other languages (see choice_labels).
    """
    by_id = {question.id: question for question in questions}
    answers: dict[str, Answer] = {}
    for question_id, value in raw.items():
        question = by_id.get(question_id)
        if question is None:
            continue  # a question of another language's script: not shown, not stored
        typed = typed_answer(question, value, (labels or {}).get(question_id))
        if typed is not None:
            answers[question_id] = typed
    return answers


def callback_choices(now: datetime, zone: ZoneInfo) -> list[CallbackChoice]:
    """Ready-made callback times: in 1 and 3 hours, this evening, tomorrow morning/evening.

    Clock times are on the household's wall (``zone``); past ones are left out.
    """
    local = now.astimezone(zone)
    choices = [
        CallbackChoice("in_1_hour", now + timedelta(hours=1)),
        CallbackChoice("in_3_hours", now + timedelta(hours=3)),
    ]
    evening = _on(local, time(18, 0))
    if evening > local + timedelta(hours=1):
        choices.append(CallbackChoice("this_evening", evening))
    tomorrow = local + timedelta(days=1)
    choices.append(CallbackChoice("tomorrow_morning", _on(tomorrow, time(10, 0))))
    choices.append(CallbackChoice("tomorrow_evening", _on(tomorrow, time(18, 0))))
    return choices


def parse_callback_time(text: str, now: datetime, zone: ZoneInfo) -> datetime:
    """``18:30``, ``6:30 pm``, ``9`` … on the household's wall: today, or tomorrow if past."""
    match = _CLOCK.match(text)
    if not match:
        raise InvalidCallbackTime()
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    meridiem = (match.group(3) or "").lower().replace(".", "")
    if meridiem:
        if not 1 <= hour <= 12:
            raise InvalidCallbackTime()
        hour = hour % 12 + (12 if meridiem == "pm" else 0)
    if hour > 23 or minute > 59:
        raise InvalidCallbackTime()
    local = now.astimezone(zone)
    due = _on(local, time(hour, minute))
    if due <= local:
        due = _on(local + timedelta(days=1), time(hour, minute))
    return due


def _on(day: datetime, clock: time) -> datetime:
    """``clock`` on ``day``'s date in its zone (a time skipped by DST moves forward)."""
    local = datetime.combine(day.date(), clock, tzinfo=day.tzinfo)
    return local.astimezone(ZoneInfo("UTC")).astimezone(day.tzinfo)
