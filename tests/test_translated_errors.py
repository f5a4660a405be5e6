"""What a service refuses reaches the caller in the caller's language: errors carry a key
and the values its words need, never an English sentence inside a translated one."""

from __future__ import annotations

import pytest

from app.core.bidi import strip_isolates
from app.core.errors import PhonebankError, TooManyAttempts
from app.core.models import SurveyQuestion
from app.core.outcome_draft import OutcomeDraft
from app.services import (
    PRACTICE_CAMPAIGN_ID,
    PRACTICE_HOUSEHOLD_ID,
    OutcomeIncomplete,
    Translator,
    load_catalogues,
    practice_session,
)
from app.services.survey import InvalidAnswer, typed_answer

CATALOGUES = load_catalogues()


def incomplete_callback() -> OutcomeIncomplete:
    session = practice_session("Ana")
    try:
        with pytest.raises(OutcomeIncomplete) as raised:
            session.record_outcome(
                OutcomeDraft(PRACTICE_CAMPAIGN_ID, PRACTICE_HOUSEHOLD_ID, "call_back_later")
            )
    finally:
        session.store.close()
    return raised.value


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "One more detail: Pick when to call back."),
        ("es", "Falta un detalle: Elija cuándo volver a llamar."),
        ("vi", "Còn thiếu một chi tiết: Hãy chọn lúc gọi lại."),
        ("zh-Hant", "還差一項資料：請選擇回電時間。"),
        ("ar", "ينقص تفصيل واحد: اختر موعد معاودة الاتصال."),
    ],
)
def test_a_callback_without_its_time_is_refused_in_the_callers_language(
    language: str, expected: str
) -> None:
    problem = incomplete_callback()
    assert problem.key == "error.pick_callback_time"
    tr = Translator(language, CATALOGUES)
    shown = tr("call.error.incomplete", message=tr.error(problem))
    assert strip_isolates(shown) == expected
    if language != "en":
        assert "Pick" not in shown


def test_a_wrong_answer_names_its_question_in_the_scripts_words() -> None:
    question = SurveyQuestion(id="kids", prompt="¿Cuántos estudiantes?", type="number")
    with pytest.raises(InvalidAnswer) as raised:
        typed_answer(question, "dos")
    assert Translator("es", CATALOGUES).error(raised.value) == (
        "¿Cuántos estudiantes?: escriba un número."
    )
    # Inside Arabic the Spanish question keeps its own direction.
    arabic = Translator("ar", CATALOGUES).error(raised.value)
    assert arabic == "\u2068¿Cuántos estudiantes?\u2069: اكتب رقمًا."


@pytest.mark.parametrize(
    ("seconds", "expected"),
    [
        (1, "Demasiados intentos. Espere 1 segundo e inténtelo de nuevo."),
        (30, "Demasiados intentos. Espere 30 segundos e inténtelo de nuevo."),
    ],
)
def test_an_error_with_a_number_takes_its_plural(seconds: int, expected: str) -> None:
    assert Translator("es", CATALOGUES).error(TooManyAttempts(retry_after=seconds)) == expected


def test_an_error_no_catalogue_knows_keeps_its_own_message() -> None:
    problem = PhonebankError("A newer server's words", key="error.from_the_future")
    assert Translator("es", CATALOGUES).error(problem) == "A newer server's words"


def test_the_english_message_stays_for_logs_and_the_api() -> None:
    assert str(incomplete_callback()) == "Pick when to call back"
