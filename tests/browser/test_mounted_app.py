"""The caller app mounted in the sync server under /app (one origin, one process): an invite
link joins at once, and a reload keeps the joined device (its key lives in the browser)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from sync_server.db import Store
from tests.caller_seed import SeededBank, invite, seed_bank
from tests.server_process import free_port

from .conftest import ROOT, FletPage, _stop, _wait_for

pytestmark = pytest.mark.browser


@pytest.fixture
def mounted(tmp_path: Path) -> Iterator[tuple[str, Store, SeededBank]]:
    db_path = tmp_path / "data" / "phonebank.sqlite"
    db_path.parent.mkdir()
    store = Store(db_path)
    bank = seed_bank(store)
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "sync_server.cli",
            "serve",
            "--db",
            str(db_path),
            "--port",
            str(port),
        ],
        cwd=ROOT,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=dict(os.environ),
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_for(f"{url}/app/", process, 30)
        yield url, store, bank
    finally:
        _stop(process)
        store.close()


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
