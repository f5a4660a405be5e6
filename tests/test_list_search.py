"""The search box on "My list" finds what callers type: names without their accents or
capitals, guardians and students, any part of a phone number however it is written, and a
family's language by its name in English or Spanish."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from app.core.models import Household, Member, PhoneNumber
from app.services import CallerSession, ListFilters
from app.store import DeviceStore
from app.sync import SyncClient
from sync_server.db import Store
from tests.support.families import FAMILIES, SeededBank
from tests.support.phone_bank import invite
from tests.support.server_rows import seed_households

pytestmark = pytest.mark.anyio

PEREZ = Household(
    id="hh-perez",
    name="Pérez family",
    language="es",
    phones=[PhoneNumber(number="+15105550142")],
    members=[
        Member(name="Inés Pérez", role="guardian"),
        Member(name="Joaquín Pérez", role="student"),
    ],
)
NGUYEN_VI = Household(
    id="hh-nguyen-vi",
    name="Nguyễn family",
    language="vi",
    phones=[PhoneNumber(number="+14155550199", label="home")],
    members=[
        Member(name="Đặng Thị Lan", role="guardian"),
        Member(name="Nguyễn Minh Châu", role="student"),
    ],
)
SPANISH = {"hh-garcia", "hh-lopez", "hh-perez"}


@pytest.fixture
async def joined(
    tmp_path: Path, server_app: FastAPI, store: Store, seeded_bank: SeededBank
) -> AsyncIterator[CallerSession]:
    """The seeded bank's caller, with two more families written as their names are spelt."""
    seed_households(store, seeded_bank.campaign.id, [PEREZ, NGUYEN_VI], seeded_bank.caller.id)
    device = DeviceStore.open(tmp_path / "device.db")
    async with SyncClient(device, transport=httpx.ASGITransport(app=server_app)) as sync:
        session = CallerSession(device, sync, "http://phonebank.test")
        await session.join(invite(store, seeded_bank.caller))
        yield session
    device.close()


def found(session: CallerSession, typed: str) -> set[str]:
    listed = session.my_list(ListFilters(text=typed))
    assert listed.total == 10  # the search narrows what is shown, never what is known
    return {row.household_id for group in listed.groups for row in group.rows}


PEREZ_ONLY = {"hh-perez"}
NGUYEN = {"hh-nguyen", "hh-nguyen-vi"}


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        # A family's name, whatever the accents and capitals.
        ("perez", PEREZ_ONLY),
        ("PEREZ FAMILY", PEREZ_ONLY),
        ("  Perez  ", PEREZ_ONLY),
        ("nguyen", NGUYEN),
        ("NGUYỄN", NGUYEN),
        ("garcia", {"hh-garcia"}),
        # A guardian's or a student's name.
        ("ines", PEREZ_ONLY),  # Inés, the guardian (and not "Chinese")
        ("joaquin", PEREZ_ONLY),  # the student
        ("luis", {"hh-garcia"}),  # a student of the seeded García family
        ("pat garcia", {"hh-garcia"}),  # its guardian, first and last name
        ("dang thi lan", {"hh-nguyen-vi"}),  # Đ is a letter of its own, not D with a mark
        ("minh chau", {"hh-nguyen-vi"}),
        # Any part of a phone number, however it is written.
        ("+15105550142", PEREZ_ONLY),
        ("(510) 555-0142", PEREZ_ONLY),
        ("510-555-0142", PEREZ_ONLY),
        ("510.555.0142", PEREZ_ONLY),
        ("555 0142", PEREZ_ONLY),
        ("1 510 555 0142", PEREZ_ONLY),
        ("0142", PEREZ_ONLY),
        ("142", PEREZ_ONLY),
        ("555 010", {family.id for family in FAMILIES}),  # the seeded +1510555010x
        ("415 555", {"hh-nguyen-vi"}),
        ("0199 nguyen", {"hh-nguyen-vi"}),
        # The family's language, by its name in English or Spanish, or the start of one.
        ("spanish", SPANISH),
        ("Español", SPANISH),
        ("espanol", SPANISH),
        ("span", SPANISH),
        ("vietnamese", NGUYEN),
        ("vietnamita", NGUYEN),
        ("chinese", {"hh-chen"}),  # zh-Hant: "Chinese (Traditional)"
        ("chino", {"hh-chen"}),
        ("arabic", {"hh-haddad"}),
        ("árabe", {"hh-haddad"}),
        ("spanish lopez", {"hh-lopez"}),
    ],
)
async def test_the_search_finds_what_callers_type(
    joined: CallerSession, typed: str, expected: set[str]
) -> None:
    assert found(joined, typed) == expected


async def test_every_word_and_number_typed_must_be_found(joined: CallerSession) -> None:
    assert found(joined, "perez 0142") == {"hh-perez"}
    assert found(joined, "perez 0101") == set()  # García's number
    assert found(joined, "familia perez") == set()  # "familia" is in no name


async def test_the_search_and_the_chips_narrow_together(joined: CallerSession) -> None:
    listed = joined.my_list(ListFilters(text="PEREZ", language="es"))
    assert [row.household_id for group in listed.groups for row in group.rows] == ["hh-perez"]
    assert not joined.my_list(ListFilters(text="perez", language="vi")).groups
