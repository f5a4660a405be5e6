"""The first rows as the import would read them: the household, its warnings, or the error."""

from __future__ import annotations

import flet as ft

from app.core.imports import ImportPreview
from app.ui.guard import guarded

from ..theme import labelled


@ft.component
@guarded
def ImportPreviewTable(preview: ImportPreview) -> ft.Control:
    rows: list[ft.Control] = [
        ft.Text(
            f"First {len(preview.sample)} of {preview.rows_read} rows "
            f"({preview.encoding}, separated by {preview.delimiter!r})",
            size=17,
            weight=ft.FontWeight.BOLD,
        )
    ]
    for row in preview.sample:
        household = row.household
        if household is None:
            text = f"Line {row.line}: not imported — {row.error}"
            colour = ft.Colors.ERROR
        else:
            phones = ", ".join(phone.number for phone in household.phones)
            students = ", ".join(member.name for member in household.students)
            extra = f" · needs: {', '.join(household.tags)}" if household.tags else ""
            text = (
                f"Line {row.line}: {household.name} · {phones} · {household.language}"
                + (f" · {students}" if students else "")
                + (f" · {household.school}" if household.school else "")
                + extra
            )
            if row.warnings:
                text += " · warning: " + "; ".join(row.warnings)
            colour = None
        rows.append(labelled(f"preview-line-{row.line}", text, text, size=14, color=colour))
    return ft.Column(rows, spacing=4)
