"""Opt-outs from the caller's side (issue 14, point 1): the one rule in app.core.effects, the
caller's session refusing a dial or a text for a way the family opted out of (not only the
screen), and the opt-out reaching the server and every other device holding the family."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi import FastAPI

from app.core.effects import household_after, may_change_household, opted_out, with_opt_out
from app.core.events import OptOutChannel, OptOutRecorded
from app.core.models import CampaignDraft, Household
from app.services import CallerSession, CallOptedOut, TextOptedOut, Translator, load_catalogues
from sync_server import auth
from sync_server.campaigns import create_campaign
from sync_server.db import Store
from sync_server.records import household_from_row
from tests.support.clock import Clock
from tests.support.families import SeededBank
from tests.support.phone_bank import joined_session
from tests.support.server_rows import put_household

pytestmark = pytest.mark.anyio
# 15:00 in Oakland (PST): inside the demo's calling window, so only the opt-out refuses.
AFTERNOON = datetime(2026, 1, 14, 23, 0, tzinfo=UTC)
FIELDS = {"call": "do_not_call", "text": "text_opt_out"}


def family() -> Household:
    return Household(id="hh-1", name="Rivera family")


# --- the rule ---------------------------------------------------------------------------


@pytest.mark.parametrize("channel", ["call", "text"])
def test_an_opt_out_locks_its_channel_only(channel: OptOutChannel) -> None:
    event = OptOutRecorded(campaign_id="c", household_id="hh-1", channel=channel)
    assert may_change_household(event)
    after = household_after(family(), event)
    other: OptOutChannel = "text" if channel == "call" else "call"
    assert opted_out(after, channel)
    assert not opted_out(after, other)
    assert getattr(after, FIELDS[channel]) is True


def test_an_opt_out_applied_twice_changes_nothing_the_second_time() -> None:
    event = OptOutRecorded(campaign_id="c", household_id="hh-1", channel="text")
    once = household_after(family(), event)
    assert household_after(once, event) is once


def test_a_lift_clears_the_flag_and_a_lifted_family_is_the_same_object_when_not_out() -> None:
    out = with_opt_out(family(), "call")
    assert not opted_out(with_opt_out(out, "call", out=False), "call")
    clear = family()
    assert with_opt_out(clear, "call", out=False) is clear


# --- the caller's session ------------------------------------------------------------------


@pytest.fixture
async def session(
    tmp_path: Path, server_app: FastAPI, store: Store, seeded_bank: SeededBank
) -> AsyncIterator[CallerSession]:
    """The seeded caller's phone, joined, in the afternoon (calling hours are open)."""
    async with joined_session(
        tmp_path / "phone.db", server_app, store, seeded_bank.caller, Clock(AFTERNOON)
    ) as joined:
        yield joined


async def test_the_session_refuses_to_dial_a_family_that_asked_not_to_be_called(
    session: CallerSession, seeded_bank: SeededBank
) -> None:
    campaign_id = seeded_bank.campaign.id
    assert session.dial(campaign_id, "hh-smith", "+15105550106").startswith("tel:")
    event = session.opt_out(campaign_id, "hh-smith", "call")
    assert event is not None and event.payload.kind == "opt_out_recorded"
    with pytest.raises(CallOptedOut) as refused:
        session.dial(campaign_id, "hh-smith", "+15105550106", reason="they asked")
    # The refusal reads in the caller's language, not only in English.
    spanish = Translator("es", load_catalogues())
    assert spanish.error(refused.value) == "Esta familia pidió que no la llamen."
    # Texts are still allowed: the family only asked not to be called.
    template = session.open_household(campaign_id, "hh-smith").text_options[0].template_id
    saved = session.text_household(campaign_id, "hh-smith", template)
    assert saved.link is not None and saved.link.startswith("sms:")
    # Asking again records nothing more.
    assert session.opt_out(campaign_id, "hh-smith", "call") is None
    sheet = session.open_household(campaign_id, "hh-smith")
    assert sheet.household.do_not_call and sheet.hours is None


async def test_the_session_refuses_to_text_a_family_that_asked_not_to_get_texts(
    session: CallerSession, seeded_bank: SeededBank
) -> None:
    campaign_id = seeded_bank.campaign.id
    template = session.open_household(campaign_id, "hh-lopez").text_options[0].template_id
    session.opt_out(campaign_id, "hh-lopez", "text")
    with pytest.raises(TextOptedOut):
        session.text_household(campaign_id, "hh-lopez", template)
    assert session.dial(campaign_id, "hh-lopez", "+15105550107").startswith("tel:")


# --- to the server and every device holding the family -------------------------------------


def on_server(store: Store, household_id: str) -> Household:
    with store.reading() as db:
        return household_from_row(
            next(db.query("SELECT body FROM households WHERE id = ?", [household_id]))
        )


async def test_an_opt_out_reaches_the_server_and_another_callers_device_at_its_next_pull(
    tmp_path: Path, server_app: FastAPI, store: Store, seeded_bank: SeededBank
) -> None:
    # The García family is also on another campaign's list, with another caller.
    with store.transaction() as db:
        other = create_campaign(db, CampaignDraft(slug="fair", name="Resource fair"))
        bea = auth.create_caller(db, "Bea", ["es"])
        put_household(
            db, None, other.id, bea.id, now="2026-01-14T00:00:00+00:00", household_id="hh-garcia"
        )
    clock = Clock(AFTERNOON)
    async with (
        joined_session(tmp_path / "ana.db", server_app, store, seeded_bank.caller, clock) as ana,
        joined_session(tmp_path / "bea.db", server_app, store, bea, clock) as bea_phone,
    ):
        assert not bea_phone.store.household("hh-garcia").text_opt_out  # type: ignore[union-attr]
        ana.opt_out(seeded_bank.campaign.id, "hh-garcia", "text")
        await ana.sync_now()
        assert on_server(store, "hh-garcia").text_opt_out
        assert not on_server(store, "hh-garcia").do_not_call

        await bea_phone.sync_now()
        held = bea_phone.store.household("hh-garcia")
        assert held is not None and held.text_opt_out and not held.do_not_call
        with pytest.raises(TextOptedOut):  # refused before any template is looked at
            bea_phone.text_household(other.id, "hh-garcia", "reminder")


async def test_an_opt_out_for_a_family_no_longer_on_the_list_waits_in_quarantine(
    tmp_path: Path, server_app: FastAPI, store: Store, seeded_bank: SeededBank
) -> None:
    async with joined_session(
        tmp_path / "ana.db", server_app, store, seeded_bank.caller, Clock(AFTERNOON)
    ) as ana:
        with store.transaction() as db:
            db.execute(
                "UPDATE campaign_households SET caller_id = NULL WHERE household_id = ?",
                ["hh-brown"],
            )
        ana.opt_out(seeded_bank.campaign.id, "hh-brown", "call")
        await ana.sync_now()
    with store.reading() as db:
        rows = list(db.query("SELECT quarantined FROM events WHERE kind = 'opt_out_recorded'"))
    assert rows == [{"quarantined": 1}]
    assert not on_server(store, "hh-brown").do_not_call
