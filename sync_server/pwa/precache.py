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


COPIES = {"br": ".br", "gzip": ".gz"}
"""Content-Encoding → the copy the build writes beside a compressible file, best first."""


def served_bytes(folder: Path, name: str, encoding: str = "br") -> int:
    """What the server sends for a file to a browser that accepts ``encoding`` (and those
    after it in COPIES): the best copy the build wrote, else the file itself."""
    path = folder / name
    encodings = list(COPIES)
    for accepted in encodings[encodings.index(encoding) :]:
        copy = path.with_name(path.name + COPIES[accepted])
        if copy.is_file():
            return copy.stat().st_size
    return path.stat().st_size


def first_visit_bytes(
    folder: Path, browser: str, precache: Precache | None = None, *, encoding: str = "br"
) -> int:
    """Bytes a first visit of the bundle in ``folder`` downloads in ``browser`` accepting
    ``encoding`` (every current browser accepts brotli from HTTPS and from localhost),
    sw.js included; a caller whose households need a script font downloads that font too,
    once. ``precache``: bundle.json's, unless given."""
    if precache is None:
        precache = json.loads((folder / "bundle.json").read_text())["precache"]
    files = first_visit_files(precache, browser)
    return sum(served_bytes(folder, name, encoding) for name in [*files, "sw.js"])
