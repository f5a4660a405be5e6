"""Import households from a CSV: choose it, check and fix the columns, import with a progress
bar, then read the report. A daily-attendance campaign's file replaces yesterday's list."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from functools import partial

import flet as ft

from app.core.errors import PhonebankError, Unauthorized
from app.core.imports import ColumnMapping
from app.services.i18n import Translator
from app.ui.guard import guarded

from ..components.csv_chooser import CsvChooser
from ..components.import_preview_problems import ImportPreviewProblems
from ..components.import_preview_table import ImportPreviewTable
from ..components.import_reading_options import ImportReadingOptions
from ..components.import_report_view import ImportReportView
from ..components.mapping_editor import MappingEditor
from ..context import use_chosen_campaign, use_console, use_state_of_console, use_tr
from ..i18n import said
from ..state import ImportState
from ..theme import card, error_line, filled_button, heading, labelled, outlined_button


@ft.component
@guarded
def ImportView() -> ft.Control:
    console, state, tr = use_console(), use_state_of_console(), use_tr()
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
                encoding=imports.encoding,
                default_area_code=imports.area_code or None,
            )
        except Unauthorized as error:
            state.signed_out(said(error, tr))
        except PhonebankError as error:
            imports.failed(said(error, tr))
        else:
            imports.previewed(result)

    async def remap() -> None:
        await preview(imports.mapping)

    async def reread(detect_columns: bool) -> None:
        await preview(None if detect_columns else imports.mapping)

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
                encoding=imports.encoding,
                default_area_code=imports.area_code or None,
                progress=progressed,
            )
            assigned = None
            if campaign_id and imports.assign_after:
                plan = await console.run(console.service.assign_open, campaign_id)
                assigned = len(plan.moves)
        except Unauthorized as error:
            state.signed_out(said(error, tr))
            return
        except PhonebankError as error:
            imports.failed(said(error, tr))
            return
        imports.finished(report, assigned)
        state.changed()

    controls: list[ft.Control] = [heading(tr("import.title"), 24)]
    target = tr("import.into", campaign=campaign.name) if campaign else tr("import.no_campaign")
    controls.append(ft.Text(target, size=15))
    if imports.error:
        controls.append(error_line("import-error", imports.error, size=15))
    if imports.stage == "choose":
        controls.append(card(CsvChooser(imports, preview)))
    elif imports.stage == "preview":
        controls.append(
            _preview(imports, remap, reread, run_import, campaign is not None, daily, tr)
        )
    elif imports.stage == "importing":
        fraction = imports.done / imports.total if imports.total else None
        counted = (
            tr("import.counted", done=imports.done, total=imports.total)
            if imports.total
            else tr("import.reading")
        )
        controls.append(
            card(
                labelled(
                    "import-progress",
                    tr("import.importing", counted=counted),
                    ft.Column(
                        [
                            ft.Text(
                                tr(
                                    "import.importing_file", file=imports.file_name, counted=counted
                                ),
                                size=16,
                            ),
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
                        tr("import.another"), icon=ft.Icons.UPLOAD_FILE, on_click=imports.reset
                    ),
                    outlined_button(
                        tr("screen.assignment"),
                        icon=ft.Icons.ASSIGNMENT_IND,
                        on_click=lambda: state.go("assignment"),
                    ),
                    outlined_button(
                        tr("screen.dashboard"),
                        icon=ft.Icons.INSIGHTS,
                        on_click=lambda: state.go("dashboard"),
                    ),
                ],
                wrap=True,
            )
        )
    return ft.Column(controls, spacing=14)


def _preview(
    imports: ImportState,
    remap: Callable[[], Awaitable[None]],
    reread: Callable[[bool], Awaitable[None]],
    run_import: Callable[[], Awaitable[None]],
    in_campaign: bool,
    daily: bool,
    tr: Translator,
) -> ft.Control:
    preview = imports.preview
    if preview is None:
        return ft.ProgressRing()
    options: list[ft.Control] = []
    if in_campaign:
        options.append(
            ft.Switch(
                label=tr("import.replace_daily" if daily else "import.replace"),
                value=imports.replace_open,
                on_change=lambda e: setattr(imports, "replace_open", bool(e.control.value)),
            )
        )
        options.append(
            ft.Switch(
                label=tr("import.assign_after"),
                value=imports.assign_after,
                on_change=lambda e: setattr(imports, "assign_after", bool(e.control.value)),
            )
        )
    missing = preview.missing_columns
    blocks: list[ft.Control] = [
        ft.Text(
            tr("import.file_rows", file=imports.file_name, count=preview.rows_read),
            size=18,
            weight=ft.FontWeight.BOLD,
        ),
        ImportReadingOptions(imports, preview.encoding_label, reread),
        MappingEditor(imports, preview.detected_headers),
        ft.Row(
            [
                outlined_button(tr("import.remap"), icon=ft.Icons.REFRESH, on_click=remap),
            ]
        ),
    ]
    if missing:
        blocks.append(
            labelled(
                "mapping-missing",
                tr("import.missing_label", columns=", ".join(missing)),
                tr("import.missing", columns=", ".join(missing)),
                color=ft.Colors.ERROR,
                size=15,
            )
        )
    else:
        blocks.append(ImportPreviewProblems(preview))
        blocks.append(ImportPreviewTable(preview))
    blocks += options
    blocks.append(
        ft.Row(
            [
                filled_button(
                    tr("import.run", count=preview.rows_read),
                    icon=ft.Icons.DOWNLOAD_DONE,
                    on_click=run_import,
                    disabled=bool(missing),
                ),
                outlined_button(
                    tr("import.choose_another"), icon=ft.Icons.CLOSE, on_click=imports.reset
                ),
            ],
            wrap=True,
        )
    )
    return card(ft.Column(blocks, spacing=12))
