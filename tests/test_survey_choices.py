"""Survey answers are data, not wording: a choice stores a stable id shared by every
language's script, exports give the id and the default language's label, old scripts and old
label answers still work, and a yes to a question that opens a follow-up opens it."""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from app.core.events import Event
from app.core.models import Caller, CampaignDraft, ScriptDraft, SurveyQuestion
from app.core.outcome_draft import OutcomeDraft
from app.services import CallerSession, InvalidAnswer, typed_answer
from sync_server.campaigns import create_campaign, put_script
from sync_server.console.state import ScriptEditor
from sync_server.console.state.script_state import choices_from_text, choices_text
from sync_server.db import Store
from sync_server.demo import demo_campaigns
from sync_server.export import export_outcomes_csv
from tests.support.events import outcome_event, push_body
from tests.support.families import SeededBank
from tests.support.phone_bank import JoinedDevice, joined_session
from tests.support.server_rows import make_household, seed_households

NOON = datetime(2026, 1, 14, 20, 0, tzinfo=UTC)
"""Noon in Oakland: inside the demo's calling hours."""


def _exported(store: Store, campaign_id: str) -> list[dict[str, str]]:
    with store.reading() as db:
        text = export_outcomes_csv(db, campaign_id)
    return list(csv.DictReader(io.StringIO(text, newline="")))


# -- the model --------------------------------------------------------------------------------


def test_old_plain_string_choices_still_validate() -> None:
    question = SurveyQuestion.model_validate(
        {"id": "q", "prompt": "Internet?", "type": "choice", "choices": ["Phone only", "Wifi"]}
    )
    assert [(c.id, c.label) for c in question.choices] == [
        ("phone-only", "Phone only"),
        ("wifi", "Wifi"),
    ]
    mixed = SurveyQuestion.model_validate(
        {"id": "q", "prompt": "?", "type": "choice", "choices": ["A", {"id": "b", "label": "Be"}]}
    )
    assert [c.id for c in mixed.choices] == ["a", "b"]


def test_the_demo_scripts_share_choice_ids_across_languages() -> None:
    checked = 0
    for _draft, scripts in demo_campaigns():
        by_question: dict[str, set[tuple[str, ...]]] = {}
        for script in scripts:
            for question in script.questions:
                if question.type == "choice":
                    by_question.setdefault(question.id, set()).add(
                        tuple(c.id for c in question.choices)
                    )
        for question_id, id_lists in by_question.items():
            assert len(id_lists) == 1, f"{question_id} has different choice ids per language"
            checked += 1
    assert checked >= 2  # tech-check's internet-at-home and attendance-lab's reason
    tech = next(s for d, s in demo_campaigns() if d.slug == "tech-check")
    spanish = next(s for s in tech if s.language == "es")
    internet = next(q for q in spanish.questions if q.id == "internet-at-home")
    assert ("phone-only", "Solo el del celular") in [(c.id, c.label) for c in internet.choices]
    reserve = next(q for q in spanish.questions if q.id == "reserve-chromebook")
    assert reserve.opens_follow_up  # the demo's "reserve a Chromebook" opens a follow-up


def test_a_label_in_another_language_or_the_id_gives_the_id() -> None:
    question = SurveyQuestion.model_validate(
        {
            "id": "internet",
            "prompt": "Internet?",
            "type": "choice",
            "choices": [{"id": "phone-only", "label": "Phone only"}],
        }
    )
    assert typed_answer(question, "phone-only") == "phone-only"
    assert typed_answer(question, "phone ONLY") == "phone-only"
    assert typed_answer(question, "Solo el del celular", {"solo el del celular": "phone-only"}) == (
        "phone-only"
    )


def test_a_choice_not_in_the_list_is_refused_naming_the_question() -> None:
    question = SurveyQuestion.model_validate(
        {"id": "internet", "prompt": "Internet?", "type": "choice", "choices": ["Phone only"]}
    )
    with pytest.raises(InvalidAnswer) as refused:
        typed_answer(question, "Cable", {"cable": "cable"})  # an id of no choice here
    assert "Internet?" in str(refused.value)
    assert "Phone only" in str(refused.value)


def test_the_console_editor_keeps_ids_when_a_label_is_reworded() -> None:
    before = SurveyQuestion.model_validate(
        {
            "id": "q",
            "prompt": "?",
            "type": "choice",
            "choices": [{"id": "phone-only", "label": "Solo el del celular"}, "Hotspot"],
        }
    ).choices
    assert choices_text(before) == "phone-only = Solo el del celular, Hotspot"
    edited = choices_from_text("phone-only = Solo celular, Hotspot, home-wifi = Wifi", before)
    assert [(c.id, c.label) for c in edited] == [
        ("phone-only", "Solo celular"),
        ("hotspot", "Hotspot"),
        ("home-wifi", "Wifi"),
    ]
    assert [c.id for c in choices_from_text("Solo el del celular", before)] == ["phone-only"]


def test_the_console_editor_sets_what_a_yes_opens() -> None:
    editor = ScriptEditor(ScriptDraft(language="en"))
    editor.add_question()
    editor.set_question(0, prompt="Reserve a Chromebook?", type="yes_no")
    editor.set_question(0, opens_follow_up="  Reserve a Chromebook ")
    assert editor.draft.questions[0].opens_follow_up == "Reserve a Chromebook"
    editor.set_question(0, opens_follow_up=" ")
    assert editor.draft.questions[0].opens_follow_up is None


# -- calls, follow-ups and the export, end to end ----------------------------------------------


@pytest.fixture
async def joined(
    tmp_path: Path, server_app: FastAPI, seeded_bank: SeededBank, store: Store
) -> AsyncIterator[CallerSession]:
    device_file = tmp_path / "device.db"
    async with joined_session(
        device_file, server_app, store, seeded_bank.caller, lambda: NOON
    ) as session:
        yield session


def _internet_answer(
    session: CallerSession, campaign: str, household: str, said: str, language: str
) -> object:
    saved = session.record_outcome(
        OutcomeDraft(
            campaign,
            household,
            "reached_complete",
            answers={"internet-at-home": said},
            script_language=language,
        )
    )
    return saved.event.payload.model_dump()["answers"]["internet-at-home"]


@pytest.mark.anyio
async def test_english_and_spanish_calls_store_and_export_the_same_id(
    joined: CallerSession, seeded_bank: SeededBank, store: Store
) -> None:
    campaign = seeded_bank.campaign.id
    assert _internet_answer(joined, campaign, "hh-garcia", "Solo el del celular", "es") == (
        "phone-only"
    )
    assert _internet_answer(joined, campaign, "hh-smith", "phone-only", "en") == "phone-only"

    await joined.sync_now()
    rows = {row["household_id"]: row for row in _exported(store, campaign)}
    for household in ("hh-garcia", "hh-smith"):
        assert rows[household]["answer:internet-at-home"] == "phone-only"
        assert rows[household]["answer_label:internet-at-home"] == "Phone only"  # campaign: en
    assert "answer_label:student-count" not in rows["hh-garcia"]  # not a choice question


@pytest.mark.anyio
async def test_a_yes_that_opens_a_follow_up_opens_a_referral(
    joined: CallerSession, seeded_bank: SeededBank
) -> None:
    campaign = seeded_bank.campaign.id
    draft = OutcomeDraft(
        campaign,
        "hh-garcia",
        "reached_complete",
        answers={"reserve-chromebook": "sí"},
        needs_found=("no-device",),
        script_language="es",
    )
    joined.record_outcome(draft)
    referrals = [row for row in joined.follow_ups() if row.follow_up.kind == "referral"]
    assert [(row.follow_up.household_id, row.follow_up.detail) for row in referrals] == [
        ("hh-garcia", "Reserve a Chromebook for pick-up")  # the campaign's language: English
    ]
    joined.record_outcome(draft)  # recorded again (a correction): not a second referral
    assert len([row for row in joined.follow_ups() if row.follow_up.kind == "referral"]) == 1

    joined.record_outcome(
        OutcomeDraft(
            campaign,
            "hh-chen",
            "reached_complete",
            answers={"reserve-chromebook": "no"},
            needs_found=("no-device",),
        )
    )
    assert [
        row.follow_up.household_id
        for row in joined.follow_ups()
        if row.follow_up.kind == "referral"
    ] == ["hh-garcia"]


def test_an_old_label_answer_still_exports(
    client: TestClient,
    store: Store,
    make_caller: Callable[..., Caller],
    joined_device: Callable[[Caller], JoinedDevice],
) -> None:
    with store.transaction() as db:
        campaign = create_campaign(db, CampaignDraft(name="Old", slug="old"))
        for language, labels in (
            ("en", ["Phone only", "Home wifi"]),
            ("es", ["Solo el del celular", "Wifi en casa"]),
        ):
            put_script(
                db,
                campaign.id,
                ScriptDraft(
                    language=language,
                    questions=[
                        SurveyQuestion.model_validate(
                            {
                                "id": "internet",
                                "prompt": "?",
                                "type": "choice",
                                "choices": [
                                    {"id": "phone-only", "label": labels[0]},
                                    {"id": "home-wifi", "label": labels[1]},
                                ],
                            }
                        )
                    ],
                ),
            )
    households = [make_household(index) for index in range(3)]
    seed_households(store, campaign.id, households)
    events: list[Event] = [
        outcome_event(
            1, campaign.id, households[0].id, answers={"internet": "Solo el del celular"}
        ),
        outcome_event(2, campaign.id, households[1].id, answers={"internet": "Cable"}),
        outcome_event(3, campaign.id, households[2].id, answers={"internet": "home-wifi"}),
    ]
    device = joined_device(make_caller("Ana"))
    response = client.post(
        "/api/v1/sync/push", json=push_body(device.device_id, events), headers=device.headers
    )
    assert response.status_code == 200, response.text
    rows = _exported(store, campaign.id)
    assert [(row["answer:internet"], row["answer_label:internet"]) for row in rows] == [
        ("Solo el del celular", "Phone only"),  # stored as it was; labelled in English
        ("Cable", "Cable"),  # unknown to every script: passes through
        ("home-wifi", "Home wifi"),
    ]
