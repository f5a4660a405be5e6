"""Build the caller app as a static, offline-clean web bundle (spike for issue 6).

    python -m pwa.build --out build/web

Steps: copy flet_web's Flutter client and Pyodide core (minus what a canvaskit build never
loads), download the app's wheels from PyPI (pure wheels + emscripten builds of
pydantic-core and msgpack) into a cache, write a pyodide-lock.json that lists exactly the
shipped wheels (dependency closure checked), pack the `app` package + assets + entry into
app.tar.gz, patch index.html / flutter_bootstrap.js / main.dart.js so that nothing is
fetched from another origin.
"""

from __future__ import annotations

import argparse
import email.parser
import hashlib
import io
import json
import re
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name, parse_wheel_filename

ROOT = Path(__file__).resolve().parents[1]
PYODIDE_VERSION = "314.0.7"
EMSCRIPTEN_PLATFORM = "pyemscripten_2026_0_wasm32"

# Pinned to what the project's venv runs (pydantic-core must match pydantic's pin).
PURE = [
    "flet==1.0.5",
    "pydantic==2.14.3",
    "annotated-types==0.8.0",
    "typing-extensions==4.16.0",
    "typing-inspection==0.4.5",
    "sqlite-utils==4.2.1",
    "click==8.5.1",
    "click-default-group==1.2.4",
    "tabulate==0.10.0",
    "python-dateutil==4.0.0",
    "sqlite-fts4==1.0.3",
    "pluggy==1.7.0",
    "six==1.17.0",
    "tzdata==2026.6",
    "httpx==0.28.1",
    "idna==3.20",
    "phonenumbers==9.0.43",
    "repath==0.9.0",
]
EMSCRIPTEN = ["pydantic-core==2.50.4", "msgpack==1.2.4"]
# What the app asks micropip for (the rest comes in through the lock's `depends`).
TOP_LEVEL = ["flet", "pydantic", "sqlite-utils", "httpx", "phonenumbers", "msgpack"]
# Declared dependencies we deliberately do not ship: httpx's own networking (the app uses
# FetchTransport) — `import httpx` does not import them; sqlite-utils declares pip for its
# `install` CLI command only.
NOT_SHIPPED = {"anyio", "certifi", "httpcore", "pip"}

# Flutter files a canvaskit build never loads, and Pyodide's node/CLI files.
DROP = [
    "main.dart.wasm",
    "main.dart.mjs",
    "flutter.js.map",
    "canvaskit/skwasm.js",
    "canvaskit/skwasm.wasm",
    "canvaskit/skwasm_heavy.js",
    "canvaskit/skwasm_heavy.wasm",
    "canvaskit/wimp.js",
    "canvaskit/wimp.wasm",
    "canvaskit/experimental_webparagraph",
    "pyodide/python",
    "pyodide/python.bat",
    "pyodide/python.exe",
    "pyodide/python_cli_entry.mjs",
    "pyodide/ffi.d.ts",
    "pyodide/pyodide.d.ts",
    "pyodide/package.json",
    "pyodide/pyodide.js",
]

MARKER_ENV = {
    "python_version": "3.14",
    "python_full_version": "3.14.2",
    "sys_platform": "emscripten",
    "platform_system": "Emscripten",
    "platform_machine": "wasm32",
    "os_name": "posix",
    "implementation_name": "cpython",
    "platform_python_implementation": "CPython",
    "extra": "",
}


def log(*args: object) -> None:
    print("[pwa.build]", *args, flush=True)


def flet_web_dir() -> Path:
    import flet_web

    return Path(flet_web.__file__).parent / "web"


def download_wheels(cache: Path) -> list[Path]:
    cache.mkdir(parents=True, exist_ok=True)
    pip = [
        sys.executable,
        "-m",
        "pip",
        "download",
        "--no-deps",
        "--only-binary=:all:",
        "--python-version",
        "3.14",
        "-d",
        str(cache),
        "--quiet",
    ]
    subprocess.run(
        [*pip, "--implementation", "cp", "--platform", EMSCRIPTEN_PLATFORM, *EMSCRIPTEN], check=True
    )
    subprocess.run([*pip, "--implementation", "py", "--platform", "any", *PURE], check=True)
    wanted = {
        canonicalize_name(Requirement(r).name): str(Requirement(r).specifier)[2:]
        for r in PURE + EMSCRIPTEN
    }
    wheels = []
    for wheel in sorted(cache.glob("*.whl")):
        name, version, _, _ = parse_wheel_filename(wheel.name)
        if wanted.get(name) == str(version):
            wheels.append(wheel)
    missing = set(wanted) - {parse_wheel_filename(w.name)[0] for w in wheels}
    if missing:
        raise SystemExit(f"wheels missing after download: {sorted(missing)}")
    return wheels


def wheel_entry(wheel: Path) -> dict:
    name, version, _, _ = parse_wheel_filename(wheel.name)
    with zipfile.ZipFile(wheel) as zf:
        meta_name = next(
            n for n in zf.namelist() if n.endswith(".dist-info/METADATA") and n.count("/") == 1
        )
        meta = email.parser.Parser().parsestr(zf.read(meta_name).decode())
        tops = set()
        for n in zf.namelist():
            first = n.split("/", 1)[0]
            if first.endswith((".dist-info", ".data")):
                continue
            if "/" in n:
                tops.add(first)
            elif n.endswith(".py"):
                tops.add(n[:-3])
            elif n.endswith(".so"):
                tops.add(n.split(".", 1)[0])
    depends = []
    for spec in meta.get_all("Requires-Dist") or []:
        req = Requirement(spec)
        if req.marker is not None and not Marker(str(req.marker)).evaluate(MARKER_ENV):
            continue
        depends.append(canonicalize_name(req.name))
    return {
        "name": str(name),
        "version": str(version),
        "file_name": wheel.name,
        "install_dir": "site",
        "sha256": hashlib.sha256(wheel.read_bytes()).hexdigest(),
        "package_type": "package",
        "imports": sorted(t for t in tops if t.isidentifier()),
        "depends": sorted(set(depends)),
        "unvendored_tests": False,
        "shared_library": False,
        "tool": {},
    }


def write_lock(pyodide_dir: Path, wheels: list[Path]) -> dict:
    original = json.loads((pyodide_dir / "pyodide-lock.json").read_text())
    packages = {k: original["packages"][k] for k in ("micropip", "packaging")}
    for wheel in wheels:
        shutil.copy2(wheel, pyodide_dir / wheel.name)
        entry = wheel_entry(wheel)
        packages[entry["name"]] = entry
    # The dependency closure: anything not in the lock fails offline.
    dropped = {}
    for entry in packages.values():
        missing = [d for d in entry["depends"] if d not in packages]
        unexpected = set(missing) - NOT_SHIPPED
        if unexpected:
            raise SystemExit(f"{entry['name']} needs {sorted(unexpected)}, not in the lock")
        if missing:
            dropped[entry["name"]] = missing
            entry["depends"] = [d for d in entry["depends"] if d in packages]
    for top in TOP_LEVEL:
        if top not in packages:
            raise SystemExit(f"{top} not in the lock")
    info = dict(original["info"], version=PYODIDE_VERSION)
    lock = {"info": info, "packages": packages}
    (pyodide_dir / "pyodide-lock.json").write_text(json.dumps(lock, indent=1, sort_keys=True))
    log(f"lock: {len(packages)} packages; dropped deps {dropped}")
    return lock


ENTRY_NAME = "main"


def pack_app(out: Path) -> None:
    """app.tar.gz: main.py (pwa/entry.py), the app package, assets the code reads, requirements."""
    buf = io.BytesIO()

    def skip(info: tarfile.TarInfo) -> tarfile.TarInfo | None:
        if "__pycache__" in info.name or info.name.endswith((".pyc", ".pyo")):
            return None
        info.uid = info.gid = 0
        info.uname = info.gname = ""
        info.mtime = 0
        return info

    def add_bytes(tf: tarfile.TarFile, name: str, data: bytes) -> None:
        ti = tarfile.TarInfo(name)
        ti.size = len(data)
        tf.addfile(ti, io.BytesIO(data))

    with tarfile.open(fileobj=buf, mode="w:gz") as tf:
        add_bytes(tf, f"{ENTRY_NAME}.py", (ROOT / "pwa" / "entry.py").read_bytes())
        tf.add(ROOT / "app", "app", filter=skip)
        for sub in ("i18n", "demo"):
            tf.add(ROOT / "assets" / sub, f"assets/{sub}", filter=skip)
        add_bytes(tf, "requirements.txt", ("\n".join(TOP_LEVEL) + "\n").encode())
    (out / "app.tar.gz").write_bytes(buf.getvalue())


def patch_client(out: Path) -> None:
    from flet_web.patch_index import patch_index_html

    try:
        from flet.controls.types import WebRenderer
    except ImportError:  # pragma: no cover - other flet layouts
        from flet_web.patch_index import WebRenderer  # type: ignore[attr-defined]

    index = out / "index.html"
    patch_index_html(
        str(index),
        base_href="/",
        app_name="Phonebank",
        app_description="Phonebank caller app",
        pyodide=True,
        pyodide_script_path=f"{ENTRY_NAME}.py",
        pyodide_version=PYODIDE_VERSION,
        app_package_url="app.tar.gz",
        web_renderer=WebRenderer.CANVAS_KIT,
        no_cdn=True,
    )
    html = index.read_text()
    # Trap: a bare "pyodide/pyodide.mjs" is a bare module specifier in the module worker.
    html = html.replace(
        'flet.pyodideUrl="pyodide/pyodide.mjs"', 'flet.pyodideUrl="./pyodide/pyodide.mjs"'
    )
    assert 'flet.pyodideUrl="./pyodide/pyodide.mjs"' in html, "pyodideUrl not patched"
    index.write_text(html)

    # Trap: with --no-cdn, flet publish adds the bundled Roboto to FontManifest.json;
    # without it Flutter fetches Roboto from fontFallbackBaseUrl
    # (assets/fonts/roboto/v32/KFOm….woff2, a 404 here) and every glyph is a box.
    from flet_web.patch_index import patch_font_manifest_json

    patch_font_manifest_json(str(out / "assets" / "FontManifest.json"))

    # Trap: Flutter's loader registers flutter_service_worker.js (which unregisters itself
    # and reloads the page); drop the settings so no service worker of Flutter's runs.
    boot = out / "flutter_bootstrap.js"
    text = boot.read_text()
    text, n = re.subn(r"\n\s*serviceWorkerSettings:\s*\{[^}]*\},", "", text)
    assert n == 1, "serviceWorkerSettings not found in flutter_bootstrap.js"
    boot.write_text(text)
    (out / "flutter_service_worker.js").unlink(missing_ok=True)

    # Trap: main.dart.js hard-codes the Rive runtime on jsdelivr; point it at a local
    # folder (not shipped: the app uses no Rive control, so it is never fetched).
    main_js = out / "main.dart.js"
    js = main_js.read_text()
    js, n = re.subn(
        r"https://cdn\.jsdelivr\.net/npm/@rive-app/flutter-native-wasm@[0-9.]+/", "rive/", js
    )
    log(f"main.dart.js: {n} jsdelivr URL(s) made local")
    main_js.write_text(js)


def build(out: Path, cache: Path) -> None:
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(flet_web_dir(), out, ignore=shutil.ignore_patterns("*.symbols"))
    for rel in DROP:
        p = out / rel
        if p.is_dir():
            shutil.rmtree(p)
        else:
            p.unlink(missing_ok=True)
    patch_client(out)
    write_lock(out / "pyodide", download_wheels(cache))
    # Fonts the app names in page.fonts ("fonts/…"), resolved against assetBase "/".
    (out / "fonts").mkdir()
    for font in (ROOT / "assets" / "fonts").iterdir():
        if font.suffix in (".ttf", ".otf") or font.name == "OFL.txt":
            shutil.copy2(font, out / "fonts" / font.name)
    pack_app(out)
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    count = sum(1 for p in out.rglob("*") if p.is_file())
    log(f"wrote {out}: {count} files, {size / 1e6:.1f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "web")
    parser.add_argument("--cache", type=Path, default=ROOT / "build" / "wheels-cache")
    args = parser.parse_args()
    build(args.out.resolve(), args.cache.resolve())


if __name__ == "__main__":
    main()
