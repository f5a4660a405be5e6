"""Choose who to call: narrow the imported households down (not reached in an earlier
campaign, a need, a school, a language) and put just those on this campaign's list.
"You do not need to call every household.\""""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import flet as ft

from app.ui.components.tap import chip
from app.ui.guard import guarded

from ...targeting import TargetCriteria, TargetStatus
from ..context import use_query, use_screen
from ..theme import card, dotted, filled_button, heading, labelled, outlined_button

STATUSES: tuple[tuple[TargetStatus, str], ...] = (
    ("any", "Anyone on its list"),
    ("not_attempted", "Never called"),
    ("not_reached", "Not reached"),
    ("not_completed", "Not completed"),
    ("reached", "Reached"),
)
SHOWN = 60


def _toggle(values: tuple[str, ...], value: str) -> tuple[str, ...]:
    return tuple(v for v in values if v != value) if value in values else (*values, value)


@ft.component
@guarded
def TargetingView() -> ft.Control:
    console, state, attempt = use_screen()
    campaign_id = state.campaign_id
    criteria, set_criteria = ft.use_state(TargetCriteria())
    search = ft.use_ref("")
    added, set_added = ft.use_state(0)
    # Not live: at district scale these take a second, too much to redo on every sync.
    facets = use_query(console.service.facets, [added]).value
    campaigns = use_query(console.service.campaigns, []).value or []
    wanted = replace(criteria, not_on_campaign_id=campaign_id)
    found = use_query(lambda: console.service.find_households(wanted), [wanted, added])
    if campaign_id is None:
        return ft.Text("Choose or create the campaign to add households to first.", size=16)
    target = next((c for c in campaigns if c.id == campaign_id), None)
    matches = found.value or []

    def change(**fields: object) -> None:
        set_criteria(replace(criteria, **fields))  # type: ignore[arg-type]

    def setter(**fields: object) -> Callable[[], None]:
        # Flet hands an event to any handler with a parameter: these take none.
        return lambda: change(**fields)

    def typed(e: ft.Event[ft.TextField]) -> None:
        search.current = e.control.value or ""

    def searched() -> None:
        change(search=search.current or "")

    async def add() -> None:
        result = await attempt(
            console.service.add_to_campaign, campaign_id, [match.id for match in matches]
        )
        if result is None:
            return
        told = f"Added {result.added} households to {target.name if target else 'the list'}"
        if result.already_open:
            told += f"; {result.already_open} were on it already"
        if result.do_not_call:
            told += f"; {len(result.do_not_call)} asked not to be called and were left out"
        state.tell(told + ". Assign them under Assignment.")
        set_added(added + 1)
        state.changed()

    def pills(
        title: str, values: list[tuple[str, int]], chosen: tuple[str, ...], field: str
    ) -> ft.Control:
        return ft.Column(
            [
                ft.Text(title, size=15, weight=ft.FontWeight.W_600),
                ft.Row(
                    [
                        chip(
                            f"{value} ({count})",
                            setter(**{field: _toggle(getattr(criteria, field), value)}),
                            selected=value in chosen,
                            label=f"{title}: {value}",
                        )
                        for value, count in values[:24]
                    ]
                    or [ft.Text("none in the data", italic=True, size=13)],
                    wrap=True,
                    spacing=6,
                    run_spacing=6,
                ),
            ],
            spacing=6,
        )

    earlier = [c for c in campaigns if c.id != campaign_id]
    filters: list[ft.Control] = [
        heading("Choose who to call", 24),
        ft.Text(
            f"Households that meet every choice below and are not on "
            f"{target.name if target else 'this campaign'}'s list yet.",
            size=15,
        ),
    ]
    if facets is not None:
        filters += [
            pills("Language", facets.languages, criteria.languages, "languages"),
            pills("Has one of these needs / tags", facets.tags, criteria.tags, "tags"),
            pills("Has none of these", facets.tags, criteria.without_tags, "without_tags"),
            pills("School", facets.schools, criteria.schools, "schools"),
        ]
    filters.append(
        ft.Column(
            [
                ft.Text("In an earlier campaign", size=15, weight=ft.FontWeight.W_600),
                ft.Row(
                    [
                        chip(
                            "Any household",
                            lambda: change(campaign_id=None, status="any"),
                            selected=criteria.campaign_id is None,
                            label="Any campaign",
                        )
                    ]
                    + [
                        chip(
                            c.name,
                            setter(campaign_id=c.id),
                            selected=criteria.campaign_id == c.id,
                            label=f"Earlier campaign {c.name}",
                        )
                        for c in earlier
                    ],
                    wrap=True,
                    spacing=6,
                    run_spacing=6,
                ),
                *(
                    [
                        ft.Row(
                            [
                                chip(
                                    title,
                                    setter(status=status),
                                    selected=criteria.status == status,
                                    label=title,
                                )
                                for status, title in STATUSES
                            ],
                            wrap=True,
                            spacing=6,
                            run_spacing=6,
                        )
                    ]
                    if criteria.campaign_id
                    else []
                ),
            ],
            spacing=6,
        )
    )
    filters.append(
        ft.Row(
            [
                ft.TextField(
                    label="Name, id or phone contains",
                    on_change=typed,
                    on_submit=searched,
                    width=300,
                    dense=True,
                ),
                outlined_button("Search", icon=ft.Icons.SEARCH, on_click=searched),
                ft.Checkbox(
                    label="Include families who asked not to be called",
                    value=criteria.include_do_not_call,
                    on_change=lambda: change(include_do_not_call=not criteria.include_do_not_call),
                ),
                ft.TextButton(
                    "Clear every choice", on_click=lambda: set_criteria(TargetCriteria())
                ),
            ],
            wrap=True,
        )
    )
    results: list[ft.Control] = [
        labelled(
            "targeting-count",
            f"Households found: {len(matches)}",
            f"{len(matches)} households found",
            size=18,
            weight=ft.FontWeight.BOLD,
        )
    ]
    for match in matches[:SHOWN]:
        details = dotted(
            match.language,
            match.school or "",
            ", ".join(match.tags),
            "do not call" if match.do_not_call else "",
        )
        results.append(ft.Text(f"{match.name} — {details}", size=14))
    if len(matches) > SHOWN:
        results.append(ft.Text(f"... and {len(matches) - SHOWN} more.", italic=True))
    results.append(
        filled_button(
            f"Add these {len(matches)} households to {target.name if target else 'the list'}",
            icon=ft.Icons.PLAYLIST_ADD,
            on_click=add,
            disabled=not matches,
        )
    )
    return ft.Column(
        [card(ft.Column(filters, spacing=12)), card(ft.Column(results, spacing=6))], spacing=14
    )
