"""How to read the file: its encoding (detected, or the supervisor's choice) and a default
area code for phone numbers written without one. Each change previews the file again."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import flet as ft

from app.ui.guard import guarded

from ...csv_reading import ENCODINGS
from ..context import use_tr
from ..state import ImportState

DETECT = "auto"


@ft.component
@guarded
def ImportReadingOptions(
    imports: ImportState, detected: str, reread: Callable[[bool], Awaitable[None]]
) -> ft.Control:
    """``detected``: the encoding the preview was read as, in words; ``reread(remap)``
    previews again (remap: detect the columns afresh, as a new encoding changes headers)."""
    tr = use_tr()
    typed = ft.use_ref(imports.area_code)

    async def chosen(e: ft.Event[ft.Dropdown]) -> None:
        value = e.control.value
        imports.encoding = None if value in (None, DETECT) else value
        await reread(True)

    def typing(e: ft.Event[ft.TextField]) -> None:
        typed.current = (e.control.value or "").strip()

    async def area_code_done() -> None:
        if typed.current != imports.area_code:
            imports.area_code = typed.current or ""
            await reread(False)

    automatic = (
        tr("reading.detected", encoding=detected)
        if imports.encoding is None
        else tr("reading.detect")
    )
    options = [ft.DropdownOption(key=DETECT, text=automatic)]
    options += [ft.DropdownOption(key=code, text=label) for code, label in ENCODINGS.items()]
    current = imports.encoding or DETECT
    shown = ENCODINGS.get(current, automatic)
    return ft.Row(
        [
            ft.Semantics(
                identifier="import-encoding",
                label=tr("reading.encoding_label", encoding=shown),
                content=ft.Dropdown(
                    label=tr("reading.encoding"),
                    value=current,
                    options=options,
                    on_select=chosen,
                    width=320,
                    dense=True,
                ),
            ),
            ft.Semantics(
                identifier="import-area-code",
                label=tr("reading.area_code_label", code=imports.area_code or tr("reading.none")),
                content=ft.TextField(
                    label=tr("reading.area_code"),
                    hint_text=tr("reading.area_code_hint"),
                    helper=tr("reading.area_code_helper"),
                    value=imports.area_code,
                    on_change=typing,
                    on_submit=area_code_done,
                    on_blur=area_code_done,
                    width=240,
                    dense=True,
                ),
            ),
        ],
        wrap=True,
        spacing=16,
        run_spacing=12,
        vertical_alignment=ft.CrossAxisAlignment.START,
    )
