"""A lost device (issue 14 point 2), on the phone and without a page: a wipe order erases
the device database (the file itself), the caller's "sign out and erase this phone" pushes
first and refuses to lose unsent work without a second yes, and a device silent for longer
than its campaign allows hides its families until it syncs again."""

from __future__ import annotations

import asyncio
import random
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from app.core.errors import DeviceWiped
from app.core.models import Caller, Household
from app.services import CallerSession, UnsentWorkWouldBeLost, load_catalogues, practice_session
from app.store import DeviceStore
from app.sync import SyncClient
from app.ui.app import CallerApp
from app.ui.context import Services
from app.ui.state import AppState, SyncState
from sync_server import auth
from tests.support.clock import Clock
from tests.support.events import record_outcome
from tests.support.faulty_transport import FaultyTransport
from tests.support.flet_client import FletPageWithoutBrowser
from tests.support.phone_bank import PhoneBank
from tests.support.running_banks import change_campaign

pytestmark = pytest.mark.anyio

URL = "http://phonebank.test"
START = datetime(2026, 3, 2, 17, 0, tzinfo=UTC)


@pytest.fixture
def families(bank: PhoneBank, ana: Caller) -> list[Household]:
    return bank.households(ana, 3)


@pytest.fixture
def clock() -> Clock:
    return Clock(START)


@pytest.fixture
def phone(tmp_path: Path, clock: Clock) -> DeviceStore:
    return DeviceStore.open(tmp_path / "phone" / "phone.sqlite", clock=clock)


@pytest.fixture
async def session(
    phone: DeviceStore,
    transport: FaultyTransport,
    bank: PhoneBank,
    ana: Caller,
    families: list[Household],
    clock: Clock,
) -> AsyncIterator[CallerSession]:
    async with SyncClient(phone, transport=transport, rng=random.Random(1), clock=clock) as sync:
        session = CallerSession(phone, sync, URL, clock=clock)
        await session.join(bank.invite(ana))
        yield session
    phone.close()


def _device(bank: PhoneBank, device_id: str) -> dict[str, object]:
    [row] = bank.rows("SELECT * FROM devices WHERE id = ?", [device_id])
    return row


def _files(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in folder.iterdir() if path.is_file()}


def _wipe(bank: PhoneBank, device_id: str) -> None:
    with bank.store.transaction() as db:
        auth.order_wipe(db, device_id)


async def test_a_wipe_order_erases_every_family_and_the_database_file(
    session: CallerSession,
    phone: DeviceStore,
    bank: PhoneBank,
    families: list[Household],
    transport: FaultyTransport,
    tmp_path: Path,
) -> None:
    assert session.my_list().total == 3
    identity = phone.identity
    assert identity is not None
    folder = tmp_path / "phone"
    transport.offline = True
    record_outcome(phone, bank.campaign.id, families[0].id, "busy")
    phone.add_note(bank.campaign.id, families[1].id, "Grandmother answers; speaks Mam")
    transport.offline = False
    before = b"".join(_files(folder).values())
    assert families[0].name.encode() in before and b"Grandmother" in before  # the test can fail
    _wipe(bank, identity.device_id)

    with pytest.raises(DeviceWiped):
        await session.sync.sync_once()  # type: ignore[union-attr]

    assert not session.joined and session.status.erased and session.status.pending == 0
    assert phone.identity is None and phone.campaigns() == [] and phone.households_for_list() == []
    assert phone.outbox_events() == [] and phone.scripts_for(bank.campaign.id) == []
    for content in _files(folder).values():  # the database, and any journal beside it
        for family in families:
            assert family.name.encode() not in content
        assert b"Grandmother" not in content and identity.token.encode() not in content
    server = _device(bank, identity.device_id)
    assert server["wipe_delivered_at"] is not None and server["erased_reason"] == "wipe"
    assert (server["erased_unsent"], server["erased_seq"]) == (2, 2)
    assert server["last_seq"] == 0


async def test_after_a_wipe_the_phone_joins_again_as_a_new_device(
    session: CallerSession, phone: DeviceStore, bank: PhoneBank, ana: Caller
) -> None:
    old = phone.identity
    assert old is not None
    _wipe(bank, old.device_id)
    await session.sync_now()
    assert not session.joined

    await session.join(bank.invite(ana))

    assert session.joined and not session.status.erased
    assert phone.identity is not None and phone.identity.device_id != old.device_id
    assert session.my_list().total == 3


async def test_sign_out_and_erase_sends_the_work_first_when_it_can(
    session: CallerSession, phone: DeviceStore, bank: PhoneBank, families: list[Household]
) -> None:
    identity = phone.identity
    assert identity is not None
    record_outcome(phone, bank.campaign.id, families[0].id, "busy")

    lost = await session.sign_out_and_erase()

    assert lost == 0 and not session.joined and phone.households_for_list() == []
    assert [row["disposition"] for row in bank.rows("SELECT * FROM events")] == ["busy"]
    server = _device(bank, identity.device_id)
    assert (server["erased_reason"], server["erased_unsent"]) == ("sign_out", 0)
    assert server["revoked_at"] is not None


async def test_sign_out_and_erase_refuses_to_lose_unsent_work_without_a_second_yes(
    session: CallerSession,
    phone: DeviceStore,
    bank: PhoneBank,
    families: list[Household],
    transport: FaultyTransport,
) -> None:
    identity = phone.identity
    assert identity is not None
    transport.offline = True
    for family in families[:2]:
        record_outcome(phone, bank.campaign.id, family.id, "no_answer")

    with pytest.raises(UnsentWorkWouldBeLost) as refused:
        await session.sign_out_and_erase()

    assert refused.value.values == {"count": 2}
    assert session.joined and phone.pending_count() == 2 and session.my_list().total == 3

    lost = await session.sign_out_and_erase(unsent_work_lost_is_ok=True)

    assert lost == 2 and not session.joined and phone.outbox_events() == []
    assert bank.rows("SELECT * FROM events") == []
    # Offline, the server could not be told: the console says what it can know.
    assert _device(bank, identity.device_id)["erased_at"] is None


async def test_a_phone_silent_for_longer_than_its_campaign_allows_hides_its_families(
    session: CallerSession,
    phone: DeviceStore,
    bank: PhoneBank,
    families: list[Household],
    clock: Clock,
    transport: FaultyTransport,
) -> None:
    phone.schedule_callback(bank.campaign.id, families[0].id, START)
    assert len(session.follow_ups()) == 1
    assert session.families_hidden_after() is None
    transport.offline = True
    clock.now = START + timedelta(days=14, minutes=1)
    await session.sync_now()  # fails: offline

    assert session.families_hidden_after() == 14
    assert session.my_list().total == 0 and session.follow_ups() == []

    transport.offline = False
    await session.sync_now()
    assert session.families_hidden_after() is None and session.my_list().total == 3
    assert len(session.follow_ups()) == 1


async def test_the_campaigns_own_setting_says_how_long_silence_may_last(
    session: CallerSession, bank: PhoneBank, clock: Clock
) -> None:
    change_campaign(bank.store, bank.campaign, hide_families_after_days=3)
    await session.sync_now()
    clock.now = START + timedelta(days=3, hours=1)
    assert session.families_hidden_after() == 3
    clock.now = START + timedelta(days=2, hours=23)
    assert session.families_hidden_after() is None


def test_erasing_a_store_that_was_never_joined_leaves_an_empty_database(tmp_path: Path) -> None:
    store = DeviceStore.open(tmp_path / "fresh.sqlite")
    store.erase()
    assert store.identity is None and store.pending_count() == 0
    assert store.households_for_list() == [] and (tmp_path / "fresh.sqlite").exists()
    store.close()


async def _nothing(*_args: object) -> None:
    return None


def _identifiers(page: FletPageWithoutBrowser) -> set[str]:
    named = (getattr(control, "identifier", None) for control in page.controls())
    return {str(identifier) for identifier in named if identifier}


async def _drawn(page: FletPageWithoutBrowser, identifier: str) -> set[str]:
    """The identifiers on the page once ``identifier`` is among them (or after 3 s)."""
    for _ in range(300):
        await asyncio.sleep(0.01)
        if identifier in (found := _identifiers(page)):
            return found
    return _identifiers(page)


async def test_the_app_shows_the_hidden_families_notice_instead_of_the_list(
    session: CallerSession, clock: Clock, families: list[Household]
) -> None:
    page = FletPageWithoutBrowser()
    services = Services(
        session=session,
        catalogues=load_catalogues(),
        make_practice=practice_session,
        open_link=_nothing,
        remember=_nothing,
    )
    app = AppState(screen="list")
    page.render(CallerApp, services, app, SyncState())
    shown = await _drawn(page, f"household-{families[0].id}")
    assert f"household-{families[0].id}" in shown and "families-hidden" not in shown

    clock.now = START + timedelta(days=15)
    app.changed()

    hidden = await _drawn(page, "families-hidden")
    assert "families-hidden" in hidden
    assert not any(name.startswith("household-") for name in hidden)
