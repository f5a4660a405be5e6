"""Where a campaign stands, updating by itself as devices sync: totals, charts, callers,
groups, retention, data quality. Daily-attendance campaigns lead with today."""

from __future__ import annotations

import time
from functools import partial

import flet as ft

from app.ui.guard import guarded

from ..components.bar_rows import BarRows
from ..components.caller_table import CallerTable
from ..components.calls_chart import CallsChart
from ..components.download_link import DownloadLink
from ..components.outcome_chart import OutcomeChart
from ..components.quiet_callers import QuietCallers
from ..components.retention_chart import RetentionChart
from ..components.stat_tile import stat_tile
from ..context import use_console, use_query, use_state_of_console
from ..services import QUIET_DAYS, Dashboard
from ..theme import card, heading, labelled, percent, quiet_text
from ..timefmt import local


def _today(board: Dashboard) -> ft.Control:
    report = board.progress
    today = next((day for day in report.by_day if day.day == report.today), None)
    calls_today = sum(caller.calls_today for caller in report.by_caller)
    return ft.Column(
        [
            heading(f"Today, {report.today:%A %d %B}", 18),
            ft.Row(
                [
                    stat_tile("today-list", "On today's list", str(report.totals.open_households)),
                    stat_tile("today-calls", "Calls today", str(calls_today)),
                    stat_tile("today-reached", "Reached today", str(today.reached if today else 0)),
                    stat_tile(
                        "today-completed", "Completed today", str(today.completed if today else 0)
                    ),
                ],
                wrap=True,
                spacing=10,
                run_spacing=10,
            ),
        ],
        spacing=8,
    )


def _quality(board: Dashboard) -> ft.Control:
    quality = board.progress.quality

    def line(key: str, text: str) -> ft.Control:
        return labelled(f"quality-{key}", text, text, size=14)

    return ft.Column(
        [
            ft.Text("Data quality", size=17, weight=ft.FontWeight.BOLD),
            line(
                "wrong-numbers",
                f"Wrong or disconnected numbers: {quality.wrong_number_households} households "
                f"({percent(quality.wrong_number_rate)} of attempted)",
            ),
            line(
                "no-language",
                f"Households with no language given: {quality.households_without_language}",
            ),
            line(
                "no-speaker",
                f"Open households whose language no active caller speaks: "
                f"{quality.households_without_speaker}",
            ),
            line("do-not-call", f"Asked not to be called: {quality.do_not_call}"),
        ],
        spacing=6,
    )


@ft.component
@guarded
def DashboardView() -> ft.Control:
    console, state = use_console(), use_state_of_console()
    campaign_id = state.campaign_id

    def load() -> Dashboard | None:
        if campaign_id is None:
            return None
        started = time.perf_counter()
        board = console.service.dashboard(campaign_id)
        state.reloaded_live(time.perf_counter() - started)
        return board

    loaded = use_query(load, [campaign_id, state.revision])
    if campaign_id is None:
        return ft.Text("Choose or create a campaign to see its progress.", size=16)
    if loaded.error:
        return ft.Text(loaded.error, color=ft.Colors.ERROR)
    board = loaded.value
    if board is None or board.campaign.id != campaign_id:
        return ft.ProgressRing()
    report, totals = board.progress, board.progress.totals
    updated = local(report.generated_at, report.timezone, "%H:%M:%S")
    daily = board.campaign.kind == "daily_attendance"
    sections: list[ft.Control] = [
        ft.Row(
            [
                ft.Column(
                    [
                        heading(board.campaign.name, 24),
                        labelled(
                            "dashboard-updated",
                            f"Updated {updated}",
                            quiet_text(
                                f"Updates by itself as devices sync · last update {updated} "
                                f"({report.timezone})",
                                size=13,
                            ),
                        ),
                    ],
                    spacing=2,
                    expand=True,
                ),
                DownloadLink(
                    "Export results (CSV)",
                    f"{board.campaign.slug}-outcomes.csv",
                    partial(console.service.export_download, campaign_id),
                    "export-download",
                ),
            ],
            vertical_alignment=ft.CrossAxisAlignment.START,
        ),
    ]
    if daily:
        sections.append(card(_today(board)))
    sections.append(
        ft.Row(
            [
                stat_tile(
                    "households",
                    "Households",
                    str(totals.households),
                    hint=f"{totals.open_households} open, {totals.assigned} assigned",
                ),
                stat_tile("attempted", "Attempted", str(totals.attempted)),
                stat_tile("reached", "Reached", str(totals.reached)),
                stat_tile("completed", "Completed", str(totals.completed)),
                stat_tile(
                    "contact-rate",
                    "Contact rate",
                    percent(totals.contact_rate),
                    hint="reached / attempted",
                ),
                stat_tile(
                    "completion-rate",
                    "Completion rate",
                    percent(totals.completion_rate),
                    hint="completed / households",
                ),
                stat_tile("calls", "Calls", str(totals.calls)),
            ],
            wrap=True,
            spacing=10,
            run_spacing=10,
        )
    )
    sections.append(
        ft.Row(
            [
                card(CallsChart(report.by_day), expand=True),
                card(OutcomeChart(report.by_disposition), expand=True),
            ],
            spacing=12,
            vertical_alignment=ft.CrossAxisAlignment.START,
        )
    )
    sections.append(card(CallerTable(report.by_caller)))
    sections.append(
        ft.Row(
            [
                card(BarRows("By language", report.by_language, "language"), expand=True),
                card(BarRows("By school", report.by_school, "school"), expand=True),
                card(BarRows("By need / tag", report.by_tag, "tag"), expand=True),
            ],
            spacing=12,
            vertical_alignment=ft.CrossAxisAlignment.START,
        )
    )
    queues = ft.Row(
        [
            ft.TextButton(
                f"Open follow-ups: {board.open_follow_ups}",
                icon=ft.Icons.EVENT_NOTE,
                on_click=lambda: state.go("follow_ups"),
            ),
            ft.TextButton(
                f"Quarantined events: {board.open_quarantine}",
                icon=ft.Icons.REPORT,
                on_click=lambda: state.go("quarantine"),
            ),
        ],
        wrap=True,
    )
    sections.append(
        ft.Row(
            [
                card(RetentionChart(board.weeks), expand=True),
                card(
                    ft.Column(
                        [
                            _quality(board),
                            ft.Divider(),
                            QuietCallers(board.quiet, QUIET_DAYS, lambda: state.go("assignment")),
                            queues,
                        ],
                        spacing=8,
                    ),
                    expand=True,
                ),
            ],
            spacing=12,
            vertical_alignment=ft.CrossAxisAlignment.START,
        )
    )
    return ft.Column(sections, spacing=14)
