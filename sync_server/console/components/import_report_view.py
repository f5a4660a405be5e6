"""What an import did: counts, each rejected row with its line and reason, a CSV of them."""

from __future__ import annotations

from collections.abc import Callable

import flet as ft

from app.core.imports import ImportReport
from app.ui.guard import guarded

from ..theme import labelled, quiet_text
from .download_link import DownloadLink
from .stat_tile import stat_tile


@ft.component
@guarded
def ImportReportView(
    report: ImportReport, file_name: str, assigned: int | None, issue_download: Callable[[], str]
) -> ft.Control:
    tiles = [
        stat_tile("rows-read", "Rows read", str(report.rows_read)),
        stat_tile("imported", "New households", str(report.imported)),
        stat_tile("merged", "Merged", str(report.merged), hint="same phone and family"),
        stat_tile("rejected", "Rejected", str(len(report.rejected))),
    ]
    if report.campaign_id:
        tiles.append(stat_tile("added", "Added to the list", str(report.added_to_campaign)))
    if report.closed:
        tiles.append(
            stat_tile(
                "closed",
                "Taken off the list",
                str(report.closed),
                hint="yesterday's, not in this file",
            )
        )
    if assigned is not None:
        tiles.append(stat_tile("assigned", "Assigned to callers", str(assigned)))
    controls: list[ft.Control] = [
        ft.Semantics(
            exclude_semantics=True,
            identifier="import-report",
            label=(
                f"Imported {file_name}: {report.imported} new, {report.merged} merged, "
                f"{len(report.rejected)} rejected"
            ),
            content=ft.Text(f"Imported {file_name}", size=20, weight=ft.FontWeight.BOLD),
        ),
        ft.Row(tiles, wrap=True, spacing=10, run_spacing=10),
    ]
    if report.rejected:
        controls.append(
            ft.Text(
                f"{len(report.rejected)} rows were not imported — fix them in the file and "
                "import it again (rows already imported merge, never double):",
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
                    label=f"Line {row.line}: {row.reason}",
                    content=ft.Column(
                        [
                            ft.Text(
                                f"Line {row.line}: {row.reason}", size=15, color=ft.Colors.ERROR
                            ),
                            quiet_text(shown, size=12, selectable=True),
                        ],
                        spacing=0,
                    ),
                )
            )
    if report.warnings:
        controls.append(
            ft.Text("Imported with a value left out:", size=16, weight=ft.FontWeight.W_600)
        )
        for row in report.warnings:
            line = f"Line {row.line}: {row.reason}"
            controls.append(labelled(f"warning-line-{row.line}", line, line, size=14))
    if report.rejected or report.warnings:
        controls.append(
            DownloadLink(
                "Rejected rows as CSV",
                "rejected-rows.csv",
                issue_download,
                "rejected-download",
            )
        )
    return ft.Column(controls, spacing=10)
