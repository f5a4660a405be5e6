"""The shared rules for what an event does to a household and its follow-ups."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from app.core.effects import (
    follow_up_opened,
    household_after,
    may_change_household,
    outcome_effects,
)
from app.core.events import (
    EventPayload,
    FollowUpScheduled,
    LanguageCorrected,
    NoteAdded,
    OutcomeRecorded,
    PhoneCorrected,
)
from app.core.models import Campaign, Disposition, DispositionEffects, Household, PhoneNumber

HOME, CELL, NEW = "+15105550101", "+15105550102", "+15105550199"
NOW = datetime(2026, 11, 22, 15, tzinfo=UTC)
IDS = {"campaign_id": "c", "household_id": "h"}


@pytest.fixture
def household() -> Household:
    return Household(
        id="h",
        name="García family",
        language="es",
        phones=[PhoneNumber(number=HOME), PhoneNumber(number=CELL)],
    )


def numbers(household: Household) -> list[tuple[str, bool]]:
    return [(phone.number, phone.bad) for phone in household.phones]


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        (
            OutcomeRecorded(**IDS, disposition="wrong_number", phone=HOME),
            [(HOME, True), (CELL, False)],
        ),
        (
            OutcomeRecorded(**IDS, disposition="disconnected", phone=CELL),
            [(HOME, False), (CELL, True)],
        ),
        (
            PhoneCorrected(**IDS, old_number=HOME, new_number=NEW),
            [(NEW, False), (HOME, True), (CELL, False)],
        ),
        (PhoneCorrected(**IDS, new_number=CELL), [(HOME, False), (CELL, False)]),
        (PhoneCorrected(**IDS, old_number=HOME, bad=True), [(HOME, True), (CELL, False)]),
    ],
)
def test_phone_changes(household: Household, payload: EventPayload, expected) -> None:  # type: ignore[no-untyped-def]
    assert numbers(household_after(household, payload)) == expected


@pytest.mark.parametrize(
    "payload",
    [
        OutcomeRecorded(**IDS, disposition="no_answer", phone=HOME),
        OutcomeRecorded(**IDS, disposition="wrong_number"),  # no number named: nothing to mark
        NoteAdded(**IDS, text="Prefers mornings"),
        LanguageCorrected(**IDS, language="es"),
        PhoneCorrected(**IDS, new_number=HOME),
    ],
)
def test_events_that_change_nothing_return_the_same_household(
    household: Household, payload: EventPayload
) -> None:
    assert household_after(household, payload) is household


ALL_KINDS_OF_PAYLOAD = [
    OutcomeRecorded(**IDS, disposition=code, phone=phone)
    for code in ("no_answer", "wrong_number", "disconnected", "do_not_call", "busy")
    for phone in (HOME, None)
] + [
    PhoneCorrected(**IDS, old_number=HOME, bad=True),
    PhoneCorrected(**IDS, new_number=NEW),
    LanguageCorrected(**IDS, language="vi"),
    NoteAdded(**IDS, text="x"),
    FollowUpScheduled(**IDS, follow_up_id="f"),
]


@pytest.mark.parametrize("payload", ALL_KINDS_OF_PAYLOAD)
def test_the_shortcut_never_skips_a_real_change(
    household: Household, payload: EventPayload
) -> None:
    if not may_change_household(payload):
        assert household_after(household, payload) is household


def test_do_not_call_and_language(household: Household) -> None:
    refused = household_after(household, OutcomeRecorded(**IDS, disposition="do_not_call"))
    assert refused.do_not_call is True
    assert household_after(refused, OutcomeRecorded(**IDS, disposition="do_not_call")) is refused
    corrected = household_after(household, LanguageCorrected(**IDS, language="zh-Hant"))
    assert corrected.language == "zh-Hant"


def test_a_callback_without_an_id_gets_the_same_id_on_every_side() -> None:
    event_id = uuid.uuid4()
    outcome = OutcomeRecorded(
        **IDS, disposition="call_back_later", callback_at=NOW, notes="after 5"
    )
    on_device = follow_up_opened(outcome, event_id=event_id, caller_id="me", created_at=NOW)
    on_server = follow_up_opened(outcome, event_id=str(event_id), caller_id="me", created_at=NOW)
    assert on_device is not None and on_server is not None
    assert on_device.id == on_server.id
    assert (on_device.kind, on_device.due_at, on_device.detail) == ("callback", NOW, "after 5")


def test_a_scheduled_referral_and_an_outcome_without_callback() -> None:
    referral = FollowUpScheduled(
        **IDS, follow_up_id="f1", follow_up_kind="referral", detail="Hotspot request"
    )
    opened = follow_up_opened(referral, event_id=uuid.uuid4(), caller_id="me", created_at=NOW)
    assert opened is not None and (opened.id, opened.kind) == ("f1", "referral")
    plain = OutcomeRecorded(**IDS, disposition="no_answer")
    assert follow_up_opened(plain, event_id=uuid.uuid4(), caller_id="me", created_at=NOW) is None


# A campaign's own "number changed" outcome, as saved before dispositions had flags.
NUMBER_CHANGED = {"code": "number_changed", "label": "Number changed", "asks_for": "bad_number"}
MARKS_BAD = DispositionEffects(marks_number_bad=True)


def campaign_with(*dispositions: Disposition) -> Campaign:
    return Campaign(id="c", slug="c", name="Tech check", dispositions=list(dispositions))


def test_a_campaigns_own_bad_number_outcome_marks_the_number_bad(household: Household) -> None:
    custom = Disposition(code="number_changed", label="Number changed", marks_number_bad=True)
    outcome = OutcomeRecorded(**IDS, disposition=custom.code, phone=CELL, effects=custom.effects)
    assert may_change_household(outcome)
    assert numbers(household_after(household, outcome)) == [(HOME, False), (CELL, True)]


def test_an_outcome_does_what_its_flags_said_when_recorded(household: Household) -> None:
    # The supervisor has since made "wrong_number" mark nothing: the event still does.
    edited = campaign_with(Disposition(code="wrong_number", label="Wrong", marks_number_bad=False))
    outcome = OutcomeRecorded(**IDS, disposition="wrong_number", phone=HOME, effects=MARKS_BAD)
    assert outcome_effects(outcome, edited) == MARKS_BAD
    assert numbers(household_after(household, outcome, edited)) == [(HOME, True), (CELL, False)]
    nothing = OutcomeRecorded(
        **IDS, disposition="do_not_call", phone=HOME, effects=DispositionEffects()
    )
    assert not may_change_household(nothing)
    assert household_after(household, nothing) is household


@pytest.mark.parametrize(
    ("code", "campaign", "expected"),
    [
        # Recorded by a device older than the flags: the code means what it means in the
        # campaign, then in the defaults — as the code alone did before.
        ("wrong_number", None, MARKS_BAD),
        ("do_not_call", None, DispositionEffects(opts_out=True)),
        ("no_answer", None, DispositionEffects()),
        ("number_changed", None, DispositionEffects()),  # unknown without its campaign
        ("number_changed", campaign_with(Disposition.model_validate(NUMBER_CHANGED)), MARKS_BAD),
        ("wrong_number", campaign_with(Disposition(code="wrong_number", label="Wrong")), MARKS_BAD),
    ],
)
def test_an_outcome_without_flags_means_what_its_code_means(
    code: str, campaign: Campaign | None, expected: DispositionEffects
) -> None:
    outcome = OutcomeRecorded(**IDS, disposition=code, phone=HOME)
    assert outcome_effects(outcome, campaign) == expected
    if expected != DispositionEffects():
        assert may_change_household(outcome)
