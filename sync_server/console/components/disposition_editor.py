"""A campaign's outcomes: the standard ones and its own, each saying whether it means a
conversation, the goal met, try again later, stop calling, a bad number or do-not-call."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import flet as ft
from pydantic import ValidationError

from app.core.dispositions import DEFAULT_DISPOSITIONS, dispositions_for
from app.core.models import Campaign, Disposition
from app.ui.guard import guarded

from ..theme import button_style
from .campaign_form import problem

FLAGS = (
    ("reached", "conversation"),
    ("complete", "goal met"),
    ("retry", "try again"),
    ("final", "stop calling"),
    ("marks_number_bad", "number bad"),
    ("opts_out", "do not call"),
)


def _flags(disposition: Disposition) -> str:
    return ", ".join(word for name, word in FLAGS if getattr(disposition, name)) or "—"


@ft.component
@guarded
def DispositionEditor(
    campaign: Campaign,
    on_save: Callable[[list[Disposition]], Awaitable[Any]],
    *,
    key: str | None = None,  # taken by Flet: the form belongs to one campaign
) -> ft.Control:
    new, _ = ft.use_state({"code": "", "label": "", "label_es": ""})
    no_flags: frozenset[str] = frozenset()
    flags, set_flags = ft.use_state(no_flags)
    no_error: str | None = None
    error, set_error = ft.use_state(no_error)
    standard = {d.code for d in DEFAULT_DISPOSITIONS}
    own = {d.code for d in campaign.dispositions}

    async def remove(code: str) -> None:
        await on_save([d for d in campaign.dispositions if d.code != code])

    def remover(code: str) -> Callable[[], Awaitable[None]]:
        async def run() -> None:
            await remove(code)

        return run

    async def add() -> None:
        values = new
        try:
            disposition = Disposition(
                code=values["code"].strip().lower().replace(" ", "_"),
                label=values["label"].strip(),
                labels={"es": values["label_es"].strip()} if values["label_es"].strip() else {},
                **{name: name in flags for name, _ in FLAGS},
                # The caller then says which of the family's numbers did not work.
                asks_for="bad_number" if "marks_number_bad" in flags else None,
            )
        except ValidationError as invalid:
            set_error(problem(invalid))
            return
        if not disposition.code or not disposition.label:
            set_error("An outcome needs a code and a label")
            return
        set_error(None)
        kept = [d for d in campaign.dispositions if d.code != disposition.code]
        await on_save([*kept, disposition])

    def typed(name: str) -> Callable[[ft.Event[ft.TextField]], None]:
        def changed(e: ft.Event[ft.TextField]) -> None:
            new[name] = e.control.value or ""

        return changed

    def flag(name: str) -> Callable[[], None]:
        return lambda: set_flags(flags ^ {name})

    rows: list[ft.Control] = []
    for disposition in dispositions_for(campaign):
        origin = (
            "changed for this campaign"
            if disposition.code in own and disposition.code in standard
            else "this campaign's own"
            if disposition.code in own
            else "standard"
        )
        line: list[ft.Control] = [
            ft.Text(f"{disposition.label} ({disposition.code})", size=14, expand=True),
            ft.Text(_flags(disposition), size=13, width=220),
            ft.Text(origin, size=12, color=ft.Colors.ON_SURFACE_VARIANT, width=170),
        ]
        if disposition.code in own:
            line.append(
                ft.TextButton(f"Remove {disposition.code}", on_click=remover(disposition.code))
            )
        rows.append(ft.Row(line, spacing=8))
    rows += [
        ft.Text("Add or change an outcome", size=15, weight=ft.FontWeight.W_600),
        ft.Row(
            [
                ft.TextField(
                    label="Code",
                    hint_text="resource_sent",
                    on_change=typed("code"),
                    width=220,
                    dense=True,
                ),
                ft.TextField(label="Label", on_change=typed("label"), width=220, dense=True),
                ft.TextField(
                    label="Label in Spanish", on_change=typed("label_es"), width=220, dense=True
                ),
            ],
            wrap=True,
        ),
        ft.Row(
            [
                ft.Checkbox(label=word, value=name in flags, on_change=flag(name))
                for name, word in FLAGS
            ],
        ),
    ]
    if error:
        rows.append(ft.Text(error, color=ft.Colors.ERROR))
    rows.append(
        ft.OutlinedButton("Save outcome", icon=ft.Icons.ADD, on_click=add, style=button_style())
    )
    return ft.Column(rows, spacing=8)
