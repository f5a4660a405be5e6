"""Save the script being written; a star says it has changes not saved yet."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import flet as ft

from app.ui.guard import guarded

from ..context import use_tr
from ..state import ScriptEditor, ScriptPreview
from ..theme import filled_button


@ft.component
@guarded
def SaveScriptButton(
    editor: ScriptEditor, preview: ScriptPreview, on_save: Callable[[], Awaitable[None]]
) -> ft.Control:
    """``preview`` is ``editor.preview``: the button follows every keystroke through it."""
    tr = use_tr()
    star = " *" if editor.dirty else ""
    return filled_button(
        tr("scripts.save", code=editor.draft.language, star=star),
        icon=ft.Icons.SAVE,
        on_click=on_save,
    )
