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
from ..context import use_chosen_campaign, use_query, use_screen
from ..theme import heading, labelled, list_notes, quiet_text


@ft.component
@guarded
def FamiliesView() -> ft.Control:
    console, state, attempt = use_screen()
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
            state.tell(
                f"{family.household_name} is on their list now; their phone gets it, with why, "
                "at its next sync."
            )
            state.changed()

    async def lift(channel: OptOutChannel, reason: str) -> bool:
        if chosen is None:
            return False
        lifted = await attempt(console.service.lift_opt_out, chosen, channel, reason)
        if lifted is None:
            return False
        state.tell(
            f"{lifted.household.name} may be reached that way again; callers' phones learn "
            "it at their next sync."
        )
        state.changed()
        return True

    waiting = queue.value or []
    blocks: list[ft.Control] = [
        heading("Families", 24),
        heading("Needs a speaker of …", 20),
        quiet_text(
            "Families a caller said need another language, when no caller who speaks it "
            "could take them.",
            size=14,
        ),
        labelled(
            "language-queue-count",
            f"Families waiting for a speaker: {len(waiting)}",
            f"{len(waiting)} waiting",
            size=15,
        ),
        *list_notes(queue.error, not waiting and not queue.loading, "Nobody is waiting."),
        *(QueuedFamilyRow(family, timezone, assign) for family in waiting),
        heading("A family's record", 20),
        TypedField(
            search,
            set_search,
            label="Find a family (name, phone or id)",
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
        blocks.append(quiet_text("No family in this campaign matches.", size=14))
    if record.error:
        blocks.append(ft.Text(record.error, color=ft.Colors.ERROR))
    if record.value is not None:
        blocks.append(HouseholdRecordCard(record.value, timezone))
        blocks.append(OptOutsPanel(record.value.household, lift))
    return ft.Column(blocks, spacing=12)
