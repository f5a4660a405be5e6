"""Opt-outs on the server (issue 14, point 1): a caller's opt-out event sets the household's
flag; assignment, targeting and moves refuse a do-not-call family (a text opt-out keeps it
callable); a supervisor lifts an opt-out only with a reason, audited and in the family's
record, and devices see the lift at their next pull; both exports carry the opt-outs."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from app.core.errors import Conflict
from app.core.events import Event, OptOutChannel, OptOutRecorded
from app.core.models import Caller, Household
from sync_server import assignment, targeting
from sync_server.audit import SYSTEM, AuditFilter, entries
from sync_server.console.services import ConsoleService
from sync_server.db import Store
from sync_server.deletion import anonymise_households
from sync_server.export import export_outcomes_csv
from sync_server.household_export import iter_households_csv
from sync_server.opt_outs import ReasonRequired, lift_opt_out
from sync_server.records import household_from_row
from tests.support.device_api import ids, pull_all, push
from tests.support.events import device_event, outcome_event
from tests.support.families import SeededBank
from tests.support.phone_bank import SUPERVISOR, JoinedDevice

ADMIN = "/api/v1/admin"


def opt_out(seq: int, campaign_id: str, household_id: str, channel: OptOutChannel) -> Event:
    payload = OptOutRecorded(campaign_id=campaign_id, household_id=household_id, channel=channel)
    return device_event(seq, payload)


def on_server(store: Store, household_id: str) -> Household:
    with store.reading() as db:
        return household_from_row(
            next(db.query("SELECT body FROM households WHERE id = ?", [household_id]))
        )


@pytest.fixture
def phone(seeded_bank: SeededBank, joined_device: Callable[[Caller], JoinedDevice]) -> JoinedDevice:
    return joined_device(seeded_bank.caller)


@pytest.fixture
def opted_out(client: TestClient, seeded_bank: SeededBank, phone: JoinedDevice) -> SeededBank:
    """The Smiths asked not to be called, the Lopezes not to get texts."""
    campaign_id = seeded_bank.campaign.id
    events = [
        opt_out(1, campaign_id, "hh-smith", "call"),
        opt_out(2, campaign_id, "hh-lopez", "text"),
        outcome_event(3, campaign_id, "hh-smith", "reached_complete"),
    ]
    answer = push(client, phone, events)
    assert answer.status_code == 200, answer.text
    assert {r["status"] for r in answer.json()["results"]} == {"applied"}
    return seeded_bank


def test_a_callers_opt_out_sets_the_households_flag_for_that_channel_only(
    store: Store, opted_out: SeededBank
) -> None:
    smith, lopez = on_server(store, "hh-smith"), on_server(store, "hh-lopez")
    assert (smith.do_not_call, smith.text_opt_out) == (True, False)
    assert (lopez.do_not_call, lopez.text_opt_out) == (False, True)


def test_assignment_moves_and_targeting_refuse_a_family_that_asked_not_to_be_called(
    store: Store, opted_out: SeededBank
) -> None:
    campaign_id = opted_out.campaign.id
    with store.transaction() as db:
        db.execute("UPDATE campaign_households SET caller_id = NULL")
        plan = assignment.plan_assignment(db, campaign_id)
        placed = {move.household_id for move in plan.moves}
        # Every campaign is a calling campaign: do-not-call stays off every list; a family
        # that only refused texts is still called.
        assert plan.do_not_call == ["hh-smith"]
        assert "hh-smith" not in placed and "hh-lopez" in placed
        with pytest.raises(Conflict):
            assignment.move_households(db, campaign_id, ["hh-smith"], opted_out.caller.id)
        moved = assignment.move_households(db, campaign_id, ["hh-lopez"], opted_out.caller.id)
        assert [m.household_id for m in moved.moved] == ["hh-lopez"]
        db.execute("DELETE FROM campaign_households WHERE household_id IN ('hh-smith', 'hh-lopez')")
        targeted = targeting.add_to_campaign(db, campaign_id, ["hh-smith", "hh-lopez"])
    assert targeted.do_not_call == ["hh-smith"] and targeted.added == 1


@pytest.mark.usefixtures("opted_out")
def test_lifting_needs_a_supervisor_and_a_reason(
    client: TestClient, store: Store, supervisor_headers: dict[str, str], phone: JoinedDevice
) -> None:
    url = f"{ADMIN}/households/hh-smith/opt-outs/lift"
    body = {"channel": "call", "reason": "Mr. Smith called the school to ask for calls again"}
    assert client.post(url, json=body).status_code == 401
    assert client.post(url, json=body, headers=phone.headers).status_code in (401, 403)
    blank = client.post(url, json={**body, "reason": "  "}, headers=supervisor_headers)
    assert blank.status_code == 400, blank.text
    assert on_server(store, "hh-smith").do_not_call
    with store.reading() as db:
        assert list(entries(db, AuditFilter(action="household.opt_out_lift"))) == []
    not_out = client.post(url, json={**body, "channel": "text"}, headers=supervisor_headers)
    assert not_out.status_code == 409


@pytest.mark.usefixtures("opted_out")
def test_a_lift_is_audited_in_the_record_and_on_every_device_at_its_next_pull(
    client: TestClient, store: Store, supervisor_headers: dict[str, str], phone: JoinedDevice
) -> None:
    _, cursor = pull_all(client, phone)
    reason = "Mr. Smith called the school to ask for calls again"
    lifted = client.post(
        f"{ADMIN}/households/hh-smith/opt-outs/lift",
        json={"channel": "call", "reason": reason},
        headers=supervisor_headers,
    )
    assert lifted.status_code == 200, lifted.text
    record = lifted.json()
    assert record["household"]["do_not_call"] is False
    assert record["history"][0]["summary"] == f"Opt-out lifted (do not call): {reason}"
    assert record["history"][0]["caller_name"] == "coordinator"
    summaries = [change["summary"] for change in record["history"]]
    assert "Asked not to be called" in summaries  # the caller's opt-out stays in the record
    assert not on_server(store, "hh-smith").do_not_call

    with store.reading() as db:
        (entry,) = entries(db, AuditFilter(action="household.opt_out_lift"))
    assert entry.actor_name == "coordinator" and entry.target_ids == ["hh-smith"]
    assert entry.detail["channel"] == "call"
    assert reason not in entry.model_dump_json()  # the record keeps it, a deletion clears it

    pages, _ = pull_all(client, phone, cursor)
    assert ids(pages, "household") == {"hh-smith"}
    (sent,) = [c["data"] for p in pages for c in p["changes"] if c["entity"] == "household"]
    assert sent["do_not_call"] is False


def test_deleting_the_family_clears_the_reason_but_keeps_the_lift(
    store: Store, opted_out: SeededBank
) -> None:
    with store.transaction() as db:
        lift_opt_out(db, "hh-lopez", "text", "Ms. Lopez asked for texts", SYSTEM)
        with pytest.raises(ReasonRequired):
            lift_opt_out(db, "hh-smith", "call", "", SYSTEM)
        anonymise_households(db, ["hh-lopez"], "family_request")
        rows = list(db.query("SELECT household_id, channel, reason FROM opt_out_lifts"))
    assert rows == [{"household_id": "hh-lopez", "channel": "text", "reason": ""}]


def test_both_exports_carry_the_opt_outs(store: Store, opted_out: SeededBank) -> None:
    campaign_id = opted_out.campaign.id
    with store.reading() as db:
        outcomes = list(csv.DictReader(io.StringIO(export_outcomes_csv(db, campaign_id))))
        families = list(
            csv.DictReader(
                io.StringIO("".join(iter_households_csv(db, campaign_id)).removeprefix("\ufeff"))
            )
        )
    (smith,) = [row for row in outcomes if row["household_id"] == "hh-smith"]
    assert (smith["do_not_call"], smith["text_opt_out"]) == ("yes", "no")
    by_id = {row["household_id"]: row for row in families}
    assert (by_id["hh-lopez"]["do_not_call"], by_id["hh-lopez"]["text_opt_out"]) == ("no", "yes")
    assert by_id["hh-smith"]["do_not_call"] == "yes"


def test_the_console_lifts_an_opt_out_as_the_signed_in_supervisor(
    store: Store, supervisor_headers: dict[str, str], opted_out: SeededBank
) -> None:
    console = ConsoleService(store)
    console.sign_in(*SUPERVISOR)
    with pytest.raises(ReasonRequired):
        console.lift_opt_out("hh-lopez", "text", "")
    record = console.lift_opt_out("hh-lopez", "text", "Ms. Lopez asked for texts again")
    assert not record.household.text_opt_out
    assert record.history[0].summary.startswith("Opt-out lifted (do not text)")
    with store.reading() as db:
        (entry,) = entries(db, AuditFilter(action="household.opt_out_lift"))
    assert (entry.actor_name, entry.target_ids) == ("coordinator", ["hh-lopez"])
