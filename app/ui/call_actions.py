"""What the call screen's taps do: record through the session, remember what was saved,
and turn a refusal into words on the screen. Plain functions, testable without a page."""

from __future__ import annotations

import logging
import time
from typing import Any

from app.core.errors import PhonebankError
from app.core.outcome_draft import OutcomeDraft
from app.services import CallSheet, Translator

from .context import Services
from .state import AppState, CallState

log = logging.getLogger(__name__)


def record(
    services: Services,
    app: AppState,
    call: CallState,
    sheet: CallSheet,
    code: str,
    **detail: Any,
) -> bool:
    """Save ``code`` for the household with everything typed on the screen; True if saved."""
    session = services.active(app)
    tr = services.tr(app)
    started = time.perf_counter()
    draft = OutcomeDraft(
        sheet.campaign.id,
        sheet.household.id,
        code,
        phone=detail.pop("phone", None) or call.phone or _first_phone(sheet),
        answers=call.all_answers(),
        needs_found=tuple(call.needs),
        resources_shared=tuple(call.resources),
        notes=call.draft.notes,
        script_language=call.script_language,
        outside_hours_reason=call.outside_hours_reason,
        **detail,
    )
    try:
        saved = session.record_outcome(draft)
    except PhonebankError as problem:
        call.error = tr("call.error.incomplete", message=tr.error(problem))
        return False
    log.info("outcome %s saved in %.1f ms", code, (time.perf_counter() - started) * 1000)
    call.error = None
    call.asking = None
    # Only the call screen redraws (it watches ``call``): the list, follow-ups and stats
    # read the store again when they are next shown, and the badge follows the sync status.
    call.saved = saved
    if detail.get("callback_at") is not None and not app.practice:
        services.ask_for_reminders()
    return True


def open_next(services: Services, app: AppState, sheet: CallSheet) -> bool:
    """Open the next household to call; False when there is none."""
    following = services.active(app).next_household(after=sheet.key)
    if following is None:
        return False
    app.open_household(following.campaign_id, following.household_id)
    return True


def _first_phone(sheet: CallSheet) -> str | None:
    return next((phone.number for phone in sheet.phones if not phone.bad), None)


def describe(tr: Translator, problem: PhonebankError) -> str:
    return tr("error.generic", message=tr.error(problem))
