"""A campaign's outcomes: the standard ones and its own, each saying whether it means a
conversation, the goal met, try again later, stop calling, a bad number or do-not-call,
and what the caller is asked for on the second tap."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any

import flet as ft
from pydantic import ValidationError

from app.core.dispositions import DEFAULT_DISPOSITIONS, dispositions_for
from app.core.models import Campaign, Disposition, DispositionPrompt
from app.services.i18n import Translator
from app.ui.components.tap import chip
from app.ui.guard import guarded

from ..context import use_tr
from ..i18n import console_catalogues
from ..theme import error_line, outlined_button, quiet_text
from .campaign_form import problem

# (field, word in the list of outcomes, what the form's checkbox says)
FLAGS = (
    ("reached", "conversation", "A conversation happened"),
    ("complete", "goal met", "The campaign's goal was met"),
    ("retry", "try again", "Try the household again later"),
    ("final", "stop calling", "Stop calling this household"),
    ("marks_number_bad", "number bad", "Marks the number bad"),
    ("opts_out", "do not call", "Opts the family out: do not call"),
)
# (field, label, hint) of the form's text fields
TEXTS = (
    ("code", "Outcome code", "resource_sent"),
    ("label", "Outcome label", "Resource sent"),
    ("label_es", "Spanish label", "Recurso enviado"),
)
# What the caller's second tap asks for; "none" stands for asking nothing more.
ASKS_FOR: tuple[tuple[DispositionPrompt | None, str], ...] = (
    (None, "nothing more"),
    ("callback_time", "a callback time"),
    ("language", "a language"),
    ("bad_number", "which number did not work"),
)
ASKS_WITHOUT_MARKING = (
    "An outcome that asks which number did not work must also mark the number bad: "
    "tick “Marks the number bad” or ask for something else."
)
NEEDS_CODE = "An outcome needs a code and a label"
PROBLEM_KEYS = {
    ASKS_WITHOUT_MARKING: "outcome_editor.asks_without_marking",
    NEEDS_CODE: "outcome_editor.needs_code",
}
"""The form's own problems by their English words: each has words in the catalogues."""


def _flags(disposition: Disposition, tr: Translator | None = None) -> str:
    tr = tr or Translator("en", console_catalogues())
    words = [
        tr(f"outcome_editor.word.{name}") for name, _, _ in FLAGS if getattr(disposition, name)
    ]
    words += [
        tr("outcome_editor.asks_for", what=tr(f"outcome_editor.asks.{prompt}"))
        for prompt, _ in ASKS_FOR[1:]
        if prompt == disposition.asks_for
    ]
    return ", ".join(words) or "—"


def combination_problem(flags: frozenset[str], asks_for: DispositionPrompt | None) -> str | None:
    """What is wrong with these flags together, in the supervisor's words (None: nothing)."""
    if asks_for == "bad_number" and "marks_number_bad" not in flags:
        return ASKS_WITHOUT_MARKING
    return None


def disposition_from(
    texts: Mapping[str, str], flags: frozenset[str], asks_for: DispositionPrompt | None
) -> Disposition:
    """The form as a disposition; ValueError (ValidationError is one) says what is wrong."""
    combination = combination_problem(flags, asks_for)
    if combination:
        raise ValueError(combination)
    label_es = texts.get("label_es", "").strip()
    disposition = Disposition(
        code=texts.get("code", "").strip().lower().replace(" ", "_"),
        label=texts.get("label", "").strip(),
        labels={"es": label_es} if label_es else {},
        asks_for=asks_for,
        **{name: name in flags for name, _, _ in FLAGS},
    )
    if not disposition.code or not disposition.label:
        raise ValueError(NEEDS_CODE)
    return disposition


def with_disposition(campaign: Campaign, disposition: Disposition) -> list[Disposition]:
    """The campaign's own outcomes with this one added, or replacing the one of its code."""
    kept = [d for d in campaign.dispositions if d.code != disposition.code]
    return [*kept, disposition]


@ft.component
@guarded
def DispositionEditor(
    campaign: Campaign,
    on_save: Callable[[list[Disposition]], Awaitable[Any]],
    *,
    key: str | None = None,  # taken by Flet: the form belongs to one campaign
) -> ft.Control:
    tr = use_tr()
    new, _ = ft.use_state({"code": "", "label": "", "label_es": ""})
    no_flags: frozenset[str] = frozenset()
    flags, set_flags = ft.use_state(no_flags)
    asks_nothing: DispositionPrompt | None = None
    asks_for, set_asks_for = ft.use_state(asks_nothing)
    no_error: str | None = None
    error, set_error = ft.use_state(no_error)
    standard = {d.code for d in DEFAULT_DISPOSITIONS}
    own = {d.code for d in campaign.dispositions}

    def remover(code: str) -> Callable[[], Awaitable[None]]:
        async def run() -> None:
            await on_save([d for d in campaign.dispositions if d.code != code])

        return run

    async def add() -> None:
        try:
            disposition = disposition_from(new, flags, asks_for)
        except ValidationError as invalid:
            set_error(problem(invalid))
            return
        except ValueError as invalid:
            said = str(invalid)
            set_error(tr(PROBLEM_KEYS[said]) if said in PROBLEM_KEYS else said)
            return
        set_error(None)
        await on_save(with_disposition(campaign, disposition))

    def typed(name: str) -> Callable[[ft.Event[ft.TextField]], None]:
        def changed(e: ft.Event[ft.TextField]) -> None:
            new[name] = e.control.value or ""

        return changed

    def flag(name: str) -> Callable[[], None]:
        def toggle() -> None:
            set_flags(flags ^ {name})
            # A bad number with nothing asked: the caller says which number (as before).
            if name == "marks_number_bad" and name not in flags and asks_for is None:
                set_asks_for("bad_number")

        return toggle

    def ask(prompt: DispositionPrompt | None) -> Callable[[], None]:
        def choose() -> None:
            set_asks_for(prompt)
            # Asking which number did not work marks that number bad: tick it with it.
            if prompt == "bad_number":
                set_flags(flags | {"marks_number_bad"})

        return choose

    rows: list[ft.Control] = []
    for disposition in dispositions_for(campaign):
        origin = tr(
            "outcome_editor.changed"
            if disposition.code in own and disposition.code in standard
            else "outcome_editor.own"
            if disposition.code in own
            else "outcome_editor.standard"
        )
        line: list[ft.Control] = [
            ft.Text(
                tr("outcome_editor.line", label=tr.outcome(disposition), code=disposition.code),
                size=14,
                expand=True,
            ),
            ft.Semantics(
                identifier=f"outcome-flags-{disposition.code}",
                label=tr(
                    "outcome_editor.flags", code=disposition.code, flags=_flags(disposition, tr)
                ),
                content=ft.Text(_flags(disposition, tr), size=13, width=260),
            ),
            quiet_text(origin, size=12, width=170),
        ]
        if disposition.code in own:
            line.append(
                ft.TextButton(
                    tr("outcome_editor.remove", code=disposition.code),
                    on_click=remover(disposition.code),
                )
            )
        rows.append(ft.Row(line, spacing=8))
    rows += [
        ft.Text(tr("outcome_editor.add_title"), size=15, weight=ft.FontWeight.W_600),
        ft.Row(
            [
                ft.TextField(
                    label=tr(f"outcome_editor.field.{name}"),
                    hint_text=hint,
                    value=new[name],  # kept when a tick redraws the form
                    on_change=typed(name),
                    width=220,
                    dense=True,
                )
                for name, _, hint in TEXTS
            ],
            wrap=True,
        ),
        ft.Column(
            [
                ft.Checkbox(
                    label=tr(f"outcome_editor.box.{name}"),
                    value=name in flags,
                    on_change=flag(name),
                )
                for name, _, _ in FLAGS
            ],
            spacing=0,
        ),
        ft.Text(tr("outcome_editor.second_tap"), size=14),
        ft.Row(
            [
                chip(
                    tr(f"outcome_editor.asks.{prompt or 'nothing'}"),
                    ask(prompt),
                    selected=prompt == asks_for,
                    identifier=f"asks-for-{prompt or 'nothing'}",
                    label=tr(
                        "outcome_editor.asks_for_chip",
                        what=tr(f"outcome_editor.asks.{prompt or 'nothing'}"),
                    ),
                )
                for prompt, _ in ASKS_FOR
            ],
            wrap=True,
            spacing=8,
            run_spacing=8,
        ),
    ]
    combination = combination_problem(flags, asks_for)
    shown = error or (tr(PROBLEM_KEYS[combination]) if combination else None)
    if shown:
        rows.append(error_line("outcome-error", shown))
    rows.append(outlined_button(tr("outcome_editor.save"), icon=ft.Icons.ADD, on_click=add))
    return ft.Column(rows, spacing=8)
