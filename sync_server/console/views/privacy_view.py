"""Families' data: the audit log, deleting a family, retention, and the household export
for the school's records (SIS)."""

from __future__ import annotations

import flet as ft

from app.ui.guard import guarded

from ..components.audit_log_panel import AuditLogPanel
from ..components.delete_household_panel import DeleteHouseholdPanel
from ..components.download_link import DownloadLink
from ..components.retention_panel import RetentionPanel
from ..context import use_chosen_campaign, use_console, use_state_of_console, use_tr
from ..theme import card, heading, quiet_text


@ft.component
@guarded
def PrivacyView() -> ft.Control:
    console, state, tr = use_console(), use_state_of_console(), use_tr()
    campaign = use_chosen_campaign(state.revision)
    export: list[ft.Control] = []
    if campaign is not None:
        export = [
            card(
                ft.Column(
                    [
                        heading(tr("privacy.export_title"), 18),
                        quiet_text(tr("privacy.export_lead"), size=14),
                        DownloadLink(
                            tr("privacy.export"),
                            f"{campaign.slug}-households.csv",
                            lambda: console.service.households_export_download(campaign.id),
                            "households-export",
                        ),
                    ],
                    spacing=10,
                )
            )
        ]
    return ft.Column(
        [
            heading(tr("screen.privacy"), 24),
            *export,
            *(
                [RetentionPanel(campaign, key=f"retention-{campaign.id if campaign else ''}")]
                if state.admin
                else []
            ),
            DeleteHouseholdPanel(),
            *([AuditLogPanel()] if state.admin else []),
        ],
        spacing=16,
    )
