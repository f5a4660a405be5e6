"""The console's screens are declared once (views/screens.py); the rail, the shell and every
``go("…")`` read that one list."""

from __future__ import annotations

import ast
from pathlib import Path

import sync_server.console
from sync_server.console.state import HOME, ConsoleState
from sync_server.console.views.screens import BY_ID, SCREENS

CONSOLE = Path(sync_server.console.__file__).parent
NOT_SCREENS = {"shell.py", "screens.py", "sign_in_view.py"}


def test_each_screen_is_declared_once_with_a_title_icon_and_view() -> None:
    assert len(BY_ID) == len(SCREENS)
    for screen in SCREENS:
        assert screen.id.isidentifier() and screen.title and screen.icon and callable(screen.view)
    assert len({screen.view for screen in SCREENS}) == len(SCREENS)


def test_every_view_module_is_a_registered_screen() -> None:
    registered = {screen.view.__module__.rsplit(".", 1)[-1] + ".py" for screen in SCREENS}
    on_disk = {path.name for path in (CONSOLE / "views").glob("*_view.py")}
    assert on_disk - NOT_SCREENS == registered


def test_every_screen_the_console_goes_to_is_registered() -> None:
    named = {HOME, ConsoleState().screen}
    for module in CONSOLE.rglob("*.py"):
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "go"
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                named.add(node.args[0].value)
    assert "assignment" in named  # the scan finds the dashboard's and import's links
    assert named <= set(BY_ID)
