"""Import households from a CSV: choose it, check and fix the columns, import with a progress
bar, then read the report. A daily-attendance campaign's file replaces yesterday's list."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from functools import partial

import flet as ft

from app.core.errors import PhonebankError, Unauthorized
from app.core.imports import ColumnMapping
from app.ui.guard import guarded

from ..components.csv_chooser import CsvChooser
from ..components.import_preview_table import ImportPreviewTable
from ..components.import_report_view import ImportReportView
from ..components.mapping_editor import MappingEditor
from ..context import use_chosen_campaign, use_console, use_state_of_console
from ..state import ImportState
from ..theme import card, error_line, filled_button, heading, labelled, outlined_button


@ft.component
@guarded
def ImportView() -> ft.Control:
    console, state = use_console(), use_state_of_console()
    imports, _ = ft.use_state(console.imports)  # subscribes: the view follows the import
    campaign_id = state.campaign_id
    campaign = use_chosen_campaign()
    daily = campaign is not None and campaign.kind == "daily_attendance"

    def daily_defaults() -> None:
        # Each morning's absences replace yesterday's list and go straight to callers;
        # any other campaign's import adds to its list and waits for the supervisor.
        imports.replace_open = imports.assign_after = daily

    ft.use_effect(daily_defaults, [campaign_id, daily])

    async def preview(mapping: ColumnMapping | None = None) -> None:
        try:
            result = await console.run(
                console.service.preview_import,
                imports.data,
                mapping,
                default_language=imports.language,
            )
        except Unauthorized as error:
            state.signed_out(error.message)
        except PhonebankError as error:
            imports.failed(error.message)
        else:
            imports.previewed(result)

    async def remap() -> None:
        await preview(imports.mapping)

    async def run_import() -> None:
        if imports.mapping is None or imports.stage == "importing":
            return
        loop = asyncio.get_running_loop()

        def progressed(done: int, total: int) -> None:
            loop.call_soon_threadsafe(imports.progressed, done, total)

        imports.started()
        try:
            report = await console.run(
                console.service.import_households,
                imports.data,
                campaign_id,
                imports.mapping,
                replace_open=imports.replace_open and campaign_id is not None,
                default_language=imports.language,
                progress=progressed,
            )
            assigned = None
            if campaign_id and imports.assign_after:
                plan = await console.run(console.service.assign_open, campaign_id)
                assigned = len(plan.moves)
        except Unauthorized as error:
            state.signed_out(error.message)
            return
        except PhonebankError as error:
            imports.failed(error.message)
            return
        imports.finished(report, assigned)
        state.changed()

    controls: list[ft.Control] = [heading("Import households", 24)]
    target = (
        f"Households go on the list of {campaign.name}."
        if campaign
        else "Households are stored without a campaign (choose one at the top to add them)."
    )
    controls.append(ft.Text(target, size=15))
    if imports.error:
        controls.append(error_line("import-error", imports.error, size=15))
    if imports.stage == "choose":
        controls.append(card(CsvChooser(imports, preview)))
    elif imports.stage == "preview":
        controls.append(_preview(imports, remap, run_import, campaign is not None, daily))
    elif imports.stage == "importing":
        fraction = imports.done / imports.total if imports.total else None
        counted = f"{imports.done:,} of {imports.total:,} rows" if imports.total else "Reading..."
        controls.append(
            card(
                labelled(
                    "import-progress",
                    f"Importing: {counted}",
                    ft.Column(
                        [
                            ft.Text(f"Importing {imports.file_name}: {counted}", size=16),
                            ft.ProgressBar(value=fraction, width=500, bar_height=10),
                        ],
                        tight=True,
                    ),
                )
            )
        )
    elif imports.report is not None:
        report = imports.report
        controls.append(
            card(
                ImportReportView(
                    report,
                    imports.file_name,
                    imports.assigned,
                    partial(console.service.rejected_rows_download, report),
                )
            )
        )
        controls.append(
            ft.Row(
                [
                    filled_button(
                        "Import another file", icon=ft.Icons.UPLOAD_FILE, on_click=imports.reset
                    ),
                    outlined_button(
                        "Assignment",
                        icon=ft.Icons.ASSIGNMENT_IND,
                        on_click=lambda: state.go("assignment"),
                    ),
                    outlined_button(
                        "Dashboard", icon=ft.Icons.INSIGHTS, on_click=lambda: state.go("dashboard")
                    ),
                ],
                wrap=True,
            )
        )
    return ft.Column(controls, spacing=14)


def _preview(
    imports: ImportState,
    remap: Callable[[], Awaitable[None]],
    run_import: Callable[[], Awaitable[None]],
    in_campaign: bool,
    daily: bool,
) -> ft.Control:
    preview = imports.preview
    if preview is None:
        return ft.ProgressRing()
    options: list[ft.Control] = []
    if in_campaign:
        options.append(
            ft.Switch(
                label=(
                    "Replace the open list with this file (today's absences replace yesterday's)"
                    if daily
                    else "Replace the campaign's open list with this file"
                ),
                value=imports.replace_open,
                on_change=lambda e: setattr(imports, "replace_open", bool(e.control.value)),
            )
        )
        options.append(
            ft.Switch(
                label="Assign the new households to callers right away",
                value=imports.assign_after,
                on_change=lambda e: setattr(imports, "assign_after", bool(e.control.value)),
            )
        )
    missing = preview.missing_columns
    blocks: list[ft.Control] = [
        ft.Text(
            f"{imports.file_name}: {preview.rows_read} rows", size=18, weight=ft.FontWeight.BOLD
        ),
        MappingEditor(imports, preview.detected_headers),
        ft.Row(
            [
                outlined_button(
                    "Preview with these columns", icon=ft.Icons.REFRESH, on_click=remap
                ),
            ]
        ),
    ]
    if missing:
        blocks.append(
            labelled(
                "mapping-missing",
                f"Missing: {', '.join(missing)}",
                f"Choose a column for: {', '.join(missing)} — a household needs a name "
                "and a phone number.",
                color=ft.Colors.ERROR,
                size=15,
            )
        )
    else:
        blocks.append(ImportPreviewTable(preview))
    blocks += options
    blocks.append(
        ft.Row(
            [
                filled_button(
                    f"Import {preview.rows_read} rows",
                    icon=ft.Icons.DOWNLOAD_DONE,
                    on_click=run_import,
                    disabled=bool(missing),
                ),
                outlined_button("Choose another file", icon=ft.Icons.CLOSE, on_click=imports.reset),
            ],
            wrap=True,
        )
    )
    return card(ft.Column(blocks, spacing=12))
