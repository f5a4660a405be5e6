import pytest

from app.core.dispositions import (
    DEFAULT_DISPOSITIONS,
    QUICK_CODES,
    disposition_by_code,
    dispositions_for,
)
from app.core.errors import NotFound
from app.core.models import Campaign, Disposition, DispositionEffects

DEFAULT_CODES = [
    "reached_complete",
    "reached_follow_up",
    "left_voicemail",
    "no_answer",
    "busy",
    "wrong_number",
    "disconnected",
    "refused",
    "call_back_later",
    "language_needed",
    "do_not_call",
    "text_sent",
]


def make_campaign(dispositions=()):
    return Campaign(id="c1", slug="c", name="Tech check", dispositions=list(dispositions))


def test_default_codes():
    assert [disposition.code for disposition in DEFAULT_DISPOSITIONS] == DEFAULT_CODES


@pytest.mark.parametrize(
    ("code", "reached", "complete", "retry", "final", "asks_for"),
    [
        ("reached_complete", True, True, False, True, None),
        ("reached_follow_up", True, False, False, False, None),
        ("left_voicemail", False, False, True, False, None),
        ("no_answer", False, False, True, False, None),
        ("busy", False, False, True, False, None),
        ("wrong_number", False, False, True, False, "bad_number"),
        ("disconnected", False, False, True, False, "bad_number"),
        ("refused", True, False, False, True, None),
        ("call_back_later", True, False, False, False, "callback_time"),
        ("language_needed", False, False, True, False, "language"),
        ("do_not_call", True, False, False, True, None),
        ("text_sent", False, False, True, False, None),
    ],
)
def test_default_meanings(code, reached, complete, retry, final, asks_for):
    disposition = disposition_by_code(make_campaign(), code)
    assert (
        disposition.reached,
        disposition.complete,
        disposition.retry,
        disposition.final,
        disposition.asks_for,
    ) == (reached, complete, retry, final, asks_for)


@pytest.mark.parametrize("disposition", DEFAULT_DISPOSITIONS, ids=lambda d: d.code)
def test_labelled_in_english_and_spanish(disposition):
    assert disposition.label.strip()
    assert disposition.label_in("es").strip()
    assert disposition.label_in("es") != disposition.label
    assert disposition.label_in("vi") == disposition.label


def test_quick_codes_are_defaults():
    assert set(QUICK_CODES) <= set(DEFAULT_CODES)
    assert len(set(QUICK_CODES)) == len(QUICK_CODES)
    assert {"no_answer", "left_voicemail", "reached_complete"} <= set(QUICK_CODES)


def test_defaults_when_the_campaign_has_none():
    assert dispositions_for(make_campaign()) == list(DEFAULT_DISPOSITIONS)


def test_campaign_overrides_by_code_and_adds_new_codes_last():
    present = Disposition(code="present", label="Student is in school", reached=True, final=True)
    busy = Disposition(code="busy", label="Line busy", labels={"es": "Línea ocupada"})
    sick = Disposition(code="sick", label="Student is sick", reached=True, complete=True)
    catalogue = dispositions_for(make_campaign([present, busy, sick]))
    assert [disposition.code for disposition in catalogue] == [*DEFAULT_CODES, "present", "sick"]
    assert catalogue[DEFAULT_CODES.index("busy")] == busy
    assert disposition_by_code(make_campaign([busy]), "busy").retry is False


def test_a_repeated_campaign_code_keeps_the_last():
    first = Disposition(code="sick", label="Sick")
    second = Disposition(code="sick", label="Ill")
    catalogue = dispositions_for(make_campaign([first, second]))
    assert [d.label for d in catalogue if d.code == "sick"] == ["Ill"]


def test_campaign_does_not_change_the_defaults():
    dispositions_for(make_campaign([Disposition(code="busy", label="Line busy")]))
    assert disposition_by_code(make_campaign(), "busy").label == "Busy"


@pytest.mark.parametrize("code", ["", "Busy", "voicemail", "present"])
def test_unknown_code_is_not_found(code):
    with pytest.raises(NotFound, match=repr(code)):
        disposition_by_code(make_campaign(), code)


@pytest.mark.parametrize(
    ("stored", "marks_number_bad", "opts_out"),
    [
        # Saved before dispositions had flags: asking which number, or the code, said it.
        ({"code": "number_changed", "label": "x", "asks_for": "bad_number"}, True, False),
        ({"code": "wrong_number", "label": "x"}, True, False),
        ({"code": "disconnected", "label": "x", "retry": True}, True, False),
        ({"code": "do_not_call", "label": "x"}, False, True),
        ({"code": "resource_sent", "label": "x"}, False, False),
        # Saved with flags: they say it.
        ({"code": "wrong_number", "label": "x", "marks_number_bad": False}, False, False),
        ({"code": "moved_away", "label": "x", "opts_out": True}, False, True),
    ],
)
def test_a_stored_disposition_keeps_its_effects(stored, marks_number_bad, opts_out):
    disposition = Disposition.model_validate(stored)
    assert (disposition.marks_number_bad, disposition.opts_out) == (marks_number_bad, opts_out)
    again = Disposition.model_validate_json(disposition.model_dump_json())
    assert again == disposition


def test_asking_which_number_did_not_work_marks_it_bad():
    with pytest.raises(ValueError, match="marks it bad"):
        Disposition(code="x", label="x", asks_for="bad_number", marks_number_bad=False)


def test_the_defaults_carry_their_effects():
    effects = {d.code: d.effects for d in DEFAULT_DISPOSITIONS if d.effects != DispositionEffects()}
    assert effects == {
        "wrong_number": DispositionEffects(marks_number_bad=True),
        "disconnected": DispositionEffects(marks_number_bad=True),
        "do_not_call": DispositionEffects(opts_out=True),
    }
