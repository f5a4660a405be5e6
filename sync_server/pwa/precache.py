"""What a browser downloads on its first visit: the files the service worker precaches for it.

Every file of the bundle stays on the server; the service worker precaches at install only
what a start needs in *this* browser, and caches the rest when the app first fetches it:

- ``common``: every browser's share.
- ``chromium`` / ``other``: the CanvasKit variant Flutter's loader picks. Chromium (it has
  ``Intl.v8BreakIterator``, ``Intl.Segmenter`` and ``ImageDecoder``) loads
  ``canvaskit/chromium/``; Safari and Firefox load the full ``canvaskit/``.
- ``lazy``: what a start never loads: the script fonts (the app registers one only when a
  household, a script or the UI is in that script — see ``app.ui.theme.fonts_for``),
  Flutter's licence text, and the web helpers of plugins the app does not use.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import TypedDict

BROWSERS = ("chromium", "firefox", "webkit")
"""Playwright's names; Firefox and WebKit (Safari) load the same files."""

# Paths (prefixes) the service worker does not precache: fetched, then cached, when used.
LAZY = (
    "fonts/",
    "assets/NOTICES",
    "assets/packages/flutter_map/",
    "assets/packages/media_kit/",
    "assets/packages/record_web/",
    "assets/packages/wakelock_plus/",
)


class Precache(TypedDict):
    common: list[str]
    chromium: list[str]
    other: list[str]
    lazy: list[str]


def plan(files: Iterable[str]) -> Precache:
    """Split the bundle's files (relative paths, without sw.js) into the precache sets."""
    split: Precache = {"common": [], "chromium": [], "other": [], "lazy": []}
    for name in sorted(files):
        top, _, rest = name.partition("/")
        if name.startswith(LAZY):
            split["lazy"].append(name)
        elif top.startswith("canvaskit.") and rest.startswith("chromium/"):
            split["chromium"].append(name)
        elif top.startswith("canvaskit."):
            split["other"].append(name)
        else:
            split["common"].append(name)
    return split


def first_visit_files(precache: Precache, browser: str) -> list[str]:
    """The files a first visit in ``browser`` (one of BROWSERS) downloads."""
    if browser not in BROWSERS:
        raise ValueError(f"unknown browser {browser!r}; one of {', '.join(BROWSERS)}")
    return precache["common"] + precache["chromium" if browser == "chromium" else "other"]


def served_bytes(folder: Path, name: str) -> int:
    """What the server sends for a file: its .gz copy where the build wrote one."""
    path = folder / name
    zipped = path.with_name(path.name + ".gz")
    return (zipped if zipped.is_file() else path).stat().st_size


def first_visit_bytes(folder: Path, browser: str, precache: Precache | None = None) -> int:
    """Bytes a first visit of the bundle in ``folder`` downloads in ``browser`` (gzipped
    where served gzipped), sw.js included; a caller whose households need a script font
    downloads that font too, once. ``precache``: bundle.json's, unless given."""
    if precache is None:
        precache = json.loads((folder / "bundle.json").read_text())["precache"]
    files = first_visit_files(precache, browser)
    return sum(served_bytes(folder, name) for name in [*files, "sw.js"])
