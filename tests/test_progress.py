"""Campaign progress: known numbers, and the summary agreeing with a plain recount."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import sqlite_utils
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.core.dispositions import dispositions_for
from app.core.models import CampaignDraft, Disposition
from sync_server import auth, caller_activity, progress, progress_tables, quarantine
from sync_server.campaigns import get_campaign, update_campaign
from sync_server.db import Store, next_version
from tests.support.server_rows import NOON, add_device, add_household, add_outcome, new_campaign

LA = ZoneInfo("America/Los_Angeles")


@pytest.fixture
def db() -> sqlite_utils.Database:
    return Store(":memory:").db


def _known_campaign(db: sqlite_utils.Database, refresh_each_step: bool) -> dict[str, Any]:
    """Eight households with outcomes of every kind that counts, or does not."""
    campaign = new_campaign(db)
    ana = auth.create_caller(db, "Ana", ["en", "es"])
    bao = auth.create_caller(db, "Bao", ["en", "vi"])
    ana_phone, bao_phone = add_device(db, ana.id), add_device(db, bao.id)
    step = progress_tables.refresh_progress if refresh_each_step else (lambda db: 0)

    def household(**fields: Any) -> str:
        return add_household(db, campaign.id, caller_id=ana.id, **fields)

    h1 = household(tags=("no-device",), school="Lincoln")
    h2 = household(language="es", school="Lincoln")
    h3 = household(language="es-MX", tags=("no-device", "food", "no-device"), school="Fruitvale")
    h4 = household(language="vi", school="Fruitvale")
    h5 = household()
    h6 = household()
    household(open_=False)
    household(do_not_call=True)
    step(db)
    add_outcome(db, ana_phone, campaign.id, h1, "no_answer")
    add_outcome(db, ana_phone, campaign.id, h1, "reached_complete")
    step(db)
    add_outcome(db, ana_phone, campaign.id, h2, "left_voicemail")
    add_outcome(db, bao_phone, campaign.id, h2, "reached_complete", quarantined=True)
    accepted = add_outcome(db, bao_phone, campaign.id, h3, "reached_follow_up", quarantined=True)
    dismissed = add_outcome(db, bao_phone, campaign.id, h4, "reached_complete", quarantined=True)
    step(db)
    quarantine.accept(db, accepted)
    quarantine.dismiss(db, dismissed)
    # 23:30 on Mar 2 in Los Angeles, then 01:00 on Mar 3.
    add_outcome(
        db,
        ana_phone,
        campaign.id,
        h5,
        "wrong_number",
        received_at=NOON + timedelta(hours=11, minutes=30),
    )
    step(db)
    mistake = add_outcome(db, ana_phone, campaign.id, h6, "reached_complete")
    step(db)
    add_outcome(
        db,
        ana_phone,
        campaign.id,
        h6,
        "no_answer",
        corrects=mistake,
        received_at=NOON + timedelta(hours=13),
    )
    return {"campaign": campaign, "ana": ana, "bao": bao}


@pytest.mark.parametrize("refresh_each_step", [False, True])
def test_known_numbers(db: sqlite_utils.Database, refresh_each_step: bool) -> None:
    known = _known_campaign(db, refresh_each_step)
    report = progress.campaign_progress(db, known["campaign"].id, today=date(2026, 3, 2))

    totals = report.totals
    assert (totals.households, totals.open_households, totals.assigned) == (8, 7, 7)
    assert (totals.attempted, totals.reached, totals.completed, totals.calls) == (5, 2, 1, 6)
    assert totals.contact_rate == pytest.approx(2 / 5, abs=1e-4)
    assert totals.completion_rate == pytest.approx(1 / 8, abs=1e-4)

    by_caller = {row.name: row for row in report.by_caller}
    ana, bao = by_caller["Ana"], by_caller["Bao"]
    assert (ana.assigned, ana.attempted, ana.reached, ana.completed, ana.calls) == (7, 4, 1, 1, 5)
    assert (bao.assigned, bao.attempted, bao.reached, bao.completed, bao.calls) == (0, 1, 1, 0, 1)
    assert (ana.calls_today, bao.calls_today) == (4, 1)  # the 01:00 correction is tomorrow
    assert ana.last_sync_at == bao.last_sync_at == NOON

    def groups(rows: list[Any]) -> dict[Any, tuple[int, int, int, int]]:
        return {g.key: (g.households, g.attempted, g.reached, g.completed) for g in rows}

    assert groups(report.by_language) == {
        "en": (5, 3, 1, 1),
        "es": (1, 1, 0, 0),
        "es-MX": (1, 1, 1, 0),
        "vi": (1, 0, 0, 0),
    }
    assert groups(report.by_tag) == {"no-device": (2, 2, 2, 1), "food": (1, 1, 1, 0)}
    assert groups(report.by_school) == {
        None: (4, 2, 0, 0),
        "Lincoln": (2, 2, 1, 1),
        "Fruitvale": (2, 1, 1, 0),
    }
    assert [(d.day, d.calls, d.reached, d.completed) for d in report.by_day] == [
        (date(2026, 3, 2), 5, 2, 1),
        (date(2026, 3, 3), 1, 0, 0),
    ]
    calls = {d.code: (d.calls, d.households) for d in report.by_disposition}
    assert calls["no_answer"] == (2, 2)
    assert calls["reached_complete"] == (1, 1)
    assert calls["reached_follow_up"] == (1, 1)
    assert calls["wrong_number"] == (1, 1)
    assert calls["refused"] == (0, 0)
    quality = report.quality
    assert (quality.wrong_number_households, quality.wrong_number_rate) == (1, 0.2)
    assert quality.do_not_call == 1
    # Bao speaks Vietnamese, so every open household has a speaker.
    assert quality.households_without_speaker == 0


def test_a_campaign_can_redefine_an_outcome_without_a_rebuild(db: sqlite_utils.Database) -> None:
    known = _known_campaign(db, refresh_each_step=True)
    campaign = known["campaign"]
    assert progress.campaign_progress(db, campaign.id).totals.reached == 2
    voicemail_counts = Disposition(code="left_voicemail", label="Left a message", reached=True)
    draft = CampaignDraft(
        **{**campaign.model_dump(exclude={"id"}), "dispositions": [voicemail_counts]}
    )
    update_campaign(db, campaign.id, draft)
    assert progress.campaign_progress(db, campaign.id).totals.reached == 3


def test_households_without_a_speaker_and_language(db: sqlite_utils.Database) -> None:
    campaign = new_campaign(db)
    auth.create_caller(db, "Ana", ["en"])
    quiet = auth.create_caller(db, "Vu", ["vi"])
    db.execute("UPDATE callers SET active = 0 WHERE id = ?", [quiet.id])
    for language in ("en", "en-US", "vi", "und", "ar"):
        add_household(db, campaign.id, language=language)
    quality = progress.campaign_progress(db, campaign.id).quality
    assert quality.households_without_speaker == 3  # vi (its caller is inactive), und, ar
    assert quality.households_without_language == 1


@pytest.mark.parametrize(
    ("hour", "zone", "expected"),
    [
        ("2026-03-02T07", "America/Los_Angeles", date(2026, 3, 1)),  # 23:00 PST
        ("2026-03-02T08", "America/Los_Angeles", date(2026, 3, 2)),  # 00:00 PST
        ("2026-03-09T07", "America/Los_Angeles", date(2026, 3, 9)),  # 00:00 PDT
        ("2026-03-02T23", "Europe/Paris", date(2026, 3, 3)),
        ("2026-03-02T18", "Asia/Kolkata", date(2026, 3, 3)),  # 23:30–00:30: its middle
        ("2026-03-02T17", "Asia/Kolkata", date(2026, 3, 2)),
    ],
)
def test_local_date_of_an_hour(hour: str, zone: str, expected: date) -> None:
    assert progress_tables.local_date(hour, ZoneInfo(zone)) == expected


def test_quiet_callers(db: sqlite_utils.Database) -> None:
    campaign = new_campaign(db)
    now = NOON + timedelta(days=10)
    callers = {
        name: auth.create_caller(db, name, ["en"]) for name in ("Synced", "Pushed", "Quiet", "Gone")
    }
    add_device(db, callers["Synced"].id, last_sync_at=now - timedelta(days=1))
    pushed = add_device(db, callers["Pushed"].id, last_sync_at=now - timedelta(days=9))
    add_device(db, callers["Quiet"].id, last_sync_at=now - timedelta(days=4))
    add_device(db, callers["Gone"].id, last_sync_at=now)
    db.execute("UPDATE callers SET active = 0 WHERE id = ?", [callers["Gone"].id])
    for caller in callers.values():
        household = add_household(db, campaign.id, caller_id=caller.id)
    add_outcome(db, pushed, campaign.id, household, received_at=now - timedelta(hours=2))
    add_household(db, campaign.id, caller_id=auth.create_caller(db, "Never joined", ["en"]).id)

    quiet = caller_activity.quiet_callers(db, campaign.id, 3, now=now)

    assert sorted(caller.name for caller in quiet) == ["Gone", "Never joined", "Quiet"]


def test_active_callers_per_week(db: sqlite_utils.Database) -> None:
    campaign = new_campaign(db)
    monday = datetime(2026, 3, 2, 18, tzinfo=LA)
    phones = [add_device(db, auth.create_caller(db, f"Caller {n}", ["en"]).id) for n in range(3)]
    household = add_household(db, campaign.id)
    for phone, days in zip(phones, [(0, 7), (1, 8, 14), (6,)], strict=True):
        for day in days:
            add_outcome(db, phone, campaign.id, household, received_at=monday + timedelta(days=day))
    # Sunday 23:00 in Los Angeles is still the first week, though Monday in UTC.
    weeks = caller_activity.active_callers_per_week(db, campaign.id)
    assert [(w.week, w.active_callers, w.calls) for w in weeks] == [
        (date(2026, 3, 2), 3, 3),
        (date(2026, 3, 9), 2, 2),
        (date(2026, 3, 16), 1, 1),
    ]


# --- the summary against a plain recount --------------------------------------------------------

LANGUAGES = ["en", "es", "es-MX", "vi"]
TAGS = ["no-device", "food", "housing"]
CODES = ["no_answer", "reached_complete", "reached_follow_up", "wrong_number", "refused", "custom"]

operation = st.one_of(
    st.tuples(
        st.just("household"),
        st.sampled_from(LANGUAGES),
        st.lists(st.sampled_from(TAGS), max_size=3),
        st.sampled_from([None, "A", "B"]),
        st.booleans(),
    ),
    st.tuples(
        st.just("outcome"),
        st.integers(0, 50),
        st.integers(0, 2),
        st.sampled_from(CODES),
        st.integers(0, 4),
        st.booleans(),
    ),
    st.tuples(st.just("accept"), st.integers(0, 200)),
    st.tuples(st.just("dismiss"), st.integers(0, 200)),
    st.tuples(st.just("correct"), st.integers(0, 200), st.sampled_from(CODES)),
    st.tuples(st.just("language"), st.integers(0, 50), st.sampled_from(LANGUAGES)),
    st.tuples(st.just("close"), st.integers(0, 50)),
    st.tuples(st.just("assign"), st.integers(0, 50), st.integers(0, 2)),
    st.tuples(
        st.just("refresh"),
    ),
)


def _recount(db: sqlite_utils.Database, campaign_id: str) -> dict[str, Any]:
    """The dashboard's figures the slow, obvious way: every row into Python."""
    campaign = get_campaign(db, campaign_id)
    flags = {d.code: d for d in dispositions_for(campaign)}
    events = list(
        db.query(
            "SELECT * FROM events WHERE campaign_id = ? AND kind = 'outcome_recorded'",
            [campaign_id],
        )
    )
    counted_status = {
        e["event_id"]
        for e in events
        if not e["quarantined"] or e["quarantine_status"] == "accepted"
    }
    all_events = {e["event_id"]: e for e in db.query("SELECT * FROM events")}
    corrected = {
        json.loads(e["payload"]).get("corrects")
        for e in all_events.values()
        if e["quarantined"] == 0 or e["quarantine_status"] == "accepted"
    }
    counted = [
        e for e in events if e["event_id"] in counted_status and e["event_id"] not in corrected
    ]
    members = {
        row["household_id"]: row
        for row in db.query(
            """SELECT ch.*, h.language, h.school, h.tags FROM campaign_households ch
               JOIN households h ON h.id = ch.household_id WHERE ch.campaign_id = ?""",
            [campaign_id],
        )
    }
    codes: dict[str, set[str]] = defaultdict(set)
    caller_codes: dict[tuple[str, str], set[str]] = defaultdict(set)
    days: Counter[tuple[date, str]] = Counter()
    for e in counted:
        codes[e["household_id"]].add(e["disposition"])
        caller_codes[(e["caller_id"], e["household_id"])].add(e["disposition"])
        local = datetime.fromisoformat(e["received_at"]).astimezone(LA).date()
        days[(local, "calls")] += 1
        days[(local, "reached")] += bool(
            flags.get(e["disposition"]) and flags[e["disposition"]].reached
        )

    def status(seen: set[str]) -> tuple[int, int, int]:
        known = [flags[c] for c in seen if c in flags]
        return (
            int(bool(seen)),
            int(any(d.reached for d in known)),
            int(any(d.complete for d in known)),
        )

    def group(key: Any) -> dict[Any, tuple[int, ...]]:
        sums: dict[Any, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
        for household_id, row in members.items():
            for value in key(row):
                total = sums[value]
                total[0] += 1
                for index, flag in enumerate(status(codes.get(household_id, set())), start=1):
                    total[index] += flag
        return {value: tuple(n) for value, n in sums.items()}

    callers: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for (caller_id, _), seen in caller_codes.items():
        for index, flag in enumerate(status(seen)):
            callers[caller_id][index] += flag
    return {
        "all": group(lambda row: [None]),
        "language": group(lambda row: [row["language"]]),
        "school": group(lambda row: [row["school"] or None]),
        "tag": group(lambda row: set(json.loads(row["tags"]))),
        "callers": {caller_id: tuple(n) for caller_id, n in callers.items()},
        "calls": len([e for e in counted if e["household_id"] in members]),
        "open": sum(row["open"] for row in members.values()),
        "days": {key: n for key, n in days.items() if n},
    }


def _apply(
    db: sqlite_utils.Database, campaign_id: str, step: tuple[Any, ...], world: dict[str, list[str]]
) -> None:
    kind, *args = step
    households, phones, events = world["households"], world["phones"], world["events"]
    if kind == "household":
        language, tags, school, open_ = args
        households.append(
            add_household(
                db, campaign_id, language=language, tags=tuple(tags), school=school, open_=open_
            )
        )
    elif kind == "outcome" and households:
        index, phone, code, day, quarantined = args
        when = NOON + timedelta(days=day, hours=day * 5)
        events.append(
            add_outcome(
                db,
                phones[phone],
                campaign_id,
                households[index % len(households)],
                code,
                received_at=when,
                quarantined=quarantined,
            )
        )
    elif kind in ("accept", "dismiss") and events:
        event_id = events[args[0] % len(events)]
        row = db.execute(
            "SELECT quarantined, quarantine_status FROM events WHERE event_id = ?", [event_id]
        ).fetchone()
        if row[0] and not (kind == "dismiss" and row[1] == "accepted"):
            getattr(quarantine, kind)(db, event_id)
    elif kind == "correct" and events:
        target = events[args[0] % len(events)]
        household_id, caller_id = db.execute(
            "SELECT household_id, caller_id FROM events WHERE event_id = ?", [target]
        ).fetchone()
        phone = db.execute("SELECT id FROM devices WHERE caller_id = ?", [caller_id]).fetchone()[0]
        events.append(add_outcome(db, phone, campaign_id, household_id, args[1], corrects=target))
    elif kind == "language" and households:
        db.execute(
            "UPDATE households SET body = json_set(body, '$.language', ?), version = ?"
            " WHERE id = ?",
            [args[1], next_version(db), households[args[0] % len(households)]],
        )
    elif kind in ("close", "assign") and households:
        column, value = ("open", 0) if kind == "close" else ("caller_id", world["callers"][args[1]])
        db.execute(
            f"UPDATE campaign_households SET {column} = ?, version = ? WHERE household_id = ?",
            [value, next_version(db), households[args[0] % len(households)]],
        )
    elif kind == "refresh":
        progress_tables.refresh_progress(db)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(operation, max_size=40))
def test_the_summary_agrees_with_a_recount(steps: list[tuple[Any, ...]]) -> None:
    db = Store(":memory:").db
    campaign = new_campaign(
        db, dispositions=[Disposition(code="custom", label="Custom", reached=True, complete=True)]
    )
    callers = [auth.create_caller(db, f"Caller {n}", ["en"]).id for n in range(3)]
    world = {
        "households": [],
        "phones": [add_device(db, caller) for caller in callers],
        "events": [],
        "callers": callers,
    }
    for step in steps:
        _apply(db, campaign.id, step, world)

    report = progress.campaign_progress(db, campaign.id, today=NOON.date())
    expected = _recount(db, campaign.id)

    def groups(rows: list[Any]) -> dict[Any, tuple[int, ...]]:
        return {g.key: (g.households, g.attempted, g.reached, g.completed) for g in rows}

    totals = report.totals
    assert {None: (totals.households, totals.attempted, totals.reached, totals.completed)} == (
        expected["all"] or {None: (0, 0, 0, 0)}
    )
    assert groups(report.by_language) == expected["language"]
    assert groups(report.by_school) == expected["school"]
    assert groups(report.by_tag) == expected["tag"]
    assert {
        c.caller_id: (c.attempted, c.reached, c.completed) for c in report.by_caller if c.attempted
    } == expected["callers"]
    assert (totals.calls, totals.open_households) == (expected["calls"], expected["open"])
    days = {(d.day, "calls"): d.calls for d in report.by_day} | {
        (d.day, "reached"): d.reached for d in report.by_day
    }
    assert {key: n for key, n in days.items() if n} == expected["days"]
    # And a rebuild from scratch lands on the same summary.
    before = progress.campaign_progress(db, campaign.id, today=NOON.date())
    progress_tables.rebuild_progress(db)
    after = progress.campaign_progress(db, campaign.id, today=NOON.date())
    assert after.model_dump(exclude={"generated_at"}) == before.model_dump(exclude={"generated_at"})
