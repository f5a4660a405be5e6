"""Every free-text field has a limit, declared once in the model (app.core.limits): the API
answers 422 naming the field, a device's over-long event is refused, the console's campaign
form says which field, and the CSV import rejects the row naming the column."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError

from app.core.limits import max_chars, max_items
from app.core.models import Caller, Household, Member, Script, ScriptDraft, SurveyQuestion
from app.services.survey import InvalidAnswer, typed_answer
from sync_server import importer
from sync_server.console.components.campaign_form import draft_from, problem
from sync_server.db import Store
from tests.support.events import outcome_event, push_body
from tests.support.phone_bank import JoinedDevice

MEGABYTE = "x" * 1_000_000


def test_a_one_megabyte_campaign_name_is_refused_naming_name(
    client: TestClient, supervisor_headers: dict[str, str]
) -> None:
    response = client.post(
        "/api/v1/admin/campaigns",
        json={"slug": "huge", "name": MEGABYTE},
        headers=supervisor_headers,
    )
    assert response.status_code == 422
    body = response.json()
    assert [detail["field"] for detail in body["details"]] == ["name"]
    assert "at most 200 characters" in body["message"]
    assert client.get("/api/v1/admin/campaigns", headers=supervisor_headers).json() == []


def test_a_script_with_an_over_long_section_is_refused_naming_it(
    client: TestClient, supervisor_headers: dict[str, str], campaign: Any
) -> None:
    script = {"language": "en", "sections": [{"id": "intro", "body": "x" * 20_001}]}
    response = client.put(
        f"/api/v1/admin/campaigns/{campaign.id}/scripts/en",
        json=script,
        headers=supervisor_headers,
    )
    assert response.status_code == 422
    assert response.json()["details"][0]["field"] == "sections.0.body"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"answers": {"comments": "y" * 5001}}, "answers.comments"),
        ({"needs_found": ["z" * 101]}, "needs_found.0"),
        ({"needs_found": [f"need-{i}" for i in range(51)]}, "needs_found"),
        ({"disposition": "d" * 101}, "disposition"),
    ],
)
def test_an_outcome_event_with_over_long_text_is_refused_naming_the_field(
    client: TestClient,
    store: Store,
    make_caller: Callable[..., Caller],
    joined_device: Callable[[Caller], JoinedDevice],
    changes: dict[str, Any],
    field: str,
) -> None:
    device = joined_device(make_caller())
    body = push_body(device.device_id, [outcome_event(1, "c", "h", "reached_follow_up")])
    body["events"][0]["payload"].update(changes)
    response = client.post("/api/v1/sync/push", json=body, headers=device.headers)
    # The device's sync client sends a refused batch one event at a time and parks only
    # the event refused; the others go.
    assert response.status_code == 422
    fields = [detail["field"] for detail in response.json()["details"]]
    assert f"events.0.payload.outcome_recorded.{field}" in fields
    with store.reading() as db:
        assert db.execute("SELECT count(*) FROM events").fetchone()[0] == 0


def test_the_campaign_form_names_the_field_that_is_too_long() -> None:
    with pytest.raises(ValidationError) as refused:
        draft_from({"slug": "huge", "name": MEGABYTE}, None)
    assert problem(refused.value) == "name: String should have at most 200 characters"

    with pytest.raises(ValidationError) as refused:
        draft_from({"slug": "ok", "name": "Ok", "variables": f"school: {'s' * 1001}"}, None)
    assert problem(refused.value).startswith("variables.school: ")


CSV = "Family Name,Guardian,Student Name,Phone,School,Needs,Address\n"


def imported(store: Store, *rows: str) -> tuple[list[str], dict[int, str]]:
    report = importer.import_households(store, (CSV + "".join(rows)).encode(), campaign_id=None)
    with store.reading() as db:
        names = [row[0] for row in db.execute("SELECT name FROM households ORDER BY name")]
    return names, {row.line: row.reason for row in report.rejected}


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        (f"{'N' * 10_000},Ana Long,Leo,510-555-0101,Lincoln,,\n", "column 'Family Name'"),
        (f"Long,{'A' * 201},Leo,510-555-0101,Lincoln,,\n", "column 'Guardian'"),
        (f"Long,Ana,{'L' * 201},510-555-0101,Lincoln,,\n", "column 'Student Name'"),
        (f"Long,Ana,Leo,510-555-0101,{'S' * 201},,\n", "column 'School'"),
        (f"Long,Ana,Leo,510-555-0101,Lincoln,{'t' * 101},\n", "column 'Needs'"),
        (f"Long,Ana,Leo,510-555-0101,Lincoln,,{'a' * 1001}\n", "column 'Address'"),
        (
            f'Long,Ana,Leo,510-555-0101,Lincoln,"{",".join(f"t{i}" for i in range(51))}",\n',
            "column 'Needs': 51 tags, at most 50",
        ),
    ],
)
def test_a_csv_row_with_over_long_text_is_rejected_naming_the_column(
    store: Store, row: str, reason: str
) -> None:
    good = "García,Rosa García,Luis,510-555-0100,Lincoln,no-device,1 Main St\n"
    names, rejected = imported(store, good, row)
    assert names == ["García"]  # the other row is imported, nothing of this one is
    assert list(rejected) == [3]
    assert rejected[3].startswith(reason), rejected[3]


def test_the_ten_thousand_character_name_is_refused_with_its_length() -> None:
    report = importer.preview_import(
        (CSV + f"{'N' * 10_000},Ana,Leo,510-555-0101,Lincoln,,\n").encode()
    )
    assert report.sample[0].household is None
    assert report.sample[0].error == (
        "column 'Family Name' is too long: 10,000 characters, at most 200"
    )


@pytest.mark.parametrize(
    ("model", "field", "chars", "items"),
    [
        (Household, "name", 200, None),
        (Household, "school", 200, None),
        (Household, "tags", 100, 50),
        (Household, "phones", None, 20),
        (Member, "grade", 100, None),
        (ScriptDraft, "sections", None, 200),
        (Script, "title", 200, None),
    ],
)
def test_the_limits_are_read_back_from_the_models(
    model: Any, field: str, chars: int | None, items: int | None
) -> None:
    assert (max_chars(model, field), max_items(model, field)) == (chars, items)


def test_the_caller_app_refuses_an_over_long_typed_answer_naming_the_question() -> None:
    question = SurveyQuestion(id="comments", prompt="Anything else?", type="text")
    with pytest.raises(InvalidAnswer) as refused:
        typed_answer(question, "y" * 5001)
    assert refused.value.message == "Anything else?: at most 5,000 characters"
