"""Families' data in a real browser: a supervisor deletes a family on request, the caller's
phone no longer gets it, and the audit log page shows who did it — filtered to deletions."""

from __future__ import annotations

import pytest

from app.core.privacy import ANONYMISED_NAME
from tests.support.browser import ConsolePage
from tests.support.phone_bank import SUPERVISOR
from tests.support.running_banks import ConsoleBank
from tests.support.server_rows import make_household, seed_households

pytestmark = pytest.mark.browser


def test_a_supervisor_deletes_a_family_and_the_audit_log_shows_it(
    console: ConsolePage, console_bank: ConsoleBank
) -> None:
    families = [make_household(index) for index in range(3)]
    seed_households(
        console_bank.store, console_bank.campaign.id, families, console_bank.ana.caller.id
    )
    gone = families[0]
    assert gone.id in console_bank.pull_households(console_bank.ana)

    console.open(console_bank.console_url)
    console.sign_in(*SUPERVISOR)
    console.go("privacy")
    console.type_into("Household id or student/family number", gone.id)
    console.tap("Delete this family's data")
    console.tap_id("confirm-delete-household")
    console.wait_name(
        "notice",
        f"Deleted household {gone.id}: name, phones, notes and answers removed. Its outcomes "
        "still count, anonymised; callers' phones drop it at their next sync.",
    )

    [row] = console_bank.store.db.execute(
        "SELECT name, phones FROM households WHERE id = ?", [gone.id]
    ).fetchall()
    assert row == (ANONYMISED_NAME, "[]")
    assert gone.id not in console_bank.pull_households(console_bank.ana)

    console.tap_id("audit-action-household")
    console.wait_name("audit-count", "Audit entries shown: 1 entry")
    [entry_id] = [
        r[0]
        for r in console_bank.store.db.execute(
            "SELECT id FROM audit_log WHERE action = 'household.delete'"
        )
    ]
    label = console.label(f"audit-entry-{entry_id}")
    assert f"{SUPERVISOR[0]} · Deleted a family's personal data · household {gone.id}" in label
    console.shot("console-20-families-data")
