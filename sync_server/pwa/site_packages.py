"""Build-side half of the fast start: one pre-extracted site-packages archive and the worker.

Instead of micropip resolving and installing ~20 wheels at every start, the build unpacks
every wheel into ONE ustar tar, laid out as site-packages; the browser fetches
it in parallel with Pyodide's boot and writes it into site-packages with a few lines of
JS (python_worker.js). The worker replaces flet_web's python-worker.js and is written
with the bundle's (content-hashed) file names by :func:`worker_source`.
"""

from __future__ import annotations

import ast
import hashlib
import io
import json
import pickle
import tarfile
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

HERE = Path(__file__).resolve().parent
WORKER = HERE / "python_worker.js"
# The one line of python_worker.js that worker_source() rewrites.
_BUNDLE_PREFIX = "const BUNDLE = "

# What the app never loads: phonenumbers' geocoder, carrier and time-zone tables (the app
# parses, validates and formats numbers: phonenumbers/data is what that reads), 1.9 MB of
# the archive's 5.4 MB gzipped; pydantic's V1 API (pydantic.v1, imported only for a V1
# model or a type with V1 validators, which the app's models are not: their schemas are
# built when app.core is imported). A folder no longer in its wheel fails the build.
LEFT_OUT = (
    "phonenumbers/geodata/",
    "phonenumbers/carrierdata/",
    "phonenumbers/tzdata/",
    "pydantic/v1/",
    "babel/locale-data/",
    "babel/messages/",
)
# babel.messages is gettext's catalogue tooling (extract, compile), never imported by the
# app. Babel's CLDR data is one file per locale, 30 MB for ~1,000 of them: the app reads only
# its UI languages' (app.services.i18n) and the locales they inherit from. zh_Hant's parent
# is root, not zh (CLDR's parentLocales); tests/test_pwa_locales.py loads each UI language
# from these files alone, slimmed by slim_locale_data.
BABEL_LOCALES = ("root", "en", "es", "zh_Hant", "vi", "ar")
KEPT = frozenset(f"babel/locale-data/{locale}.dat" for locale in BABEL_LOCALES)
"""Files under LEFT_OUT that ship all the same."""
UNUSED_LOCALE_DATA = (
    "unit_patterns",
    "unit_display_names",
    "compound_unit_patterns",
    "meta_zones",
    "time_zones",
    "currency_names",
    "currency_names_plural",
    "compact_decimal_formats",
    "compact_currency_formats",
    "territories",
    "variants",
    "interval_formats",
    "date_fields",
)
"""What a locale's data holds that the app never reads (units, currencies, time-zone names,
countries, compact numbers, date intervals, relative dates): 0.55 MB of the five locales'
0.73 MB. The app reads language and script names, plural rules, date, time and number
formats."""

SNAPSHOT_MODULE = HERE / "python_snapshot.js"
APP_UI = HERE.parents[1] / "app" / "ui"
# Modules the worker imports while Flutter is still starting, and keeps in its memory
# snapshot: everything the app imports to show its first screen. Flet imports its
# controls on first use (``ft.Column``): see flet_names_used.
PRELOAD = ("flet", "pydantic", "sqlite_utils", "httpx", "app.ui.pyodide_app")


@dataclass(frozen=True)
class SitePackages:
    """What pack_site_packages wrote."""

    path: Path
    files: int
    raw_bytes: int


def _members(wheel: Path) -> Iterable[tuple[str, bytes]]:
    """(site-packages-relative path, contents) of each file a wheel installs there."""
    with zipfile.ZipFile(wheel) as archive:
        for info in archive.infolist():
            if info.is_dir():
                continue
            parts = PurePosixPath(info.filename).parts
            if parts[0].endswith(".data"):
                # purelib/platlib go into site-packages; scripts, headers, data do not.
                if len(parts) < 3 or parts[1] not in ("purelib", "platlib"):
                    continue
                parts = parts[2:]
            name = PurePosixPath(*parts).as_posix()
            if name.endswith(".dist-info/RECORD"):
                continue  # lists hashes of files as installed by a wheel installer
            data = archive.read(info)
            if name.endswith(".dist-info/METADATA") and name.count("/") == 1:
                data = _headers_only(data)
            yield name, data


def _headers_only(metadata: bytes) -> bytes:
    """A METADATA without its long description (the README, up to 140 kB for pydantic):
    importlib.metadata reads the headers, which stay as they were."""
    head, _, _ = metadata.partition(b"\n\n")
    return head + b"\n"


def pack_site_packages(wheels: Sequence[Path], out: Path) -> SitePackages:
    """Write every wheel's files into ``out`` (a tar laid out as site-packages).

    Plain ustar members only (what the worker's small tar reader handles), sorted, with
    mtime 0: the same wheels give the same bytes. Files under LEFT_OUT are not written,
    except those KEPT. Raises ValueError when two wheels install the same file, a path is
    too long for ustar, or a LEFT_OUT folder or a KEPT file is in no wheel.
    """
    files: dict[str, bytes] = {}
    left_out = dict.fromkeys(LEFT_OUT, 0)
    for wheel in sorted(wheels, key=lambda w: w.name):
        for name, data in _members(wheel):
            if name in files:
                raise ValueError(f"{wheel.name}: {name} is installed by another wheel too")
            prefix = next((p for p in LEFT_OUT if name.startswith(p)), None)
            if prefix and name not in KEPT:
                left_out[prefix] += 1
                continue
            files[name] = slim_locale_data(data) if name in KEPT else data
    missing = [prefix for prefix, count in left_out.items() if count == 0]
    missing += sorted(KEPT - set(files))
    if missing:
        raise ValueError(f"not in the wheels: {', '.join(missing)} (wheel changed?)")
    buffer = io.BytesIO()
    # Not compressed here: the server sends it brotli- or gzip-encoded (the build writes
    # both copies) and the browser decodes it natively.
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.USTAR_FORMAT) as archive:
        for name in sorted(files):
            info = tarfile.TarInfo(name)
            info.size = len(files[name])
            info.mode = 0o644
            archive.addfile(info, io.BytesIO(files[name]))
    out.write_bytes(buffer.getvalue())
    return SitePackages(out, len(files), sum(len(d) for d in files.values()))


def slim_locale_data(data: bytes) -> bytes:
    """A Babel locale file (a pickled dict, as babel.localedata reads it) without
    UNUSED_LOCALE_DATA."""
    locale = pickle.loads(data)
    for key in UNUSED_LOCALE_DATA:
        locale.pop(key, None)
    return pickle.dumps(locale, protocol=pickle.HIGHEST_PROTOCOL)


def flet_names_used(folder: Path = APP_UI) -> list[str]:
    """Every ``ft.<Name>`` the caller app's UI code uses: the worker looks each up on the
    flet package before the snapshot, so the controls' modules are in it."""
    names: set[str] = set()
    for path in sorted(folder.rglob("*.py")):
        tree = ast.parse(path.read_text(), str(path))
        names.update(
            node.attr
            for node in ast.walk(tree)
            if isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id == "ft"
        )
    return sorted(names)


def worker_source(
    *,
    pyodide: str,
    app: str,
    site_packages: str,
    preload: Sequence[str] = PRELOAD,
) -> str:
    """python_worker.js with the bundle's names (relative to the worker's own URL).

    ``pyodide`` is the path of pyodide.mjs (e.g. "pyodide.<hash>/pyodide.mjs"), ``app``
    the app archive, ``site_packages`` the archive from :func:`pack_site_packages`.
    Write the result as ``python-worker.js`` at the bundle's root (python.js loads it
    from flet.entrypointBaseUrl), beside ``python-snapshot.js`` (SNAPSHOT_MODULE), which it
    imports.
    """
    worker = WORKER.read_text()
    # What a snapshot's heap depends on: a snapshot is restored only by the same bundle.
    snapshot_key = hashlib.sha256(
        json.dumps([pyodide, app, site_packages, list(preload), worker]).encode()
        + SNAPSHOT_MODULE.read_bytes()
    ).hexdigest()[:16]
    bundle: dict[str, object] = {
        "pyodide": pyodide,
        "pyodideAsm": pyodide.removesuffix("pyodide.mjs") + "pyodide.asm.mjs",
        "app": app,
        "sitePackages": site_packages,
        "preload": list(preload),
        "fletNames": flet_names_used(),
        "snapshotKey": snapshot_key,
    }
    lines = worker.splitlines(keepends=True)
    found = [i for i, line in enumerate(lines) if line.startswith(_BUNDLE_PREFIX)]
    if len(found) != 1:
        raise RuntimeError(f"{WORKER.name}: expected one line starting {_BUNDLE_PREFIX!r}")
    lines[found[0]] = f"{_BUNDLE_PREFIX}{json.dumps(bundle)};\n"
    return "".join(lines)
