"""Which callbacks have just fallen due (app/services/callback_reminders.py): each told
once, none of those already due at the first look, referrals never."""

from __future__ import annotations

from datetime import UTC, datetime

from app.core.models import FollowUp
from app.services import CallbackReminders, FollowUpRow, Reminder

NOW = datetime(2026, 12, 2, 15, 0, tzinfo=UTC)


def row(follow_up_id: str, *, due: bool, kind: str = "callback") -> FollowUpRow:
    follow_up = FollowUp(
        id=follow_up_id, campaign_id="c1", household_id=f"hh-{follow_up_id}", kind=kind,
        due_at=NOW, created_at=NOW,
    )  # fmt: skip
    return FollowUpRow(follow_up, f"{follow_up_id.title()} family", "Tech check", is_due=due)


def test_those_due_at_the_first_look_are_left_to_the_banner():
    reminders = CallbackReminders()
    assert reminders.newly_due([row("smith", due=True)]) == []
    assert reminders.newly_due([row("smith", due=True)]) == []


def test_one_falling_due_later_is_told_once():
    reminders = CallbackReminders()
    assert reminders.newly_due([row("brown", due=False)]) == []
    assert reminders.newly_due([row("brown", due=True)]) == [Reminder("brown", "Brown family")]
    assert reminders.newly_due([row("brown", due=True)]) == []


def test_one_arriving_already_due_after_the_first_look_is_told():
    reminders = CallbackReminders()
    reminders.newly_due([])
    assert reminders.newly_due([row("brown", due=True), row("lee", due=True)]) == [
        Reminder("brown", "Brown family"),
        Reminder("lee", "Lee family"),
    ]


def test_a_referral_is_no_callback():
    reminders = CallbackReminders()
    reminders.newly_due([])
    assert reminders.newly_due([row("brown", due=True, kind="referral")]) == []
