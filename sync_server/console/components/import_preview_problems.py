"""Every row the import would reject or merge, before anything is stored: each list shown
whole when short, else collapsed to its count with a button to open it."""

from __future__ import annotations

import flet as ft

from app.core.imports import ImportPreview, MergedRow
from app.services.i18n import Translator
from app.ui.guard import guarded

from ..context import use_tr
from ..theme import labelled
from .collapsible_rows import CollapsibleRows


def _merged_text(row: MergedRow, tr: Translator) -> str:
    into = [tr("preview_problems.line", line=row.into_line)] if row.into_line else []
    if row.into_household:
        into.append(tr("preview_problems.stored"))
    return tr(
        "preview_problems.merges",
        line=row.line,
        name=row.name,
        phone=row.phone,
        into=tr("preview_problems.and").join(into),
    )


def _rows(count: int, tr: Translator) -> str:
    return tr("preview_problems.rows", count=count)


@ft.component
@guarded
def ImportPreviewProblems(preview: ImportPreview) -> ft.Control:
    tr = use_tr()
    rejected = [
        (row.line, tr("import_report.line", line=row.line, reason=row.reason))
        for row in preview.rejected
    ]
    merged = [(row.line, _merged_text(row, tr)) for row in preview.merged]
    summary = tr(
        "preview_problems.summary",
        count=preview.imported,
        merged=_rows(len(merged), tr),
        rejected=_rows(len(rejected), tr),
    )
    controls: list[ft.Control] = [labelled("preview-summary", summary, summary, size=16)]
    if rejected:
        controls.append(
            CollapsibleRows(
                "preview-rejected",
                tr("preview_problems.would_reject", rows=_rows(len(rejected), tr)),
                rejected,
                ft.Colors.ERROR,
            )
        )
    if merged:
        controls.append(
            CollapsibleRows(
                "preview-merged",
                tr("preview_problems.would_merge", rows=_rows(len(merged), tr)),
                merged,
                None,
            )
        )
    return ft.Column(controls, spacing=10)
