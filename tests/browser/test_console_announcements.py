"""The console's announcements (issue 15, 6): the supervisor posts to every caller of the
campaign from the Callers screen, and sees who has read it once a caller's phone syncs."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from app.core.events import AnnouncementRead, Event
from sync_server.clock import iso, utcnow
from tests.support.browser import ConsolePage
from tests.support.phone_bank import SUPERVISOR
from tests.support.running_banks import ConsoleBank
from tests.support.server_rows import make_household, put_household

pytestmark = pytest.mark.browser


def test_the_supervisor_posts_and_sees_who_read_it(
    console: ConsolePage, console_bank: ConsoleBank
) -> None:
    bank, ana = console_bank, console_bank.ana
    with bank.store.transaction() as db:
        put_household(db, make_household(3), bank.campaign.id, ana.caller.id, now=iso(utcnow()))
    console.open(bank.console_url)
    console.sign_in(*SUPERVISOR)
    console.go("callers")
    console.type_into("Message", "Thanks for tonight, everyone")
    console.tap("Post")
    console.wait_text("Thanks for tonight, everyone")
    (posted,) = bank.store.db.execute("SELECT id FROM announcements").fetchall()
    node = f"announcement-{posted[0]}"
    console.page.wait_for_function(
        "id => document.querySelector(`[flt-semantics-identifier='${id}']`)"
        "?.textContent.includes('read by 0: nobody yet')",
        arg=node,
    )
    read = AnnouncementRead(campaign_id=bank.campaign.id, announcement_id=posted[0])
    event = Event(event_id=uuid.uuid4(), seq=1, recorded_at=datetime.now(UTC), payload=read)
    assert [r["status"] for r in bank.push(ana, [event])["results"]] == ["applied"]
    console.page.wait_for_function(
        "id => document.querySelector(`[flt-semantics-identifier='${id}']`)"
        "?.textContent.includes('read by 1: Ana Reyes')",
        arg=node,
    )
    console.shot("console-announcements")
