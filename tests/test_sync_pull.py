"""Pull: what a device may see, recomputed each time; removes, resets and paging."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.core.models import Caller, Campaign, Household
from sync_server.db import Store
from tests.support.events import outcome_event, push_body
from tests.support.phone_bank import JoinedDevice
from tests.support.server_rows import assign, make_household, seed_households


@pytest.fixture
def ana(make_caller: Callable[..., Caller]) -> Caller:
    return make_caller("Ana", ("es",))


@pytest.fixture
def bo(make_caller: Callable[..., Caller]) -> Caller:
    return make_caller("Bo", ("en",))


def pull_all(
    client: TestClient, device: JoinedDevice, cursor: str | None = None, limit: int = 500
) -> tuple[list[dict[str, Any]], str | None]:
    """Every page until has_more is false; returns (pages, last cursor)."""
    pages: list[dict[str, Any]] = []
    while True:
        response = client.post(
            "/api/v1/sync/pull",
            json={"device_id": device.device_id, "cursor": cursor, "limit": limit},
            headers=device.headers,
        )
        assert response.status_code == 200, response.text
        page = response.json()
        pages.append(page)
        cursor = page["cursor"]
        if not page["has_more"]:
            return pages, cursor


def ids(pages: list[dict[str, Any]], entity: str, op: str = "put") -> set[str]:
    return {
        change["id"]
        for page in pages
        for change in page["changes"]
        if change["entity"] == entity and change["op"] == op
    }


@pytest.fixture
def split_list(
    store: Store, campaign: Campaign, ana: Caller, bo: Caller
) -> dict[str, list[Household]]:
    mine = [make_household(i, language="es") for i in range(4)]
    theirs = [make_household(10 + i) for i in range(3)]
    unassigned = [make_household(20)]
    seed_households(store, campaign.id, mine, caller_id=ana.id)
    seed_households(store, campaign.id, theirs, caller_id=bo.id)
    seed_households(store, campaign.id, unassigned)
    return {"mine": mine, "theirs": theirs, "unassigned": unassigned}


def test_first_pull_is_a_reset_with_only_the_callers_households(
    client: TestClient,
    campaign: Campaign,
    ana: Caller,
    joined_device: Callable[[Caller], JoinedDevice],
    split_list: dict[str, list[Household]],
) -> None:
    pages, _ = pull_all(client, joined_device(ana))
    assert pages[0]["reset"] is True
    assert ids(pages, "household") == {h.id for h in split_list["mine"]}
    assert ids(pages, "campaign") == {campaign.id}
    assert ids(pages, "assignment") == {f"{campaign.id}:{h.id}" for h in split_list["mine"]}


def test_an_incremental_pull_with_nothing_new_is_empty(
    client: TestClient,
    ana: Caller,
    joined_device: Callable[[Caller], JoinedDevice],
    split_list: dict[str, list[Household]],
) -> None:
    device = joined_device(ana)
    _, cursor = pull_all(client, device)
    pages, _ = pull_all(client, device, cursor)
    assert pages == [{**pages[0], "reset": False, "changes": [], "has_more": False}]


def test_a_household_moved_away_arrives_as_a_remove(
    client: TestClient,
    store: Store,
    campaign: Campaign,
    ana: Caller,
    bo: Caller,
    joined_device: Callable[[Caller], JoinedDevice],
    split_list: dict[str, list[Household]],
) -> None:
    device = joined_device(ana)
    _, cursor = pull_all(client, device)
    moved = split_list["mine"][0]
    assign(store, campaign.id, moved.id, bo.id)
    pages, _ = pull_all(client, device, cursor)
    assert ids(pages, "household", "remove") == {moved.id}
    assert ids(pages, "assignment", "remove") == {f"{campaign.id}:{moved.id}"}
    assert ids(pages, "household") == set()


def test_a_household_moved_in_arrives_as_a_put(
    client: TestClient,
    store: Store,
    campaign: Campaign,
    ana: Caller,
    joined_device: Callable[[Caller], JoinedDevice],
    split_list: dict[str, list[Household]],
) -> None:
    device = joined_device(ana)
    _, cursor = pull_all(client, device)
    gained = split_list["unassigned"][0]
    assign(store, campaign.id, gained.id, ana.id)
    pages, _ = pull_all(client, device, cursor)
    assert ids(pages, "household") == {gained.id}
    assert pages[0]["reset"] is False


def test_an_unknown_cursor_answers_a_reset_with_a_full_snapshot(
    client: TestClient,
    ana: Caller,
    joined_device: Callable[[Caller], JoinedDevice],
    split_list: dict[str, list[Household]],
) -> None:
    device = joined_device(ana)
    pull_all(client, device)
    pages, _ = pull_all(client, device, cursor="from-a-backup-the-server-never-saw")
    assert pages[0]["reset"] is True
    assert ids(pages, "household") == {h.id for h in split_list["mine"]}


@pytest.mark.parametrize("limit", [1, 3, 7])
def test_pages_add_up_to_the_snapshot(
    client: TestClient,
    ana: Caller,
    joined_device: Callable[[Caller], JoinedDevice],
    split_list: dict[str, list[Household]],
    limit: int,
) -> None:
    pages, _ = pull_all(client, joined_device(ana), limit=limit)
    assert all(len(page["changes"]) <= limit for page in pages)
    assert [page["has_more"] for page in pages][-1] is False
    assert ids(pages, "household") == {h.id for h in split_list["mine"]}
    assert [page["reset"] for page in pages] == [True] + [False] * (len(pages) - 1)


def test_outcomes_from_the_callers_other_device_are_pulled(
    client: TestClient,
    campaign: Campaign,
    ana: Caller,
    joined_device: Callable[[Caller], JoinedDevice],
    split_list: dict[str, list[Household]],
) -> None:
    phone, laptop = joined_device(ana), joined_device(ana)
    household = split_list["mine"][0]
    event = outcome_event(1, campaign.id, household.id, "left_voicemail", notes="Msg in Spanish")
    client.post(
        "/api/v1/sync/push", json=push_body(phone.device_id, [event]), headers=phone.headers
    )
    pages, _ = pull_all(client, laptop)
    outcomes = [c["data"] for p in pages for c in p["changes"] if c["entity"] == "outcome"]
    assert [(o["event_id"], o["disposition"], o["notes"]) for o in outcomes] == [
        (str(event.event_id), "left_voicemail", "Msg in Spanish")
    ]


def test_a_phone_marked_wrong_reaches_the_device_as_an_updated_household(
    client: TestClient,
    campaign: Campaign,
    ana: Caller,
    joined_device: Callable[[Caller], JoinedDevice],
    split_list: dict[str, list[Household]],
) -> None:
    device = joined_device(ana)
    _, cursor = pull_all(client, device)
    household = split_list["mine"][1]
    number = household.phones[0].number
    event = outcome_event(1, campaign.id, household.id, "wrong_number", phone=number)
    client.post(
        "/api/v1/sync/push", json=push_body(device.device_id, [event]), headers=device.headers
    )
    pages, _ = pull_all(client, device, cursor)
    updated = [c["data"] for p in pages for c in p["changes"] if c["entity"] == "household"]
    assert [phone["bad"] for phone in updated[0]["phones"]] == [True]


def test_an_older_devices_outcome_marks_bad_what_its_campaign_says_is_bad(
    client: TestClient,
    store: Store,
    campaign: Campaign,
    ana: Caller,
    joined_device: Callable[[Caller], JoinedDevice],
    split_list: dict[str, list[Household]],
) -> None:
    """The event carries only its code; the campaign's own outcome, saved before outcomes
    had flags, asks which number did not work: that number is marked bad."""
    number_changed = {"code": "number_changed", "label": "Number changed", "asks_for": "bad_number"}
    with store.transaction() as db:
        db.execute(
            "UPDATE campaigns SET body = json_set(body, '$.dispositions', json(?)) WHERE id = ?",
            [json.dumps([number_changed]), campaign.id],
        )
    device = joined_device(ana)
    _, cursor = pull_all(client, device)
    household = split_list["mine"][1]
    number = household.phones[0].number
    event = outcome_event(1, campaign.id, household.id, "number_changed", phone=number)
    assert event.payload.effects is None  # type: ignore[union-attr]
    client.post(
        "/api/v1/sync/push", json=push_body(device.device_id, [event]), headers=device.headers
    )
    pages, _ = pull_all(client, device, cursor)
    updated = [c["data"] for p in pages for c in p["changes"] if c["entity"] == "household"]
    assert [phone["bad"] for phone in updated[0]["phones"]] == [True]


def test_another_device_cannot_be_pulled_with_my_token(
    client: TestClient,
    ana: Caller,
    bo: Caller,
    joined_device: Callable[[Caller], JoinedDevice],
    split_list: dict[str, list[Household]],
) -> None:
    mine, theirs = joined_device(ana), joined_device(bo)
    response = client.post(
        "/api/v1/sync/pull", json={"device_id": theirs.device_id}, headers=mine.headers
    )
    assert response.status_code == 403


def test_a_lost_answer_is_sent_again_without_a_reset(
    client: TestClient,
    store: Store,
    campaign: Campaign,
    ana: Caller,
    joined_device: Callable[[Caller], JoinedDevice],
    split_list: dict[str, list[Household]],
) -> None:
    device = joined_device(ana)
    _, cursor = pull_all(client, device)
    gained = split_list["unassigned"][0]
    assign(store, campaign.id, gained.id, ana.id)
    lost, _ = pull_all(client, device, cursor)
    again, _ = pull_all(client, device, cursor)
    assert [page["reset"] for page in again] == [False]
    assert ids(again, "household") == ids(lost, "household") == {gained.id}


def test_after_an_applied_page_the_same_changes_are_not_sent_again(
    client: TestClient,
    store: Store,
    campaign: Campaign,
    ana: Caller,
    joined_device: Callable[[Caller], JoinedDevice],
    split_list: dict[str, list[Household]],
) -> None:
    device = joined_device(ana)
    _, cursor = pull_all(client, device)
    assign(store, campaign.id, split_list["unassigned"][0].id, ana.id)
    _, applied = pull_all(client, device, cursor)
    pages, _ = pull_all(client, device, applied)
    assert [page["changes"] for page in pages] == [[]]
