"""The device store: one transaction per action, the outbox, pull pages, read queries."""

from __future__ import annotations

import sqlite3
import sys
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

import app.store
import app.sync
from app.core.errors import NotAssigned
from app.core.events import OutcomeRecorded
from app.core.models import (
    Assignment,
    Caller,
    Campaign,
    Disposition,
    DispositionEffects,
    FollowUp,
    Household,
    OutcomeSummary,
    PhoneNumber,
    Script,
)
from app.core.protocol import Change, EntityKind, JoinResponse, PullResponse
from app.store import SCHEMA_VERSION, DeviceStore, default_database_path
from app.store import device_store as device_store_module
from tests.support.clock import Clock
from tests.support.events import record_outcome

NOW = datetime(2026, 3, 11, 17, 0, tzinfo=UTC)  # a Wednesday
ANA = Caller(id="caller-ana", name="Ana", languages=["en", "es"])
CAMPAIGN = Campaign(
    id="camp-1",
    slug="tech-check",
    name="Tech check",
    dispositions=[
        Disposition(code="survey_done", label="Survey done", reached=True, complete=True)
    ],
)


def household(index: int, **fields: Any) -> Household:
    return Household(
        id=f"hh-{index}",
        name=f"Family {index}",
        phones=[PhoneNumber(number=f"+1510555{index:04d}")],
        **fields,
    )


def put(entity: EntityKind, entity_id: str, model: Any) -> Change:
    return Change(op="put", entity=entity, id=entity_id, data=model.model_dump(mode="json"))


def remove(entity: EntityKind, entity_id: str) -> Change:
    return Change(op="remove", entity=entity, id=entity_id)


def page(*changes: Change, cursor: str = "c1", reset: bool = False) -> PullResponse:
    return PullResponse(
        cursor=cursor, reset=reset, changes=list(changes), has_more=False, server_time=NOW
    )


def assigned(*households: Household, campaign: Campaign = CAMPAIGN) -> list[Change]:
    changes = [put("campaign", campaign.id, campaign)]
    for hh in households:
        changes.append(put("household", hh.id, hh))
        assignment = Assignment(campaign_id=campaign.id, household_id=hh.id, caller_id=ANA.id)
        changes.append(put("assignment", f"{campaign.id}:{hh.id}", assignment))
    return changes


def join(store: DeviceStore, device_id: str = "device-1", caller: Caller = ANA) -> None:
    store.save_identity(
        "http://phonebank.test/",
        JoinResponse(
            device_id=device_id, token=f"token-{device_id}", caller=caller, server_time=NOW
        ),
    )


@pytest.fixture
def clock() -> Clock:
    return Clock(NOW)


@pytest.fixture
def store(tmp_path: Path, clock: Clock) -> DeviceStore:
    device = DeviceStore.open(tmp_path / "device.db", clock=clock)
    join(device)
    device.apply_pull_page(page(*assigned(household(1), household(2), household(3))))
    return device


def rows(store: DeviceStore, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
    return list(store.db.query(sql, params or []))


def outbox(store: DeviceStore) -> list[dict[str, Any]]:
    return rows(store, "SELECT * FROM outbox ORDER BY position")


# -- the public surface ---------------------------------------------------------------------


def test_public_api_is_what_we_mean_to_export() -> None:
    assert set(app.store.__all__) == {
        "SCHEMA_VERSION",
        "CallerStats",
        "DeviceStore",
        "Identity",
        "ListedHousehold",
        "Note",
        "ParkedEvent",
        "Tally",
        "data_folder",
        "default_database_path",
    }
    assert set(app.sync.__all__) == {
        "Backoff",
        "FetchTransport",
        "SyncClient",
        "SyncReport",
        "SyncStatus",
    }


# -- opening the file -----------------------------------------------------------------------


def test_open_creates_a_migrated_wal_database(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "device.db"
    store = DeviceStore.open(path)
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert {"outbox", "meta", "households", "outcomes"} <= set(store.db.table_names())
    store.close()
    reopened = DeviceStore.open(path)  # migrating again is a no-op
    assert reopened.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_in_the_browser_the_file_uses_a_rollback_journal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "platform", "emscripten")
    store = DeviceStore.open(tmp_path / "device.db")
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "delete"


def test_a_file_from_a_newer_app_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "device.db"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(RuntimeError, match="newer app"):
        DeviceStore.open(path)


HOME = Path("/home/ana")


@pytest.mark.parametrize(
    ("env", "platform", "expected"),
    [
        ({"FLET_APP_STORAGE_DATA": "/apps/pb/data"}, "linux", "/apps/pb/data/phonebank.db"),
        ({"FLET_APP_STORAGE_DATA": "/storage/pb"}, "emscripten", "/storage/pb/phonebank.db"),
        ({}, "emscripten", "/data/phonebank.db"),
        ({}, "linux", "/home/ana/.local/share/phonebank/phonebank.db"),
        ({"XDG_DATA_HOME": "/xdg"}, "linux", "/xdg/phonebank/phonebank.db"),
        ({"APPDATA": "C:/Users/ana/AppData/Roaming"}, "win32", None),
        ({}, "darwin", "/home/ana/Library/Application Support/phonebank/phonebank.db"),
    ],
)
def test_database_path_per_platform(
    env: dict[str, str], platform: str, expected: str | None
) -> None:
    path = default_database_path(env, platform, HOME)
    if expected is None:
        assert path == Path("C:/Users/ana/AppData/Roaming") / "phonebank" / "phonebank.db"
    else:
        assert path == Path(expected)


# -- recording ------------------------------------------------------------------------------


def test_recording_an_outcome_writes_the_outcome_and_the_event_together(
    store: DeviceStore,
) -> None:
    event = record_outcome(store, "camp-1", "hh-1", "no_answer", phone="+15105550001", notes="rang")
    assert event.seq == 1
    [row] = outbox(store)
    assert row["event_id"] == str(event.event_id)
    assert (row["state"], row["device_id"], row["seq"]) == ("pending", "device-1", 1)
    [outcome] = rows(store, "SELECT * FROM outcomes")
    assert outcome["event_id"] == str(event.event_id)
    assert (outcome["caller_id"], outcome["disposition"]) == (ANA.id, "no_answer")


def test_a_failure_inside_the_transaction_leaves_no_trace(
    store: DeviceStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: Any) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(device_store_module, "apply_event", broken)
    with pytest.raises(RuntimeError):
        record_outcome(store, "camp-1", "hh-1", "no_answer")
    assert outbox(store) == []
    assert rows(store, "SELECT * FROM outcomes") == []


def test_only_assigned_households_can_be_recorded(store: DeviceStore) -> None:
    # A code the campaign does not know is refused by the caller's session (test_caller_session).
    with pytest.raises(NotAssigned):
        record_outcome(store, "camp-1", "hh-somebody-else", "no_answer")
    assert outbox(store) == []


def test_every_action_is_one_event_in_seq_order(store: DeviceStore, clock: Clock) -> None:
    due = NOW + timedelta(days=1)
    events = [
        record_outcome(store, "camp-1", "hh-1", "call_back_later", callback_at=due),
        store.schedule_callback("camp-1", "hh-2", NOW + timedelta(hours=2), detail="after 5"),
        store.add_note("camp-1", "hh-1", "Grandma answers in Spanish"),
        store.correct_phone("camp-1", "hh-1", old_number="+15105550001", new_number="+15105559999"),
        store.correct_language("camp-1", "hh-1", "es"),
    ]
    callback = next(f for f in store.follow_ups() if f.household_id == "hh-1")
    events.append(store.close_follow_up(callback.id, "called back"))
    assert [e.seq for e in events] == [1, 2, 3, 4, 5, 6]
    assert [row["kind"] for row in outbox(store)] == [
        "outcome_recorded",
        "follow_up_scheduled",
        "note_added",
        "phone_corrected",
        "language_corrected",
        "follow_up_closed",
    ]
    hh1 = store.household("hh-1")
    assert hh1 is not None and hh1.language == "es"
    assert [(p.number, p.bad) for p in hh1.phones] == [
        ("+15105559999", False),
        ("+15105550001", True),
    ]
    assert [n.text for n in store.notes_for("hh-1")] == ["Grandma answers in Spanish"]
    assert [(f.household_id, f.detail) for f in store.follow_ups()] == [("hh-2", "after 5")]
    closed = store.follow_up(callback.id)
    assert closed is not None and closed.status == "closed" and closed.resolution == "called back"


def test_a_bad_number_outcome_marks_the_number_and_do_not_call_marks_the_household(
    store: DeviceStore,
) -> None:
    record_outcome(store, "camp-1", "hh-1", "wrong_number", phone="+15105550001")
    record_outcome(store, "camp-1", "hh-2", "do_not_call")
    hh1, hh2 = store.household("hh-1"), store.household("hh-2")
    assert hh1 is not None and hh1.phones[0].bad
    assert hh2 is not None and hh2.do_not_call


def test_an_outcome_carries_the_effects_its_disposition_had(store: DeviceStore) -> None:
    event = record_outcome(store, "camp-1", "hh-1", "wrong_number", phone="+15105550001")
    assert isinstance(event.payload, OutcomeRecorded)
    assert event.payload.effects == DispositionEffects(marks_number_bad=True)


def test_an_outcome_from_an_older_app_means_what_its_campaign_says(store: DeviceStore) -> None:
    """Recorded before outcomes had flags (only its code), as when the outbox is replayed
    over a pull: the campaign's own bad-number outcome marks the number bad."""
    number_changed = Disposition.model_validate(
        {"code": "number_changed", "label": "Number changed", "asks_for": "bad_number"}
    )
    campaign = CAMPAIGN.model_copy(update={"dispositions": [number_changed]})
    store.apply_pull_page(page(*assigned(household(1), campaign=campaign), cursor="c2"))
    store._record(  # what an older app wrote: no effects
        OutcomeRecorded(
            campaign_id="camp-1",
            household_id="hh-1",
            disposition="number_changed",
            phone="+15105550001",
        )
    )
    hh1 = store.household("hh-1")
    assert hh1 is not None and hh1.phones[0].bad


def test_after_commit_runs_once_per_committed_write_and_never_on_rollback(
    store: DeviceStore,
) -> None:
    calls: list[int] = []
    remove_hook = store.add_after_commit(lambda: calls.append(store.pending_count()))
    record_outcome(store, "camp-1", "hh-1", "no_answer")
    store.mark_acked(1)
    with pytest.raises(NotAssigned):
        store.add_note("camp-1", "hh-404", "nobody")
    assert calls == [1, 0]
    remove_hook()
    record_outcome(store, "camp-1", "hh-2", "busy")
    assert calls == [1, 0]


def test_a_failing_hook_does_not_undo_the_commit(store: DeviceStore) -> None:
    def failing() -> None:
        raise OSError("IDBFS sync failed")

    store.add_after_commit(failing)
    event = record_outcome(store, "camp-1", "hh-1", "no_answer")
    assert [row["event_id"] for row in outbox(store)] == [str(event.event_id)]


# -- the outbox -----------------------------------------------------------------------------


def record(store: DeviceStore, count: int) -> list[uuid.UUID]:
    return [
        record_outcome(store, "camp-1", f"hh-{1 + index % 3}", "no_answer").event_id
        for index in range(count)
    ]


def seqs(store: DeviceStore, state: str) -> list[tuple[str, int | None]]:
    return [
        (row["event_id"], row["seq"])
        for row in rows(store, "SELECT * FROM outbox WHERE state = ? ORDER BY position", [state])
    ]


def test_pending_events_come_oldest_first_and_acks_move_the_queue(store: DeviceStore) -> None:
    ids = record(store, 5)
    assert [e.event_id for e in store.pending_events(3)] == ids[:3]
    assert store.mark_acked(3) == 3
    assert [e.seq for e in store.pending_events()] == [4, 5]
    assert store.pending_count() == 2
    assert [row["state"] for row in outbox(store)] == ["acked"] * 3 + ["pending"] * 2


def test_an_ack_beyond_what_the_device_has_keeps_new_seqs_above_it(store: DeviceStore) -> None:
    record(store, 2)
    store.mark_acked(7)  # the server holds more than this file remembers
    assert record_outcome(store, "camp-1", "hh-1", "busy").seq == 8


def test_parking_takes_an_event_out_and_closes_the_gap(store: DeviceStore) -> None:
    ids = record(store, 4)
    store.mark_acked(1)
    store.park(ids[1], "Invalid request — payload.disposition: too long")
    assert seqs(store, "parked") == [(str(ids[1]), None)]
    assert seqs(store, "pending") == [(str(ids[2]), 2), (str(ids[3]), 3)]
    [parked] = store.parked_events()
    assert parked.event_id == ids[1] and "too long" in parked.reason
    retried = store.retry_parked(ids[1])
    assert (retried.event_id, retried.seq) == (ids[1], 4)
    assert [e.event_id for e in store.pending_events()] == [ids[2], ids[3], ids[1]]


def test_resend_after_a_gap_requeues_what_the_server_lost(store: DeviceStore) -> None:
    ids = record(store, 6)
    store.mark_acked(5)
    assert store.resend_after(2) == 4  # e.g. the server was restored from a backup
    assert [(e.event_id, e.seq) for e in store.pending_events()] == [
        (ids[i], i + 1) for i in range(2, 6)
    ]


def test_rejoining_renumbers_unsent_events_for_the_new_device(store: DeviceStore) -> None:
    ids = record(store, 5)
    store.mark_acked(2)
    store.mark_rejoin_needed()
    assert store.identity is not None and store.identity.rejoin_needed
    join(store, "device-2")
    identity = store.identity
    assert identity is not None and not identity.rejoin_needed
    assert (identity.device_id, identity.token) == ("device-2", "token-device-2")
    assert [(e.event_id, e.seq) for e in store.pending_events()] == [
        (ids[2], 1),
        (ids[3], 2),
        (ids[4], 3),
    ]
    acked = rows(store, "SELECT device_id, seq FROM outbox WHERE state = 'acked' ORDER BY seq")
    assert acked == [{"device_id": "device-1", "seq": 1}, {"device_id": "device-1", "seq": 2}]
    assert record_outcome(store, "camp-1", "hh-1", "busy").seq == 4
    assert store.households_for_list()  # the cache stays until the first pull replaces it


def test_another_caller_joining_parks_the_first_callers_events_and_empties_the_cache(
    store: DeviceStore,
) -> None:
    record(store, 2)
    join(store, "device-2", Caller(id="caller-bo", name="Bo"))
    assert store.pending_count() == 0
    assert [p.reason for p in store.parked_events()] == [
        "Recorded by Ana before this device changed hands"
    ] * 2
    assert store.households_for_list() == []


# -- pull pages -----------------------------------------------------------------------------


def test_a_page_is_applied_with_its_cursor_or_not_at_all(store: DeviceStore) -> None:
    broken = Change(op="put", entity="household", id="hh-9", data={"id": "hh-9"})  # no name
    with pytest.raises(ValidationError):
        store.apply_pull_page(page(put("household", "hh-4", household(4)), broken, cursor="c2"))
    assert store.cursor == "c1"
    assert store.household("hh-4") is None


def test_a_reset_replaces_the_cache_and_keeps_the_outbox(store: DeviceStore) -> None:
    pending = record_outcome(store, "camp-1", "hh-2", "busy")
    store.mark_acked(1)
    unsent = record_outcome(store, "camp-1", "hh-2", "left_voicemail")
    store.apply_pull_page(page(*assigned(household(2)), cursor="c9", reset=True))
    assert store.cursor == "c9"
    assert [h.id for h in (x.household for x in store.households_for_list())] == ["hh-2"]
    assert len(outbox(store)) == 2
    # The acked outcome was not in the snapshot; the unsent one is re-applied on top.
    assert [o.event_id for o in store.outcomes_for("hh-2")] == [str(unsent.event_id)]
    assert pending.event_id != unsent.event_id


def test_removing_a_household_drops_its_data_but_never_the_outbox(store: DeviceStore) -> None:
    record_outcome(store, "camp-1", "hh-1", "call_back_later", callback_at=NOW + timedelta(hours=1))
    store.add_note("camp-1", "hh-1", "asked for Saturday")
    store.apply_pull_page(page(remove("household", "hh-1"), cursor="c2"))
    assert store.household("hh-1") is None
    assert store.follow_ups() == []
    assert store.outcomes_for("hh-1") == []
    assert "hh-1" not in {x.household_id for x in store.households_for_list()}
    assert [row["state"] for row in outbox(store)] == ["pending", "pending"]


def test_an_unsent_correction_survives_the_server_sending_the_household_again(
    store: DeviceStore,
) -> None:
    store.correct_language("camp-1", "hh-3", "vi")
    store.apply_pull_page(
        page(put("household", "hh-3", household(3, school="Lab HS")), cursor="c2")
    )
    hh3 = store.household("hh-3")
    assert hh3 is not None and (hh3.language, hh3.school) == ("vi", "Lab HS")
    store.mark_acked(1)
    store.apply_pull_page(page(put("household", "hh-3", household(3)), cursor="c3"))
    hh3 = store.household("hh-3")
    assert hh3 is not None and hh3.language == "en"  # acknowledged: the server's word wins


def test_scripts_and_campaigns_come_from_pulls(store: DeviceStore) -> None:
    script = Script(id="s-es", campaign_id="camp-1", language="es", title="Hola")
    store.apply_pull_page(page(put("script", "s-es", script), cursor="c2"))
    assert store.scripts_for("camp-1") == [script]
    assert store.campaigns() == [CAMPAIGN]
    store.apply_pull_page(page(remove("campaign", "camp-1"), cursor="c3"))
    assert store.scripts_for("camp-1") == [] and store.campaigns() == []


# -- what the caller sees -------------------------------------------------------------------


def groups(store: DeviceStore, now: datetime = NOW) -> dict[str, tuple[str, int]]:
    return {
        item.household_id: (item.state.group, item.state.attempts)
        for item in store.households_for_list(now=now)
    }


def test_local_outcomes_group_the_list_at_once(store: DeviceStore) -> None:
    assert groups(store) == {"hh-1": ("new", 0), "hh-2": ("new", 0), "hh-3": ("new", 0)}
    record_outcome(store, "camp-1", "hh-1", "no_answer")
    record_outcome(store, "camp-1", "hh-2", "survey_done")  # the campaign's own code
    record_outcome(store, "camp-1", "hh-3", "call_back_later", callback_at=NOW + timedelta(hours=3))
    assert groups(store) == {"hh-1": ("retry", 1), "hh-2": ("done", 1), "hh-3": ("callback", 1)}
    listed = store.households_for_list(now=NOW)
    assert [item.state.group for item in listed] == ["callback", "retry", "done"]
    assert listed[0].language == "en" and listed[0].tags == []


def test_an_outcome_coming_back_in_a_pull_is_not_counted_twice(store: DeviceStore) -> None:
    event = record_outcome(store, "camp-1", "hh-1", "no_answer", notes="rang out")
    store.mark_acked(1)
    echoed = OutcomeSummary(
        event_id=str(event.event_id),
        campaign_id="camp-1",
        household_id="hh-1",
        caller_id=ANA.id,
        disposition="no_answer",
        notes="rang out",
        recorded_at=event.recorded_at,
    )
    store.apply_pull_page(page(put("outcome", echoed.event_id, echoed), cursor="c2"))
    assert groups(store)["hh-1"] == ("retry", 1)
    assert store.stats(NOW).today.calls == 1
    assert store.outcomes_for("hh-1") == [echoed]


def test_list_filters_by_campaign_and_shows_other_callers_outcomes(store: DeviceStore) -> None:
    other = Campaign(id="camp-2", slug="fair", name="Resource fair")
    store.apply_pull_page(page(*assigned(household(1), campaign=other), cursor="c2"))
    by_bo = OutcomeSummary(
        event_id=str(uuid.uuid4()),
        campaign_id="camp-2",
        household_id="hh-1",
        caller_id="caller-bo",
        disposition="reached_complete",
        recorded_at=NOW - timedelta(days=1),
    )
    store.apply_pull_page(page(put("outcome", by_bo.event_id, by_bo), cursor="c3"))
    assert [(i.campaign_id, i.state.group) for i in store.households_for_list("camp-2")] == [
        ("camp-2", "done")
    ]
    [in_camp_1] = [i for i in store.households_for_list("camp-1") if i.household_id == "hh-1"]
    assert in_camp_1.state.group == "new"  # its outcome was in the other campaign
    assert store.stats(NOW).this_week.calls == 0  # Bo's call is not Ana's


def test_a_daily_attendance_list_starts_over_each_day_in_its_time_zone(
    store: DeviceStore, clock: Clock
) -> None:
    attendance = Campaign(
        id="camp-att",
        slug="attendance",
        name="Attendance",
        kind="daily_attendance",
        timezone="America/New_York",
    )
    store.apply_pull_page(page(*assigned(household(1), campaign=attendance), cursor="c2"))
    monday_morning = datetime(2026, 3, 9, 13, 0, tzinfo=UTC)  # 09:00 in New York
    clock.now = monday_morning
    record_outcome(store, "camp-att", "hh-1", "reached_complete")
    record_outcome(store, "camp-1", "hh-1", "reached_complete")

    def state(campaign_id: str, now: datetime) -> tuple[str, int]:
        [item] = [
            i for i in store.households_for_list(campaign_id, now=now) if i.household_id == "hh-1"
        ]
        return item.state.group, item.state.attempts

    assert state("camp-att", monday_morning + timedelta(hours=14)) == ("done", 1)  # 23:00
    tuesday = monday_morning + timedelta(hours=16)  # 01:00 in New York, 05:00 UTC
    assert state("camp-att", tuesday) == ("new", 0)  # the child is out again: call again
    assert state("camp-1", tuesday) == ("done", 1)  # any other campaign remembers
    assert [o.disposition for o in store.outcomes_for("hh-1")] == ["reached_complete"] * 2


def test_follow_ups_are_listed_soonest_first(store: DeviceStore) -> None:
    store.schedule_callback("camp-1", "hh-1", NOW + timedelta(days=2))
    store.schedule_callback("camp-1", "hh-2", None, detail="whenever", kind="referral")
    store.schedule_callback("camp-1", "hh-3", NOW - timedelta(hours=1))
    server_side = FollowUp(
        id="fu-server",
        campaign_id="camp-1",
        household_id="hh-2",
        due_at=NOW + timedelta(hours=1),
        created_at=NOW,
    )
    store.apply_pull_page(page(put("follow_up", server_side.id, server_side), cursor="c2"))
    assert [(f.household_id, f.due_at) for f in store.follow_ups()] == [
        ("hh-3", NOW - timedelta(hours=1)),
        ("hh-2", NOW + timedelta(hours=1)),
        ("hh-1", NOW + timedelta(days=2)),
        ("hh-2", None),
    ]
    assert groups(store)["hh-3"] == ("callback", 0)


def test_stats_count_today_and_this_week_including_unsent(store: DeviceStore, clock: Clock) -> None:
    for when, code, channel in [
        (NOW - timedelta(days=7), "reached_complete", "call"),  # last week
        (NOW - timedelta(days=2), "reached_complete", "call"),  # Monday
        (NOW - timedelta(days=2), "no_answer", "call"),
        (NOW - timedelta(hours=1), "refused", "call"),
        (NOW - timedelta(minutes=5), "survey_done", "call"),
        (NOW - timedelta(minutes=1), "reached_follow_up", "text"),
    ]:
        clock.now = when
        record_outcome(store, "camp-1", "hh-1", code, channel=channel)
    store.mark_acked(3)
    stats = store.stats(NOW)
    assert (stats.today.calls, stats.today.conversations, stats.today.completed) == (2, 3, 1)
    assert (stats.this_week.calls, stats.this_week.conversations, stats.this_week.completed) == (
        4,
        4,
        2,
    )


def test_parking_an_event_behind_unsent_ones_keeps_their_seqs(store: DeviceStore) -> None:
    ids = record(store, 4)
    store.park(ids[2], "refused")
    assert seqs(store, "pending") == [(str(ids[0]), 1), (str(ids[1]), 2), (str(ids[3]), 3)]


def test_an_outcome_and_the_callbacks_it_answers_are_one_transaction(
    store: DeviceStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    household_id = household(1).id
    due = datetime(2026, 11, 23, 17, tzinfo=UTC)
    store.schedule_callback(CAMPAIGN.id, household_id, due)
    store.schedule_callback(CAMPAIGN.id, household_id, due + timedelta(days=1))
    callbacks = [f.id for f in store.follow_ups()]
    before = store.pending_count()
    calls = 0
    real_close = store.close_follow_up

    def fail_on_the_second(follow_up_id: str, resolution: str = "") -> Any:
        nonlocal calls
        calls += 1
        if calls == 2:
            raise sqlite3.OperationalError("disk I/O error")
        return real_close(follow_up_id, resolution)

    monkeypatch.setattr(store, "close_follow_up", fail_on_the_second)
    with pytest.raises(sqlite3.OperationalError):
        record_outcome(
            store, CAMPAIGN.id, household_id, "reached_complete", closes_follow_ups=callbacks
        )
    assert store.pending_count() == before
    assert sorted(f.id for f in store.follow_ups()) == sorted(callbacks)
    monkeypatch.undo()
    record_outcome(
        store, CAMPAIGN.id, household_id, "reached_complete", closes_follow_ups=callbacks
    )
    assert store.pending_count() == before + 3
    assert store.follow_ups() == []


def test_languages_are_those_of_the_households_and_scripts_on_the_device(
    store: DeviceStore,
) -> None:
    assert store.languages() == {"en"}
    store.apply_pull_page(page(*assigned(household(4, language="zh-Hant")), cursor="c2"))
    assert store.languages() == {"en", "zh-Hant"}
