"""The console as a school coordinator: the same scope and the same route table as the API
(sync_server/roles.py), through the console's services, and a rail without admin screens."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from app.core.errors import NotFound
from app.core.reports import CallerUpdate
from sync_server import audit, auth
from sync_server.console.services import ConsoleService
from sync_server.console.views.screens import SCREENS, screens_for
from sync_server.db import Store
from sync_server.roles import AdminOnly
from tests.support.console import SignedInConsole
from tests.support.server_rows import add_device, add_follow_up, add_household, add_outcome

LINCOLN, ROOSEVELT = "Lincoln Elementary", "Roosevelt Middle"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store(tmp_path / "phonebank.sqlite")
    yield opened
    opened.close()


@dataclass
class Schools:
    admin: SignedInConsole
    coordinator: ConsoleService
    lincoln: str
    roosevelt: str
    follow_ups: dict[str, str]
    quarantined: dict[str, str]


@pytest.fixture
def schools(store: Store) -> Schools:
    """One family at each school, both called by Ana, each with an open follow-up and a
    quarantined event; a console signed in as Lincoln's coordinator."""
    admin = SignedInConsole.seed(store)
    with store.transaction() as db:
        auth.create_supervisor(db, "maria", "maria's password", "coordinator", [LINCOLN])
        device = add_device(db, admin.ana)
        lincoln = add_household(db, admin.campaign_id, school=LINCOLN, caller_id=admin.ana)
        roosevelt = add_household(db, admin.campaign_id, school=ROOSEVELT, caller_id=admin.ana)
        follow_ups = {
            LINCOLN: add_follow_up(db, admin.campaign_id, lincoln, admin.ana, None),
            ROOSEVELT: add_follow_up(db, admin.campaign_id, roosevelt, admin.ana, None),
        }
        quarantined = {
            LINCOLN: add_outcome(db, device, admin.campaign_id, lincoln, quarantined=True),
            ROOSEVELT: add_outcome(db, device, admin.campaign_id, roosevelt, quarantined=True),
        }
    coordinator = ConsoleService(store)
    coordinator.sign_in("maria", "maria's password")
    return Schools(admin, coordinator, lincoln, roosevelt, follow_ups, quarantined)


def test_a_coordinators_rail_has_no_admin_screens() -> None:
    shown = {screen.id for screen in screens_for(admin=False)}
    assert shown == {"dashboard", "assignment", "follow_ups", "quarantine", "privacy", "families"}
    assert screens_for(admin=True) == SCREENS


def test_the_console_knows_the_role(schools: Schools) -> None:
    assert (schools.coordinator.is_admin, schools.admin.service.is_admin) == (False, True)


@pytest.mark.parametrize("role", ["admin", "coordinator"])
def test_lists_hold_only_the_roles_schools(schools: Schools, role: str) -> None:
    service = schools.admin.service if role == "admin" else schools.coordinator
    campaign = schools.admin.campaign_id
    expected = {schools.lincoln} | ({schools.roosevelt} if role == "admin" else set())
    assert {h.id for h in service.campaign_list(campaign)} == expected
    assert {f.household_id for f in service.follow_ups(campaign)} == expected
    assert {e.household_id for e in service.quarantined(campaign_id=campaign)} == expected
    assert {i for i, _ in service.find_families(campaign, "family")} == expected
    progress = service.dashboard(campaign).progress
    assert progress.totals.households == len(expected)


def another_school(schools: Schools) -> dict[str, Callable[[], Any]]:
    service, campaign = schools.coordinator, schools.admin.campaign_id
    return {
        "record": lambda: service.household_record(schools.roosevelt),
        "delete": lambda: service.delete_household(schools.roosevelt),
        "move": lambda: service.move_households(campaign, [schools.roosevelt], None),
        "plan": lambda: service.plan_assignment(campaign, household_ids=[schools.roosevelt]),
        "close": lambda: service.close_follow_up(schools.follow_ups[ROOSEVELT]),
        "accept": lambda: service.accept_quarantined(schools.quarantined[ROOSEVELT]),
        "dismiss": lambda: service.dismiss_quarantined(schools.quarantined[ROOSEVELT]),
    }


@pytest.mark.parametrize(
    "action", ["record", "delete", "move", "plan", "close", "accept", "dismiss"]
)
def test_another_schools_family_is_not_found(schools: Schools, action: str) -> None:
    with pytest.raises(NotFound):
        another_school(schools)[action]()
    assert schools.admin.service.household_record(schools.roosevelt).household.name


def admin_actions(schools: Schools) -> dict[str, Callable[[], Any]]:
    service, campaign = schools.coordinator, schools.admin.campaign_id
    return {
        "add caller": lambda: service.add_caller("Zoe", ["en"]),
        "edit caller": lambda: service.update_caller(schools.admin.ana, CallerUpdate(active=False)),
        "invite": lambda: service.invite(schools.admin.ana, "http://x"),
        "rebalance": lambda: service.rebalance(campaign, dry_run=True),
        "retention": lambda: service.retention_dry_run(),
        "audit log": lambda: service.audit_entries(audit.AuditFilter()),
        "targeting": lambda: service.facets(),
        "import": lambda: service.preview_import(b"name,phone\nA,5105550100\n"),
        "announce": lambda: service.post_announcement(campaign, "Hello"),
        "script": lambda: service.delete_script(campaign, "en"),
    }


@pytest.mark.parametrize(
    "action",
    [
        "add caller",
        "edit caller",
        "invite",
        "rebalance",
        "retention",
        "audit log",
        "targeting",
        "import",
        "announce",
        "script",
    ],
)
def test_admin_actions_are_refused_to_a_coordinator(schools: Schools, action: str) -> None:
    with pytest.raises(AdminOnly):
        admin_actions(schools)[action]()
