"""Where a campaign stands, updating by itself as devices sync: totals, charts, callers,
groups, retention, data quality. Daily-attendance campaigns lead with today."""

from __future__ import annotations

import time
from functools import partial

import flet as ft

from app.services.i18n import Translator
from app.ui.guard import guarded

from ..components.bar_rows import BarRows
from ..components.caller_table import CallerTable
from ..components.calls_chart import CallsChart
from ..components.download_link import DownloadLink
from ..components.outcome_chart import OutcomeChart
from ..components.quiet_callers import QuietCallers
from ..components.retention_chart import RetentionChart
from ..components.stat_tile import stat_tile
from ..context import use_console, use_query, use_state_of_console, use_tr
from ..services import QUIET_DAYS, Dashboard
from ..theme import card, heading, labelled, percent, quiet_text
from ..timefmt import local, long_day


def _today(board: Dashboard, tr: Translator) -> ft.Control:
    report = board.progress
    today = next((day for day in report.by_day if day.day == report.today), None)
    calls_today = sum(caller.calls_today for caller in report.by_caller)
    return ft.Column(
        [
            heading(tr("dashboard.today", day=long_day(report.today, tr)), 18),
            ft.Row(
                [
                    stat_tile(
                        "today-list",
                        tr("dashboard.on_todays_list"),
                        tr.format(report.totals.open_households),
                    ),
                    stat_tile("today-calls", tr("dashboard.calls_today"), tr.format(calls_today)),
                    stat_tile(
                        "today-reached",
                        tr("dashboard.reached_today"),
                        tr.format(today.reached if today else 0),
                    ),
                    stat_tile(
                        "today-completed",
                        tr("dashboard.completed_today"),
                        tr.format(today.completed if today else 0),
                    ),
                ],
                wrap=True,
                spacing=10,
                run_spacing=10,
            ),
        ],
        spacing=8,
    )


def _quality(board: Dashboard, tr: Translator) -> ft.Control:
    quality = board.progress.quality

    def line(key: str, text: str) -> ft.Control:
        return labelled(f"quality-{key}", text, text, size=14)

    return ft.Column(
        [
            ft.Text(tr("dashboard.quality"), size=17, weight=ft.FontWeight.BOLD),
            line(
                "wrong-numbers",
                tr(
                    "dashboard.wrong_numbers",
                    households=quality.wrong_number_households,
                    rate=percent(quality.wrong_number_rate),
                ),
            ),
            line(
                "no-language",
                tr("dashboard.no_language", count=quality.households_without_language),
            ),
            line(
                "no-speaker",
                tr("dashboard.no_speaker", count=quality.households_without_speaker),
            ),
            line("do-not-call", tr("dashboard.do_not_call", count=quality.do_not_call)),
        ],
        spacing=6,
    )


@ft.component
@guarded
def DashboardView() -> ft.Control:
    console, state, tr = use_console(), use_state_of_console(), use_tr()
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
        return ft.Text(tr("dashboard.choose_campaign"), size=16)
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
                            tr("dashboard.updated", time=updated),
                            quiet_text(
                                tr("dashboard.updates_itself", time=updated, zone=report.timezone),
                                size=13,
                            ),
                        ),
                    ],
                    spacing=2,
                    expand=True,
                ),
                DownloadLink(
                    tr("dashboard.export"),
                    f"{board.campaign.slug}-outcomes.csv",
                    partial(console.service.export_download, campaign_id),
                    "export-download",
                ),
            ],
            vertical_alignment=ft.CrossAxisAlignment.START,
        ),
    ]
    if daily:
        sections.append(card(_today(board, tr)))
    sections.append(
        ft.Row(
            [
                stat_tile(
                    "households",
                    tr("dashboard.households"),
                    tr.format(totals.households),
                    hint=tr(
                        "dashboard.households_hint",
                        open=totals.open_households,
                        assigned=totals.assigned,
                    ),
                ),
                stat_tile("attempted", tr("dashboard.attempted"), tr.format(totals.attempted)),
                stat_tile("reached", tr("dashboard.reached"), tr.format(totals.reached)),
                stat_tile("completed", tr("dashboard.completed"), tr.format(totals.completed)),
                stat_tile(
                    "contact-rate",
                    tr("dashboard.contact_rate"),
                    percent(totals.contact_rate),
                    hint=tr("dashboard.contact_rate_hint"),
                ),
                stat_tile(
                    "completion-rate",
                    tr("dashboard.completion_rate"),
                    percent(totals.completion_rate),
                    hint=tr("dashboard.completion_rate_hint"),
                ),
                stat_tile("calls", tr("dashboard.calls"), tr.format(totals.calls)),
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
                card(
                    BarRows(tr("dashboard.by_language"), report.by_language, "language"),
                    expand=True,
                ),
                card(BarRows(tr("dashboard.by_school"), report.by_school, "school"), expand=True),
                card(BarRows(tr("dashboard.by_tag"), report.by_tag, "tag"), expand=True),
            ],
            spacing=12,
            vertical_alignment=ft.CrossAxisAlignment.START,
        )
    )
    queues = ft.Row(
        [
            ft.TextButton(
                tr("dashboard.open_follow_ups", count=board.open_follow_ups),
                icon=ft.Icons.EVENT_NOTE,
                on_click=lambda: state.go("follow_ups"),
            ),
            ft.TextButton(
                tr("dashboard.quarantined", count=board.open_quarantine),
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
                            _quality(board, tr),
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
