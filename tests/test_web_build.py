"""`phonebank build-web`: a self-contained bundle — every wheel local and in the lock, every
file precached by our service worker, big files named by their content, nothing that
points the browser at another origin."""

from __future__ import annotations

import difflib
import gzip
import hashlib
import importlib.metadata
import json
import os
import re
import shutil
import tarfile
import zipfile
from pathlib import Path
from typing import Any

import brotli
import pytest

from sync_server.pwa import WheelsMissing, first_visit_bytes, is_stale
from sync_server.pwa.build import flet_web_dir
from sync_server.pwa.precache import served_bytes
from sync_server.pwa.wheels import TOP_LEVEL, lock_entry, pinned, write_lock


@pytest.fixture
def bundle(web_app: Path) -> Path:
    """The real bundle (what the browser tests run), rebuilt only when its sources changed."""
    assert not is_stale(web_app)
    return web_app


def manifest(bundle: Path) -> dict[str, str]:
    files: dict[str, str] = json.loads((bundle / "bundle.json").read_text())["files"]
    return files


def pyodide_dir(bundle: Path) -> Path:
    (folder,) = bundle.glob("pyodide.*")
    return folder


def test_every_package_the_app_needs_is_in_the_bundle(bundle: Path) -> None:
    lock = json.loads((pyodide_dir(bundle) / "pyodide-lock.json").read_text())
    packages = lock["packages"]
    for top in TOP_LEVEL:
        assert top in packages
    (archive_path,) = bundle.glob("site-packages.*.tar")
    with tarfile.open(archive_path) as archive:
        names = archive.getnames()
    installed = {name.split("/")[0] for name in names}
    for name, entry in packages.items():
        assert set(entry["depends"]) <= set(packages), f"{name} depends on unshipped packages"
        for module in entry["imports"]:
            assert module in installed or f"{module}.py" in installed, f"{name}: no {module}"
    assert any(name.startswith("pydantic_core/_pydantic_core.cpython-314-") for name in names)
    # Pyodide's own micropip and packaging are not shipped: the worker installs nothing.
    assert not list(pyodide_dir(bundle).glob("*.whl"))
    assert not {"micropip", "packaging"} & set(packages)
    worker = (bundle / "python-worker.js").read_text()
    assert archive_path.name in worker and pyodide_dir(bundle).name in worker


def service_worker_constant(bundle: Path, name: str) -> Any:
    worker = (bundle / "sw.js").read_text()
    found = re.search(rf"^const {name} = (.*?);$", worker, re.S | re.M)
    assert found, name
    return json.loads(found[1])


def test_the_service_worker_precaches_what_a_start_needs_in_each_browser(bundle: Path) -> None:
    files = manifest(bundle)
    listed = service_worker_constant(bundle, "FILES")
    assert listed == {"/" + name: digest for name, digest in files.items() if name != "sw.js"}
    for name in files:
        assert (bundle / name).is_file(), name
    precache = service_worker_constant(bundle, "PRECACHE")
    common, chromium, other = (set(precache[key]) for key in ("common", "chromium", "other"))
    (canvaskit,) = {name.split("/")[0] for name in files if name.startswith("canvaskit.")}
    assert chromium == {
        f"/{canvaskit}/chromium/canvaskit.js",
        f"/{canvaskit}/chromium/canvaskit.wasm",
    }
    assert other == {f"/{canvaskit}/canvaskit.js", f"/{canvaskit}/canvaskit.wasm"}
    assert "/index.html" in common and not common & (chromium | other)
    # Fetched when first needed, then kept: script fonts, licence text, unused plugins' JS.
    lazy = set(listed) - common - chromium - other
    assert {"/fonts/NotoSansTC-Regular.subset.otf", "/assets/NOTICES"} <= lazy
    assert not [name for name in common if name.startswith("/fonts/")]
    version = service_worker_constant(bundle, "VERSION")
    assert version == json.loads((bundle / "bundle.json").read_text())["version"]


def test_the_first_visit_bytes_are_those_of_the_browsers_precache(bundle: Path) -> None:
    chromium = first_visit_bytes(bundle, "chromium")
    firefox = first_visit_bytes(bundle, "firefox")
    assert firefox == first_visit_bytes(bundle, "webkit")
    (canvaskit,) = {p for p in bundle.glob("canvaskit.*")}
    full = sum(served_bytes(bundle, f"{canvaskit.name}/canvaskit.{x}") for x in ("js", "wasm"))
    slim = sum(
        served_bytes(bundle, f"{canvaskit.name}/chromium/canvaskit.{x}") for x in ("js", "wasm")
    )
    assert firefox - chromium == full - slim
    everything = sum(served_bytes(bundle, name) for name in manifest(bundle))
    assert chromium < everything - full
    assert json.loads((bundle / "bundle.json").read_text())["first_visit"]["chromium"] == chromium
    with pytest.raises(ValueError, match="unknown browser"):
        first_visit_bytes(bundle, "netscape")


def test_big_files_are_named_by_their_content(bundle: Path) -> None:
    files = manifest(bundle)
    (main_js,) = [name for name in files if name.startswith("main.dart.")]
    digest = hashlib.sha256((bundle / main_js).read_bytes()).hexdigest()[:12]
    assert main_js == f"main.dart.{digest}.js"
    (app,) = [name for name in files if name.startswith("app.") and name.endswith(".tar")]
    assert "takeEarlyWorker" in (bundle / "python.js").read_text()
    assert app == f"app.{hashlib.sha256((bundle / app).read_bytes()).hexdigest()[:12]}.tar"
    index = (bundle / "index.html").read_text()
    config = json.loads(re.search(r"Object\.assign\(flet, (\{.*?\})\);", index)[1])  # type: ignore[index]
    assert config["appPackageUrl"] == app
    (canvaskit,) = {name.split("/")[0] for name in files if name.startswith("canvaskit.")}
    assert config["canvasKitBaseUrl"] == f"/{canvaskit}/"
    assert config["pyodideUrl"] == f"./{pyodide_dir(bundle).name}/pyodide.mjs"
    assert f'"mainJsPath": "{main_js}"' in (bundle / "flutter_bootstrap.js").read_text()


def test_nothing_points_the_browser_at_another_origin(bundle: Path) -> None:
    files = manifest(bundle)
    for name in ("index.html", "python.js", "python-worker.js", "sw.js", "manifest.json"):
        text = (bundle / name).read_text()
        assert not re.search(r"https?://", text), f"{name} names another origin"
    (main_js,) = [name for name in files if name.startswith("main.dart.")]
    assert "cdn.jsdelivr.net" not in (bundle / main_js).read_text()
    # Flutter's own service worker would unregister ours; its loader must not start it.
    boot = (bundle / "flutter_bootstrap.js").read_text()
    assert not re.search(r"serviceWorkerSettings:\s*\{", boot)
    assert "flutter_service_worker.js" not in files
    # Without Roboto in the font manifest Flutter fetches it from elsewhere.
    assert "Roboto" in (bundle / "assets" / "FontManifest.json").read_text()


def test_the_app_is_installable_and_branded(bundle: Path) -> None:
    app_manifest = json.loads((bundle / "manifest.json").read_text())
    assert app_manifest["name"] == "Phonebank"
    assert app_manifest["start_url"] == "/"
    assert app_manifest["display"] == "standalone"
    assert app_manifest["theme_color"].startswith("#")
    sizes = {icon["sizes"] for icon in app_manifest["icons"]}
    assert {"192x192", "512x512"} <= sizes
    for icon in app_manifest["icons"]:
        assert (bundle / icon["src"]).read_bytes().startswith(b"\x89PNG")
    index = (bundle / "index.html").read_text()
    assert 'id="phonebank-loading"' in index
    assert "<title>Phonebank</title>" in index


def names_and_member(bundle: Path, pattern: str, member: str) -> tuple[set[str], bytes]:
    """Every name in the bundle's one archive matching ``pattern``, and ``member``'s bytes."""
    (path,) = bundle.glob(pattern)
    with tarfile.open(path) as archive:
        entry = archive.extractfile(member)
        assert entry is not None, member
        return set(archive.getnames()), entry.read()


def test_the_app_package_holds_the_code_and_what_it_reads(bundle: Path) -> None:
    names, main = names_and_member(bundle, "app.*.tar", "main.py")
    assert b"from app.ui.pyodide_app import run" in main
    assert {"app/core/__init__.py", "app/ui/pyodide_app.py", "assets/i18n/en.json"} <= names
    assert not [name for name in names if "__pycache__" in name]
    for font in ("NotoSansTC-Regular.subset.otf", "NotoSansArabic-Regular.subset.ttf"):
        assert (bundle / "fonts" / font).is_file()


def test_a_missing_build_is_stale(tmp_path: Path) -> None:
    assert is_stale(tmp_path / "nothing-here")
    (tmp_path / "broken").mkdir()
    (tmp_path / "broken" / "bundle.json").write_text("{not json")
    assert is_stale(tmp_path / "broken")


def _wheel(folder: Path, name: str, requires: list[str]) -> Path:
    path = folder / f"{name}-1.0-py3-none-any.whl"
    metadata = f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n"
    metadata += "".join(f"Requires-Dist: {requirement}\n" for requirement in requires)
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(f"{name}/__init__.py", "")
        archive.writestr(f"{name}-1.0.dist-info/METADATA", metadata)
    return path


def test_an_unshipped_dependency_fails_the_build(tmp_path: Path) -> None:
    pyodide = tmp_path / "pyodide"
    pyodide.mkdir()
    shutil.copy2(flet_web_dir() / "pyodide" / "pyodide-lock.json", pyodide)
    wheel = _wheel(tmp_path, "needy", ["left-out>=1", 'windows-only; sys_platform == "win32"'])
    entry = lock_entry(wheel)
    assert entry["depends"] == ["left-out"]  # the marker that is false in a browser is dropped
    assert entry["imports"] == ["needy"]
    with pytest.raises(WheelsMissing, match="needy needs left-out"):
        write_lock(pyodide, [wheel])


def test_a_lock_without_what_the_app_imports_fails_the_build(tmp_path: Path) -> None:
    pyodide = tmp_path / "pyodide"
    pyodide.mkdir()
    shutil.copy2(flet_web_dir() / "pyodide" / "pyodide-lock.json", pyodide)
    with pytest.raises(WheelsMissing, match="The app needs flet"):
        write_lock(pyodide, [_wheel(tmp_path, "lonely", [])])


def test_the_browser_runs_the_flet_the_server_has() -> None:
    assert pinned()["flet"] == importlib.metadata.version("flet")
    assert importlib.metadata.version("flet-web") == importlib.metadata.version("flet")


def test_what_the_bundle_leaves_out_of_site_packages(bundle: Path) -> None:
    names, metadata = names_and_member(
        bundle, "site-packages.*.tar", "pydantic-2.14.3.dist-info/METADATA"
    )
    headers = metadata.decode()
    # phonenumbers parses and formats with its metadata; geocoding tables stay behind.
    assert "phonenumbers/data/region_US.py" in names
    assert "phonenumbers/phonenumberutil.py" in names
    assert not [
        n for n in names if n.startswith(("phonenumbers/geodata/", "phonenumbers/carrierdata/"))
    ]
    # Every zone a household may be in (calling hours read it on the device).
    assert {"tzdata/zoneinfo/America/Los_Angeles", "tzdata/zoneinfo/Europe/London"} <= names
    # importlib.metadata reads the headers; the long description is gone.
    assert "Version: 2.14.3" in headers and "Requires-Dist:" in headers
    assert len(headers) < 5000
    # Flutter loads every font in FontManifest.json at start: no math fonts, and Roboto.
    font_manifest = json.loads((bundle / "assets" / "FontManifest.json").read_text())
    families = {entry["family"] for entry in font_manifest}
    assert "Roboto" in families and not [f for f in families if "KaTeX" in f]
    assert not list(bundle.glob("assets/packages/flutter_math_fork"))


def test_a_drop_list_entry_that_flet_web_no_longer_has_fails_the_build(tmp_path: Path) -> None:
    from sync_server.pwa.build import _drop

    (tmp_path / "there.js").write_text("")
    (tmp_path / "folder").mkdir()
    _drop(tmp_path, ["there.js", "folder"])
    assert not list(tmp_path.iterdir())
    with pytest.raises(RuntimeError, match=r"gone\.js, in the build's drop list"):
        _drop(tmp_path, ["gone.js"])


GOLDEN = Path(__file__).parent / "golden"
PWA = Path(__file__).parents[1] / "sync_server" / "pwa"


def _normalized(text: str) -> str:
    """Without what changes at every build or is ours in full (boot.js, loading.html)."""
    text = text.replace((PWA / "boot.js").read_text(), "/* sync_server/pwa/boot.js */\n")
    text = text.replace((PWA / "loading.html").read_text(), "<!-- sync_server/pwa/loading.html -->")
    text = re.sub(r'(name="phonebank-build" content=")[^"]*', r"\1<label>", text)
    return re.sub(r"\.[0-9a-f]{12}([./])", r".<hash>\1", text)


@pytest.mark.parametrize("name", ["index.html", "flutter_bootstrap.js", "python.js"])
def test_the_client_is_patched_as_the_golden_diff_shows(bundle: Path, name: str) -> None:
    """tests/golden/<name>.diff is flet-web's file → the bundle's. After a deliberate change
    (or a new flet-web), regenerate: PHONEBANK_UPDATE_GOLDEN=1 pytest -k golden_diff."""
    original = (flet_web_dir() / name).read_text().splitlines(keepends=True)
    patched = _normalized((bundle / name).read_text()).splitlines(keepends=True)
    diff = "".join(difflib.unified_diff(original, patched, f"flet-web/{name}", f"bundle/{name}"))
    golden = GOLDEN / f"{name}.diff"
    if os.environ.get("PHONEBANK_UPDATE_GOLDEN"):
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(diff)
    assert diff == golden.read_text()


# Modules that import a left-out one at module level, but are never imported themselves.
_NEVER_IMPORTED = {
    "asyncio/__main__.py",  # python -m asyncio's REPL
    "concurrent/futures/process.py",  # ProcessPoolExecutor
    "sqlite_utils/cli.py",
    "click/testing.py",
}


def _python_sources(bundle: Path) -> dict[str, str]:
    sources: dict[str, str] = {}
    with zipfile.ZipFile(pyodide_dir(bundle) / "python_stdlib.zip") as stdlib:
        for name in stdlib.namelist():
            if name.endswith(".py"):
                sources[name] = stdlib.read(name).decode("utf-8", "replace")
    for pattern in ("site-packages.*.tar", "app.*.tar"):
        (path,) = bundle.glob(pattern)
        with tarfile.open(path) as archive:
            for member in archive.getmembers():
                entry = archive.extractfile(member) if member.name.endswith(".py") else None
                if entry is not None:
                    sources[member.name] = entry.read().decode("utf-8", "replace")
    return sources


def test_no_module_shipped_imports_a_left_out_stdlib_module_at_import_time(
    bundle: Path,
) -> None:
    from sync_server.pwa.build import _STDLIB_LEFT_OUT

    sources = _python_sources(bundle)
    left_out = [name.removesuffix(".py").rstrip("/") for name in _STDLIB_LEFT_OUT]
    statement = re.compile(rf"^(?:import|from) ({'|'.join(map(re.escape, left_out))})\b", re.M)
    importing = {
        name: found[1]
        for name, text in sources.items()
        if (found := statement.search(text)) and name not in _NEVER_IMPORTED
    }
    assert importing == {}
    # What the app does need is there: calling hours' zones, sqlite3, httpx's idna codec.
    for needed in (
        "zoneinfo/__init__.py",
        "sqlite3/__init__.py",
        "encodings/idna.py",
        "email/parser.py",
    ):
        assert needed in sources


def test_big_files_have_brotli_and_gzip_copies(bundle: Path) -> None:
    manifest = json.loads((bundle / "bundle.json").read_text())
    (main_js,) = [name for name in manifest["files"] if name.startswith("main.dart.")]
    (archive,) = [name for name in manifest["files"] if name.startswith("site-packages.")]
    for name in (main_js, archive):
        original = (bundle / name).read_bytes()
        assert brotli.decompress((bundle / (name + ".br")).read_bytes()) == original
        assert gzip.decompress((bundle / (name + ".gz")).read_bytes()) == original
    for browser, size in manifest["first_visit"].items():
        assert 0 < size < manifest["first_visit_gzip"][browser]
