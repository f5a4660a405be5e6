"""A supervisor's message on my list (issue 15, 6): shown with who and when until "Got it",
which syncs as a read the server keeps."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.core.announcements import AnnouncementRequest
from sync_server import announcements
from sync_server.audit import Actor
from tests.support.browser import FletPage
from tests.support.running_banks import mounted_bank

pytestmark = pytest.mark.browser


def test_an_announcement_shows_until_got_it_and_the_read_reaches_the_server(
    tmp_path: Path, phone: FletPage
) -> None:
    with mounted_bank(tmp_path / "data") as running:
        bank = running.bank
        with running.store.transaction() as db:
            posted = announcements.post(
                db,
                bank.campaign.id,
                AnnouncementRequest(text="Nice work on the García call", caller_id=bank.caller.id),
                Actor("supervisor", "Coach Maya"),
            )
        phone.open(f"{running.url}/app/?invite={running.invite()}")
        banner = f"announcement-{posted.id}"
        phone.wait_label(banner, r"From Coach Maya · .+\sNice work on the García call")
        phone.shot("18-announcement-banner")
        phone.tap_id(f"announcement-read-{posted.id}")
        phone.by_id(banner).wait_for(state="detached")
        read = "SELECT caller_id, payload FROM events WHERE kind = 'announcement_read'"
        rows = running.rows_once_sent(read, count=1)
        assert [(r["caller_id"], json.loads(r["payload"])["announcement_id"]) for r in rows] == [
            (bank.caller.id, posted.id)
        ]
