"""`phonebank build-web`: a self-contained bundle — every wheel local and in the lock, every
file precached by our service worker, big files named by their content, nothing that
points the browser at another origin."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import tarfile
import zipfile
from pathlib import Path

import pytest

from sync_server.pwa import WheelsMissing, is_stale
from sync_server.pwa.build import flet_web_dir
from sync_server.pwa.wheels import TOP_LEVEL, lock_entry, write_lock


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
    (archive_path,) = bundle.glob("site-packages.*.tar.gz")
    with tarfile.open(archive_path) as archive:
        names = archive.getnames()
    installed = {name.split("/")[0] for name in names}
    for name, entry in packages.items():
        assert set(entry["depends"]) <= set(packages), f"{name} depends on unshipped packages"
        if name in ("micropip", "packaging"):  # Pyodide's own, beside it
            assert (pyodide_dir(bundle) / entry["file_name"]).is_file()
            continue
        for module in entry["imports"]:
            assert module in installed or f"{module}.py" in installed, f"{name}: no {module}"
    assert any(name.startswith("pydantic_core/_pydantic_core.cpython-314-") for name in names)
    worker = (bundle / "python-worker.js").read_text()
    assert archive_path.name in worker and pyodide_dir(bundle).name in worker


def test_the_service_worker_precaches_every_file(bundle: Path) -> None:
    files = manifest(bundle)
    worker = (bundle / "sw.js").read_text()
    precache = json.loads(re.search(r"const PRECACHE = (\[.*?\]);", worker, re.S)[1])  # type: ignore[index]
    assert sorted(precache) == sorted("/" + name for name in files if name != "sw.js")
    version = re.search(r'const VERSION = "([0-9a-f]+)"', worker)
    assert version and version[1] == json.loads((bundle / "bundle.json").read_text())["version"]
    for name in files:
        assert (bundle / name).is_file(), name


def test_big_files_are_named_by_their_content(bundle: Path) -> None:
    files = manifest(bundle)
    (main_js,) = [name for name in files if name.startswith("main.dart.")]
    digest = hashlib.sha256((bundle / main_js).read_bytes()).hexdigest()[:12]
    assert main_js == f"main.dart.{digest}.js"
    (app,) = [name for name in files if name.startswith("app.") and name.endswith(".tar.gz")]
    assert "takeEarlyWorker" in (bundle / "python.js").read_text()
    assert app == f"app.{hashlib.sha256((bundle / app).read_bytes()).hexdigest()[:12]}.tar.gz"
    index = (bundle / "index.html").read_text()
    assert f'flet.appPackageUrl = "{app}"' in index
    (canvaskit,) = {name.split("/")[0] for name in files if name.startswith("canvaskit.")}
    assert f'flet.canvasKitBaseUrl="/{canvaskit}/"' in index
    assert f'flet.pyodideUrl="./{pyodide_dir(bundle).name}/pyodide.mjs"' in index
    assert f'"mainJsPath":"{main_js}"' in (bundle / "flutter_bootstrap.js").read_text()


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


def test_the_app_package_holds_the_code_and_what_it_reads(bundle: Path) -> None:
    (app,) = bundle.glob("app.*.tar.gz")
    with tarfile.open(app) as archive:
        names = set(archive.getnames())
        entry = archive.extractfile("main.py")
        assert entry is not None
        assert b"from app.ui.browser import run" in entry.read()
    assert {"app/core/__init__.py", "app/ui/browser.py", "assets/i18n/en.json"} <= names
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
