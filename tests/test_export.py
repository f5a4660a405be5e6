"""A campaign's outcomes as CSV: one row per outcome, one column per question, and no cell a
spreadsheet would run as a formula."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from app.core.errors import NotFound
from app.core.events import Event, NoteAdded
from app.core.models import Caller, Campaign, CampaignDraft, ScriptDraft, SurveyQuestion
from sync_server.campaigns import create_campaign, put_script
from sync_server.db import Store
from sync_server.export import FIXED_COLUMNS, TRAILING_COLUMNS, export_outcomes_csv
from tests.support.events import device_event, outcome_event, push_body
from tests.support.phone_bank import JoinedDevice
from tests.support.server_rows import make_household, seed_households


@pytest.fixture
def push(
    client: TestClient,
    make_caller: Callable[..., Caller],
    joined_device: Callable[[Caller], JoinedDevice],
) -> Callable[..., None]:
    """Push events from a new device of a caller with the given name."""

    def send(events: list[Event], caller_name: str = "Ana") -> None:
        device = joined_device(make_caller(caller_name))
        response = client.post(
            "/api/v1/sync/push", json=push_body(device.device_id, events), headers=device.headers
        )
        assert response.status_code == 200, response.text

    return send


def exported(store: Store, campaign_id: str) -> list[dict[str, str]]:
    with store.reading() as db:
        text = export_outcomes_csv(db, campaign_id)
    return list(csv.DictReader(io.StringIO(text, newline="")))


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_no_cell_can_run_as_a_formula(
    store: Store, campaign: Campaign, push: Callable[..., None], start: str
) -> None:
    formula = f'{start}HYPERLINK("http://evil.example","click")'
    household = make_household(1).model_copy(update={"name": formula, "school": formula})
    seed_households(store, campaign.id, [household])
    push(
        [outcome_event(1, campaign.id, household.id, notes=formula, answers={"q": formula})],
        caller_name=formula,
    )
    (row,) = exported(store, campaign.id)
    # A caller's name is stored trimmed, so only the visible starts reach that column.
    columns = ["household", "school", "notes", "answer:q", *(["caller"] if start.strip() else [])]
    for column in columns:
        assert row[column] == f"'{formula}", column


def test_one_row_per_outcome_and_one_column_per_question(
    store: Store, campaign: Campaign, push: Callable[..., None]
) -> None:
    with store.transaction() as db:
        questions = [SurveyQuestion(id=q, prompt=q) for q in ("has_device", "internet")]
        put_script(db, campaign.id, ScriptDraft(language="en", questions=questions))
        other = create_campaign(db, CampaignDraft(slug="other", name="Other"))
    households = [make_household(index) for index in range(2)]
    seed_households(store, campaign.id, households)
    seed_households(store, other.id, [make_household(9)])
    note = NoteAdded(campaign_id=campaign.id, household_id=households[0].id, text="hi")
    push(
        [
            outcome_event(
                1,
                campaign.id,
                households[0].id,
                "reached_complete",
                answers={"internet": True, "extra": 3},
                needs_found=["no-device", "food"],
                phone="+15105550000",
            ),
            device_event(2, note),
            outcome_event(3, campaign.id, households[1].id, channel="text"),
            outcome_event(4, other.id, households[0].id),
        ]
    )
    with store.reading() as db:
        text = export_outcomes_csv(db, campaign.id)
    header = next(csv.reader(io.StringIO(text)))
    answers = ["answer:has_device", "answer:internet", "answer:extra"]
    assert header == [*FIXED_COLUMNS, *answers, *TRAILING_COLUMNS]
    rows = exported(store, campaign.id)
    assert [
        (row["household"], row["disposition"], row["channel"], row["caller"]) for row in rows
    ] == [("Family 0", "reached_complete", "call", "Ana"), ("Family 1", "no_answer", "text", "Ana")]
    first = rows[0]
    assert [first[column] for column in answers] == ["", "yes", "3"]
    assert (first["needs_found"], first["e164_phone"], first["quarantined"]) == (
        "no-device; food",
        "15105550000",  # E.164 without its +: a number to a spreadsheet, VAN and an SIS
        "yes",  # nobody assigned the household to Ana
    )


def test_unicode_survives_the_round_trip_through_http(
    client: TestClient,
    store: Store,
    campaign: Campaign,
    push: Callable[..., None],
    supervisor_headers: dict[str, str],
) -> None:
    notes = "Señora Peña · 你好 · مرحبا · Tiếng Việt ✓"
    household = make_household(1).model_copy(update={"name": "Nguyễn"})
    seed_households(store, campaign.id, [household])
    push([outcome_event(1, campaign.id, household.id, notes=notes)], caller_name="José")
    response = client.get(
        f"/api/v1/admin/campaigns/{campaign.id}/export.csv", headers=supervisor_headers
    )
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    disposition = response.headers["content-disposition"]
    assert disposition.startswith('attachment; filename="tech-check-outcomes-')
    assert response.content.startswith("\ufeff".encode())  # Excel reads UTF-8 with a BOM
    (row,) = csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"), newline=""))
    assert (row["notes"], row["household"], row["caller"]) == (notes, "Nguyễn", "José")


def test_an_unknown_campaign_is_not_found(
    client: TestClient, store: Store, supervisor_headers: dict[str, str]
) -> None:
    with store.reading() as db, pytest.raises(NotFound):
        export_outcomes_csv(db, "no-such-campaign")
    response = client.get(
        "/api/v1/admin/campaigns/no-such-campaign/export.csv", headers=supervisor_headers
    )
    assert response.status_code == 404
