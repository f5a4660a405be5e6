"""Event ids are UUIDv7 (RFC 9562): later ids sort later, as text too, so the server's
index on ``event_id`` grows at its end; the server still takes a version 4 id."""

from __future__ import annotations

import time
import uuid
from pathlib import Path

import pytest
from fastapi import FastAPI

from app.core.event_ids import Uuid7
from bench.bench_sync import events as bench_events
from sync_server.db import Store
from tests.support.events import record_outcome
from tests.support.families import SeededBank
from tests.support.phone_bank import joined_session

pytestmark = pytest.mark.anyio

MS = 1_764_650_000_000  # 2025-12-02 in Unix milliseconds


def test_an_id_is_version_7_with_its_millisecond_first() -> None:
    made = Uuid7()(MS)

    assert made.version == 7
    assert made.variant == uuid.RFC_4122
    assert made.int >> 80 == MS


def test_ids_minted_in_one_millisecond_still_increase_as_text() -> None:
    uuid7 = Uuid7()
    made = [uuid7(MS) for _ in range(1000)]

    assert sorted(made, key=str) == made
    assert len(set(made)) == len(made)
    assert all(one.version == 7 and one.int >> 80 == MS for one in made)


def test_an_id_without_a_given_time_carries_the_clock() -> None:
    before = time.time_ns() // 1_000_000
    made = Uuid7()()
    after = time.time_ns() // 1_000_000

    assert before <= made.int >> 80 <= after


def test_a_clock_that_steps_back_does_not_move_ids_back() -> None:
    uuid7 = Uuid7()
    later = uuid7(MS + 60_000)
    after_the_step = uuid7(MS)

    assert str(after_the_step) > str(later)
    assert after_the_step.version == 7


def test_ids_of_successive_milliseconds_are_time_ordered() -> None:
    uuid7 = Uuid7()
    made = [uuid7(MS + 2 * step) for step in range(1000)]

    assert sorted(made) == made
    assert [one.int >> 80 for one in made] == [MS + 2 * step for step in range(1000)]


def test_the_bench_pushes_ids_minted_as_a_device_mints_them() -> None:
    made = bench_events("campaign", ["household"], 1, 50)

    assert {event.event_id.version for event in made} == {7}
    assert sorted(made, key=lambda event: str(event.event_id)) == made


async def test_a_device_records_its_outcomes_under_version_7_ids(
    tmp_path: Path, server_app: FastAPI, store: Store, seeded_bank: SeededBank
) -> None:
    household = seeded_bank.households[0]
    async with joined_session(
        tmp_path / "phone.db", server_app, store, seeded_bank.caller
    ) as session:
        recorded = [
            record_outcome(session.store, seeded_bank.campaign.id, household.id) for _ in range(3)
        ]
        await session.sync_now()

    assert [event.event_id.version for event in recorded] == [7, 7, 7]
    with store.reading() as db:
        stored = [row[0] for row in db.execute("SELECT event_id FROM events ORDER BY seq")]
    assert stored == [str(event.event_id) for event in recorded] == sorted(stored)
