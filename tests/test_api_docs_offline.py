"""The API docs work on a network with no internet: the page and everything it loads come
from this server (Swagger UI from the installed package), and its policy allows nothing else.
"""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

SOURCES = re.compile(r"""(?:src|href)="([^"]*)"|url: '([^']*)'""")
POLICY_WORDS = {"'self'", "'none'", "'unsafe-inline'", "'unsafe-eval'", "'wasm-unsafe-eval'"}


def page_sources(client: TestClient) -> list[str]:
    page = client.get("/api/docs")
    assert page.status_code == 200
    return [src or url for src, url in SOURCES.findall(page.text)]


def test_the_docs_page_loads_only_from_this_origin_and_every_file_is_there(
    client: TestClient,
) -> None:
    sources = page_sources(client)
    assert len(sources) == 4  # style, icon, script and the OpenAPI schema
    for source in sources:
        assert source.startswith("/") and not source.startswith("//"), source
        assert client.get(source).status_code == 200, source
    script = next(source for source in sources if source.endswith(".js"))
    answer = client.get(script)
    assert "SwaggerUIBundle" in answer.text
    assert "immutable" in answer.headers["cache-control"]


def test_the_docs_policy_names_no_other_origin(client: TestClient) -> None:
    policy = client.get("/api/docs").headers["content-security-policy"]
    for directive in policy.split(";"):
        name, *sources = directive.split()
        for source in sources:
            assert source in POLICY_WORDS or source in ("data:", "blob:"), (name, source)


def test_swagger_ui_never_asks_the_online_validator(client: TestClient) -> None:
    assert '"validatorUrl": null' in client.get("/api/docs").text


@pytest.mark.parametrize("name", ["index.html", "swagger-initializer.js", "swagger-ui.js"])
def test_only_the_files_the_page_needs_are_served(client: TestClient, name: str) -> None:
    """The package also holds a demo page that loads a pet store from the internet."""
    script = next(source for source in page_sources(client) if source.endswith(".js"))
    folder = script.rsplit("/", 1)[0]
    assert folder.startswith("/api/docs/swagger-ui-")
    assert client.get(f"{folder}/{name}").status_code == 404
