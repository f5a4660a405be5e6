"""Patch flet_web's Flutter client for the bundle: index.html (edited through an HTML
parser), the Flutter bootstrap (its build config as JSON), python.js, FontManifest.json.

Each edit names exactly what it changes and fails the build when that is not found once:
a new flet-web that moved something stops the build instead of shipping a half-patched app.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from html import escape
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}


class ClientChanged(RuntimeError):
    """flet-web's client is not laid out as this build expects (flet-web changed?)"""


@dataclass
class Element:
    tag: str
    attrs: dict[str, str | None]
    start: int
    """Offset of ``<tag``; ``end`` is just past the end tag (the start tag, when void)."""
    end: int = -1


@dataclass
class _Comment:
    text: str
    start: int
    end: int


class _Parsed(HTMLParser):
    """Where each element and comment of a page starts and ends, as offsets in its text."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.text = text
        self._line_starts = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]
        self.elements: list[Element] = []
        self.comments: list[_Comment] = []
        self._open: list[Element] = []
        self.feed(text)
        self.close()

    def _offset(self) -> int:
        line, column = self.getpos()
        return self._line_starts[line - 1] + column

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        start = self._offset()
        element = Element(tag, dict(attrs), start)
        self.elements.append(element)
        if tag in _VOID:
            element.end = start + len(self.get_starttag_text() or "")
        else:
            self._open.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        start = self._offset()
        element = Element(tag, dict(attrs), start, start + len(self.get_starttag_text() or ""))
        self.elements.append(element)

    def handle_endtag(self, tag: str) -> None:
        start = self._offset()
        end = self.text.index(">", start) + 1
        while self._open:
            element = self._open.pop()
            if element.tag == tag:
                element.end = end
                break

    def handle_comment(self, data: str) -> None:
        start = self._offset()
        self.comments.append(_Comment(data, start, self.text.index("-->", start) + 3))


@dataclass
class HtmlEdit:
    """Edits to one HTML page, applied together: each replaces one element or comment."""

    text: str
    where: str
    _parsed: _Parsed = field(init=False)
    _edits: list[tuple[int, int, str]] = field(default_factory=list, init=False)

    def __post_init__(self) -> None:
        self._parsed = _Parsed(self.text)

    def find(self, tag: str, **attrs: str) -> Element:
        """The one element ``tag`` with these attribute values (``id_`` for ``id``)."""
        wanted = {name.rstrip("_").replace("_", "-"): value for name, value in attrs.items()}
        found = [
            e
            for e in self._parsed.elements
            if e.tag == tag and all(e.attrs.get(k) == v for k, v in wanted.items())
        ]
        if len(found) != 1 or found[0].end < 0:
            raise ClientChanged(f"{self.where}: expected one <{tag} {wanted}>, found {len(found)}")
        return found[0]

    def replace(self, element: Element, html: str) -> None:
        self._edits.append((element.start, element.end, html))

    def replace_comment(self, text: str, html: str) -> None:
        found = [c for c in self._parsed.comments if c.text.strip() == text]
        if len(found) != 1:
            raise ClientChanged(f"{self.where}: expected one <!-- {text} -->")
        self._edits.append((found[0].start, found[0].end, html))

    def result(self) -> str:
        text, last = self.text, len(self.text) + 1
        for start, end, html in sorted(self._edits, reverse=True):
            if end > last:
                raise ClientChanged(f"{self.where}: two edits overlap")
            text, last = text[:start] + html + text[end:], start
        return text


def meta(name: str, content: str) -> str:
    return f'<meta name="{escape(name)}" content="{escape(content)}">'


@dataclass(frozen=True)
class Names:
    """The bundle's content-hashed names the client must load."""

    main_js: str
    pyodide: str
    canvaskit: str
    app: str


def patch_index_html(
    path: Path,
    names: Names,
    *,
    label: str,
    title: str,
    description: str,
    colour: str,
    entry: str,
    boot_js: str,
    loading_html: str,
) -> None:
    page = HtmlEdit(path.read_text(), "index.html")
    for name, content in (("description", description), ("apple-mobile-web-app-title", title)):
        page.replace(page.find("meta", name=name), meta(name, content))
    page.replace(
        page.find("title"),
        "\n  ".join(
            (
                meta("theme-color", colour),
                meta("phonebank-build", label),
                meta("viewport", "width=device-width, initial-scale=1"),
                f"<title>{escape(title)}</title>",
            )
        ),
    )
    # What flet's `publish --no-cdn` writes here, as one JSON object. A bare
    # "pyodide/pyodide.mjs" would be a bare module specifier inside the module worker.
    config = {
        "pyodide": True,
        "micropipIncludePre": False,
        "pythonModuleName": entry,
        "appPackageUrl": names.app,
        "pyodideUrl": f"./{names.pyodide}/pyodide.mjs",
        "canvasKitBaseUrl": f"/{names.canvaskit}/",
        "fontFallbackBaseUrl": "assets/fonts/",
        "noCdn": True,
        "webRenderer": "canvaskit",
        "routeUrlStrategy": "path",
        "entrypointBaseUrl": "/",
        "assetBase": "/",
    }
    page.replace_comment(
        "fletAppConfig", f"<script>\n    Object.assign(flet, {json.dumps(config)});\n  </script>"
    )
    # Our branded loading screen stays until Python runs (Flet's goes at Flutter's first
    # frame); flutter_bootstrap.js is started by boot.js once an update check is done.
    page.replace(page.find("div", id_="loading"), "")
    page.replace(
        page.find("script", src="flutter_bootstrap.js"),
        f"{loading_html}<script>\n{boot_js}</script>",
    )
    path.write_text(page.result())


def patch_bootstrap(path: Path, main_js: str) -> None:
    """Only the dart2js build (its main.dart.js renamed), and no Flutter service worker."""
    text = path.read_text()
    prefix = "_flutter.buildConfig = "
    start = _find_once(text, prefix, "flutter_bootstrap.js") + len(prefix)
    end = text.index(";\n", start)
    build_config: dict[str, Any] = json.loads(text[start:end])
    builds = [b for b in build_config["builds"] if b.get("compileTarget") == "dart2js"]
    if len(builds) != 1 or builds[0].get("mainJsPath") != "main.dart.js":
        raise ClientChanged("flutter_bootstrap.js: expected one dart2js build of main.dart.js")
    build_config["builds"] = [dict(builds[0], mainJsPath=main_js)]
    text = text[:start] + json.dumps(build_config) + text[end:]
    # Flutter's loader would register flutter_service_worker.js, which unregisters itself
    # and every other worker and reloads the page.
    start = _find_once(text, "serviceWorkerSettings: {", "flutter_bootstrap.js")
    end = text.index("},", start) + 2
    if "{" in text[start + len("serviceWorkerSettings: {") : end]:
        raise ClientChanged("flutter_bootstrap.js: serviceWorkerSettings is not flat")
    line_start = text.rindex("\n", 0, start)
    path.write_text(text[:line_start] + text[end:])


def patch_python_js(path: Path) -> None:
    # boot.js starts the Python worker before Flutter asks for it, so Pyodide boots while
    # Flutter loads; python.js then takes that worker instead of making its own.
    text = path.read_text()
    old = "app.worker = new Worker("
    _find_once(text, old, "python.js")
    path.write_text(text.replace(old, "app.worker = flet.takeEarlyWorker?.() || new Worker("))


def patch_font_manifest(path: Path, dropped: str) -> None:
    """Flutter loads every font of FontManifest.json at start: the families whose files are
    under ``dropped`` (an asset folder the bundle leaves out) go, and the bundled Roboto
    comes in (without it Flutter fetches Roboto from elsewhere)."""
    manifest: list[dict[str, Any]] = json.loads(path.read_text())
    kept = [
        entry
        for entry in manifest
        if not all(font["asset"].startswith(dropped) for font in entry["fonts"])
    ]
    if len(kept) == len(manifest):
        raise ClientChanged(f"FontManifest.json: no font under {dropped}")
    kept.append({"family": "Roboto", "fonts": [{"asset": "fonts/roboto.woff2"}]})
    path.write_text(json.dumps(kept, indent=2))


def _find_once(text: str, needle: str, where: str) -> int:
    if text.count(needle) != 1:
        raise ClientChanged(f"{where}: expected one {needle!r}")
    return text.index(needle)
