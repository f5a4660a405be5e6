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
from ..context import use_query, use_screen, use_tr
from ..theme import card, dotted, filled_button, heading, labelled, outlined_button

STATUSES: tuple[TargetStatus, ...] = (
    "any",
    "not_attempted",
    "not_reached",
    "not_completed",
    "reached",
)
"""Each with its words under ``targeting.status.``."""
SHOWN = 60


def _toggle(values: tuple[str, ...], value: str) -> tuple[str, ...]:
    return tuple(v for v in values if v != value) if value in values else (*values, value)


@ft.component
@guarded
def TargetingView() -> ft.Control:
    console, state, attempt = use_screen()
    tr = use_tr()
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
        return ft.Text(tr("targeting.choose_campaign"), size=16)
    target = next((c for c in campaigns if c.id == campaign_id), None)
    target_name = target.name if target else tr("targeting.the_list")
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
        told = tr("targeting.added", count=result.added, target=target_name)
        if result.already_open:
            told += "; " + tr("targeting.already", count=result.already_open)
        if result.do_not_call:
            told += "; " + tr("targeting.left_out", count=len(result.do_not_call))
        state.tell(tr("targeting.assign_them", told=told))
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
                            tr("targeting.pill", value=value, count=count),
                            setter(**{field: _toggle(getattr(criteria, field), value)}),
                            selected=value in chosen,
                            label=tr("targeting.pill_label", title=title, value=value),
                        )
                        for value, count in values[:24]
                    ]
                    or [ft.Text(tr("targeting.none_in_data"), italic=True, size=13)],
                    wrap=True,
                    spacing=6,
                    run_spacing=6,
                ),
            ],
            spacing=6,
        )

    earlier = [c for c in campaigns if c.id != campaign_id]
    filters: list[ft.Control] = [
        heading(tr("targeting.title"), 24),
        ft.Text(
            tr(
                "targeting.lead",
                target=target.name if target else tr("targeting.this_campaign"),
            ),
            size=15,
        ),
    ]
    if facets is not None:
        filters += [
            pills(tr("targeting.language"), facets.languages, criteria.languages, "languages"),
            pills(tr("targeting.tags"), facets.tags, criteria.tags, "tags"),
            pills(tr("targeting.without_tags"), facets.tags, criteria.without_tags, "without_tags"),
            pills(tr("targeting.school"), facets.schools, criteria.schools, "schools"),
        ]
    filters.append(
        ft.Column(
            [
                ft.Text(tr("targeting.earlier"), size=15, weight=ft.FontWeight.W_600),
                ft.Row(
                    [
                        chip(
                            tr("targeting.any_household"),
                            lambda: change(campaign_id=None, status="any"),
                            selected=criteria.campaign_id is None,
                            label=tr("targeting.any_campaign"),
                        )
                    ]
                    + [
                        chip(
                            c.name,
                            setter(campaign_id=c.id),
                            selected=criteria.campaign_id == c.id,
                            label=tr("targeting.earlier_campaign", name=c.name),
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
                                    tr(f"targeting.status.{status}"),
                                    setter(status=status),
                                    selected=criteria.status == status,
                                    label=tr(f"targeting.status.{status}"),
                                )
                                for status in STATUSES
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
                    label=tr("targeting.search_field"),
                    on_change=typed,
                    on_submit=searched,
                    width=300,
                    dense=True,
                ),
                outlined_button(tr("targeting.search"), icon=ft.Icons.SEARCH, on_click=searched),
                ft.Checkbox(
                    label=tr("targeting.include_dnc"),
                    value=criteria.include_do_not_call,
                    on_change=lambda: change(include_do_not_call=not criteria.include_do_not_call),
                ),
                ft.TextButton(
                    tr("targeting.clear"), on_click=lambda: set_criteria(TargetCriteria())
                ),
            ],
            wrap=True,
        )
    )
    results: list[ft.Control] = [
        labelled(
            "targeting-count",
            tr("targeting.found_label", count=len(matches)),
            tr("targeting.found", count=len(matches)),
            size=18,
            weight=ft.FontWeight.BOLD,
        )
    ]
    for match in matches[:SHOWN]:
        details = dotted(
            match.language,
            match.school or "",
            ", ".join(match.tags),
            tr("targeting.do_not_call") if match.do_not_call else "",
        )
        results.append(ft.Text(tr("targeting.row", name=match.name, details=details), size=14))
    if len(matches) > SHOWN:
        results.append(ft.Text(tr("targeting.more", count=len(matches) - SHOWN), italic=True))
    results.append(
        filled_button(
            tr("targeting.add", count=len(matches), target=target_name),
            icon=ft.Icons.PLAYLIST_ADD,
            on_click=add,
            disabled=not matches,
        )
    )
    return ft.Column(
        [card(ft.Column(filters, spacing=12)), card(ft.Column(results, spacing=6))], spacing=14
    )
