"""A daily-attendance campaign's outcomes stay on callers' devices for a week and a day,
so a school year of daily lists does not pile up on the phone and in every pull."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from fastapi.testclient import TestClient

from app.core.clock import utcnow
from app.core.models import Caller, Campaign, CampaignDraft
from sync_server.campaigns import create_campaign
from sync_server.clock import iso
from sync_server.db import Store
from sync_server.push_pull import DAILY_OUTCOMES_KEPT_DAYS
from tests.support.device_api import ids, pull_all
from tests.support.phone_bank import JoinedDevice
from tests.support.server_rows import (
    add_household,
    add_outcome,
    make_household,
    seed_households,
)


def test_old_attendance_outcomes_leave_the_device_and_other_campaigns_keep_theirs(
    client: TestClient,
    store: Store,
    campaign: Campaign,
    make_caller: Callable[..., Caller],
    joined_device: Callable[[Caller], JoinedDevice],
) -> None:
    with store.transaction() as db:
        attendance = create_campaign(
            db, CampaignDraft(slug="attendance", name="Attendance", kind="daily_attendance")
        )
    ana = make_caller("Ana")
    family = make_household(0)
    seed_households(store, attendance.id, [family], caller_id=ana.id)
    with store.transaction() as db:  # the same family, in a campaign of each kind
        add_household(db, campaign.id, caller_id=ana.id, household_id=family.id)
    device = joined_device(ana)
    kept = timedelta(days=DAILY_OUTCOMES_KEPT_DAYS)
    now = utcnow()
    with store.transaction() as db:

        def outcome(campaign_id: str, age: timedelta) -> str:
            return add_outcome(db, device.device_id, campaign_id, family.id, received_at=now - age)

        last_week = outcome(attendance.id, kept - timedelta(hours=1))
        last_month = outcome(attendance.id, timedelta(days=30))
        standard_last_month = outcome(campaign.id, timedelta(days=30))

    pages, cursor = pull_all(client, device)
    assert ids(pages, "outcome") == {last_week, standard_last_month}
    assert last_month not in ids(pages, "outcome") | ids(pages, "outcome", "remove")

    with store.transaction() as db:  # two hours pass: last week's is now too old
        db.execute(
            "UPDATE events SET received_at = ? WHERE event_id = ?",
            [iso(now - kept - timedelta(hours=1)), last_week],
        )
    pages, _ = pull_all(client, device, cursor)
    assert ids(pages, "outcome", "remove") == {last_week}
    assert ids(pages, "outcome") == set()
    assert ids(pages, "household", "remove") == set()  # the family stays on the list
