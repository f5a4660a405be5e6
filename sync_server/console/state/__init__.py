"""The console's observable state: plain dataclasses with plain methods, testable alone."""

from .console_state import HOME, ConsoleState
from .import_state import ImportStage, ImportState
from .script_state import ScriptEditor, ScriptPreview

__all__ = [
    "HOME",
    "ConsoleState",
    "ImportStage",
    "ImportState",
    "ScriptEditor",
    "ScriptPreview",
]
