"""Families: the queue of those waiting for a caller who speaks their language, and any
family's record as callers corrected it (numbers, language, notes)."""

from __future__ import annotations

from functools import partial
from typing import cast

import flet as ft

from app.core.events import OptOutChannel
from app.ui.components.tap import chip, chip_row
from app.ui.components.typed_field import TypedField
from app.ui.guard import guarded

from ..components.household_record_card import HouseholdRecordCard
from ..components.opt_outs_panel import OptOutsPanel
from ..components.queued_family_row import QueuedFamilyRow
from ..context import use_chosen_campaign, use_query, use_screen, use_tr
from ..theme import heading, labelled, list_notes, quiet_text


@ft.component
@guarded
def FamiliesView() -> ft.Control:
    console, state, attempt = use_screen()
    tr = use_tr()
    campaign = use_chosen_campaign()
    campaign_id = state.campaign_id
    search, set_search = ft.use_state("")
    chosen, set_chosen = ft.use_state(cast(str | None, None))
    queue = use_query(
        lambda: console.service.language_queue(campaign_id), [campaign_id, state.revision]
    )
    found = use_query(
        lambda: (
            console.service.find_families(campaign_id, search) if campaign_id and search else []
        ),
        [campaign_id, search, state.revision],
        delay=0.3,
    )
    record = use_query(
        lambda: console.service.household_record(chosen) if chosen else None,
        [chosen, state.revision],
    )
    timezone = campaign.timezone if campaign else None

    async def assign(event_id: str, caller_id: str) -> None:
        family = await attempt(console.service.assign_from_queue, event_id, caller_id)
        if family is not None:
            state.tell(tr("families.assigned_from_queue", name=family.household_name))
            state.changed()

    async def lift(channel: OptOutChannel, reason: str) -> bool:
        if chosen is None:
            return False
        lifted = await attempt(console.service.lift_opt_out, chosen, channel, reason)
        if lifted is None:
            return False
        state.tell(tr("families.lifted", name=lifted.household.name))
        state.changed()
        return True

    waiting = queue.value or []
    blocks: list[ft.Control] = [
        heading(tr("families.title"), 24),
        heading(tr("families.queue_title"), 20),
        quiet_text(tr("families.queue_lead"), size=14),
        labelled(
            "language-queue-count",
            tr("families.waiting_label", count=len(waiting)),
            tr("families.waiting", count=len(waiting)),
            size=15,
        ),
        *list_notes(queue.error, not waiting and not queue.loading, tr("families.nobody_waiting")),
        *(QueuedFamilyRow(family, timezone, assign) for family in waiting),
        heading(tr("families.record_title"), 20),
        TypedField(
            search,
            set_search,
            label=tr("families.find"),
            width=420,
        ),
    ]
    matches = found.value or []
    if matches:
        blocks.append(
            chip_row(
                [
                    chip(
                        name,
                        partial(set_chosen, household_id),
                        selected=household_id == chosen,
                        identifier=f"family-{household_id}",
                    )
                    for household_id, name in matches
                ]
            )
        )
    elif search and not found.loading:
        blocks.append(quiet_text(tr("families.no_match"), size=14))
    if record.error:
        blocks.append(ft.Text(record.error, color=ft.Colors.ERROR))
    if record.value is not None:
        blocks.append(HouseholdRecordCard(record.value, timezone))
        blocks.append(OptOutsPanel(record.value.household, lift))
    return ft.Column(blocks, spacing=12)
