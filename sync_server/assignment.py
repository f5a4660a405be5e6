"""Who calls whom: automatic assignment, manual moves, and rebalancing away from quiet callers.

The choice itself (:func:`choose_callers`) is a pure function of households, callers and
their loads; the rest reads its inputs from the database and writes its answer back,
bumping ``version`` on every changed row so devices pick the change up on their next pull.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlite_utils

from app.core.errors import Conflict, NotFound
from app.core.models import LanguageCode
from app.core.reports import (
    AssignmentMove,
    AssignmentPlan,
    AssignmentReason,
    CallerLoad,
    LanguageWithoutCaller,
    MoveResult,
    QuietCaller,
    Reassignment,
    RebalanceResult,
)

from .caller_activity import quiet_callers, reached_codes_by_campaign
from .campaigns import get_campaign
from .clock import iso, utcnow
from .db import next_version
from .languages import language_name, spoken_language, spoken_languages
from .progress_tables import COUNTED_OUTCOME
from .roles import EVERY_SCHOOL, Scope, require_households


def base_language(language: LanguageCode) -> str:
    """``es-MX`` → ``es``: a caller who speaks Spanish can call a Mexican-Spanish family
    (and ``zh-Hant`` → zh, ``tl`` → fil: see languages.spoken_language)."""
    return spoken_language(language)


def speaks(languages: Iterable[LanguageCode], language: LanguageCode) -> bool:
    wanted = base_language(language)
    return any(base_language(spoken) == wanted for spoken in languages)


@dataclass(frozen=True)
class HouseholdToPlace:
    id: str
    language: LanguageCode = "en"
    do_not_call: bool = False
    continuity_caller_id: str | None = None
    """The caller who last reached this family, in any campaign."""
    current_caller_id: str | None = None


@dataclass(frozen=True)
class CallerSlot:
    """An active caller who may take households, with what they already hold."""

    id: str
    languages: tuple[LanguageCode, ...]
    load: int = 0
    capacity: int | None = None


@dataclass
class Choice:
    moves: list[AssignmentMove] = field(default_factory=list)
    unplaced: list[str] = field(default_factory=list)
    do_not_call: list[str] = field(default_factory=list)
    loads: dict[str, int] = field(default_factory=dict)


def choose_callers(households: Sequence[HouseholdToPlace], callers: Sequence[CallerSlot]) -> Choice:
    """Give each household a caller: language first, then continuity, then the lightest load.

    - A family that asked not to be called is never placed.
    - When some caller with room speaks the family's language, only those are considered;
      when callers speak it but none has room, the family is left unplaced rather than
      given to someone who cannot talk to them; when no caller speaks it, anyone may take it.
    - Among those considered, the caller who last reached the family keeps it.
    - Otherwise the one with the fewest households gets it (ties by caller id).

    Families with the fewest possible callers are placed first, so the flexible ones fill
    in around them and loads stay level.
    """
    loads = {caller.id: caller.load for caller in callers}
    by_id = {caller.id: caller for caller in callers}
    choice = Choice(loads=loads)

    def has_room(caller: CallerSlot) -> bool:
        return caller.capacity is None or loads[caller.id] < caller.capacity

    spoken = {caller.id: {base_language(lang) for lang in caller.languages} for caller in callers}
    by_language: dict[str, list[CallerSlot]] = {}

    def speakers(household: HouseholdToPlace) -> list[CallerSlot]:
        base = base_language(household.language)
        if base not in by_language:
            by_language[base] = [caller for caller in callers if base in spoken[caller.id]]
        return by_language[base]

    def urgency(household: HouseholdToPlace) -> tuple[int, int, str]:
        count = len(speakers(household)) or len(callers)
        return (0 if household.continuity_caller_id in by_id else 1, count, household.id)

    placed: set[str] = set()
    for household in sorted(households, key=urgency):
        if household.id in placed:
            continue
        placed.add(household.id)
        if household.do_not_call:
            choice.do_not_call.append(household.id)
            continue
        speaking = speakers(household)
        with_room = [caller for caller in callers if has_room(caller)]
        pool = [caller for caller in speaking if has_room(caller)] if speaking else with_room
        if not pool:
            choice.unplaced.append(household.id)
            continue
        reason: AssignmentReason
        continuity = by_id.get(household.continuity_caller_id or "")
        if continuity is not None and continuity in pool:
            chosen, reason = continuity, "continuity"
        else:
            chosen = min(pool, key=lambda caller: (loads[caller.id], caller.id))
            reason = "language" if len(pool) < len(with_room) else "balance"
        loads[chosen.id] += 1
        if chosen.id != household.current_caller_id:
            choice.moves.append(
                AssignmentMove(
                    household_id=household.id,
                    caller_id=chosen.id,
                    from_caller_id=household.current_caller_id,
                    reason=reason,
                )
            )
    return choice


# --- reading the inputs ------------------------------------------------------------------


def _open_loads(db: sqlite_utils.Database, campaign_id: str) -> dict[str, int]:
    return {
        row[0]: row[1]
        for row in db.execute(
            """SELECT caller_id, count(*) FROM campaign_households
               WHERE campaign_id = ? AND open = 1 AND caller_id IS NOT NULL
               GROUP BY caller_id""",
            [campaign_id],
        ).fetchall()
    }


def _active_callers(db: sqlite_utils.Database) -> dict[str, tuple[str, tuple[str, ...]]]:
    """id → (name, spoken languages) of every active caller."""
    return {
        row[0]: (row[1], tuple(sorted(spoken_languages(json.loads(row[2])))))
        for row in db.execute(
            "SELECT id, name, languages FROM callers WHERE active = 1 ORDER BY id"
        ).fetchall()
    }


def _households_to_place(
    db: sqlite_utils.Database,
    campaign_id: str,
    household_ids: Sequence[str] | None,
    scope: Scope = EVERY_SCHOOL,
) -> list[tuple[str, str, bool, str | None]]:
    """(id, language, do_not_call, current caller) of the open households to (re)place;
    one outside the scope is not found, as one not in the campaign."""
    columns = f"""SELECT ch.household_id, h.language, h.do_not_call, ch.caller_id
                 FROM campaign_households ch JOIN households h ON h.id = ch.household_id
                 WHERE ch.campaign_id = :campaign AND ch.open = 1 AND {scope.clause("h.school")}"""
    if household_ids is None:
        rows = db.execute(
            f"""{columns} AND ch.caller_id IS NULL ORDER BY ch.household_id""",
            {"campaign": campaign_id, **scope.params},
        ).fetchall()
    else:
        wanted = list(dict.fromkeys(household_ids))
        rows = db.execute(
            f"""{columns} AND ch.household_id IN (SELECT value FROM json_each(:wanted))
                ORDER BY ch.household_id""",
            {"campaign": campaign_id, "wanted": json.dumps(wanted), **scope.params},
        ).fetchall()
        missing = set(wanted) - {row[0] for row in rows}
        if missing:
            shown = ", ".join(sorted(missing)[:5])
            raise NotFound(f"{len(missing)} household(s) are not open in this campaign: {shown}")
    return [(row[0], row[1], bool(row[2]), row[3]) for row in rows]


def _continuity(db: sqlite_utils.Database, household_ids: Sequence[str]) -> dict[str, str]:
    """household → the caller who last reached it (server order), in any campaign."""
    if not household_ids:
        return {}
    reached = [
        [campaign_id, code]
        for campaign_id, codes in reached_codes_by_campaign(db).items()
        for code in codes
    ]
    if not reached:
        return {}
    # Bare caller_id beside max() is SQLite's documented "row of the max" rule; received_at
    # is the server's clock, so it orders pushes (device clocks never do).
    rows = db.execute(
        f"""SELECT e.household_id, e.caller_id, max(e.received_at)
            FROM events e
            WHERE e.campaign_id IN (SELECT value FROM json_each(:campaigns))
              AND e.kind = 'outcome_recorded'
              AND e.household_id IN (SELECT value FROM json_each(:households))
              AND (e.campaign_id, e.disposition) IN (
                  SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]')
                  FROM json_each(:reached))
              AND {COUNTED_OUTCOME}
            GROUP BY e.household_id""",
        {
            "campaigns": json.dumps(sorted({campaign_id for campaign_id, _ in reached})),
            "households": json.dumps(list(household_ids)),
            "reached": json.dumps(reached),
        },
    ).fetchall()
    return {row[0]: row[1] for row in rows}


def _capacity_for(
    caller_id: str, capacity: int | None, capacities: Mapping[str, int] | None
) -> int | None:
    if capacities and caller_id in capacities:
        return capacities[caller_id]
    return capacity


def _plan(
    db: sqlite_utils.Database,
    campaign_id: str,
    households: list[tuple[str, str, bool, str | None]],
    *,
    capacity: int | None,
    capacities: Mapping[str, int] | None,
    excluded_callers: set[str] | frozenset[str] = frozenset(),
) -> AssignmentPlan:
    loads_now = _open_loads(db, campaign_id)
    callers = _active_callers(db)
    base_loads = dict(loads_now)
    for _, _, _, current in households:
        if current is not None:
            base_loads[current] -= 1
    continuity = _continuity(db, [household[0] for household in households])
    slots = [
        CallerSlot(
            id=caller_id,
            languages=languages,
            load=base_loads.get(caller_id, 0),
            capacity=_capacity_for(caller_id, capacity, capacities),
        )
        for caller_id, (_, languages) in callers.items()
        if caller_id not in excluded_callers
    ]
    choice = choose_callers(
        [
            HouseholdToPlace(
                id=household_id,
                language=language,
                do_not_call=do_not_call,
                continuity_caller_id=continuity.get(household_id),
                current_caller_id=current,
            )
            for household_id, language, do_not_call, current in households
        ],
        slots,
    )
    after = dict(loads_now)
    for move in choice.moves:
        after[move.caller_id] = after.get(move.caller_id, 0) + 1
        if move.from_caller_id is not None:
            after[move.from_caller_id] -= 1
    names = {caller_id: name for caller_id, (name, _) in callers.items()}
    # Every caller who could take households, and everyone who holds some before or after.
    shown = (set(callers) - set(excluded_callers)) | {
        caller_id
        for caller_id in set(after) | set(loads_now)
        if after.get(caller_id) or loads_now.get(caller_id)
    }
    for caller_id in shown - set(names):
        row = db.execute("SELECT name FROM callers WHERE id = ?", [caller_id]).fetchone()
        names[caller_id] = row[0] if row else caller_id
    loads = [
        CallerLoad(
            caller_id=caller_id,
            name=names[caller_id],
            before=loads_now.get(caller_id, 0),
            after=after.get(caller_id, 0),
            capacity=_capacity_for(caller_id, capacity, capacities),
        )
        for caller_id in sorted(shown, key=lambda caller_id: (names[caller_id], caller_id))
    ]
    return AssignmentPlan(
        campaign_id=campaign_id,
        moves=choice.moves,
        loads=loads,
        unplaced=choice.unplaced,
        do_not_call=choice.do_not_call,
        languages_without_caller=_languages_without_caller(households, slots),
    )


def _languages_without_caller(
    households: list[tuple[str, str, bool, str | None]], slots: Sequence[CallerSlot]
) -> list[LanguageWithoutCaller]:
    """'3 Korean households: no caller speaks Korean', most households first."""
    spoken = {base_language(language) for slot in slots for language in slot.languages}
    unspoken = Counter(
        base
        for _, language, do_not_call, _ in households
        if not do_not_call and (base := base_language(language)) not in spoken
    )
    gaps = []
    for language, count in sorted(unspoken.items(), key=lambda item: (-item[1], item[0])):
        name = language_name(language)
        noun = "household" if count == 1 else "households"
        gaps.append(
            LanguageWithoutCaller(
                language=language,
                name=name,
                households=count,
                message=f"{count} {name} {noun}: no caller speaks {name}",
            )
        )
    return gaps


# --- the public operations ---------------------------------------------------------------


def plan_assignment(
    db: sqlite_utils.Database,
    campaign_id: str,
    household_ids: Sequence[str] | None = None,
    capacity: int | None = None,
    capacities: Mapping[str, int] | None = None,
    excluding: Iterable[str] = (),
    scope: Scope = EVERY_SCHOOL,
) -> AssignmentPlan:
    """Propose callers for the campaign's open, unassigned households (or the given ones).

    Reads only. Given households that already have a caller are planned afresh; a move
    that would leave one where it is is not listed. ``excluding``: callers not to consider.
    """
    get_campaign(db, campaign_id)
    households = _households_to_place(db, campaign_id, household_ids, scope)
    return _plan(
        db,
        campaign_id,
        households,
        capacity=capacity,
        capacities=capacities,
        excluded_callers=frozenset(excluding),
    )


def _reassign(
    db: sqlite_utils.Database,
    campaign_id: str,
    household_id: str,
    from_caller_id: str | None,
    to_caller_id: str | None,
    now: str,
) -> None:
    db.execute(
        """UPDATE campaign_households SET caller_id = ?, assigned_at = ?, version = ?
           WHERE campaign_id = ? AND household_id = ?""",
        [to_caller_id, now if to_caller_id else None, next_version(db), campaign_id, household_id],
    )
    # A scheduled callback goes with the household, so the new caller sees it due.
    for (follow_up_id,) in db.execute(
        """SELECT id FROM follow_ups WHERE campaign_id = ? AND household_id = ?
           AND status = 'open' AND caller_id IS ?""",
        [campaign_id, household_id, from_caller_id],
    ).fetchall():
        db.execute(
            "UPDATE follow_ups SET caller_id = ?, version = ? WHERE id = ?",
            [to_caller_id, next_version(db), follow_up_id],
        )


def apply_plan(
    db: sqlite_utils.Database, plan: AssignmentPlan, scope: Scope = EVERY_SCHOOL
) -> AssignmentPlan:
    """Carry out a plan in one transaction; Conflict if anything changed since it was made.

    Each move must still find its household open, with the caller the plan saw, not marked
    do-not-call, and its new caller active — otherwise nothing at all is changed.
    """
    now = iso(utcnow())
    with db.atomic():
        get_campaign(db, plan.campaign_id)
        require_households(db, scope, [move.household_id for move in plan.moves])
        active = set(_active_callers(db))
        for move in plan.moves:
            row = db.execute(
                """SELECT ch.open, ch.caller_id, h.do_not_call FROM campaign_households ch
                   JOIN households h ON h.id = ch.household_id
                   WHERE ch.campaign_id = ? AND ch.household_id = ?""",
                [plan.campaign_id, move.household_id],
            ).fetchone()
            if row is None or not row[0]:
                raise Conflict(f"Household {move.household_id} is no longer open in the campaign")
            if row[1] != move.from_caller_id:
                raise Conflict(
                    f"Household {move.household_id} was reassigned since the plan was made; "
                    "plan again"
                )
            if row[2]:
                raise Conflict(f"Household {move.household_id} asked not to be called")
            if move.caller_id not in active:
                raise Conflict(f"Caller {move.caller_id} is not active")
            _reassign(db, plan.campaign_id, move.household_id, row[1], move.caller_id, now)
    return plan.model_copy(update={"applied": True})


def move_households(
    db: sqlite_utils.Database,
    campaign_id: str,
    household_ids: Sequence[str],
    to_caller_id: str | None,
    scope: Scope = EVERY_SCHOOL,
) -> MoveResult:
    """A supervisor's manual move: these households to that caller (None: to nobody)."""
    now = iso(utcnow())
    with db.atomic():
        get_campaign(db, campaign_id)
        if to_caller_id is not None:
            caller = db.execute(
                "SELECT active FROM callers WHERE id = ?", [to_caller_id]
            ).fetchone()
            if caller is None:
                raise NotFound(f"No caller with id {to_caller_id!r}")
            if not caller[0]:
                raise Conflict("That caller is not active; reactivate them first")
        households = _households_to_place(db, campaign_id, household_ids, scope)
        if to_caller_id is not None:
            refused = [household_id for household_id, _, dnc, _ in households if dnc]
            if refused:
                raise Conflict(
                    f"{len(refused)} household(s) asked not to be called: " + ", ".join(refused[:5])
                )
        result = MoveResult(campaign_id=campaign_id)
        for household_id, _, _, current in households:
            if current == to_caller_id:
                result.unchanged.append(household_id)
                continue
            _reassign(db, campaign_id, household_id, current, to_caller_id, now)
            result.moved.append(
                Reassignment(
                    household_id=household_id, from_caller_id=current, to_caller_id=to_caller_id
                )
            )
    return result


def rebalance_quiet(
    db: sqlite_utils.Database,
    campaign_id: str,
    quiet_days: int = 3,
    now: datetime | None = None,
    *,
    capacity: int | None = None,
    dry_run: bool = False,
) -> RebalanceResult:
    """Move untouched households away from callers who have gone quiet.

    A caller is quiet after ``quiet_days`` with no device sync and no pushed event (an
    inactive caller always is). Their open households with no outcome yet, assigned before
    the quiet spell began, are planned afresh among the callers who are not quiet;
    households they already called stay with them (continuity). Unless ``dry_run``, the
    plan is applied in the same transaction.
    """
    now = now or utcnow()
    cutoff = iso(now - timedelta(days=quiet_days))
    with db.atomic():
        get_campaign(db, campaign_id)
        quiet: list[QuietCaller] = quiet_callers(db, campaign_id, quiet_days, now=now)
        quiet_ids = {caller.caller_id for caller in quiet}
        households = []
        if quiet_ids:
            rows = db.execute(
                f"""SELECT ch.household_id, h.language, h.do_not_call, ch.caller_id
                    FROM campaign_households ch JOIN households h ON h.id = ch.household_id
                    WHERE ch.campaign_id = :campaign AND ch.open = 1
                      AND ch.caller_id IN (SELECT value FROM json_each(:quiet))
                      AND (ch.assigned_at IS NULL OR ch.assigned_at < :cutoff)
                      AND NOT EXISTS (
                          SELECT 1 FROM events e
                          WHERE e.campaign_id = ch.campaign_id
                            AND e.kind = 'outcome_recorded'
                            AND e.household_id = ch.household_id AND {COUNTED_OUTCOME})
                    ORDER BY ch.household_id""",
                {"campaign": campaign_id, "quiet": json.dumps(sorted(quiet_ids)), "cutoff": cutoff},
            ).fetchall()
            households = [(row[0], row[1], bool(row[2]), row[3]) for row in rows]
        recently_active = _recently_active(db, cutoff)
        excluded = set(_active_callers(db)) - recently_active | quiet_ids
        plan = _plan(
            db,
            campaign_id,
            households,
            capacity=capacity,
            capacities=None,
            excluded_callers=excluded,
        )
        # A household no one else can take stays where it is rather than on no list.
        if not dry_run:
            plan = apply_plan(db, plan)
    return RebalanceResult(quiet_callers=quiet, plan=plan)


def _recently_active(db: sqlite_utils.Database, cutoff: str) -> set[str]:
    """Active callers with a device sync or a pushed event since ``cutoff``."""
    return {
        row[0]
        for row in db.execute(
            """SELECT c.id FROM callers c WHERE c.active = 1 AND (
                   EXISTS (SELECT 1 FROM devices d
                           WHERE d.caller_id = c.id AND d.last_sync_at >= :cutoff)
                   OR EXISTS (SELECT 1 FROM events e
                              WHERE e.caller_id = c.id AND e.received_at >= :cutoff))""",
            {"cutoff": cutoff},
        ).fetchall()
    }
