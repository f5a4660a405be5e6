"""Big outcome buttons: one tap saves the common ones; the rest sit behind "More"; those
that need a detail (callback time, language, which number) ask for it on a second tap."""

from __future__ import annotations

from functools import partial

import flet as ft

from app.core.models import Disposition
from app.services import CallSheet

from ..call_actions import record
from ..context import use_caller_app
from ..guard import guarded
from ..state import CallState
from ..theme import big_button_style, big_label
from .heading import heading
from .second_tap import SecondTap


@ft.component
@guarded
def OutcomeButtons(sheet: CallSheet, call: CallState) -> ft.Control:
    services, app, tr = use_caller_app()

    def tapped(disposition: Disposition) -> None:
        if disposition.asks_for:
            call.asking = None if call.asking == disposition.code else disposition.code
            return
        record(services, app, call, sheet, disposition.code)

    def button(disposition: Disposition, primary: bool) -> ft.Control:
        label = tr.outcome(disposition)
        kind = ft.FilledButton if primary else ft.FilledTonalButton
        # Neither a fixed height nor a fixed share of the row: side by side while both
        # labels fit, one to a row when a label is wider (a long label, 200 % text), so
        # no word is ever broken ("Left voic/email" in a half-row at 200 %).
        return kind(
            content=big_label(label),
            on_click=partial(tapped, disposition),
            style=big_button_style(),
        )

    quick = [button(d, True) for d in sheet.quick_outcomes]
    controls: list[ft.Control] = [
        heading(tr("call.outcome"), 3, size=18),
        outcome_row(quick),
    ]
    asking = next(
        (d for d in (*sheet.quick_outcomes, *sheet.more_outcomes) if d.code == call.asking),
        None,
    )
    controls.append(
        ft.TextButton(
            tr("call.fewer_outcomes") if call.more_outcomes else tr("call.more_outcomes"),
            icon=ft.Icons.EXPAND_LESS if call.more_outcomes else ft.Icons.EXPAND_MORE,
            on_click=lambda: setattr(call, "more_outcomes", not call.more_outcomes),
            style=big_button_style(),
        )
    )
    if call.more_outcomes or asking is not None:
        controls.append(outcome_row([button(d, False) for d in sheet.more_outcomes]))
    if asking is not None:
        controls.append(SecondTap(sheet, call, asking))
    if call.error:
        controls.append(
            ft.Semantics(
                identifier="call-error",
                live_region=True,
                content=ft.Text(call.error, color=ft.Colors.ERROR, size=15),
            )
        )
    return ft.Column(controls, spacing=8)


def outcome_row(buttons: list[ft.Control]) -> ft.Control:
    return ft.Row(buttons, wrap=True, spacing=8, run_spacing=8)
