"""A family's opt-outs (do not call, do not text) and, for each one, lifting it with a
required reason: the family may be reached that way again from every caller's next sync."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import partial

import flet as ft

from app.core.effects import opted_out
from app.core.events import OptOutChannel
from app.core.models import Household
from app.ui.components.typed_field import TypedField
from app.ui.guard import guarded

from ..context import use_tr
from ..theme import heading, labelled

Lift = Callable[[OptOutChannel, str], Awaitable[bool]]
"""Lift one opt-out with a reason; True once done."""

CHANNELS: tuple[OptOutChannel, ...] = ("call", "text")


@ft.component
@guarded
def OptOutsPanel(household: Household, lift: Lift) -> ft.Control:
    tr = use_tr()
    reasons, set_reasons = ft.use_state(dict[str, str]())

    def typed(channel: OptOutChannel, text: str) -> None:
        set_reasons({**reasons, channel: text})

    async def lifted(channel: OptOutChannel) -> None:
        if await lift(channel, reasons.get(channel, "")):
            set_reasons({**reasons, channel: ""})

    controls: list[ft.Control] = [heading(tr("opt_outs.title"), 16)]
    for channel in CHANNELS:
        name = tr(f"opt_outs.channel.{channel}")
        out = opted_out(household, channel)
        answer = tr("opt_outs.yes") if out else tr("opt_outs.no")
        said = tr("opt_outs.state", channel=name.capitalize(), answer=answer)
        controls.append(labelled(f"opt-out-{channel}", said, said, size=15))
        if not out:
            continue
        controls.append(
            ft.Row(
                [
                    TypedField(
                        reasons.get(channel, ""),
                        partial(typed, channel),
                        label=tr("opt_outs.why", channel=name),
                        width=420,
                        key=f"lift-reason-{channel}",
                    ),
                    ft.Semantics(
                        identifier=f"lift-opt-out-{channel}",
                        content=ft.OutlinedButton(
                            tr("opt_outs.lift", channel=name),
                            icon=ft.Icons.LOCK_OPEN,
                            on_click=partial(lifted, channel),
                            height=48,
                        ),
                    ),
                ],
                wrap=True,
            )
        )
    return ft.Column(controls, spacing=8)
