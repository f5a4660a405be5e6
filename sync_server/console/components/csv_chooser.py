"""Choose the CSV: the browser's file picker (uploaded to the server), or pasted text."""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import flet as ft

from app.ui.guard import guarded

from ..context import use_console, use_tr
from ..state import ImportState
from ..theme import filled_button, labelled, outlined_button

log = logging.getLogger(__name__)


def _read_and_forget(path: Path) -> bytes:
    try:
        return path.read_bytes()
    finally:
        path.unlink(missing_ok=True)


@ft.component
@guarded
def CsvChooser(imports: ImportState, on_loaded: Callable[[], Any]) -> ft.Control:
    console, tr = use_console(), use_tr()
    picker = console.file_picker
    pending = ft.use_ref("")  # the server-side name of the file being uploaded
    pasted = ft.use_ref("")

    async def picked(e: ft.FilePickerResultEvent) -> None:
        if not e.files or picker is None:
            return
        chosen = e.files[0]
        # The browser's file name is for people only; the server's copy gets a random one.
        pending.current = f"{uuid.uuid4().hex}.csv"
        imports.file_name = chosen.name
        imports.uploading = 0.0
        imports.error = None
        await picker.upload(
            [ft.FilePickerUploadFile(upload_url=console.upload_url(pending.current), id=chosen.id)]
        )

    async def uploaded(e: ft.FilePickerUploadEvent) -> None:
        if e.error:
            imports.uploading = None
            imports.failed(tr("csv.upload_failed", file=imports.file_name, error=e.error))
            return
        imports.uploading = e.progress
        if e.progress is not None and e.progress >= 1.0 and pending.current:
            path = console.upload_dir / pending.current
            pending.current = ""
            try:
                data = await asyncio.to_thread(_read_and_forget, path)
            except OSError as error:
                log.warning("console: uploaded file missing: %s", error)
                imports.failed(tr("csv.did_not_arrive"))
                return
            imports.loaded(imports.file_name, data)
            await on_loaded()

    console.picker_events.on_result = picked
    console.picker_events.on_upload = uploaded

    def typed(e: ft.Event[ft.TextField]) -> None:
        pasted.current = e.control.value or ""

    async def use_pasted() -> None:
        text = pasted.current or ""
        if not text.strip():
            imports.failed(tr("csv.paste_first"))
            return
        imports.loaded(tr("csv.pasted_text"), text.encode("utf-8"))
        await on_loaded()

    controls: list[ft.Control] = [
        ft.Text(tr("csv.lead"), size=15),
    ]
    if picker is not None:
        controls.append(
            filled_button(
                tr("csv.choose"),
                icon=ft.Icons.UPLOAD_FILE,
                action=ft.PickFiles(
                    picker,
                    dialog_title=tr("csv.dialog"),
                    file_type=ft.FilePickerFileType.CUSTOM,
                    allowed_extensions=["csv", "txt", "tsv"],
                ),
            )
        )
    if imports.uploading is not None:
        controls.append(
            labelled(
                "upload-progress",
                tr(
                    "csv.uploading_label",
                    file=imports.file_name,
                    percent=f"{imports.uploading * 100:.0f}%",
                ),
                ft.Column(
                    [
                        ft.Text(tr("csv.uploading", file=imports.file_name)),
                        ft.ProgressBar(value=imports.uploading or None, width=400),
                    ],
                    tight=True,
                ),
            )
        )
    controls += [
        ft.Text(tr("csv.or_paste"), size=14),
        ft.TextField(
            label=tr("csv.text"),
            multiline=True,
            min_lines=4,
            max_lines=10,
            on_change=typed,
            text_size=13,
        ),
        outlined_button(tr("csv.use_pasted"), icon=ft.Icons.CONTENT_PASTE, on_click=use_pasted),
    ]
    return ft.Column(controls, spacing=12)
