"""Delete a family's personal data on request: the id, then a second tap to confirm."""

from __future__ import annotations

import flet as ft

from app.ui.components.typed_field import TypedField
from app.ui.guard import guarded

from ..context import use_screen
from ..theme import card, filled_button, heading, outlined_button, quiet_text


@ft.component
@guarded
def DeleteHouseholdPanel() -> ft.Control:
    console, state, attempt = use_screen()
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
            state.tell(f"Household {household_id} was deleted before: nothing more to remove.")
        else:
            state.tell(
                f"Deleted household {household_id}: name, phones, notes and answers removed. "
                "Its outcomes still count, anonymised; callers' phones drop it at their next sync."
            )
        set_typed("")
        set_form(form + 1)
        state.changed()

    actions: list[ft.Control] = [
        filled_button(
            "Delete this family's data",
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
                label=f"Yes, delete household {household_id}",
                content=filled_button(
                    f"Yes, delete {household_id}",
                    icon=ft.Icons.WARNING,
                    on_click=delete,
                    bgcolor=ft.Colors.ERROR,
                    color=ft.Colors.ON_ERROR,
                ),
            ),
            outlined_button("Cancel", on_click=lambda: set_confirming(False)),
        ]
    return card(
        ft.Column(
            [
                heading("Delete a family on request", 18),
                quiet_text(
                    "Removes the family's name, phone numbers, members, needs, notes, answers "
                    "and free text from the server. Its outcomes keep counting in progress, "
                    "as an anonymous household; exports leave it out; every caller's phone "
                    "drops it at its next sync. This cannot be undone.",
                    size=14,
                ),
                TypedField(
                    typed,
                    on_text,
                    label="Household id or student/family number",
                    width=360,
                    key=f"delete-{form}",
                ),
                ft.Row(actions, wrap=True, spacing=10),
            ],
            spacing=10,
        )
    )
