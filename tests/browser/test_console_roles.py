"""The console in a real browser as a school coordinator: only their schools' families, and
no screens for district admins (sync_server/roles.py)."""

from __future__ import annotations

import pytest

from sync_server import auth
from sync_server.clock import iso, utcnow
from tests.support.browser import ConsolePage
from tests.support.running_banks import ConsoleBank
from tests.support.server_rows import make_household, put_household

pytestmark = pytest.mark.browser

COORDINATOR = ("lincoln-coordinator", "lincoln password")


def test_a_coordinator_finds_only_their_schools_families(
    console: ConsolePage, console_bank: ConsoleBank
) -> None:
    bank = console_bank
    ortiz = make_household(1).model_copy(
        update={"name": "Ortiz family", "school": "Lincoln Elementary"}
    )
    okafor = make_household(2).model_copy(
        update={"name": "Okafor family", "school": "Roosevelt Middle"}
    )
    with bank.store.transaction() as db:
        auth.create_supervisor(db, *COORDINATOR, "coordinator", ["Lincoln Elementary"])
        for family in (ortiz, okafor):
            put_household(db, family, bank.campaign.id, bank.ana.caller.id, now=iso(utcnow()))

    console.open(bank.console_url)
    console.sign_in(*COORDINATOR)
    for screen in ("import", "targeting", "campaigns", "callers"):
        assert console.by_id(f"nav-{screen}").count() == 0, screen
    console.go("families")
    console.type_into("Find a family (name, phone or id)", "family")
    console.by_id(f"family-{ortiz.id}").wait_for()
    assert console.by_id(f"family-{okafor.id}").count() == 0
    console.shot("console-coordinator-families")
