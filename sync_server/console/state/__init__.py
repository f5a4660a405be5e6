"""The console's observable state: plain dataclasses with plain methods, testable alone."""

from .console_state import SCREENS, ConsoleState, Screen
from .import_state import ImportStage, ImportState
from .script_state import ScriptEditor, ScriptPreview

__all__ = [
    "SCREENS",
    "ConsoleState",
    "ImportStage",
    "ImportState",
    "Screen",
    "ScriptEditor",
    "ScriptPreview",
]
