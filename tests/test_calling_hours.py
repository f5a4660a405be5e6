from datetime import UTC, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.core.calling_hours import FALLBACK_ZONE, CallingHours, calling_hours, household_zone
from app.core.models import CallingWindow, Campaign, Household

NEW_YORK = ZoneInfo("America/New_York")


def make_campaign(**fields):
    return Campaign(id="c1", slug="tech-check", name="Tech check", **fields)


def make_household(timezone="America/New_York"):
    return Household(id="h1", name="García family", timezone=timezone)


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


@pytest.mark.parametrize(
    ("household_tz", "campaign_tz", "expected"),
    [
        ("America/New_York", "America/Los_Angeles", "America/New_York"),
        ("Asia/Ho_Chi_Minh", "America/Chicago", "Asia/Ho_Chi_Minh"),
        (" America/Denver ", "America/Chicago", "America/Denver"),
        (None, "America/Chicago", "America/Chicago"),
        ("", "America/Chicago", "America/Chicago"),
        ("Not/AZone", "America/Chicago", "America/Chicago"),
        ("../etc/passwd", "America/Chicago", "America/Chicago"),
        ("America", "America/Chicago", "America/Chicago"),
        ("zone1970.tab", "America/Chicago", "America/Chicago"),
        ("EST5EDT\x00", "America/Chicago", "America/Chicago"),
        (None, "Mars/Olympus_Mons", FALLBACK_ZONE),
        ("nope", "", FALLBACK_ZONE),
    ],
)
def test_household_zone(household_tz, campaign_tz, expected):
    assert household_zone(household_tz, campaign_tz) == ZoneInfo(expected)


@pytest.mark.parametrize(
    ("local", "allowed", "reason"),
    [
        (time(0, 0), False, "too_early"),
        (time(8, 59), False, "too_early"),
        (time(8, 59, 59, 999999), False, "too_early"),
        (time(9, 0), True, "ok"),
        (time(13, 30), True, "ok"),
        (time(19, 59), True, "ok"),
        (time(19, 59, 59, 999999), True, "ok"),
        (time(20, 0), False, "too_late"),
        (time(23, 59), False, "too_late"),
    ],
)
def test_default_window_boundaries(local, allowed, reason):
    now = datetime.combine(datetime(2026, 5, 12).date(), local, tzinfo=NEW_YORK)
    hours = calling_hours(now.astimezone(UTC), make_household(), make_campaign())
    assert (hours.allowed, hours.reason) == (allowed, reason)
    assert hours.local_time == now
    assert hours.local_time.tzinfo == NEW_YORK
    assert (hours.opens_at is None) == allowed


def test_too_early_opens_today():
    hours = calling_hours(utc(2026, 5, 12, 12, 59), make_household(), make_campaign())
    assert hours == CallingHours(
        local_time=datetime(2026, 5, 12, 8, 59, tzinfo=NEW_YORK),
        allowed=False,
        reason="too_early",
        opens_at=datetime(2026, 5, 12, 9, 0, tzinfo=NEW_YORK),
    )


def test_too_late_opens_tomorrow():
    hours = calling_hours(utc(2026, 5, 13, 0, 5), make_household(), make_campaign())
    assert hours.reason == "too_late"
    assert hours.local_time == datetime(2026, 5, 12, 20, 5, tzinfo=NEW_YORK)
    assert hours.opens_at == datetime(2026, 5, 13, 9, 0, tzinfo=NEW_YORK)


@pytest.mark.parametrize(
    ("now", "reason", "local_hour"),
    [
        # New York springs forward on 2026-03-08: 13:30 UTC is 08:30 EST but 09:30 EDT.
        (utc(2026, 3, 7, 13, 30), "too_early", 8),
        (utc(2026, 3, 8, 13, 30), "ok", 9),
        # ...and falls back on 2026-11-01: 13:30 UTC is 09:30 EDT but 08:30 EST.
        (utc(2026, 10, 31, 13, 30), "ok", 9),
        (utc(2026, 11, 1, 13, 30), "too_early", 8),
        # 00:30 UTC is 20:30 EDT in summer (too late) but 19:30 EST in winter (ok).
        (utc(2026, 7, 1, 0, 30), "too_late", 20),
        (utc(2026, 1, 15, 0, 30), "ok", 19),
    ],
)
def test_dst_is_read_from_the_household_zone(now, reason, local_hour):
    hours = calling_hours(now, make_household(), make_campaign())
    assert hours.reason == reason
    assert hours.local_time.hour == local_hour


def test_opens_at_across_spring_forward():
    # 20:30 EST on the eve of the change: tomorrow's 09:00 is EDT, 13:00 UTC, not 14:00.
    hours = calling_hours(utc(2026, 3, 8, 1, 30), make_household(), make_campaign())
    assert hours.reason == "too_late"
    assert hours.opens_at is not None
    assert hours.opens_at.astimezone(UTC) == utc(2026, 3, 8, 13, 0)


def test_window_start_in_a_dst_gap_moves_forward():
    campaign = make_campaign(calling_window=CallingWindow(start=time(2, 30), end=time(20)))
    hours = calling_hours(utc(2026, 3, 8, 6, 0), make_household(), campaign)  # 01:00 EST
    assert hours.reason == "too_early"
    assert hours.opens_at is not None
    assert hours.opens_at.astimezone(UTC) == utc(2026, 3, 8, 7, 30)  # 03:30 EDT
    assert hours.opens_at.time() == time(3, 30)


@pytest.mark.parametrize(
    ("zone", "now", "reason"),
    [
        ("Asia/Ho_Chi_Minh", utc(2026, 5, 12, 2, 0), "ok"),  # 09:00 in Vietnam
        ("Asia/Ho_Chi_Minh", utc(2026, 5, 12, 13, 0), "too_late"),  # 20:00
        ("Australia/Sydney", utc(2026, 1, 15, 21, 59), "too_early"),  # 08:59 AEDT
        ("Pacific/Honolulu", utc(2026, 5, 12, 18, 59), "too_early"),  # 08:59 HST
        ("Pacific/Honolulu", utc(2026, 5, 12, 19, 0), "ok"),
    ],
)
def test_zones_around_the_world(zone, now, reason):
    assert calling_hours(now, make_household(zone), make_campaign()).reason == reason


@pytest.mark.parametrize("bad_zone", [None, "", "Not/AZone"])
def test_unknown_household_zone_uses_the_campaigns(bad_zone):
    campaign = make_campaign(timezone="America/Chicago")
    hours = calling_hours(utc(2026, 5, 12, 13, 30), make_household(bad_zone), campaign)
    assert hours.local_time.tzinfo == ZoneInfo("America/Chicago")
    assert hours.reason == "too_early"  # 08:30 in Chicago, 09:30 in New York


def test_campaign_window_is_used():
    campaign = make_campaign(calling_window=CallingWindow(start=time(10), end=time(18)))
    household = make_household()
    assert calling_hours(utc(2026, 5, 12, 13, 30), household, campaign).reason == "too_early"
    assert calling_hours(utc(2026, 5, 12, 14, 0), household, campaign).reason == "ok"
    assert calling_hours(utc(2026, 5, 12, 22, 0), household, campaign).reason == "too_late"


@pytest.mark.parametrize(
    "window",
    [
        CallingWindow(start=time(12), end=time(12)),
        CallingWindow(start=time(21), end=time(8)),
        CallingWindow(start=time(0), end=time(0)),
    ],
)
@pytest.mark.parametrize(
    ("local", "reason"), [(time(3), "too_early"), (time(10), "ok"), (time(22), "too_late")]
)
def test_empty_or_wrapping_window_falls_back_to_the_default(window, local, reason):
    now = datetime.combine(datetime(2026, 5, 12).date(), local, tzinfo=NEW_YORK)
    hours = calling_hours(now, make_household(), make_campaign(calling_window=window))
    assert hours.reason == reason


def test_naive_now_is_rejected():
    with pytest.raises(ValueError, match="aware"):
        calling_hours(datetime(2026, 5, 12, 15, 0), make_household(), make_campaign())


def test_any_aware_now_means_the_same_instant():
    in_utc = utc(2026, 5, 12, 15, 0)
    in_paris = in_utc.astimezone(timezone(timedelta(hours=2)))
    household, campaign = make_household(), make_campaign()
    assert calling_hours(in_paris, household, campaign) == calling_hours(
        in_utc, household, campaign
    )


ZONES = ["America/New_York", "America/Los_Angeles", "Europe/London", "Australia/Lord_Howe"]


@given(
    now=st.datetimes(
        min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)
    ),
    zone=st.sampled_from(ZONES),
    start_hour=st.integers(0, 22),
    length=st.integers(1, 23),
)
def test_rule_holds_for_any_instant(now, zone, start_hour, length):
    start, end = time(start_hour), time(min(start_hour + length, 23), 59)
    campaign = make_campaign(calling_window=CallingWindow(start=start, end=end))
    hours = calling_hours(now, make_household(zone), campaign)
    clock = hours.local_time.time()
    assert hours.local_time == now
    assert hours.allowed == (start <= clock < end)
    if hours.allowed:
        assert hours.opens_at is None
    else:
        assert hours.opens_at is not None
        assert now < hours.opens_at <= now + timedelta(hours=26)
        # The window opens at its start, or just after when DST skipped that time.
        assert hours.opens_at.time() >= start
        assert calling_hours(hours.opens_at, make_household(zone), campaign).allowed
