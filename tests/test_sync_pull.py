"""Pull: what a device may see, recomputed each time; removes, resets and paging."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.core.events import Event
from app.core.models import Caller, Campaign, Household
from sync_server.db import Store
from tests.support.device_api import ids, pull_all, push
from tests.support.events import outcome_event
from tests.support.phone_bank import JoinedDevice
from tests.support.server_rows import assign, make_household, seed_households


@pytest.fixture
def ana(make_caller: Callable[..., Caller]) -> Caller:
    return make_caller("Ana", ("es",))


@pytest.fixture
def bo(make_caller: Callable[..., Caller]) -> Caller:
    return make_caller("Bo", ("en",))


@dataclass
class SplitList:
    """Four Spanish households for Ana, three for Bo, one unassigned; devices join."""

    client: TestClient
    store: Store
    campaign: Campaign
    ana: Caller
    bo: Caller
    join: Callable[[Caller], JoinedDevice]
    mine: list[Household]
    theirs: list[Household]
    unassigned: list[Household]

    def pull(
        self, device: JoinedDevice, cursor: str | None = None, limit: int = 500
    ) -> tuple[list[dict[str, Any]], str | None]:
        return pull_all(self.client, device, cursor, limit)

    def ana_pulled_once(self) -> tuple[JoinedDevice, str | None]:
        """Ana's device, joined, after its first pull: with the cursor that pull left."""
        device = self.join(self.ana)
        _, cursor = self.pull(device)
        return device, cursor

    def push(self, device: JoinedDevice, event: Event) -> None:
        push(self.client, device, [event])

    def assign(self, household: Household, caller: Caller) -> None:
        assign(self.store, self.campaign.id, household.id, caller.id)


@pytest.fixture
def split_list(
    client: TestClient,
    store: Store,
    campaign: Campaign,
    ana: Caller,
    bo: Caller,
    joined_device: Callable[[Caller], JoinedDevice],
) -> SplitList:
    mine = [make_household(i, language="es") for i in range(4)]
    theirs = [make_household(10 + i) for i in range(3)]
    unassigned = [make_household(20)]
    seed_households(store, campaign.id, mine, caller_id=ana.id)
    seed_households(store, campaign.id, theirs, caller_id=bo.id)
    seed_households(store, campaign.id, unassigned)
    return SplitList(client, store, campaign, ana, bo, joined_device, mine, theirs, unassigned)


def test_first_pull_is_a_reset_with_only_the_callers_households(split_list: SplitList) -> None:
    pages, _ = split_list.pull(split_list.join(split_list.ana))
    campaign = split_list.campaign
    assert pages[0]["reset"] is True
    assert ids(pages, "household") == {h.id for h in split_list.mine}
    assert ids(pages, "campaign") == {campaign.id}
    assert ids(pages, "assignment") == {f"{campaign.id}:{h.id}" for h in split_list.mine}


def test_an_incremental_pull_with_nothing_new_is_empty(split_list: SplitList) -> None:
    device, cursor = split_list.ana_pulled_once()
    pages, _ = split_list.pull(device, cursor)
    assert pages == [{**pages[0], "reset": False, "changes": [], "has_more": False}]


def test_a_household_moved_away_arrives_as_a_remove(split_list: SplitList) -> None:
    device, cursor = split_list.ana_pulled_once()
    moved = split_list.mine[0]
    split_list.assign(moved, split_list.bo)
    pages, _ = split_list.pull(device, cursor)
    assert ids(pages, "household", "remove") == {moved.id}
    assert ids(pages, "assignment", "remove") == {f"{split_list.campaign.id}:{moved.id}"}
    assert ids(pages, "household") == set()


def test_a_household_moved_in_arrives_as_a_put(split_list: SplitList) -> None:
    device, cursor = split_list.ana_pulled_once()
    gained = split_list.unassigned[0]
    split_list.assign(gained, split_list.ana)
    pages, _ = split_list.pull(device, cursor)
    assert ids(pages, "household") == {gained.id}
    assert pages[0]["reset"] is False


def test_an_unknown_cursor_answers_a_reset_with_a_full_snapshot(split_list: SplitList) -> None:
    device = split_list.join(split_list.ana)
    split_list.pull(device)
    pages, _ = split_list.pull(device, cursor="from-a-backup-the-server-never-saw")
    assert pages[0]["reset"] is True
    assert ids(pages, "household") == {h.id for h in split_list.mine}


@pytest.mark.parametrize("limit", [1, 3, 7])
def test_pages_add_up_to_the_snapshot(split_list: SplitList, limit: int) -> None:
    pages, _ = split_list.pull(split_list.join(split_list.ana), limit=limit)
    assert all(len(page["changes"]) <= limit for page in pages)
    assert [page["has_more"] for page in pages][-1] is False
    assert ids(pages, "household") == {h.id for h in split_list.mine}
    assert [page["reset"] for page in pages] == [True] + [False] * (len(pages) - 1)


def test_outcomes_from_the_callers_other_device_are_pulled(split_list: SplitList) -> None:
    phone, laptop = split_list.join(split_list.ana), split_list.join(split_list.ana)
    household = split_list.mine[0]
    event = outcome_event(
        1, split_list.campaign.id, household.id, "left_voicemail", notes="Msg in Spanish"
    )
    split_list.push(phone, event)
    pages, _ = split_list.pull(laptop)
    outcomes = [c["data"] for p in pages for c in p["changes"] if c["entity"] == "outcome"]
    assert [(o["event_id"], o["disposition"], o["notes"]) for o in outcomes] == [
        (str(event.event_id), "left_voicemail", "Msg in Spanish")
    ]


@pytest.mark.parametrize(
    ("disposition", "campaign_outcomes"),
    [
        pytest.param("wrong_number", None, id="a phone marked wrong"),
        # The event carries only its code; the campaign's own outcome, saved before outcomes
        # had flags, asks which number did not work: that number is marked bad.
        pytest.param(
            "number_changed",
            [{"code": "number_changed", "label": "Number changed", "asks_for": "bad_number"}],
            id="an older device's outcome its campaign says is bad",
        ),
    ],
)
def test_a_bad_number_reaches_the_device_as_an_updated_household(
    split_list: SplitList, disposition: str, campaign_outcomes: list[dict[str, str]] | None
) -> None:
    if campaign_outcomes is not None:
        with split_list.store.transaction() as db:
            db.execute(
                "UPDATE campaigns SET body = json_set(body, '$.dispositions', json(?)) "
                "WHERE id = ?",
                [json.dumps(campaign_outcomes), split_list.campaign.id],
            )
    device, cursor = split_list.ana_pulled_once()
    household = split_list.mine[1]
    number = household.phones[0].number
    event = outcome_event(1, split_list.campaign.id, household.id, disposition, phone=number)
    if campaign_outcomes is not None:
        assert event.payload.effects is None  # type: ignore[union-attr]
    split_list.push(device, event)
    pages, _ = split_list.pull(device, cursor)
    updated = [c["data"] for p in pages for c in p["changes"] if c["entity"] == "household"]
    assert [phone["bad"] for phone in updated[0]["phones"]] == [True]


def test_another_device_cannot_be_pulled_with_my_token(split_list: SplitList) -> None:
    mine, theirs = split_list.join(split_list.ana), split_list.join(split_list.bo)
    response = split_list.client.post(
        "/api/v1/sync/pull", json={"device_id": theirs.device_id}, headers=mine.headers
    )
    assert response.status_code == 403


def test_a_lost_answer_is_sent_again_without_a_reset(split_list: SplitList) -> None:
    device, cursor = split_list.ana_pulled_once()
    gained = split_list.unassigned[0]
    split_list.assign(gained, split_list.ana)
    lost, _ = split_list.pull(device, cursor)
    again, _ = split_list.pull(device, cursor)
    assert [page["reset"] for page in again] == [False]
    assert ids(again, "household") == ids(lost, "household") == {gained.id}


def test_after_an_applied_page_the_same_changes_are_not_sent_again(
    split_list: SplitList,
) -> None:
    device, cursor = split_list.ana_pulled_once()
    split_list.assign(split_list.unassigned[0], split_list.ana)
    _, applied = split_list.pull(device, cursor)
    pages, _ = split_list.pull(device, applied)
    assert [page["changes"] for page in pages] == [[]]
