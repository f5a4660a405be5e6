"""app.core's public surface is what we mean to export, and it stays pure."""

from __future__ import annotations

import ast
from pathlib import Path

import app.core

CORE = Path(app.core.__file__).parent
FORBIDDEN = {"flet", "httpx", "sqlite3", "sqlite_utils", "fastapi", "starlette", "sync_server"}


def test_all_names_exist_and_are_sorted() -> None:
    assert all(hasattr(app.core, name) for name in app.core.__all__)
    assert app.core.__all__ == sorted(app.core.__all__, key=lambda n: (not n.isupper(), n))


def test_the_exception_hierarchy_is_exported_whole() -> None:
    exported = {id(getattr(app.core, name)) for name in app.core.__all__}
    errors = {
        id(value)
        for value in vars(app.core.errors).values()
        if isinstance(value, type) and issubclass(value, app.core.PhonebankError)
    }
    assert errors <= exported


def test_core_imports_no_flet_http_or_sql() -> None:
    for module in CORE.glob("*.py"):
        tree = ast.parse(module.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module or ""]
            else:
                continue
            for name in names:
                assert name.split(".")[0] not in FORBIDDEN, f"{module.name} imports {name}"
