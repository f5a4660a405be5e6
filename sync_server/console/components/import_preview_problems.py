"""Every row the import would reject or merge, before anything is stored: each list shown
whole when short, else collapsed to its count with a button to open it."""

from __future__ import annotations

import flet as ft

from app.core.imports import ImportPreview, MergedRow
from app.ui.guard import guarded

from ..theme import labelled
from .collapsible_rows import CollapsibleRows


def _merged_text(row: MergedRow) -> str:
    into = [f"line {row.into_line}"] if row.into_line else []
    if row.into_household:
        into.append("a household already stored")
    return f"Line {row.line}: {row.name} · {row.phone} merges with {' and '.join(into)}"


def _rows(count: int) -> str:
    return f"{count:,} row{'' if count == 1 else 's'}"


@ft.component
@guarded
def ImportPreviewProblems(preview: ImportPreview) -> ft.Control:
    rejected = [(row.line, f"Line {row.line}: {row.reason}") for row in preview.rejected]
    merged = [(row.line, _merged_text(row)) for row in preview.merged]
    summary = (
        f"This file would add {preview.imported:,} new households, merge "
        f"{_rows(len(merged))} and reject {_rows(len(rejected))}."
    )
    controls: list[ft.Control] = [labelled("preview-summary", summary, summary, size=16)]
    if rejected:
        controls.append(
            CollapsibleRows(
                "preview-rejected",
                f"{_rows(len(rejected))} would be rejected",
                rejected,
                ft.Colors.ERROR,
            )
        )
    if merged:
        controls.append(
            CollapsibleRows("preview-merged", f"{_rows(len(merged))} would merge", merged, None)
        )
    return ft.Column(controls, spacing=10)
