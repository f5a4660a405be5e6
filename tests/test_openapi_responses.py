"""The API document keeps every answer a route declares besides its 200: the refusals a
client must handle (400, 401, 409, 410, 429) and the exports' CSV bodies."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

DECLARED = [
    ("post", "/api/v1/join", {"400", "429"}),
    ("post", "/api/v1/auth/login", {"401", "429"}),
    ("post", "/api/v1/sync/push", {"409", "410"}),
    ("post", "/api/v1/sync/pull", {"410"}),
    ("post", "/api/v1/sync/erased", {"401"}),
    ("get", "/api/metrics", {"401"}),
    ("get", "/api/health", {"503"}),
]
CSV_EXPORTS = [
    "/api/v1/admin/campaigns/{campaign_id}/export.csv",
    "/api/v1/admin/campaigns/{campaign_id}/households.csv",
]


@pytest.fixture(scope="module")
def paths() -> dict[str, Any]:
    from sync_server.app import create_app

    with TestClient(create_app(":memory:")) as client:
        response = client.get("/api/openapi.json")
    assert response.status_code == 200
    found: dict[str, Any] = response.json()["paths"]
    return found


@pytest.mark.parametrize(("method", "path", "codes"), DECLARED)
def test_a_routes_declared_refusals_are_in_the_document(
    paths: dict[str, Any], method: str, path: str, codes: set[str]
) -> None:
    responses = paths[path][method]["responses"]
    assert codes <= responses.keys()
    assert all(responses[code]["description"] for code in codes)


def test_the_wipe_answer_is_explained_on_both_sync_routes(paths: dict[str, Any]) -> None:
    push, pull = (
        paths[f"/api/v1/sync/{way}"]["post"]["responses"]["410"] for way in ("push", "pull")
    )
    assert push == pull and "device_wiped" in push["description"]


@pytest.mark.parametrize("path", CSV_EXPORTS)
def test_an_export_answers_a_csv_file(paths: dict[str, Any], path: str) -> None:
    ok = paths[path]["get"]["responses"]["200"]
    assert "text/csv" in ok["content"] and ok["description"] == "The CSV file"
