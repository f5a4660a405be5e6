"""A family's opt-outs on the server: a supervisor lifts one, with a reason.

Callers set them (``opt_out_recorded`` events and the do-not-call outcome, applied by
app.core.effects like every event); assignment, targeting and moves refuse a do-not-call
household (every campaign is a calling campaign; a text opt-out only locks texting). A
lift clears the flag on the household (a new version, so every device holding it learns it
at its next pull), is kept with its reason in ``opt_out_lifts`` (the family's record
shows it) and is appended to the audit log as "opt-out lifted".
"""

from __future__ import annotations

from datetime import datetime

import sqlite_utils

from app.core.effects import opted_out, with_opt_out
from app.core.errors import Conflict, NotFound, PhonebankError
from app.core.events import OptOutChannel
from app.core.family_reports import Correction
from app.core.models import Household

from . import audited
from .audit import Actor
from .clock import iso, utcnow
from .language_handoff import load_household, save_household

__all__ = ["CHANNEL_NAMES", "ReasonRequired", "lift_opt_out", "lifts_history"]

CHANNEL_NAMES: dict[OptOutChannel, str] = {"call": "do not call", "text": "do not text"}


class ReasonRequired(PhonebankError):
    """Say why the opt-out is lifted"""

    key = "error.opt_out_reason_required"


def lift_opt_out(
    db: sqlite_utils.Database,
    household_id: str,
    channel: OptOutChannel,
    reason: str,
    actor: Actor,
) -> Household:
    """The family may be reached that way again; call inside one transaction.

    ReasonRequired for a blank reason, NotFound for an unknown household, Conflict when the
    family has not opted out of that channel.
    """
    reason = reason.strip()
    if not reason:
        raise ReasonRequired()
    household = load_household(db, household_id)
    if household is None:
        raise NotFound(f"No household with id {household_id!r}")
    if not opted_out(household, channel):
        raise Conflict(f"This family has not opted out: {CHANNEL_NAMES[channel]}")
    lifted = with_opt_out(household, channel, out=False)
    save_household(db, household, lifted)
    lift_id = db.execute(
        """INSERT INTO opt_out_lifts (household_id, channel, reason, lifted_by, lifted_at)
           VALUES (?, ?, ?, ?, ?) RETURNING id""",
        [household_id, channel, reason, actor.name, iso(utcnow())],
    ).fetchone()[0]
    audited.opt_out_lifted(db, actor, household_id, channel, lift_id)
    return lifted


def lifts_history(db: sqlite_utils.Database, household_id: str) -> list[Correction]:
    """The family's lifted opt-outs, as its record lists them (newest first)."""
    return [
        Correction(
            kind="opt_out_lifted",
            summary=f"Opt-out lifted ({CHANNEL_NAMES[channel]}): {reason}",
            caller_name=lifted_by,
            recorded_at=lifted_at,
            received_at=lifted_at,
        )
        for channel, reason, lifted_by, lifted_at in db.execute(
            """SELECT channel, reason, lifted_by, lifted_at FROM opt_out_lifts
               WHERE household_id = ? ORDER BY id DESC""",
            [household_id],
        ).fetchall()
    ]


def newest_first(history: list[Correction]) -> list[Correction]:
    """Callers' corrections and supervisors' lifts in one list, by when the server had them."""
    return sorted(history, key=lambda item: datetime.fromisoformat(item.received_at), reverse=True)
