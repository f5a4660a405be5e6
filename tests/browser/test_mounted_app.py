"""The caller app mounted in the sync server under /app (one origin, one process): an invite
link joins at once, and a reload keeps the joined device (its key lives in the browser)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from sync_server.db import Store
from tests.support.browser import FletPage
from tests.support.families import SeededBank
from tests.support.phone_bank import invite
from tests.support.running_banks import mounted_bank

pytestmark = pytest.mark.browser


@pytest.fixture
def mounted(tmp_path: Path) -> Iterator[tuple[str, Store, SeededBank]]:
    with mounted_bank(tmp_path / "data") as running:
        yield running.url, running.store, running.bank


def test_invite_link_joins_and_a_reload_keeps_the_device(
    mounted: tuple[str, Store, SeededBank], phone: FletPage, tmp_path: Path
) -> None:
    url, store, bank = mounted
    phone.open(f"{url}/app/?invite={invite(store, bank.caller)}")
    phone.by_id("household-hh-garcia").wait_for(state="attached")
    phone.wait_text("Welcome, Ana Reyes!")
    phone.shot("14-joined-from-invite-link")

    phone.open(f"{url}/app/")
    phone.by_id("household-hh-garcia").wait_for(state="attached")
    phone.page.set_viewport_size({"width": 1280, "height": 800})  # a laptop, same device
    phone.page.wait_for_timeout(800)
    phone.shot("15-laptop-my-list")
    devices = list((tmp_path / "data" / "devices").glob("*.sqlite"))
    assert len(devices) == 1  # the same device after the reload
