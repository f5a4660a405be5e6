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
        # No fixed height: a long label ("Reached — follow-up needed") wraps, whole, at
        # 360 px and at 200 % text, and the padding keeps a short one BIG_BUTTON high.
        return ft.Container(
            content=kind(
                content=big_label(label),
                on_click=partial(tapped, disposition),
                style=big_button_style(),
                width=10_000,
            ),
            col={"xs": 6, "md": 3},
        )

    quick = [button(d, True) for d in sheet.quick_outcomes]
    controls: list[ft.Control] = [
        heading(tr("call.outcome"), 3, size=18),
        ft.ResponsiveRow(quick, spacing=8, run_spacing=8),
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
        controls.append(
            ft.ResponsiveRow(
                [button(d, False) for d in sheet.more_outcomes], spacing=8, run_spacing=8
            )
        )
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
