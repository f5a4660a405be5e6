"""The API documents itself: OpenAPI at /api/openapi.json, every operation explained."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from sync_server.app import create_app

OPERATIONS = [
    (method, path, operation)
    for path, item in create_app(":memory:").openapi()["paths"].items()
    for method, operation in item.items()
]


def test_openapi_and_docs_are_served(client: TestClient) -> None:
    schema = client.get("/api/openapi.json")
    assert schema.status_code == 200
    assert "/api/v1/sync/push" in schema.json()["paths"]
    docs = client.get("/api/docs")
    assert docs.status_code == 200
    assert "/api/openapi.json" in docs.text


@pytest.mark.parametrize(("method", "path", "operation"), OPERATIONS)
def test_every_operation_has_a_summary_and_a_description(
    method: str, path: str, operation: dict[str, str]
) -> None:
    assert operation.get("summary"), f"{method.upper()} {path} has no summary"
    assert operation.get("description"), f"{method.upper()} {path} has no docstring"
