"""The browser's Python packages: which wheels, fetched from PyPI once, and the Pyodide lock.

The bundle runs CPython 3.14 under Pyodide, not the server's Python, so it has its own
pinned set: pure wheels, plus PyPI's emscripten builds of the two compiled packages.
They reach the browser as one site-packages archive (``site_packages``); the lock
describes them, and ``write_lock`` checks their dependency closure: a package the app
needs and the bundle lacks fails the build, not the app offline.
"""

from __future__ import annotations

import email.parser
import hashlib
import importlib.metadata
import json
import logging
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name, parse_wheel_filename

log = logging.getLogger(__name__)

PYODIDE_VERSION = "314.0.7"
EMSCRIPTEN_PLATFORM = "pyemscripten_2026_0_wasm32"

FLET_VERSION = importlib.metadata.version("flet")
"""The browser runs the Flet the server has: flet-web's client speaks this flet's protocol."""

# pydantic-core must be the version this pydantic pins.
PURE = [
    f"flet=={FLET_VERSION}",
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
    "babel==2.19.0",
]
EMSCRIPTEN = ["pydantic-core==2.50.4", "msgpack==1.2.4"]
TOP_LEVEL = ["flet", "pydantic", "sqlite-utils", "httpx", "phonenumbers", "msgpack", "babel"]
"""What the app asks for; the rest comes in through the lock's ``depends``."""
NOT_SHIPPED = {"anyio", "certifi", "httpcore", "pip"}
"""Declared but never imported in the browser: httpx's own networking (the app sends
through ``FetchTransport``) and the pip that sqlite-utils' ``install`` command uses."""

_MARKER_ENV = {
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


class WheelsMissing(RuntimeError):
    """A wheel could not be fetched, or the lock would not cover what the app imports."""


def pinned() -> dict[str, str]:
    """Every shipped distribution (canonical name) and its pinned version."""
    pins: dict[str, str] = {}
    for spec in PURE + EMSCRIPTEN:
        requirement = Requirement(spec)
        pins[canonicalize_name(requirement.name)] = str(requirement.specifier).removeprefix("==")
    return pins


def download_wheels(cache: Path) -> list[Path]:
    """The pinned wheels, from ``cache`` or else downloaded into it (needs PyPI once)."""
    cache.mkdir(parents=True, exist_ok=True)
    wanted = pinned()
    if set(_cached(cache, wanted)) != set(wanted):
        pip = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:"]
        pip += ["--python-version", "3.14", "-d", str(cache), "--quiet"]
        for implementation, platform, specs in (
            ("cp", EMSCRIPTEN_PLATFORM, EMSCRIPTEN),
            ("py", "any", PURE),
        ):
            command = [*pip, "--implementation", implementation, "--platform", platform, *specs]
            result = subprocess.run(command, capture_output=True, text=True)
            if result.returncode != 0:
                raise WheelsMissing(
                    "Could not download the browser app's wheels from PyPI "
                    f"(pip said: {result.stderr.strip()[-600:]})"
                )
    found = _cached(cache, wanted)
    missing = sorted(set(wanted) - set(found))
    if missing:
        raise WheelsMissing(f"Wheels missing after download: {', '.join(missing)}")
    return [found[name] for name in sorted(found)]


def _cached(cache: Path, wanted: dict[str, str]) -> dict[str, Path]:
    found = {}
    for wheel in cache.glob("*.whl"):
        name, version, _, _ = parse_wheel_filename(wheel.name)
        if wanted.get(name) == str(version):
            found[str(name)] = wheel
    return found


def lock_entry(wheel: Path) -> dict[str, Any]:
    """The ``pyodide-lock.json`` entry for one wheel: its imports and browser dependencies."""
    name, version, _, _ = parse_wheel_filename(wheel.name)
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        metadata_name = next(
            n for n in names if n.endswith(".dist-info/METADATA") and n.count("/") == 1
        )
        metadata = email.parser.Parser().parsestr(archive.read(metadata_name).decode())
    tops = set()
    for member in names:
        first = member.split("/", 1)[0]
        if first.endswith((".dist-info", ".data")):
            continue
        if "/" in member:
            tops.add(first)
        elif member.endswith(".py"):
            tops.add(member[:-3])
        elif member.endswith(".so"):
            tops.add(member.split(".", 1)[0])
    depends = set()
    for spec in metadata.get_all("Requires-Dist") or []:
        requirement = Requirement(spec)
        if requirement.marker is None or Marker(str(requirement.marker)).evaluate(_MARKER_ENV):
            depends.add(canonicalize_name(requirement.name))
    return {
        "name": str(name),
        "version": str(version),
        "file_name": wheel.name,
        "install_dir": "site",
        "sha256": hashlib.sha256(wheel.read_bytes()).hexdigest(),
        "package_type": "package",
        "imports": sorted(t for t in tops if t.isidentifier()),
        "depends": sorted(depends),
        "unvendored_tests": False,
        "shared_library": False,
        "tool": {},
    }


def write_lock(pyodide_dir: Path, wheels: list[Path]) -> dict[str, Any]:
    """Rewrite Pyodide's lock in ``pyodide_dir`` to list exactly ``wheels`` (which the
    bundle ships in one archive), and delete the wheels Pyodide comes with.

    Raises WheelsMissing when a shipped package depends on one that is not shipped (and
    not known to be unused in the browser): such an app would fail offline.
    """
    original = json.loads((pyodide_dir / "pyodide-lock.json").read_text())
    # Pyodide's own wheels (micropip, packaging): the worker installs nothing, so they go.
    for wheel in pyodide_dir.glob("*.whl"):
        wheel.unlink()
    packages: dict[str, Any] = {}
    for wheel in wheels:
        entry = lock_entry(wheel)
        packages[entry["name"]] = entry
    dropped = {}
    for entry in packages.values():
        missing = [d for d in entry["depends"] if d not in packages]
        unexpected = sorted(set(missing) - NOT_SHIPPED)
        if unexpected:
            raise WheelsMissing(f"{entry['name']} needs {', '.join(unexpected)}, not shipped")
        if missing:
            dropped[entry["name"]] = missing
            entry["depends"] = [d for d in entry["depends"] if d in packages]
    absent = [top for top in TOP_LEVEL if top not in packages]
    if absent:
        raise WheelsMissing(f"The app needs {', '.join(absent)}, not shipped")
    lock = {"info": dict(original["info"], version=PYODIDE_VERSION), "packages": packages}
    (pyodide_dir / "pyodide-lock.json").write_text(json.dumps(lock, indent=1, sort_keys=True))
    log.info("lock: %d packages; declared but not shipped: %s", len(packages), dropped)
    return lock
