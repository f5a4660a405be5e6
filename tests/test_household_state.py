from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.core.dispositions import DEFAULT_DISPOSITIONS
from app.core.household_state import HouseholdState, day_started_at, household_state
from app.core.models import Campaign, Disposition

NOW = datetime(2026, 5, 12, 18, 0, tzinfo=UTC)


def ago(hours):
    return NOW - timedelta(hours=hours)


def state(outcomes, callback=None):
    return household_state(outcomes, DEFAULT_DISPOSITIONS, callback, NOW)


def test_new():
    assert state([]) == HouseholdState("new", 0)


@pytest.mark.parametrize(
    ("code", "group"),
    [
        ("reached_complete", "done"),
        ("refused", "done"),
        ("do_not_call", "done"),
        ("no_answer", "retry"),
        ("left_voicemail", "retry"),
        ("busy", "retry"),
        ("wrong_number", "retry"),
        ("disconnected", "retry"),
        ("language_needed", "retry"),
        ("reached_follow_up", "retry"),
        ("call_back_later", "retry"),
        ("not_a_code", "retry"),
    ],
)
def test_group_follows_the_latest_outcome(code, group):
    assert state([(code, ago(1))]) == HouseholdState(group, 1, code)


def test_latest_by_recorded_at_not_by_position():
    outcomes = [("reached_complete", ago(1)), ("no_answer", ago(5)), ("busy", ago(3))]
    assert state(outcomes) == HouseholdState("done", 3, "reached_complete")
    assert state(list(reversed(outcomes))) == HouseholdState("done", 3, "reached_complete")


def test_a_later_outcome_reopens_a_household():
    outcomes = [("reached_complete", ago(5)), ("no_answer", ago(1))]
    assert state(outcomes) == HouseholdState("retry", 2, "no_answer")


def test_equal_times_go_to_the_later_entry():
    assert state([("refused", ago(1)), ("busy", ago(1))]).last_disposition == "busy"
    assert state([("busy", ago(1)), ("refused", ago(1))]).last_disposition == "refused"


@pytest.mark.parametrize(
    ("due", "is_due"),
    [(ago(1), True), (NOW, True), (NOW + timedelta(minutes=1), False)],
)
def test_an_open_callback_comes_first(due, is_due):
    outcomes = [("no_answer", ago(30)), ("call_back_later", ago(2))]
    assert state(outcomes, callback=due) == HouseholdState(
        "callback", 2, "call_back_later", due, is_due
    )


def test_a_callback_on_a_new_household():
    due = NOW + timedelta(days=1)
    assert state([], callback=due) == HouseholdState("callback", 0, None, due, False)


def test_campaign_dispositions_decide_done():
    present = Disposition(code="present", label="In school", final=True)
    outcomes = [("present", ago(1))]
    assert household_state(outcomes, [present], None, NOW).group == "done"
    assert household_state(outcomes, DEFAULT_DISPOSITIONS, None, NOW).group == "retry"


@pytest.mark.parametrize(
    ("zone", "midnight"),
    [
        ("America/Los_Angeles", datetime(2026, 5, 12, 7, 0, tzinfo=UTC)),
        ("Asia/Tokyo", datetime(2026, 5, 12, 15, 0, tzinfo=UTC)),  # 03:00 on the 13th there
        ("Not/A_Zone", datetime(2026, 5, 12, 7, 0, tzinfo=UTC)),  # the fallback zone
    ],
)
def test_a_daily_attendance_day_starts_at_midnight_in_the_campaigns_zone(zone, midnight):
    attendance = Campaign(id="c", slug="a", name="A", kind="daily_attendance", timezone=zone)
    assert day_started_at(attendance, NOW) == midnight


def test_any_other_campaign_counts_every_outcome():
    assert day_started_at(Campaign(id="c", slug="s", name="S"), NOW) is None


def test_naive_now_is_rejected():
    with pytest.raises(ValueError, match="aware"):
        household_state([], DEFAULT_DISPOSITIONS, None, datetime(2026, 5, 12))


CODES = [disposition.code for disposition in DEFAULT_DISPOSITIONS]


@given(
    st.lists(
        st.tuples(st.sampled_from(CODES), st.integers(0, 1000).map(ago)), min_size=1, max_size=20
    )
)
def test_attempts_and_order_independence(outcomes):
    result = state(outcomes)
    assert result.attempts == len(outcomes)
    latest_time = max(recorded_at for _, recorded_at in outcomes)
    assert (result.last_disposition, latest_time) in outcomes
    if len({recorded_at for _, recorded_at in outcomes}) == len(outcomes):
        assert state(list(reversed(outcomes))) == result
