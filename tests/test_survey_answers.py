"""Survey answers typed from what a caller tapped or typed; callback times on the family's clock."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from app.core.models import SurveyQuestion
from app.services.survey import (
    InvalidAnswer,
    InvalidCallbackTime,
    callback_choices,
    parse_callback_time,
    typed_answer,
)

YES_NO = SurveyQuestion(id="q", prompt="Has a device?", type="yes_no")
NUMBER = SurveyQuestion(id="n", prompt="How many?", type="number")
CHOICE = SurveyQuestion(id="c", prompt="Internet?", type="choice", choices=["None", "Wifi"])
TEXT = SurveyQuestion(id="t", prompt="Anything else?", type="text")
OAKLAND = ZoneInfo("America/Los_Angeles")
NOW = datetime(2026, 1, 14, 23, 0, tzinfo=UTC)  # 15:00 in Oakland


@pytest.mark.parametrize(
    ("question", "raw", "expected"),
    [
        (YES_NO, True, True),
        (YES_NO, "sí", True),
        (YES_NO, "No", False),
        (NUMBER, "3", 3),
        (NUMBER, "2,5", 2.5),
        (NUMBER, 4, 4),
        (CHOICE, "Wifi", "wifi"),  # a plain-string choice stores its slug id
        (TEXT, "  needs a charger ", "needs a charger"),
        (TEXT, "", None),
        (NUMBER, "   ", None),
        (YES_NO, None, None),
    ],
)
def test_answers_are_typed(question: SurveyQuestion, raw: object, expected: object) -> None:
    assert typed_answer(question, raw) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("question", "raw"), [(YES_NO, "maybe"), (NUMBER, "two"), (NUMBER, True), (CHOICE, "Cable")]
)
def test_an_answer_that_does_not_fit_names_the_question(
    question: SurveyQuestion, raw: object
) -> None:
    with pytest.raises(InvalidAnswer, match=question.prompt.rstrip("?")):
        typed_answer(question, raw)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("typed", "local"),
    [
        ("18:30", (14, 18, 30)),
        ("6:30 pm", (14, 18, 30)),
        ("9", (15, 9, 0)),
        ("9 am", (15, 9, 0)),
        ("12 pm", (14, 12 + 0, 0)),
        ("15.45", (14, 15, 45)),
    ],
)
def test_callback_times_are_read_on_the_family_clock(
    typed: str, local: tuple[int, int, int]
) -> None:
    due = parse_callback_time(typed, NOW, OAKLAND).astimezone(OAKLAND)
    day, hour, minute = local
    if (hour, minute) <= (15, 0):
        day = 15  # a time already past today means tomorrow
    assert (due.day, due.hour, due.minute) == (day, hour, minute)


@pytest.mark.parametrize("typed", ["", "25:00", "13 pm", "soon", "7:75"])
def test_a_time_that_is_not_one_is_refused(typed: str) -> None:
    with pytest.raises(InvalidCallbackTime):
        parse_callback_time(typed, NOW, OAKLAND)


def test_ready_made_callback_times_are_all_in_the_future() -> None:
    choices = callback_choices(NOW, OAKLAND)
    assert [c.key for c in choices] == [
        "in_1_hour",
        "in_3_hours",
        "this_evening",
        "tomorrow_morning",
        "tomorrow_evening",
    ]
    assert all(choice.due_at > NOW for choice in choices)
    evening = datetime(2026, 1, 15, 5, 0, tzinfo=UTC)  # 21:00 in Oakland: no "this evening"
    assert "this_evening" not in [c.key for c in callback_choices(evening, OAKLAND)]
