"""The caller app's service against the real server in-process: join, list, call, record."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from app.core.errors import InvalidInvite, NotFound
from app.core.models import Campaign, CampaignDraft, Disposition
from app.core.outcome_draft import OutcomeDraft
from app.services import (
    CallerSession,
    InvalidAnswer,
    ListFilters,
    OutcomeIncomplete,
    TextOptedOut,
)
from app.store import DeviceStore
from app.sync import SyncClient
from sync_server.campaigns import update_campaign
from sync_server.db import Store
from sync_server.records import household_from_row
from tests.support.clock import Clock
from tests.support.families import SeededBank
from tests.support.phone_bank import invite

URL = "http://phonebank.test"
# 15:00 in Oakland (PST): inside the demo's 9:00–20:00 calling window.
NOON_ISH = datetime(2026, 1, 14, 23, 0, tzinfo=UTC)
pytestmark = pytest.mark.anyio


@pytest.fixture
def clock() -> Clock:
    return Clock(NOON_ISH)


@pytest.fixture
async def session(
    tmp_path: Path, server_app: FastAPI, clock: Clock
) -> AsyncIterator[CallerSession]:
    device = DeviceStore.open(tmp_path / "device.db", clock=clock)
    transport = httpx.ASGITransport(app=server_app)
    async with SyncClient(device, transport=transport) as sync:
        yield CallerSession(device, sync, URL, clock=clock, device_name="test phone")
    device.close()


@pytest.fixture
async def joined(session: CallerSession, seeded_bank: SeededBank, store: Store) -> CallerSession:
    await session.join(invite(store, seeded_bank.caller))
    return session


def server_events(store: Store) -> list[dict[str, Any]]:
    with store.reading() as db:
        return list(db.query("SELECT * FROM events ORDER BY seq"))


def group_of(session: CallerSession, household_id: str) -> str:
    for group in session.my_list().groups:
        for row in group.rows:
            if row.household_id == household_id:
                return group.group
    raise AssertionError(f"{household_id} is not on the list")


async def test_join_syncs_the_list_at_once(joined: CallerSession, seeded_bank: SeededBank) -> None:
    listed = joined.my_list()
    assert joined.caller is not None and joined.caller.name == "Ana Reyes"
    assert listed.total == len(seeded_bank.households)
    assert [group.group for group in listed.groups] == ["new"]
    assert joined.status.last_success_at is not None


@pytest.mark.parametrize("code", ["", "   ", "WRONG-CODE-123"])
async def test_a_wrong_code_is_refused_and_nothing_is_joined(
    session: CallerSession, seeded_bank: SeededBank, code: str
) -> None:
    with pytest.raises(InvalidInvite):
        await session.join(code)
    assert not session.joined
    assert session.my_list().total == 0


async def test_a_used_code_cannot_join_twice(
    session: CallerSession,
    seeded_bank: SeededBank,
    store: Store,
    tmp_path: Path,
    server_app: FastAPI,
) -> None:
    code = invite(store, seeded_bank.caller)
    await session.join(code)
    other = DeviceStore.open(tmp_path / "other.db")
    async with SyncClient(other, transport=httpx.ASGITransport(app=server_app)) as sync:
        with pytest.raises(InvalidInvite):
            await CallerSession(other, sync, URL).join(code)
    other.close()


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (ListFilters(text="garc"), {"hh-garcia"}),
        (ListFilters(text="FAMILY chen"), {"hh-chen"}),
        (ListFilters(language="es"), {"hh-garcia", "hh-lopez"}),
        (ListFilters(language="zh"), {"hh-chen"}),
        (ListFilters(tag="no-device"), {"hh-garcia", "hh-chen"}),
        (ListFilters(text="lopez", language="es"), {"hh-lopez"}),
        (ListFilters(text="nobody"), set()),
    ],
)
async def test_search_and_filters(
    joined: CallerSession, filters: ListFilters, expected: set[str]
) -> None:
    listed = joined.my_list(filters)
    shown = {row.household_id for group in listed.groups for row in group.rows}
    assert shown == expected
    assert listed.total == 8  # the filters narrow what is shown, not what is known
    assert "no-device" in listed.tags and "zh-Hant" in listed.languages


async def test_calling_hours_say_too_late_in_the_household_clock(
    joined: CallerSession, clock: Clock
) -> None:
    clock.now = datetime(2026, 1, 15, 4, 5, tzinfo=UTC)  # 20:05 in Oakland
    row = joined.my_list(ListFilters(text="smith")).groups[0].rows[0]
    assert row.hours is not None
    assert not row.hours.allowed and row.hours.reason == "too_late"
    assert (row.hours.local_time.hour, row.hours.local_time.minute) == (20, 5)


async def test_call_sheet_in_spanish_with_placeholders_and_need_sections(
    joined: CallerSession, seeded_bank: SeededBank
) -> None:
    sheet = joined.open_household(seeded_bank.campaign.id, "hh-garcia")
    assert sheet.script is not None and sheet.script.language == "es"
    opening = sheet.script.sections[0].body
    assert "Ana Reyes" in opening and "Luis y Ana tengan" in opening and "{" not in opening
    section_ids = [section.id for section in sheet.script.sections]
    assert "no-device" in section_ids and "iep" not in section_ids
    assert set(sheet.script_languages) == {"ar", "en", "es", "vi", "zh-Hant"}
    assert [d.code for d in sheet.quick_outcomes] == [
        "no_answer",
        "left_voicemail",
        "reached_complete",
        "busy",
    ]
    assert sheet.phones[0].tel_link == "tel:+15105550101"
    assert sheet.students == ("Luis", "Ana")
    assert sheet.text_language == "es" and sheet.text_options
    assert "no-device" in sheet.needs and sheet.resources[0][0] == "no-device"


async def test_one_tap_switches_the_script_to_another_language(
    joined: CallerSession, seeded_bank: SeededBank
) -> None:
    arabic = joined.open_household(seeded_bank.campaign.id, "hh-garcia", language="ar")
    assert arabic.script is not None
    assert arabic.script.language == "ar" and arabic.script.direction == "rtl"
    assert not arabic.script.fell_back  # the caller chose it: Spanish has a script
    chinese = joined.open_household(seeded_bank.campaign.id, "hh-chen")
    assert chinese.script is not None and chinese.script.language == "zh-Hant"


@pytest.mark.parametrize(
    ("platform", "link", "caller_id"),
    [
        (None, "tel:*67+15105550101", "hidden"),
        ("android", "tel:*67+15105550101", "hidden"),
        # An iPhone refuses a link with * in it: the call would never be placed.
        ("ios", "tel:+15105550101", "cannot_hide"),
        ("macos", "tel:+15105550101", "cannot_hide"),
    ],
)
async def test_the_caller_id_prefix_is_dialled_first_where_the_phone_dials_it(
    joined: CallerSession,
    seeded_bank: SeededBank,
    store: Store,
    platform: str | None,
    link: str,
    caller_id: str,
) -> None:
    campaign = seeded_bank.campaign.id
    assert joined.open_household(campaign, "hh-garcia").caller_id is None  # no prefix yet
    with store.transaction() as db:
        body = seeded_bank.campaign.model_copy(update={"caller_id_prefix": "*67"}).model_dump_json()
        db.execute(
            "UPDATE campaigns SET body = ?, version = version + 1000 WHERE id = ?",
            [body, campaign],
        )
    await joined.sync_now()
    joined.platform = platform
    sheet = joined.open_household(campaign, "hh-garcia")
    assert (sheet.phones[0].tel_link, sheet.caller_id) == (link, caller_id)
    # A text never carries the code: it would go to a number starting with *67.
    texted = joined.text_household(campaign, "hh-garcia", sheet.text_options[0].template_id)
    assert texted.link is not None and texted.link.startswith("sms:+15105550101?")


async def test_the_walk_regroups_the_list_and_reaches_the_server(
    joined: CallerSession, seeded_bank: SeededBank, store: Store, clock: Clock
) -> None:
    campaign = seeded_bank.campaign.id
    joined.record_outcome(OutcomeDraft(campaign, "hh-garcia", "no_answer", phone="+15105550101"))
    assert group_of(joined, "hh-garcia") == "retry"

    later = clock.now + timedelta(hours=1)
    joined.record_outcome(OutcomeDraft(campaign, "hh-garcia", "call_back_later", callback_at=later))
    assert group_of(joined, "hh-garcia") == "callback"
    assert [row.household_name for row in joined.follow_ups()] == ["García family"]

    saved = joined.record_outcome(
        OutcomeDraft(
            campaign,
            "hh-garcia",
            "reached_complete",
            answers={
                "every-student-has-device": "sí",
                "internet-at-home": "Wifi en casa",
                "student-count": "2",
                "anything-else": "",
            },
            needs_found=("no-device",),
            resources_shared=("no-device",),
            notes="  Muy amable ",
        )
    )
    assert saved.event.payload.model_dump()["answers"] == {
        "every-student-has-device": True,
        "internet-at-home": "home-wifi",  # the choice id, the same in every language
        "student-count": 2,
    }
    assert group_of(joined, "hh-garcia") == "done"
    assert joined.follow_ups() == []  # the completed call answered the callback

    stats = joined.stats()
    assert (stats.today.calls, stats.today.conversations, stats.today.completed) == (3, 2, 1)
    assert stats.cheer == "stats.cheer.completed"

    assert joined.status.pending == 4  # three outcomes and the closed callback
    await joined.sync_now()
    assert joined.status.pending == 0
    outcomes = [e for e in server_events(store) if e["kind"] == "outcome_recorded"]
    assert [e["disposition"] for e in outcomes] == [
        "no_answer",
        "call_back_later",
        "reached_complete",
    ]


async def test_next_household_skips_the_one_just_called_and_done_ones(
    joined: CallerSession, seeded_bank: SeededBank
) -> None:
    first = joined.next_household()
    assert first is not None
    joined.record_outcome(
        OutcomeDraft(seeded_bank.campaign.id, first.household_id, "reached_complete")
    )
    following = joined.next_household(after=first.key)
    assert following is not None and following.household_id != first.household_id


@pytest.mark.parametrize(
    ("code", "detail"),
    [
        ("call_back_later", "callback_at"),
        ("language_needed", "language_needed"),
        ("wrong_number", "phone"),
    ],
)
async def test_second_tap_outcomes_need_their_detail(
    joined: CallerSession, seeded_bank: SeededBank, clock: Clock, code: str, detail: str
) -> None:
    with pytest.raises(OutcomeIncomplete):
        joined.record_outcome(OutcomeDraft(seeded_bank.campaign.id, "hh-smith", code))
    assert joined.status.pending == 0  # nothing half-written
    values: dict[str, Any] = {
        "callback_at": clock.now + timedelta(hours=2),
        "language_needed": "vi",
        "phone": "+15105550106",
    }
    joined.record_outcome(
        OutcomeDraft(seeded_bank.campaign.id, "hh-smith", code, **{detail: values[detail]})
    )
    assert joined.status.pending == 1


async def test_a_wrong_number_is_marked_bad(joined: CallerSession, seeded_bank: SeededBank) -> None:
    joined.record_outcome(
        OutcomeDraft(seeded_bank.campaign.id, "hh-garcia", "wrong_number", phone="+15105550101")
    )
    sheet = joined.open_household(seeded_bank.campaign.id, "hh-garcia")
    assert [(p.number, p.bad) for p in sheet.phones] == [
        ("+15105550101", True),
        ("+15105550102", False),
    ]


def set_dispositions(store: Store, campaign: Campaign, *dispositions: Disposition) -> None:
    """What a supervisor does in the console's outcome editor."""
    draft = CampaignDraft.model_validate(
        campaign.model_dump(exclude={"id"}) | {"dispositions": list(dispositions)}
    )
    with store.transaction() as db:
        update_campaign(db, campaign.id, draft)


def numbers_on_both_sides(
    session: CallerSession, store: Store, campaign: Campaign, household_id: str
) -> tuple[list[tuple[str, bool]], list[tuple[str, bool]]]:
    on_device = session.open_household(campaign.id, household_id).phones
    with store.reading() as db:
        row = next(db.query("SELECT * FROM households WHERE id = ?", [household_id]))
    on_server = household_from_row(row).phones
    return [(p.number, p.bad) for p in on_device], [(p.number, p.bad) for p in on_server]


async def test_a_campaigns_own_bad_number_outcome_marks_it_bad_on_device_and_server(
    joined: CallerSession, seeded_bank: SeededBank, store: Store
) -> None:
    number_changed = Disposition(
        code="number_changed", label="Number changed", marks_number_bad=True, asks_for="bad_number"
    )
    set_dispositions(store, seeded_bank.campaign, number_changed)
    await joined.sync_now()
    joined.record_outcome(
        OutcomeDraft(seeded_bank.campaign.id, "hh-garcia", "number_changed", phone="+15105550102")
    )
    expected = [("+15105550101", False), ("+15105550102", True)]
    assert numbers_on_both_sides(joined, store, seeded_bank.campaign, "hh-garcia")[0] == expected
    # The supervisor changes the outcome before the event arrives: what the caller saw stands.
    set_dispositions(
        store, seeded_bank.campaign, Disposition(code="number_changed", label="Changed")
    )
    await joined.sync_now()
    assert joined.status.pending == 0
    assert numbers_on_both_sides(joined, store, seeded_bank.campaign, "hh-garcia") == (
        expected,
        expected,
    )


async def test_a_bad_answer_names_the_question_and_saves_nothing(
    joined: CallerSession, seeded_bank: SeededBank
) -> None:
    with pytest.raises(InvalidAnswer, match="estudiantes"):
        joined.record_outcome(
            OutcomeDraft(
                seeded_bank.campaign.id,
                "hh-garcia",
                "reached_complete",
                answers={"student-count": "dos"},
            )
        )
    assert joined.status.pending == 0


async def test_texting_opens_the_messaging_app_and_logs_a_text(
    joined: CallerSession, seeded_bank: SeededBank
) -> None:
    sheet = joined.open_household(seeded_bank.campaign.id, "hh-garcia")
    saved = joined.text_household(
        seeded_bank.campaign.id, "hh-garcia", sheet.text_options[0].template_id
    )
    assert saved.link is not None and saved.link.startswith("sms:+15105550101?body=")
    assert "Recordatorio" in httpx.URL(saved.link.replace("sms:", "sms://x/")).params["body"]
    assert saved.channel == "text"
    history = joined.open_household(seeded_bank.campaign.id, "hh-garcia").history
    assert [item.channel for item in history] == ["text"]
    assert joined.stats().today.calls == 0  # a text is not a call


async def test_a_family_that_opted_out_of_texts_gets_none(
    joined: CallerSession, seeded_bank: SeededBank
) -> None:
    sheet = joined.open_household(seeded_bank.campaign.id, "hh-okafor")
    with pytest.raises(TextOptedOut):
        joined.text_household(
            seeded_bank.campaign.id, "hh-okafor", sheet.text_options[0].template_id
        )
    assert joined.status.pending == 0


@pytest.mark.parametrize("channel", ["inbound_call", "inbound_text"])
async def test_inbound_contact_is_logged_with_its_channel(
    joined: CallerSession, seeded_bank: SeededBank, store: Store, channel: str
) -> None:
    joined.log_inbound(seeded_bank.campaign.id, "hh-nguyen", channel)  # type: ignore[arg-type]
    await joined.sync_now()
    rows = [e for e in server_events(store) if e["kind"] == "outcome_recorded"]
    assert [(row["household_id"], row["channel"]) for row in rows] == [("hh-nguyen", channel)]


async def test_follow_ups_list_callbacks_and_referrals_due_first(
    joined: CallerSession, seeded_bank: SeededBank, clock: Clock
) -> None:
    campaign = seeded_bank.campaign.id
    joined.schedule_follow_up(campaign, "hh-smith", clock.now + timedelta(days=1))
    joined.schedule_follow_up(campaign, "hh-chen", clock.now - timedelta(minutes=5))
    joined.schedule_follow_up(
        campaign, "hh-haddad", None, kind="referral", detail="Special education team to call"
    )
    rows = joined.follow_ups()
    assert [row.household_name for row in rows] == ["Chen family", "Smith family", "Haddad family"]
    assert [row.is_due for row in rows] == [True, False, False]
    joined.close_follow_up(rows[0].follow_up.id, "Reached")
    assert next(row.household_name for row in joined.follow_ups()) == "Smith family"


async def test_callbacks_due_count_only_callbacks_whose_time_has_come(
    joined: CallerSession, seeded_bank: SeededBank, clock: Clock
) -> None:
    campaign = seeded_bank.campaign.id
    assert joined.callbacks_due() == 0
    joined.schedule_follow_up(campaign, "hh-smith", clock.now + timedelta(hours=1))
    joined.schedule_follow_up(campaign, "hh-chen", clock.now + timedelta(hours=3))
    joined.schedule_follow_up(
        campaign, "hh-haddad", clock.now - timedelta(hours=1), kind="referral", detail="IEP team"
    )
    assert joined.callbacks_due() == 0  # a referral past its time is not a callback
    clock.now += timedelta(hours=2)
    assert joined.callbacks_due() == 1
    smith = next(row for row in joined.follow_ups() if row.household_name == "Smith family")
    joined.close_follow_up(smith.follow_up.id, "Reached")
    assert joined.callbacks_due() == 0


async def test_offline_work_waits_and_goes_when_the_server_is_back(
    tmp_path: Path, server_app: FastAPI, seeded_bank: SeededBank, store: Store, clock: Clock
) -> None:
    from tests.support.faulty_transport import FaultyTransport

    device = DeviceStore.open(tmp_path / "device.db", clock=clock)
    transport = FaultyTransport(httpx.ASGITransport(app=server_app))
    async with SyncClient(device, transport=transport) as sync:
        session = CallerSession(device, sync, URL, clock=clock)
        await session.join(invite(store, seeded_bank.caller))
        transport.offline = True
        session.record_outcome(OutcomeDraft(seeded_bank.campaign.id, "hh-smith", "no_answer"))
        session.record_outcome(OutcomeDraft(seeded_bank.campaign.id, "hh-brown", "busy"))
        assert await session.sync_now() is None
        assert (session.status.online, session.status.pending) == (False, 2)
        transport.offline = False
        assert await session.sync_now() is not None
        assert (session.status.online, session.status.pending) == (True, 0)
    device.close()
    assert [e["household_id"] for e in server_events(store)] == ["hh-smith", "hh-brown"]


async def test_an_unknown_household_is_a_clear_error(joined: CallerSession) -> None:
    with pytest.raises(NotFound, match="no longer on your list"):
        joined.open_household("nope", "hh-garcia")


async def test_only_the_campaigns_dispositions_can_be_recorded(
    joined: CallerSession, seeded_bank: SeededBank
) -> None:
    with pytest.raises(NotFound):
        joined.record_outcome(OutcomeDraft(seeded_bank.campaign.id, "hh-garcia", "made_up_code"))
    assert joined.status.pending == 0
