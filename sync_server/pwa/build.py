"""Build the caller app as a static, installable, offline web app (``phonebank build-web``).

The bundle is flet-web's Flutter client and Pyodide core, the app's wheels with a local
Pyodide lock, the ``app`` package with its assets, fonts for the scripts families read,
and our own precaching service worker. Nothing in it is fetched from another origin.

Big files and folders carry a hash of their content in their name (``main.dart.<hash>.js``,
``pyodide.<hash>/``, ``canvaskit.<hash>/``, ``app.<hash>.tar``) so the server can let
browsers keep them for good; ``bundle.json`` lists every file with its hash, for the
server's ETags and the service worker's version.

The bundle is written beside ``out`` and moved into place at the end, so a server reading
``out`` never sees half a build.
"""

from __future__ import annotations

import gzip
import hashlib
import importlib.metadata
import io
import json
import re
import shutil
import tarfile
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from . import client, precache, site_packages, wheels

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
DEFAULT_OUT = ROOT / "build" / "web"
DEFAULT_CACHE = ROOT / "build" / "wheels-cache"
BUNDLE_MANIFEST = "bundle.json"
ENTRY = "main"
BRAND_COLOUR = "#00796B"
# flutter_math_fork's KaTeX fonts: listed in FontManifest.json, so fetched at every start.
_MATH_FONTS = "assets/packages/flutter_math_fork"

# Files a canvaskit build never loads, Pyodide's node/CLI files, Flutter's service worker,
# the math fonts of a control the app does not use. Each must exist: a flet-web that no
# longer has one fails the build, so this list never silently goes stale.
_DROP = [
    "main.dart.wasm",
    "main.dart.mjs",
    "flutter.js.map",
    "flutter_service_worker.js",
    "canvaskit/skwasm.js",
    "canvaskit/skwasm.wasm",
    "canvaskit/skwasm_heavy.js",
    "canvaskit/skwasm_heavy.wasm",
    "canvaskit/wimp.js",
    "canvaskit/wimp.wasm",
    "canvaskit/experimental_webparagraph",
    "icons/loading-animation.png",
    "pyodide/python",
    "pyodide/python.bat",
    "pyodide/python.exe",
    "pyodide/python_cli_entry.mjs",
    "pyodide/ffi.d.ts",
    "pyodide/pyodide.d.ts",
    "pyodide/package.json",
    "pyodide/pyodide.js",
    _MATH_FONTS,
]
# Python's standard library modules an app in a browser tab never imports (a REPL,
# debuggers and profilers, test runners, mail and FTP clients, multiprocessing, …), 0.5 MB
# of python_stdlib.zip's 2.5 MB. No module the app or its packages import needs them at
# import time (tests/test_web_build.py checks). Each must be in the zip.
_STDLIB_LEFT_OUT = [
    "_pyrepl/",
    "pdb.py",
    "bdb.py",
    "doctest.py",
    "unittest/",
    "pydoc.py",
    "multiprocessing/",
    "imaplib.py",
    "mailbox.py",
    "smtplib.py",
    "ftplib.py",
    "poplib.py",
    "xmlrpc/",
    "wsgiref/",
    "cProfile.py",
    "profile.py",
    "pstats.py",
    "trace.py",
    "tabnanny.py",
    "pickletools.py",
    "zipapp.py",
    "modulefinder.py",
    "pyclbr.py",
    "antigravity.py",
    "this.py",
    "__hello__.py",
    "__phello__/",
    "wave.py",
    "sched.py",
    "shelve.py",
    "graphlib.py",
]
# Pre-compressed copies (file.gz) are written for these; wheels and archives are
# compressed already.
_COMPRESSIBLE = {".js", ".mjs", ".wasm", ".json", ".html", ".otf", ".ttf", ".txt", ".bin", ".tar"}
# Brotli at its best takes a minute or two for the big files, so each result is kept by
# the content's hash: later builds (the big files change only with flet-web) take it back.
_BROTLI_QUALITY = 11
_BROTLI_WINDOW = 24
_APP_ASSETS = ("i18n", "demo")
_FONT_FILES = (".ttf", ".otf")


@dataclass(frozen=True)
class BuildReport:
    out: Path
    files: int
    raw_bytes: int
    gzip_bytes: int
    """What a browser that accepts gzip only downloads: the .gz copy where there is one."""
    brotli_bytes: int
    """What a browser that accepts brotli downloads (every current one): the .br copy."""
    version: str
    seconds: float
    first_visit: dict[str, int]
    """Bytes a first visit downloads, by browser (precache.BROWSERS)."""


def flet_web_dir() -> Path:
    """flet-web's client, which must be the one for the installed (and shipped) flet."""
    import flet_web

    client_version = importlib.metadata.version("flet-web")
    if client_version != wheels.FLET_VERSION:
        raise RuntimeError(f"flet-web {client_version} is not for flet {wheels.FLET_VERSION}")
    return Path(flet_web.__file__).parent / "web"


def inputs_digest() -> str:
    """A hash of everything the bundle is made from: when it changes, the bundle is stale."""
    digest = hashlib.sha256()
    digest.update(importlib.metadata.version("flet-web").encode())
    digest.update(json.dumps(wheels.pinned(), sort_keys=True).encode())
    sources = [*sorted((ROOT / "app").rglob("*.py")), *sorted(HERE.iterdir())]
    for sub in (*_APP_ASSETS, "fonts", "icons"):
        sources += sorted((ROOT / "assets" / sub).rglob("*"))
    for path in sources:
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(ROOT)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def is_stale(out: Path = DEFAULT_OUT) -> bool:
    try:
        built = json.loads((out / BUNDLE_MANIFEST).read_text())
    except (OSError, ValueError):
        return True
    return built.get("inputs") != inputs_digest()


def build_web(
    out: Path = DEFAULT_OUT,
    cache: Path = DEFAULT_CACHE,
    *,
    label: str | None = None,
    progress: Callable[[str], None] = print,
) -> BuildReport:
    """Build the bundle into ``out`` (replacing what is there); wheels come from ``cache``
    or PyPI. ``label`` names the build in index.html (``<meta name="phonebank-build">``;
    default: a hash of the sources). Raises wheels.WheelsMissing when the app's packages
    cannot all be shipped."""
    started = time.monotonic()
    inputs = inputs_digest()
    label = label or inputs
    staging = out.with_name(out.name + ".new")
    shutil.rmtree(staging, ignore_errors=True)
    progress("copying the Flutter client and Pyodide")
    shutil.copytree(flet_web_dir(), staging, ignore=shutil.ignore_patterns("*.symbols"))
    _drop(staging, _DROP)
    _prune_stdlib(staging / "pyodide" / "python_stdlib.zip", _STDLIB_LEFT_OUT)
    progress("fetching the app's wheels" + ("" if cache.exists() else " from PyPI"))
    shipped = wheels.download_wheels(cache)
    wheels.write_lock(staging / "pyodide", shipped)
    # The browser unpacks one archive of every wheel's files (see site_packages).
    site_packages.pack_site_packages(shipped, staging / "site-packages.tar")
    progress("packing the app")
    _copy_fonts_and_icons(staging)
    _pack_app(staging / "app.tar")
    _patch_main_js(staging / "main.dart.js")
    names = _hash_names(staging)
    _patch_client(staging, names, label)
    (staging / "python-worker.js").write_text(
        site_packages.worker_source(
            pyodide=f"{names['pyodide']}/pyodide.mjs",
            app=names["app.tar"],
            site_packages=names["site-packages.tar"],
        )
    )
    shutil.copy2(site_packages.SNAPSHOT_MODULE, staging / "python-snapshot.js")
    _write_manifest(staging)
    compress_cache = cache.parent / "compress-cache"
    progress(
        "compressing"
        + ("" if compress_cache.exists() else " (brotli: a few minutes the first time only)")
    )
    hashes = _file_hashes(staging)
    version = hashlib.sha256(json.dumps(hashes, sort_keys=True).encode()).hexdigest()[:16]
    plan = precache.plan(hashes)
    _write_service_worker(staging, hashes, plan, version)
    hashes["sw.js"] = _file_hash(staging / "sw.js")
    raw, zipped, brotli_bytes = _compress(staging, compress_cache)
    first_visit = {
        browser: precache.first_visit_bytes(staging, browser, plan) for browser in precache.BROWSERS
    }
    first_visit_gzip = {
        browser: precache.first_visit_bytes(staging, browser, plan, encoding="gzip")
        for browser in precache.BROWSERS
    }
    (staging / BUNDLE_MANIFEST).write_text(
        json.dumps(
            {
                "inputs": inputs,
                "label": label,
                "version": version,
                "files": hashes,
                "precache": plan,
                "first_visit": first_visit,
                "first_visit_gzip": first_visit_gzip,
            },
            indent=1,
        )
    )
    old = out.with_name(out.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if out.exists():
        out.rename(old)
    staging.rename(out)
    shutil.rmtree(old, ignore_errors=True)
    report = BuildReport(
        out=out,
        files=len(hashes),
        raw_bytes=raw,
        gzip_bytes=zipped,
        brotli_bytes=brotli_bytes,
        version=version,
        seconds=time.monotonic() - started,
        first_visit=first_visit,
    )
    progress(
        f"web app built in {out} ({report.files} files, {raw / 1e6:.1f} MB, "
        f"{zipped / 1e6:.1f} MB gzipped, {brotli_bytes / 1e6:.1f} MB brotli) in "
        f"{report.seconds:.0f} s; a first visit downloads "
        + ", ".join(
            f"{size / 1e6:.1f} MB ({b}; {first_visit_gzip[b] / 1e6:.1f} MB with gzip only)"
            for b, size in first_visit.items()
        )
    )
    return report


def _copy_fonts_and_icons(staging: Path) -> None:
    # The app names its fonts "fonts/…" in page.fonts, resolved against assetBase "/".
    (staging / "fonts").mkdir()
    for font in (ROOT / "assets" / "fonts").iterdir():
        if font.suffix in _FONT_FILES or font.name == "OFL.txt":
            shutil.copy2(font, staging / "fonts" / font.name)
    for icon in (ROOT / "assets" / "icons").glob("icon*.png"):
        shutil.copy2(icon, staging / "icons" / icon.name)
    shutil.copy2(
        ROOT / "assets" / "icons" / "icon-192.png", staging / "icons" / "apple-touch-icon-192.png"
    )
    shutil.copy2(ROOT / "assets" / "icons" / "icon-192.png", staging / "favicon.png")


def _pack_app(target: Path) -> None:
    """main.py (app/ui/pyodide_app.py's ``run``), the ``app`` package and the assets it reads."""

    def clean(info: tarfile.TarInfo) -> tarfile.TarInfo | None:
        if "__pycache__" in info.name or info.name.endswith((".pyc", ".pyo")):
            return None
        info.uid = info.gid = 0
        info.uname = info.gname = ""
        info.mtime = 0
        return info

    def add(archive: tarfile.TarFile, name: str, data: bytes) -> None:
        info = tarfile.TarInfo(name)
        info.size = len(data)
        archive.addfile(info, io.BytesIO(data))

    buffer = io.BytesIO()
    # mtime=0 and sorted members: the same sources give the same bytes, so the same hash.
    with tarfile.open(fileobj=buffer, mode="w") as archive:
        add(archive, f"{ENTRY}.py", b"from app.ui.pyodide_app import run\n\nrun()\n")
        archive.add(ROOT / "app", "app", filter=clean)
        for sub in _APP_ASSETS:
            archive.add(ROOT / "assets" / sub, f"assets/{sub}", filter=clean)
    target.write_bytes(buffer.getvalue())


def _file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def _tree_hash(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def _hash_names(staging: Path) -> dict[str, str]:
    """Rename the big files and folders to carry their content hash; old name → new name."""
    names = {}
    for relative, suffix in (
        ("main.dart.js", ".js"),
        ("app.tar", ".tar"),
        ("site-packages.tar", ".tar"),
    ):
        path = staging / relative
        stem = relative.removesuffix(suffix)
        new = f"{stem}.{_file_hash(path)}{suffix}"
        path.rename(staging / new)
        names[relative] = new
    for folder in ("pyodide", "canvaskit"):
        new = f"{folder}.{_tree_hash(staging / folder)}"
        (staging / folder).rename(staging / new)
        names[folder] = new
    return names


def _replace_once(text: str, old: str, new: str, where: str) -> str:
    if text.count(old) != 1:
        raise RuntimeError(f"{where}: expected one {old!r} (flet-web changed?)")
    return text.replace(old, new)


def _patch_client(staging: Path, names: dict[str, str], label: str) -> None:
    client.patch_index_html(
        staging / "index.html",
        client.Names(
            main_js=names["main.dart.js"],
            pyodide=names["pyodide"],
            canvaskit=names["canvaskit"],
            app=names["app.tar"],
        ),
        label=label,
        title="Phonebank",
        description="Phonebank: call the families assigned to you, online or offline",
        colour=BRAND_COLOUR,
        entry=ENTRY,
        boot_js=(HERE / "boot.js").read_text(),
        loading_html=(HERE / "loading.html").read_text(),
    )
    client.patch_font_manifest(
        staging / "assets" / "FontManifest.json", _MATH_FONTS.removeprefix("assets/")
    )
    client.patch_bootstrap(staging / "flutter_bootstrap.js", names["main.dart.js"])
    client.patch_python_js(staging / "python.js")


def _patch_main_js(main_js: Path) -> None:
    # main.dart.js asks jsdelivr for the Rive runtime at every start, though the app has no
    # Rive control; a local path that is not there fails quietly and stays on the origin.
    js, found = re.subn(
        r"https://cdn\.jsdelivr\.net/npm/@rive-app/flutter-native-wasm@[0-9.]+/",
        "rive/",
        main_js.read_text(),
    )
    if not found:
        raise RuntimeError("main.dart.js: the Rive runtime's address not found (flet changed?)")
    main_js.write_text(js)


def _write_manifest(staging: Path) -> None:
    icons = [
        {"src": f"icons/icon-{size}.png", "sizes": f"{size}x{size}", "type": "image/png"}
        for size in (192, 512)
    ] + [
        {
            "src": f"icons/icon-maskable-{size}.png",
            "sizes": f"{size}x{size}",
            "type": "image/png",
            "purpose": "maskable",
        }
        for size in (192, 512)
    ]
    manifest = {
        "name": "Phonebank",
        "short_name": "Phonebank",
        "description": "Call the families assigned to you and record what happened, "
        "online or offline.",
        "id": "/",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "orientation": "any",
        "background_color": BRAND_COLOUR,
        "theme_color": BRAND_COLOUR,
        "icons": icons,
    }
    (staging / "manifest.json").write_text(json.dumps(manifest, indent=1))


def _file_hashes(staging: Path) -> dict[str, str]:
    return {
        path.relative_to(staging).as_posix(): _file_hash(path)
        for path in sorted(staging.rglob("*"))
        if path.is_file()
    }


def _write_service_worker(
    staging: Path, hashes: dict[str, str], plan: precache.Precache, version: str
) -> None:
    files = {"/" + path: digest for path, digest in sorted(hashes.items())}
    sets = {key: ["/" + path for path in plan[key]] for key in ("common", "chromium", "other")}
    text = (HERE / "service_worker.js").read_text()
    text = _replace_once(text, '"__VERSION__"', json.dumps(version), "service_worker.js")
    text = _replace_once(text, "__FILES__", json.dumps(files, indent=0), "service_worker.js")
    text = _replace_once(text, "__PRECACHE__", json.dumps(sets, indent=0), "service_worker.js")
    (staging / "sw.js").write_text(text)


def _prune_stdlib(stdlib: Path, left_out: list[str]) -> None:
    """Rewrite the zip without the modules (``name.py``) and packages (``name/``) named;
    the other members keep their bytes, order and dates (so the zip its hash)."""
    found = dict.fromkeys(left_out, 0)
    buffer = io.BytesIO()
    with zipfile.ZipFile(stdlib) as source, zipfile.ZipFile(buffer, "w") as target:
        for info in source.infolist():
            name = next((n for n in left_out if info.filename.startswith(n)), None)
            if name is None:
                target.writestr(info, source.read(info))
            else:
                found[name] += 1
    missing = [name for name, count in found.items() if not count]
    if missing:
        raise RuntimeError(f"python_stdlib.zip has no {', '.join(missing)} (Pyodide changed?)")
    stdlib.write_bytes(buffer.getvalue())


def _drop(staging: Path, relatives: list[str]) -> None:
    for relative in relatives:
        path = staging / relative
        if path.is_dir():
            shutil.rmtree(path)
        elif path.is_file():
            path.unlink()
        else:
            raise RuntimeError(f"{relative}, in the build's drop list, is not in flet-web")


def _compress(staging: Path, cache: Path) -> tuple[int, int, int]:
    """Write file.gz and file.br beside each compressible file; the bundle's raw, gzipped
    and brotli sizes (what a browser downloads of the whole bundle either way)."""
    raw = zipped = brotli_total = 0
    for path in sorted(p for p in staging.rglob("*") if p.is_file()):
        size = path.stat().st_size
        raw += size
        compressible = path.suffix in _COMPRESSIBLE or path.name == "NOTICES"
        if not compressible or size <= 1024 or path.name == BUNDLE_MANIFEST:
            zipped += size
            brotli_total += size
            continue
        data = path.read_bytes()
        zipped += _write_copy(path, ".gz", gzip.compress(data, 6, mtime=0))
        brotli_total += _write_copy(path, ".br", _brotli(data, cache))
    return raw, zipped, brotli_total


def _write_copy(path: Path, suffix: str, packed: bytes) -> int:
    """Write path+suffix when it saves a tenth or more; the bytes a browser then gets."""
    size = path.stat().st_size
    if len(packed) >= size * 0.9:
        return size
    path.with_name(path.name + suffix).write_bytes(packed)
    return len(packed)


def _brotli(data: bytes, cache: Path) -> bytes:
    import brotli

    key = hashlib.sha256(data).hexdigest()
    kept = cache / f"{key}.q{_BROTLI_QUALITY}w{_BROTLI_WINDOW}.br"
    if kept.is_file():
        return kept.read_bytes()
    packed: bytes = brotli.compress(data, quality=_BROTLI_QUALITY, lgwin=_BROTLI_WINDOW)
    cache.mkdir(parents=True, exist_ok=True)
    partial = kept.with_name(kept.name + ".part")
    partial.write_bytes(packed)
    partial.replace(kept)
    return packed
