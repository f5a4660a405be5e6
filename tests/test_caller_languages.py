"""A caller's languages are language tags: checked by the API, read from names by the CLI,
picked from a list in the console; assignment matches them and names what no caller speaks."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.core.errors import UnknownLanguage
from app.core.models import Caller, Campaign
from sync_server import auth
from sync_server.cli import main
from sync_server.console.components.language_picker import typed_choice
from sync_server.console.services import ConsoleService
from sync_server.db import Store

CALLERS = "/api/v1/admin/callers"


def _callers(store: Store) -> dict[str, list[str]]:
    with store.reading() as db:
        rows = db.execute("SELECT name, languages FROM callers").fetchall()
    return {name: json.loads(languages) for name, languages in rows}


def _callers_in(path: Path) -> dict[str, list[str]]:
    store = Store(path)
    try:
        return _callers(store)
    finally:
        store.close()


def test_the_api_refuses_languages_that_are_not_tags(
    client: TestClient, store: Store, supervisor_headers: dict[str, str]
) -> None:
    response = client.post(
        CALLERS,
        json={"name": "Marisol Reyes", "languages": ["Spanish, English"]},
        headers=supervisor_headers,
    )
    assert response.status_code == 422, response.text
    assert response.json()["error"] == "unknown_language"
    message = response.json()["message"]
    assert "languages: 'Spanish, English' is not a language tag; did you mean es" in message
    assert _callers(store) == {}


def test_the_api_stores_tags_in_their_standard_form(
    client: TestClient, store: Store, supervisor_headers: dict[str, str]
) -> None:
    response = client.post(
        CALLERS,
        json={"name": "Marisol Reyes", "languages": ["ES", "zh-hant", "tl", "es"]},
        headers=supervisor_headers,
    )
    assert response.status_code == 201, response.text
    assert response.json()["languages"] == ["es", "zh-Hant", "fil"]
    assert _callers(store) == {"Marisol Reyes": ["es", "zh-Hant", "fil"]}


def test_editing_a_callers_languages_to_an_unknown_one_changes_nothing(
    client: TestClient,
    store: Store,
    supervisor_headers: dict[str, str],
    make_caller: Callable[..., Caller],
) -> None:
    caller = make_caller("Thanh Nguyen", ("vi", "en"))
    response = client.patch(
        f"{CALLERS}/{caller.id}",
        json={"languages": ["vi", "Klingonese"]},
        headers=supervisor_headers,
    )
    assert response.status_code == 422, response.text
    assert "'Klingonese' is not a language we know" in response.json()["message"]
    assert _callers(store) == {"Thanh Nguyen": ["vi", "en"]}


def test_the_cli_reads_language_names_as_tags(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "phonebank.sqlite"
    code = main(["invite", "Marisol Reyes", "--languages", "Spanish, Inglés", "--db", str(db)])
    assert code == 0, capsys.readouterr().err
    assert "Added the caller Marisol Reyes (es, en)." in capsys.readouterr().out
    assert _callers_in(db) == {"Marisol Reyes": ["es", "en"]}


def test_the_cli_refuses_an_unknown_language_and_adds_no_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "phonebank.sqlite"
    code = main(["invite", "Worf", "--languages", "en,Klingonese", "--db", str(db)])
    assert code == 1
    assert "--languages: 'Klingonese' is not a language we know" in capsys.readouterr().err
    assert _callers_in(db) == {}


def test_the_console_offers_languages_by_name_and_checks_what_it_saves(store: Store) -> None:
    with store.transaction() as db:
        auth.create_supervisor(db, "coordinator", "a long enough password")
    service = ConsoleService(store)
    service.sign_in("coordinator", "a long enough password")
    choices = dict(service.language_choices())
    assert choices["yue"] == "Cantonese"
    assert choices["ko"] == "Korean"
    assert choices["zh-Hant"] == "Chinese (Traditional)"
    with pytest.raises(UnknownLanguage):
        service.add_caller("Marisol Reyes", ["Spanish"])
    assert service.add_caller("Marisol Reyes", ["es", "yue"]).languages == ["es", "yue"]


def _import(client: TestClient, headers: dict[str, str], campaign: Campaign, csv: str) -> None:
    response = client.post(
        f"/api/v1/admin/campaigns/{campaign.id}/households/import",
        content=csv.encode(),
        headers={**headers, "Content-Type": "text/csv"},
    )
    assert response.status_code == 200, response.text


def _plan(client: TestClient, headers: dict[str, str], campaign: Campaign) -> dict[str, Any]:
    response = client.post(
        f"/api/v1/admin/campaigns/{campaign.id}/assignment/plan", json={}, headers=headers
    )
    assert response.status_code == 200, response.text
    plan: dict[str, Any] = response.json()
    return plan


def test_the_plan_names_languages_no_caller_speaks(
    client: TestClient,
    supervisor_headers: dict[str, str],
    campaign: Campaign,
    make_caller: Callable[..., Caller],
) -> None:
    make_caller("Marisol Reyes", ("es", "en"))
    _import(
        client,
        supervisor_headers,
        campaign,
        "Family Name,Phone,Language\n"
        "Kim,510-555-0101,Korean\n"
        "Park,510-555-0102,한국어\n"
        "Lee,510-555-0103,ko\n"
        "Chan,510-555-0104,Cantonese\n"
        "García,510-555-0105,Spanish\n",
    )
    plan = _plan(client, supervisor_headers, campaign)
    assert [gap["message"] for gap in plan["languages_without_caller"]] == [
        "3 Korean households: no caller speaks Korean",
        "1 Cantonese household: no caller speaks Cantonese",
    ]
    assert plan["languages_without_caller"][0] == {
        "language": "ko",
        "name": "Korean",
        "households": 3,
        "message": "3 Korean households: no caller speaks Korean",
    }


def test_a_caller_saved_with_language_names_still_gets_their_families(
    client: TestClient,
    supervisor_headers: dict[str, str],
    campaign: Campaign,
    make_caller: Callable[..., Caller],
) -> None:
    # Saved before languages were checked: stored as typed, one entry for two languages.
    marisol = make_caller("Marisol Reyes", ("Spanish, English",))
    make_caller("Ana", ("ko",))
    _import(
        client,
        supervisor_headers,
        campaign,
        "Family Name,Phone,Language\nGarcía,510-555-0105,Español\nKim,510-555-0101,Korean\n",
    )
    plan = _plan(client, supervisor_headers, campaign)
    moves = {move["caller_id"]: move["reason"] for move in plan["moves"]}
    assert moves[marisol.id] == "language"
    assert plan["languages_without_caller"] == []
    progress = client.get(
        f"/api/v1/admin/campaigns/{campaign.id}/progress", headers=supervisor_headers
    )
    assert progress.status_code == 200, progress.text
    assert progress.json()["quality"]["households_without_speaker"] == 0


@pytest.mark.parametrize(
    ("typed", "picked"),
    [
        ("Cantonese (yue)", "yue"),
        ("cantonese", "yue"),
        (" YUE ", "yue"),
        ("Chinese", None),  # names two entries
        ("Klingon", None),
        ("", None),
        (None, None),
    ],
)
def test_the_language_picker_reads_a_language_from_what_the_field_shows(
    typed: str | None, picked: str | None
) -> None:
    choices = [
        ("yue", "Cantonese"),
        ("zh-Hans", "Chinese"),
        ("zh-Hant", "Chinese"),
        ("es", "Spanish"),
    ]
    assert typed_choice(typed, choices) == picked
