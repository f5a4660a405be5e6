"""The call screen: who to ask for, the number to dial, the script, the questions, and,
always on screen below them, the big outcome buttons; after saving, "Next household"."""

from __future__ import annotations

import flet as ft

from app.core.errors import NotFound
from app.core.field_roles import shown_to_caller

from ..components.calling_hours_badge import CallingHoursBadge
from ..components.family_panel import FamilyPanel
from ..components.handoff_banner import HandoffBanner
from ..components.heading import heading
from ..components.inbound_panel import InboundPanel
from ..components.language_badge import LanguageBadge
from ..components.needs_picker import NeedsPicker
from ..components.opt_out_button import OptOutButton
from ..components.outcome_buttons import OutcomeButtons
from ..components.phone_picker import PhonePicker
from ..components.referral_form import ReferralForm
from ..components.saved_panel import SavedPanel
from ..components.script_panel import ScriptPanel
from ..components.survey_question import SurveyQuestion
from ..components.tap import tap
from ..components.text_panel import TextPanel
from ..components.typed_field import TypedField
from ..context import use_caller_app
from ..guard import guarded
from ..state import CallState
from ..theme import script_font

SCRIPT_SHARE, DOCK_SHARE = 4, 3
"""Below the header, the script may take 4/7 of the screen and a closed outcome dock at most
3/7 (what four big buttons and "More outcomes" need at 360×740 in normal text)."""


@ft.component
@guarded
def CallView(campaign_id: str, household_id: str) -> ft.Control:
    services, app, tr = use_caller_app()
    session = services.active(app)
    call, _ = ft.use_state(CallState())  # made once: use_state keeps the first
    try:
        sheet = session.open_household(
            campaign_id, household_id, call.script_language, needs=call.needs
        )
    except NotFound:
        return ft.Column(
            [
                ft.Text(tr("error.not_found"), size=16),
                ft.TextButton(tr("call.back"), on_click=lambda: app.go("list")),
            ]
        )
    household = sheet.household

    def typed_notes(text: str) -> None:
        call.draft.notes = text

    header = ft.Row(
        [
            tap(
                ft.Icon(ft.Icons.ARROW_BACK, size=28),
                lambda: app.go("list"),
                label=tr("call.back"),
                identifier="call-back",
            ),
            heading(household.name, 2, expand=True),
            LanguageBadge(household.language),
        ],
    )
    controls: list[ft.Control] = [header]
    handoff = session.corrections.handoff(campaign_id, household)
    if handoff is not None:  # why this family came to this caller
        controls.append(HandoffBanner(handoff))
    warnings = []
    if household.do_not_call:  # the call button below is locked; this says why
        controls.append(
            ft.Semantics(
                identifier="call-locked",
                content=ft.Text(tr("call.do_not_call"), color=ft.Colors.ERROR, size=15),
            )
        )
    hours = sheet.hours  # None for a family that needs no more calls: no warning
    if hours is not None:
        controls.append(CallingHoursBadge(hours))
        if not hours.allowed:
            warnings.append(tr("call.outside_hours", time=tr.clock(hours.local_time)))
    controls += [ft.Text(w, color=ft.Colors.ERROR, size=15) for w in warnings]
    people = []
    if sheet.guardians:
        people.append(tr("call.guardians", names=", ".join(sheet.guardians)))
    if sheet.students:
        people.append(tr("call.students", names=", ".join(sheet.students)))
    people += [tr(f"household.{field}", value=value) for field, value in shown_to_caller(household)]
    controls += [ft.Text(line, size=15) for line in people]
    # Every component below holds state of its own (what is being typed, a confirm step)
    # and is keyed: a line more or less above it (a warning, a hand-off, a sync's news)
    # must not make it a new component, losing that state (issue 15: a note being typed).
    controls.append(PhonePicker(sheet, call, key="phone-picker"))  # type: ignore[call-arg]
    controls.append(OptOutButton(sheet, "call", key="opt-out-call"))  # type: ignore[call-arg]
    controls.append(
        ft.memo(ScriptPanel)(
            sheet.script, sheet.script_languages, call.set_script_language, key="script"
        )
    )
    script = sheet.script
    if script is not None and script.questions:
        font, rtl = script_font(script.language), script.direction == "rtl"
        controls.append(heading(tr("call.survey"), 3, size=18))
        controls += [
            SurveyQuestion(question, call, font, rtl, key=question.id)  # type: ignore[call-arg]
            for question in script.questions
        ]
    controls.append(NeedsPicker(sheet, call, key="needs"))  # type: ignore[call-arg]
    controls.append(
        TypedField(
            call.draft.notes,
            typed_notes,
            label=tr("call.notes"),
            multiline=True,
            min_lines=2,
            key="call-notes",
        )
    )
    controls.append(ft.Divider())
    controls.append(TextPanel(sheet, call, key="texts"))  # type: ignore[call-arg]
    controls.append(InboundPanel(sheet, call, key="inbound"))  # type: ignore[call-arg]
    controls.append(ReferralForm(sheet, call, key="referral"))  # type: ignore[call-arg]
    controls.append(FamilyPanel(sheet, key="family"))  # type: ignore[call-arg]
    if sheet.open_follow_ups:
        controls.append(heading(tr("call.open_follow_ups"), 3))
        now = session.clock()
        controls += [
            ft.Text(
                f"• {f.kind}: {f.detail} "
                + (tr.day_and_clock(f.due_at.astimezone(session.zone), now) if f.due_at else "")
            )
            for f in sheet.open_follow_ups
        ]
    if sheet.history:
        controls.append(heading(tr("call.history"), 3))
        controls += [
            ft.Text(
                f"• {tr.day_and_clock(item.recorded_at.astimezone(session.zone), session.clock())} "
                f"{item.channel}: {item.disposition} {item.notes}",
                size=13,
            )
            for item in sheet.history[:10]
        ]
    # "What happened?" never needs a scroll: the outcome buttons sit below the scrolling
    # script, survey and notes; once a detail is asked or an outcome saved, the two halves
    # of the screen share it, each scrolling on its own.
    dock: list[ft.Control] = [OutcomeButtons(sheet, call)]
    if call.saved is not None:
        # At the top of the dock, where the eye is after the tap: below the buttons it
        # could open under the screen's edge (a phone, the practice banner, large text),
        # "Next household" with it. The buttons stay below it, for a correction.
        dock.insert(0, SavedPanel(sheet, call.saved))
    opened = call.saved is not None or call.asking is not None or call.more_outcomes
    stretch = ft.CrossAxisAlignment.STRETCH
    return ft.Column(
        [
            ft.Column(
                controls,
                spacing=12,
                horizontal_alignment=stretch,
                scroll=ft.ScrollMode.AUTO,
                expand=SCRIPT_SHARE,
            ),
            ft.Container(
                # Closed, the dock takes what its buttons need, up to DOCK_SHARE of the
                # screen: at 200 % text they would otherwise push the script off it.
                # Opened (a detail asked, an outcome saved) the halves share the screen.
                expand=SCRIPT_SHARE if opened else DOCK_SHARE,
                expand_loose=not opened,
                padding=ft.Padding.only(top=8),
                border=ft.Border.only(top=ft.BorderSide(1, ft.Colors.OUTLINE_VARIANT)),
                content=ft.Semantics(
                    identifier="outcome-dock",
                    container=True,
                    content=ft.Column(
                        dock,
                        spacing=8,
                        horizontal_alignment=stretch,
                        scroll=ft.ScrollMode.AUTO,
                    ),
                ),
            ),
        ],
        spacing=0,
        horizontal_alignment=stretch,
        expand=True,
    )
