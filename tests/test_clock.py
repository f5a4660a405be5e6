"""One clock: ``utcnow`` is defined once, in ``app.core.clock``, and everything asks it."""

from __future__ import annotations

import ast
from pathlib import Path

from app.core.clock import utcnow
from sync_server import clock as server_clock

ROOT = Path(__file__).resolve().parents[1]


def definitions_of(name: str) -> list[str]:
    found = []
    for folder in ("app", "sync_server"):
        for module in sorted((ROOT / folder).rglob("*.py")):
            tree = ast.parse(module.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                defined = (
                    [node.name]
                    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
                    else [t.id for t in node.targets if isinstance(t, ast.Name)]
                    if isinstance(node, ast.Assign)
                    else []
                )
                if name in defined:
                    found.append(module.relative_to(ROOT).as_posix())
    return found


def test_utcnow_and_the_clock_type_are_defined_once() -> None:
    assert definitions_of("utcnow") == ["app/core/clock.py"]
    assert definitions_of("Clock") == ["app/core/clock.py"]


def test_the_server_reads_the_same_clock() -> None:
    assert server_clock.utcnow is utcnow
    assert utcnow().utcoffset() is not None
