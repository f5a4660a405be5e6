"""The server offers a built web app at / with the types and caching headers a PWA needs,
serves only the files its bundle.json lists, and picks up a rebuild without a restart."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import brotli
import pytest
from fastapi.testclient import TestClient

from sync_server.app import create_app
from sync_server.pwa.serving import IMMUTABLE, REVALIDATE


def write_bundle(folder: Path, files: dict[str, bytes], version: str = "v1") -> None:
    folder.mkdir(parents=True, exist_ok=True)
    hashes = {}
    for name, data in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
        hashes[name] = f"{abs(hash((name, data, version))):012x}"[:12]
    (folder / "bundle.json").write_text(json.dumps({"version": version, "files": hashes}))


FILES = {
    "index.html": b"<!doctype html><title>Phonebank</title>",
    "sw.js": b"self.addEventListener('fetch', () => {});",
    "main.dart.0123456789ab.js": b"console.log('flutter');" * 100,
    "pyodide.0123456789ab/pyodide.asm.wasm": b"\0asm" + b"\1" * 2000,
    "pyodide.0123456789ab/pyodide.mjs": b"export const x = 1;",
}


@pytest.fixture
def bundle(tmp_path: Path) -> Path:
    folder = tmp_path / "web"
    write_bundle(folder, FILES)
    return folder


@pytest.fixture
def web(bundle: Path, tmp_path: Path) -> TestClient:
    return TestClient(create_app(tmp_path / "phonebank.sqlite", web_app=bundle))


def test_the_app_is_served_at_the_root_with_an_invite_in_the_address(web: TestClient) -> None:
    for address in ("/", "/?invite=ABCD-EFGH"):
        answer = web.get(address, follow_redirects=False)
        assert answer.status_code == 200
        assert answer.text.startswith("<!doctype html><title>Phonebank")
        assert answer.headers["content-type"] == "text/html; charset=utf-8"
        assert answer.headers["cache-control"] == REVALIDATE


def test_hashed_names_are_immutable_and_the_rest_revalidates(web: TestClient) -> None:
    hashed = web.get("/main.dart.0123456789ab.js")
    assert hashed.headers["cache-control"] == IMMUTABLE
    assert hashed.headers["content-type"].startswith("text/javascript")
    in_hashed_folder = web.get("/pyodide.0123456789ab/pyodide.mjs")
    assert in_hashed_folder.headers["cache-control"] == IMMUTABLE
    assert in_hashed_folder.headers["content-type"].startswith("text/javascript")
    worker = web.get("/sw.js")
    assert worker.headers["cache-control"] == REVALIDATE
    assert worker.headers["content-type"].startswith("text/javascript")
    wasm = web.get("/pyodide.0123456789ab/pyodide.asm.wasm")
    assert wasm.headers["content-type"] == "application/wasm"
    assert wasm.content == FILES["pyodide.0123456789ab/pyodide.asm.wasm"]


def test_an_unchanged_file_costs_a_304(web: TestClient) -> None:
    first = web.get("/sw.js")
    again = web.get("/sw.js", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304
    assert again.content == b""
    assert web.get("/sw.js", headers={"If-None-Match": '"other"'}).status_code == 200


def test_the_gzipped_copy_is_sent_to_browsers_that_accept_it(bundle: Path, web: TestClient) -> None:
    name = "main.dart.0123456789ab.js"
    (bundle / (name + ".gz")).write_bytes(gzip.compress(FILES[name]))
    zipped = web.get(f"/{name}", headers={"Accept-Encoding": "gzip"})
    assert zipped.headers["content-encoding"] == "gzip"
    assert zipped.content == FILES[name]  # the client decoded it
    assert int(zipped.headers["content-length"]) < len(FILES[name])
    plain = web.get(f"/{name}", headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers
    assert plain.content == FILES[name]


def test_the_brotli_copy_is_preferred_by_browsers_that_accept_it(
    bundle: Path, web: TestClient
) -> None:
    name = "main.dart.0123456789ab.js"
    (bundle / (name + ".gz")).write_bytes(gzip.compress(FILES[name]))
    (bundle / (name + ".br")).write_bytes(brotli.compress(FILES[name]))
    chromium = web.get(f"/{name}", headers={"Accept-Encoding": "gzip, deflate, br, zstd"})
    assert chromium.headers["content-encoding"] == "br"
    assert chromium.content == FILES[name]  # the client decoded it
    older = web.get(f"/{name}", headers={"Accept-Encoding": "gzip, deflate"})
    assert older.headers["content-encoding"] == "gzip"
    assert older.content == FILES[name]


def test_only_listed_files_are_served(bundle: Path, web: TestClient, tmp_path: Path) -> None:
    (bundle / "secret.txt").write_text("not in bundle.json")
    (tmp_path / "phonebank-outside.txt").write_text("outside the bundle")
    assert web.get("/secret.txt").status_code == 404
    assert web.get("/bundle.json").status_code == 404
    assert web.get("/../phonebank-outside.txt").status_code == 404
    assert web.get("/%2e%2e/phonebank-outside.txt").status_code == 404
    assert web.post("/sw.js").status_code == 405


def test_the_api_and_its_errors_are_unchanged(web: TestClient) -> None:
    assert web.get("/api/health").json()["status"] == "ok"
    missing = web.get("/api/v1/nothing-here")
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/json"


def test_a_rebuild_is_served_without_a_restart(bundle: Path, web: TestClient) -> None:
    before = web.get("/sw.js").headers["etag"]
    write_bundle(bundle, {**FILES, "sw.js": b"// version 2"}, version="v2")
    answer = web.get("/sw.js")
    assert answer.text == "// version 2"
    assert answer.headers["etag"] != before


def test_without_a_build_the_root_says_how_to_reach_the_app(tmp_path: Path) -> None:
    web = TestClient(create_app(tmp_path / "phonebank.sqlite", web_app=tmp_path / "not-built"))
    home = web.get("/")
    assert home.status_code == 200
    assert "Caller app" in home.text
    assert web.get("/sw.js").status_code == 404
