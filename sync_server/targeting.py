"""Choosing who to call: households picked from everyone imported and put on a campaign's list.

"You do not need to call every household": a supervisor narrows the households down (not
reached in an earlier campaign, a need such as no-device, a school, a language) and adds
just those to a campaign, unassigned, where assignment picks them up. Also the campaign's
list as the console shows it, for moving households by hand.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import sqlite_utils

from app.core.errors import NotFound
from app.core.imports import fold
from app.core.models import Household

from . import importer, progress
from .assignment import base_language
from .campaigns import get_campaign
from .progress_tables import COUNTED_OUTCOME, refresh_progress
from .records import household_from_row
from .roles import EVERY_SCHOOL, Scope

__all__ = [
    "Facets",
    "HouseholdMatch",
    "ListedHousehold",
    "TargetCriteria",
    "TargetStatus",
    "TargetingResult",
    "add_to_campaign",
    "campaign_list",
    "find_households",
    "get_household",
    "household_facets",
    "household_names",
]

TargetStatus = Literal[
    "any", "not_attempted", "not_reached", "not_completed", "attempted", "reached", "completed"
]
"""Where a household stands in ``TargetCriteria.campaign_id``: no counted outcome yet
(not attempted), no conversation (not reached), the campaign's goal not met (not completed),
or the opposites."""


@dataclass(frozen=True)
class TargetCriteria:
    """Who to call. Every given filter must hold; an empty one lets everybody through."""

    languages: tuple[str, ...] = ()
    """Any of these languages; ``es`` also finds ``es-MX``."""
    tags: tuple[str, ...] = ()
    """Has at least one of these needs/tags (case does not matter)."""
    without_tags: tuple[str, ...] = ()
    """Has none of these."""
    schools: tuple[str, ...] = ()
    campaign_id: str | None = None
    """Only households on this campaign's list (open or closed), judged by ``status``."""
    status: TargetStatus = "any"
    not_on_campaign_id: str | None = None
    """Leave out households already open on this campaign's list (usually the target)."""
    include_do_not_call: bool = False
    search: str = ""
    """Part of the family's name, its external id, or a phone number's digits."""
    limit: int | None = None


@dataclass(frozen=True)
class HouseholdMatch:
    id: str
    name: str
    language: str
    school: str | None
    tags: tuple[str, ...]
    phones: int
    do_not_call: bool
    external_id: str | None = None


@dataclass(frozen=True)
class TargetingResult:
    campaign_id: str
    added: int = 0
    """Households newly on the campaign's open list (added, or re-opened with their caller)."""
    already_open: int = 0
    do_not_call: list[str] = field(default_factory=list)
    """Households left out because they asked not to be called."""


@dataclass(frozen=True)
class Facets:
    """What the households hold, most common first: the choices a targeting form offers."""

    languages: list[tuple[str, int]]
    schools: list[tuple[str, int]]
    tags: list[tuple[str, int]]
    households: int


@dataclass(frozen=True)
class ListedHousehold:
    """A household on a campaign's list, with who calls it."""

    id: str
    name: str
    language: str
    school: str | None
    tags: tuple[str, ...]
    caller_id: str | None
    caller_name: str | None
    open: bool
    do_not_call: bool
    calls: int


def _fold_all(values: Iterable[str]) -> set[str]:
    return {fold(value) for value in values if value.strip()}


def _status_condition(
    db: sqlite_utils.Database, campaign_id: str, status: TargetStatus
) -> tuple[str, dict[str, Any]]:
    """SQL (on ``h.id``) for the households on the list whose outcomes make ``status`` true.

    Read from the dashboard's progress summary (brought up to date first, which writes), so
    "reached" here is what the dashboard counts as reached: counted, uncorrected outcomes
    whose disposition means a conversation in that campaign.
    """
    listed = "h.id IN (SELECT household_id FROM campaign_households WHERE campaign_id = :listed)"
    if status == "any":
        return listed, {"listed": campaign_id}
    refresh_progress(db)
    cat = progress.catalogue(db, get_campaign(db, campaign_id))
    codes = {
        "attempted": "codes != 0",
        "not_attempted": "codes = 0",
        "reached": "codes & :mask != 0",
        "not_reached": "codes & :mask = 0",
        "completed": "codes & :mask != 0",
        "not_completed": "codes & :mask = 0",
    }[status]
    mask = cat.complete if status.endswith("completed") else cat.reached
    condition = f"""h.id IN (SELECT household_id FROM progress_households
                             WHERE campaign_id = :listed AND {codes})"""
    return condition, {"listed": campaign_id, "mask": mask}


def find_households(db: sqlite_utils.Database, criteria: TargetCriteria) -> list[HouseholdMatch]:
    """The households that meet every criterion, by name.

    Filtering by ``status`` first brings the progress summary up to date: call it inside a
    transaction then.
    """
    where = ["1 = 1"]
    params: dict[str, Any] = {}
    if criteria.campaign_id is not None:
        get_campaign(db, criteria.campaign_id)
        condition, values = _status_condition(db, criteria.campaign_id, criteria.status)
        where.append(condition)
        params.update(values)
    if criteria.not_on_campaign_id is not None:
        get_campaign(db, criteria.not_on_campaign_id)
        where.append(
            """h.id NOT IN (SELECT household_id FROM campaign_households
                            WHERE campaign_id = :target AND open = 1)"""
        )
        params["target"] = criteria.not_on_campaign_id
    if not criteria.include_do_not_call:
        where.append("h.do_not_call = 0")
    languages = {base_language(language) for language in criteria.languages if language.strip()}
    tags, without = _fold_all(criteria.tags), _fold_all(criteria.without_tags)
    schools = _fold_all(criteria.schools)
    search = fold(criteria.search)
    digits = "".join(ch for ch in criteria.search if ch.isdigit())
    params["digits"] = digits  # phones are read only when a search could match them
    matches: list[HouseholdMatch] = []
    for row in db.query(
        f"""SELECT h.id, h.name, h.language, h.school, h.tags, h.do_not_call, h.external_id,
                   json_array_length(h.phones) AS phone_count,
                   CASE WHEN :digits != '' THEN h.phones END AS phones
            FROM households h WHERE {" AND ".join(where)}
            ORDER BY h.name COLLATE NOCASE, h.id""",
        params,
    ):
        if languages and base_language(row["language"]) not in languages:
            continue
        if schools and fold(row["school"] or "") not in schools:
            continue
        own_tags: list[str] = json.loads(row["tags"])
        if tags or without:
            folded = _fold_all(own_tags)
            if (tags and not folded & tags) or folded & without:
                continue
        if search and not _found(search, digits, row):
            continue
        matches.append(
            HouseholdMatch(
                id=row["id"],
                name=row["name"],
                language=row["language"],
                school=row["school"],
                tags=tuple(own_tags),
                phones=row["phone_count"],
                do_not_call=bool(row["do_not_call"]),
                external_id=row["external_id"],
            )
        )
        if criteria.limit is not None and len(matches) >= criteria.limit:
            break
    return matches


def _found(search: str, digits: str, row: dict[str, Any]) -> bool:
    if search in fold(row["name"]) or search in fold(row["external_id"] or ""):
        return True
    phones: list[dict[str, Any]] = json.loads(row["phones"] or "[]")
    return len(digits) >= 3 and any(digits in phone["number"] for phone in phones)


def _existing(db: sqlite_utils.Database, household_ids: Sequence[str]) -> dict[str, bool]:
    """id → do_not_call, for the given ids that exist."""
    return {
        row[0]: bool(row[1])
        for row in db.execute(
            """SELECT id, do_not_call FROM households
               WHERE id IN (SELECT value FROM json_each(?))""",
            [json.dumps(list(household_ids))],
        ).fetchall()
    }


def add_to_campaign(
    db: sqlite_utils.Database, campaign_id: str, household_ids: Iterable[str]
) -> TargetingResult:
    """Put the households on the campaign's open list, unassigned, in one transaction.

    A household already open there stays as it is (its caller kept, no new version, so
    devices see no change); a closed one re-opens with its caller. Households that asked
    not to be called are left out and named. An unknown household id is NotFound and
    nothing is written.
    """
    wanted = list(dict.fromkeys(household_ids))
    with db.atomic():
        get_campaign(db, campaign_id)
        existing = _existing(db, wanted)
        missing = [household_id for household_id in wanted if household_id not in existing]
        if missing:
            shown = ", ".join(missing[:5])
            raise NotFound(f"{len(missing)} household(s) do not exist: {shown}")
        refused = [household_id for household_id in wanted if existing[household_id]]
        callable_ids = [household_id for household_id in wanted if not existing[household_id]]
        already = {
            row[0]
            for row in db.execute(
                """SELECT household_id FROM campaign_households
                   WHERE campaign_id = ? AND open = 1
                     AND household_id IN (SELECT value FROM json_each(?))""",
                [campaign_id, json.dumps(callable_ids)],
            ).fetchall()
        }
        fresh = [household_id for household_id in callable_ids if household_id not in already]
        added = importer.add_to_campaign(db, campaign_id, fresh)
    return TargetingResult(
        campaign_id=campaign_id, added=added, already_open=len(already), do_not_call=refused
    )


def household_facets(db: sqlite_utils.Database) -> Facets:
    """Languages, schools and tags across every household, with how many have each."""
    languages: Counter[str] = Counter()
    schools: Counter[str] = Counter()
    tags: Counter[str] = Counter()
    total = 0
    for language, school, own_tags in db.execute(
        "SELECT language, school, tags FROM households"
    ).fetchall():
        total += 1
        languages[language] += 1
        if school:
            schools[school] += 1
        for tag in dict.fromkeys(json.loads(own_tags)):
            tags[tag] += 1

    def ranked(counter: Counter[str]) -> list[tuple[str, int]]:
        return sorted(counter.items(), key=lambda item: (-item[1], item[0].casefold()))

    return Facets(ranked(languages), ranked(schools), ranked(tags), total)


def campaign_list(
    db: sqlite_utils.Database,
    campaign_id: str,
    *,
    caller_id: str | None = None,
    unassigned: bool = False,
    open_only: bool = True,
    limit: int = 500,
    scope: Scope = EVERY_SCHOOL,
) -> list[ListedHousehold]:
    """The campaign's households (the scope's) with their callers and counted calls, by name.

    ``caller_id`` keeps one caller's; ``unassigned`` keeps those with no caller.
    """
    get_campaign(db, campaign_id)
    where = ["ch.campaign_id = :campaign", scope.clause("h.school")]
    params: dict[str, Any] = {"campaign": campaign_id, "limit": limit, **scope.params}
    if open_only:
        where.append("ch.open = 1")
    if caller_id is not None:
        where.append("ch.caller_id = :caller")
        params["caller"] = caller_id
    elif unassigned:
        where.append("ch.caller_id IS NULL")
    rows = db.query(
        f"""SELECT h.id, h.name, h.language, h.school, h.tags, h.do_not_call, ch.caller_id,
                   ch.open, c.name AS caller_name,
                   (SELECT count(*) FROM events e
                    WHERE e.campaign_id = ch.campaign_id AND e.household_id = h.id
                      AND e.kind = 'outcome_recorded' AND {COUNTED_OUTCOME}) AS calls
            FROM campaign_households ch
            JOIN households h ON h.id = ch.household_id
            LEFT JOIN callers c ON c.id = ch.caller_id
            WHERE {" AND ".join(where)}
            ORDER BY h.name COLLATE NOCASE, h.id LIMIT :limit""",
        params,
    )
    return [
        ListedHousehold(
            id=row["id"],
            name=row["name"],
            language=row["language"],
            school=row["school"],
            tags=tuple(json.loads(row["tags"])),
            caller_id=row["caller_id"],
            caller_name=row["caller_name"],
            open=bool(row["open"]),
            do_not_call=bool(row["do_not_call"]),
            calls=row["calls"],
        )
        for row in rows
    ]


def household_names(db: sqlite_utils.Database, household_ids: Iterable[str]) -> dict[str, str]:
    """id → family name for the given ids (unknown ids left out)."""
    return {
        row[0]: row[1]
        for row in db.execute(
            "SELECT id, name FROM households WHERE id IN (SELECT value FROM json_each(?))",
            [json.dumps(list(dict.fromkeys(household_ids)))],
        ).fetchall()
    }


def get_household(db: sqlite_utils.Database, household_id: str) -> Household:
    rows = list(db.query("SELECT * FROM households WHERE id = ?", [household_id]))
    if not rows:
        raise NotFound(f"No household with id {household_id!r}")
    return household_from_row(rows[0])
