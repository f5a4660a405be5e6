"""A device is not sent back the outcomes it pushed; everyone else still gets them."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from app.core.models import Caller, Campaign, Household
from sync_server import quarantine
from sync_server.db import Store
from tests.support.device_api import ids, pull_all, push
from tests.support.events import outcome_event
from tests.support.phone_bank import JoinedDevice
from tests.support.server_rows import make_household, seed_households


@pytest.fixture
def ana(make_caller: Callable[..., Caller]) -> Caller:
    return make_caller("Ana", ("es",))


@pytest.fixture
def households(store: Store, campaign: Campaign, ana: Caller) -> list[Household]:
    """Ana's two households, and one nobody has."""
    mine = [make_household(0), make_household(1)]
    seed_households(store, campaign.id, mine, caller_id=ana.id)
    seed_households(store, campaign.id, [make_household(2)])
    return [*mine, make_household(2)]


def pulled_once(client: TestClient, device: JoinedDevice) -> str | None:
    _, cursor = pull_all(client, device)
    return cursor


def test_the_pushing_device_is_not_sent_its_own_outcome_and_its_other_device_is(
    client: TestClient,
    campaign: Campaign,
    ana: Caller,
    households: list[Household],
    joined_device: Callable[[Caller], JoinedDevice],
) -> None:
    phone, laptop = joined_device(ana), joined_device(ana)
    phone_cursor, laptop_cursor = pulled_once(client, phone), pulled_once(client, laptop)
    event = outcome_event(1, campaign.id, households[0].id, "left_voicemail")
    assert push(client, phone, [event]).json()["results"][0]["status"] == "applied"

    phone_pages, _ = pull_all(client, phone, phone_cursor)
    laptop_pages, _ = pull_all(client, laptop, laptop_cursor)

    assert ids(phone_pages, "outcome") == set()
    assert ids(laptop_pages, "outcome") == {str(event.event_id)}


def test_a_reset_sends_the_device_its_own_outcomes_again(
    client: TestClient,
    campaign: Campaign,
    ana: Caller,
    households: list[Household],
    joined_device: Callable[[Caller], JoinedDevice],
) -> None:
    phone = joined_device(ana)
    pulled_once(client, phone)
    event = outcome_event(1, campaign.id, households[1].id, "no_answer")
    push(client, phone, [event])

    pages, _ = pull_all(client, phone, cursor="from-a-backup-the-server-never-saw")

    assert pages[0]["reset"] is True
    assert ids(pages, "outcome") == {str(event.event_id)}


def test_a_quarantined_outcome_reaches_the_device_once_accepted(
    client: TestClient,
    store: Store,
    campaign: Campaign,
    ana: Caller,
    households: list[Household],
    joined_device: Callable[[Caller], JoinedDevice],
) -> None:
    phone = joined_device(ana)
    cursor = pulled_once(client, phone)
    nobodys = households[2]
    event = outcome_event(1, campaign.id, nobodys.id, "no_answer")
    assert push(client, phone, [event]).json()["results"][0]["status"] == "quarantined"
    with store.transaction() as db:
        quarantine.accept(db, str(event.event_id))
    seed_households(store, campaign.id, [nobodys], caller_id=ana.id)

    pages, _ = pull_all(client, phone, cursor)

    assert ids(pages, "outcome") == {str(event.event_id)}
