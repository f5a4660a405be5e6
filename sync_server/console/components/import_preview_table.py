"""The first rows as the import would read them: the household, its warnings, or the error."""

from __future__ import annotations

import flet as ft

from app.core.imports import ImportPreview
from app.ui.guard import guarded

from ..context import use_tr
from ..theme import labelled


@ft.component
@guarded
def ImportPreviewTable(preview: ImportPreview) -> ft.Control:
    tr = use_tr()
    rows: list[ft.Control] = [
        ft.Text(
            tr(
                "preview_table.title",
                shown=len(preview.sample),
                count=preview.rows_read,
                encoding=preview.encoding_label,
                delimiter=repr(preview.delimiter),
            ),
            size=17,
            weight=ft.FontWeight.BOLD,
        )
    ]
    for row in preview.sample:
        household = row.household
        if household is None:
            text = tr("preview_table.not_imported", line=row.line, error=row.error)
            colour = ft.Colors.ERROR
        else:
            phones = ", ".join(phone.number for phone in household.phones)
            students = ", ".join(member.name for member in household.students)
            extra = (
                tr("preview_table.needs", tags=", ".join(household.tags)) if household.tags else ""
            )
            line = tr(
                "preview_table.line",
                line=row.line,
                name=household.name,
                phones=phones,
                language=household.language,
            )
            text = (
                line
                + (f" · {students}" if students else "")
                + (f" · {household.school}" if household.school else "")
                + extra
            )
            if row.warnings:
                text += tr("preview_table.warning", warnings="; ".join(row.warnings))
            colour = None
        rows.append(labelled(f"preview-line-{row.line}", text, text, size=14, color=colour))
    return ft.Column(rows, spacing=4)
