"""A device is not sent back the outcomes it pushed; everyone else still gets them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient

from app.core.events import Event
from app.core.models import Caller, Campaign, Household
from sync_server import quarantine
from sync_server.db import Store
from tests.support.device_api import ids, pull_all, push
from tests.support.events import outcome_event
from tests.support.phone_bank import JoinedDevice
from tests.support.server_rows import assign, make_household, seed_households


@pytest.fixture
def ana(make_caller: Callable[..., Caller]) -> Caller:
    return make_caller("Ana", ("es",))


@dataclass
class AnasList:
    """Ana's two households and one nobody has, in a campaign; her devices join it."""

    client: TestClient
    campaign: Campaign
    mine: list[Household]
    nobodys: Household
    join: Callable[[], JoinedDevice]

    def pulled_once(self) -> tuple[JoinedDevice, str | None]:
        """A device of Ana's, joined, and the cursor its first pull left."""
        device = self.join()
        _, cursor = pull_all(self.client, device)
        return device, cursor

    def push_outcome(self, device: JoinedDevice, household: Household, code: str) -> Event:
        event = outcome_event(1, self.campaign.id, household.id, code)
        response = push(self.client, device, [event])
        assert response.status_code == 200, response.text
        return event


@pytest.fixture
def anas_list(
    client: TestClient,
    store: Store,
    campaign: Campaign,
    ana: Caller,
    joined_device: Callable[[Caller], JoinedDevice],
) -> AnasList:
    mine, nobodys = [make_household(0), make_household(1)], make_household(2)
    seed_households(store, campaign.id, mine, caller_id=ana.id)
    seed_households(store, campaign.id, [nobodys])
    return AnasList(client, campaign, mine, nobodys, lambda: joined_device(ana))


def test_the_pushing_device_is_not_sent_its_own_outcome_and_its_other_device_is(
    anas_list: AnasList,
) -> None:
    phone, phone_cursor = anas_list.pulled_once()
    laptop, laptop_cursor = anas_list.pulled_once()
    event = anas_list.push_outcome(phone, anas_list.mine[0], "left_voicemail")

    phone_pages, _ = pull_all(anas_list.client, phone, phone_cursor)
    laptop_pages, _ = pull_all(anas_list.client, laptop, laptop_cursor)

    assert ids(phone_pages, "outcome") == set()
    assert ids(laptop_pages, "outcome") == {str(event.event_id)}


def test_a_reset_sends_the_device_its_own_outcomes_again(anas_list: AnasList) -> None:
    phone, _ = anas_list.pulled_once()
    event = anas_list.push_outcome(phone, anas_list.mine[1], "no_answer")

    pages, _ = pull_all(anas_list.client, phone, cursor="from-a-backup-the-server-never-saw")

    assert pages[0]["reset"] is True
    assert ids(pages, "outcome") == {str(event.event_id)}


def test_a_quarantined_outcome_reaches_the_device_once_accepted(
    anas_list: AnasList, store: Store, ana: Caller
) -> None:
    phone, cursor = anas_list.pulled_once()
    event = anas_list.push_outcome(phone, anas_list.nobodys, "no_answer")
    with store.transaction() as db:
        assert quarantine.get_quarantined(db, str(event.event_id)) is not None
        quarantine.accept(db, str(event.event_id))
    assign(store, anas_list.campaign.id, anas_list.nobodys.id, ana.id)

    pages, _ = pull_all(anas_list.client, phone, cursor)

    assert ids(pages, "outcome") == {str(event.event_id)}
