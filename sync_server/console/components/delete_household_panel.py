"""Delete a family's personal data on request: the id, then a second tap to confirm."""

from __future__ import annotations

import flet as ft

from app.ui.components.typed_field import TypedField
from app.ui.guard import guarded

from ..context import use_screen, use_tr
from ..theme import card, filled_button, heading, outlined_button, quiet_text


@ft.component
@guarded
def DeleteHouseholdPanel() -> ft.Control:
    console, state, attempt = use_screen()
    tr = use_tr()
    typed, set_typed = ft.use_state("")
    confirming, set_confirming = ft.use_state(False)
    form, set_form = ft.use_state(0)  # a new key clears the field after a deletion
    household_id = typed.strip()

    def on_text(text: str) -> None:
        set_typed(text)
        set_confirming(False)

    async def delete() -> None:
        result = await attempt(console.service.delete_household, household_id)
        set_confirming(False)
        if result is None:
            return
        if result.already:
            state.tell(tr("delete.done_before", id=household_id))
        else:
            state.tell(tr("delete.done", id=household_id))
        set_typed("")
        set_form(form + 1)
        state.changed()

    actions: list[ft.Control] = [
        filled_button(
            tr("delete.button"),
            icon=ft.Icons.DELETE_FOREVER,
            on_click=lambda: set_confirming(True),
            disabled=not household_id or confirming,
        )
    ]
    if confirming:
        actions += [
            ft.Semantics(
                identifier="confirm-delete-household",
                button=True,
                label=tr("delete.confirm_label", id=household_id),
                content=filled_button(
                    tr("delete.confirm", id=household_id),
                    icon=ft.Icons.WARNING,
                    on_click=delete,
                    bgcolor=ft.Colors.ERROR,
                    color=ft.Colors.ON_ERROR,
                ),
            ),
            outlined_button(tr("common.cancel"), on_click=lambda: set_confirming(False)),
        ]
    return card(
        ft.Column(
            [
                heading(tr("delete.title"), 18),
                quiet_text(tr("delete.lead"), size=14),
                TypedField(
                    typed,
                    on_text,
                    label=tr("delete.field"),
                    width=360,
                    key=f"delete-{form}",
                ),
                ft.Row(actions, wrap=True, spacing=10),
            ],
            spacing=10,
        )
    )
