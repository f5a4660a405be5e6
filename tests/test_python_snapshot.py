"""The offline app's Python worker, as the build writes it: what its memory snapshot is keyed
by (a snapshot is restored only into the very Python it was made from) and what it holds.

The snapshot itself is made and restored in Chromium: tests/browser/test_pwa.py."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

from sync_server.pwa import site_packages

NAMES = {
    "pyodide": "pyodide.aaaaaaaaaaaa/pyodide.mjs",
    "app": "app.bbbbbbbbbbbb.tar",
    "site_packages": "site-packages.cccccccccccc.tar",
}


def bundle_of(source: str) -> dict[str, object]:
    line = next(line for line in source.splitlines() if line.startswith("const BUNDLE = "))
    return dict(json.loads(line.removeprefix("const BUNDLE = ").removesuffix(";")))


def test_the_worker_gets_the_bundles_names() -> None:
    bundle = bundle_of(site_packages.worker_source(**NAMES))
    assert bundle["pyodide"] == NAMES["pyodide"]
    assert bundle["pyodideAsm"] == "pyodide.aaaaaaaaaaaa/pyodide.asm.mjs"
    assert bundle["app"] == NAMES["app"]
    assert bundle["sitePackages"] == NAMES["site_packages"]
    assert bundle["preload"] == list(site_packages.PRELOAD)


@pytest.mark.parametrize("changed", sorted(NAMES))
def test_a_snapshot_is_keyed_by_what_its_heap_is_made_of(changed: str) -> None:
    key = bundle_of(site_packages.worker_source(**NAMES))["snapshotKey"]
    other = {**NAMES, changed: NAMES[changed].replace("a", "d").replace("b", "e").replace("c", "f")}
    assert bundle_of(site_packages.worker_source(**other))["snapshotKey"] != key
    assert bundle_of(site_packages.worker_source(**NAMES))["snapshotKey"] == key


def test_a_snapshot_is_keyed_by_the_modules_it_holds() -> None:
    key = bundle_of(site_packages.worker_source(**NAMES))["snapshotKey"]
    fewer = site_packages.worker_source(**NAMES, preload=("flet",))
    assert bundle_of(fewer)["snapshotKey"] != key


def test_the_snapshot_holds_the_flet_controls_the_ui_uses(tmp_path: Path) -> None:
    (tmp_path / "screen.py").write_text(
        "import flet as ft\n\n"
        "def draw():\n"
        "    return ft.Column([ft.Text('hi', color=ft.Colors.RED)])\n"
    )
    (tmp_path / "components").mkdir()
    (tmp_path / "components" / "row.py").write_text(
        "import flet as ft\n\n@ft.component\ndef Row():\n    return ft.Row()\n"
    )
    assert site_packages.flet_names_used(tmp_path) == [
        "Colors",
        "Column",
        "Row",
        "Text",
        "component",
    ]


def test_every_name_the_ui_looks_up_is_in_flet() -> None:
    import flet

    names = bundle_of(site_packages.worker_source(**NAMES))["fletNames"]
    assert isinstance(names, list) and "Column" in names and "run" in names
    assert [name for name in names if not hasattr(flet, name)] == []


def test_python_holds_no_module_that_needs_the_page_before_the_snapshot() -> None:
    # flet_js (the page's bridge) is registered after the snapshot: no preloaded module may
    # import it when imported itself.
    flet_modules = Path(str(__import__("flet").__file__)).parent
    needs_bridge = {
        path.relative_to(flet_modules.parent).with_suffix("").as_posix().replace("/", ".")
        for path in flet_modules.rglob("*.py")
        if any(
            isinstance(node, ast.Import) and any(alias.name == "flet_js" for alias in node.names)
            for node in ast.parse(path.read_text()).body
        )
    }
    assert needs_bridge == {"flet.messaging.pyodide_connection"}
    assert not needs_bridge & set(site_packages.PRELOAD)
