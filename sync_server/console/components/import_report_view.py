"""What an import did: counts, each rejected row with its line and reason, a CSV of them."""

from __future__ import annotations

from collections.abc import Callable

import flet as ft

from app.core.imports import ImportReport
from app.ui.guard import guarded

from ..context import use_tr
from ..theme import labelled, quiet_text
from .download_link import DownloadLink
from .stat_tile import stat_tile


@ft.component
@guarded
def ImportReportView(
    report: ImportReport, file_name: str, assigned: int | None, issue_download: Callable[[], str]
) -> ft.Control:
    tr = use_tr()
    tiles = [
        stat_tile("rows-read", tr("import_report.rows_read"), tr.format(report.rows_read)),
        stat_tile("imported", tr("import_report.imported"), tr.format(report.imported)),
        stat_tile(
            "merged",
            tr("import_report.merged"),
            tr.format(report.merged),
            hint=tr("import_report.merged_hint"),
        ),
        stat_tile("rejected", tr("import_report.rejected"), tr.format(len(report.rejected))),
    ]
    if report.campaign_id:
        tiles.append(
            stat_tile("added", tr("import_report.added"), tr.format(report.added_to_campaign))
        )
    if report.closed:
        tiles.append(
            stat_tile(
                "closed",
                tr("import_report.closed"),
                tr.format(report.closed),
                hint=tr("import_report.closed_hint"),
            )
        )
    if assigned is not None:
        tiles.append(stat_tile("assigned", tr("import_report.assigned"), tr.format(assigned)))
    controls: list[ft.Control] = [
        ft.Semantics(
            exclude_semantics=True,
            identifier="import-report",
            label=tr(
                "import_report.label",
                file=file_name,
                imported=report.imported,
                merged=report.merged,
                rejected=len(report.rejected),
            ),
            content=ft.Text(
                tr("import_report.title", file=file_name), size=20, weight=ft.FontWeight.BOLD
            ),
        ),
        ft.Row(tiles, wrap=True, spacing=10, run_spacing=10),
    ]
    if report.rejected:
        controls.append(
            ft.Text(
                tr("import_report.not_imported", count=len(report.rejected)),
                size=16,
                weight=ft.FontWeight.W_600,
            )
        )
        for row in report.rejected:
            shown = ", ".join(f"{key}={value}" for key, value in row.raw.items() if value)
            controls.append(
                ft.Semantics(
                    exclude_semantics=True,
                    identifier=f"rejected-line-{row.line}",
                    label=tr("import_report.line", line=row.line, reason=row.reason),
                    content=ft.Column(
                        [
                            ft.Text(
                                tr("import_report.line", line=row.line, reason=row.reason),
                                size=15,
                                color=ft.Colors.ERROR,
                            ),
                            quiet_text(shown, size=12, selectable=True),
                        ],
                        spacing=0,
                    ),
                )
            )
    if report.warnings:
        controls.append(ft.Text(tr("import_report.warnings"), size=16, weight=ft.FontWeight.W_600))
        for row in report.warnings:
            line = tr("import_report.line", line=row.line, reason=row.reason)
            controls.append(labelled(f"warning-line-{row.line}", line, line, size=14))
    if report.rejected or report.warnings:
        controls.append(
            DownloadLink(
                tr("import_report.download"),
                "rejected-rows.csv",
                issue_download,
                "rejected-download",
                at_once=True,
                note=tr("import_report.download_note"),
            )
        )
    return ft.Column(controls, spacing=10)
