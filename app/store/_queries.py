"""Read queries over the device cache: what the caller's screens read (list, household, stats)."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

import sqlite_utils
from pydantic import TypeAdapter

from app.core.dispositions import DEFAULT_DISPOSITIONS, dispositions_for
from app.core.events import EventPayload
from app.core.household_state import HouseholdState, day_started_at, household_state
from app.core.models import Campaign, Disposition, Household, LanguageCode

from ._rows import household_from_row, iso

_GROUP_ORDER = {"callback": 0, "new": 1, "retry": 2, "done": 3}
payload_adapter: TypeAdapter[EventPayload] = TypeAdapter(EventPayload)


@dataclass(frozen=True)
class ListedHousehold:
    """One row of "My list": a household in one campaign and what to do about it now."""

    campaign_id: str
    household: Household
    state: HouseholdState

    @property
    def household_id(self) -> str:
        return self.household.id

    @property
    def name(self) -> str:
        return self.household.name

    @property
    def language(self) -> LanguageCode:
        return self.household.language

    @property
    def tags(self) -> list[str]:
        return self.household.tags


@dataclass(frozen=True)
class Tally:
    calls: int = 0
    conversations: int = 0
    completed: int = 0


@dataclass(frozen=True)
class CallerStats:
    """The caller's own attempts, counted from local outcomes (unsynced ones included)."""

    today: Tally
    this_week: Tally


@dataclass(frozen=True)
class ParkedEvent:
    """An event the server refused; it waits for attention and blocks nothing."""

    event_id: UUID
    recorded_at: datetime
    payload: EventPayload
    reason: str


@dataclass(frozen=True)
class Note:
    event_id: UUID
    campaign_id: str
    household_id: str
    text: str
    recorded_at: datetime


def campaigns_by_id(db: sqlite_utils.Database) -> dict[str, Campaign]:
    return {
        row["id"]: Campaign.model_validate_json(row["body"])
        for row in db.query("SELECT id, body FROM campaigns")
    }


def _dispositions(campaigns: dict[str, Campaign]) -> dict[str, Sequence[Disposition]]:
    return {campaign_id: dispositions_for(c) for campaign_id, c in campaigns.items()}


def households_for_list(
    db: sqlite_utils.Database,
    campaign_id: str | None,
    now: datetime,
    household_id: str | None = None,
) -> list[ListedHousehold]:
    # One query per table, grouped here: a list of hundreds reads in a few milliseconds.
    only = "AND campaign_id = ?" if campaign_id else ""
    assigned_only = "AND a.campaign_id = ?" if campaign_id else ""
    params = [campaign_id] if campaign_id else []
    if household_id is not None:
        only += " AND household_id = ?"
        assigned_only += " AND a.household_id = ?"
        params.append(household_id)
    assigned = list(
        db.query(
            f"""SELECT a.campaign_id, h.body FROM assignments a
                JOIN households h ON h.id = a.household_id WHERE 1 = 1 {assigned_only}""",
            params,
        )
    )
    outcomes: dict[tuple[str, str], list[tuple[str, datetime]]] = defaultdict(list)
    for row in db.query(
        f"""SELECT campaign_id, household_id, disposition, recorded_at FROM outcomes
            WHERE 1 = 1 {only} ORDER BY recorded_at, rowid""",
        params,
    ):
        key = (row["campaign_id"], row["household_id"])
        outcomes[key].append((row["disposition"], datetime.fromisoformat(row["recorded_at"])))
    callbacks = {
        (row["campaign_id"], row["household_id"]): datetime.fromisoformat(row["due"])
        for row in db.query(
            f"""SELECT campaign_id, household_id, min(due_at) AS due FROM follow_ups
                WHERE status = 'open' AND kind = 'callback' AND due_at IS NOT NULL {only}
                GROUP BY campaign_id, household_id""",
            params,
        )
    }
    campaigns = campaigns_by_id(db)
    catalogue = _dispositions(campaigns)
    day_starts = {
        campaign_id: day_started_at(campaign, now) for campaign_id, campaign in campaigns.items()
    }
    listed = []
    for row in assigned:
        household = household_from_row(row)
        key = (row["campaign_id"], household.id)
        since = day_starts.get(row["campaign_id"])
        counted = [
            outcome for outcome in outcomes.get(key, []) if since is None or outcome[1] >= since
        ]
        state = household_state(
            counted,
            catalogue.get(row["campaign_id"], DEFAULT_DISPOSITIONS),
            callbacks.get(key),
            now,
        )
        listed.append(ListedHousehold(row["campaign_id"], household, state))
    far = now + timedelta(days=36500)
    listed.sort(
        key=lambda item: (
            _GROUP_ORDER[item.state.group],
            item.state.callback_due_at or far,
            item.household.name.casefold(),
        )
    )
    return listed


def stats(db: sqlite_utils.Database, caller_id: str | None, now: datetime) -> CallerStats:
    if now.tzinfo is None:
        raise ValueError("stats needs an aware datetime, got a naive one")
    start_of_day = now.replace(hour=0, minute=0, second=0, microsecond=0)
    start_of_week = start_of_day - timedelta(days=start_of_day.weekday())
    catalogue = _dispositions(campaigns_by_id(db))
    codes: dict[str, dict[str, Disposition]] = {
        campaign_id: {d.code: d for d in dispositions}
        for campaign_id, dispositions in catalogue.items()
    }
    defaults = {d.code: d for d in DEFAULT_DISPOSITIONS}
    today, week = [0, 0, 0], [0, 0, 0]
    for row in db.query(
        """SELECT campaign_id, disposition, channel, recorded_at FROM outcomes
           WHERE caller_id = ? AND recorded_at >= ?""",
        [caller_id, iso(start_of_week)],
    ):
        disposition = codes.get(row["campaign_id"], defaults).get(row["disposition"])
        counts = (
            int(row["channel"] == "call"),
            int(bool(disposition and disposition.reached)),
            int(bool(disposition and disposition.complete)),
        )
        tallies = [week, today] if row["recorded_at"] >= iso(start_of_day) else [week]
        for tally in tallies:
            for index, count in enumerate(counts):
                tally[index] += count
    return CallerStats(today=Tally(*today), this_week=Tally(*week))


def parked_from_row(row: dict[str, str]) -> ParkedEvent:
    return ParkedEvent(
        event_id=UUID(row["event_id"]),
        recorded_at=datetime.fromisoformat(row["recorded_at"]),
        payload=payload_adapter.validate_json(row["payload"]),
        reason=row["parked_reason"] or "",
    )


def note_from_row(row: dict[str, str]) -> Note:
    return Note(
        event_id=UUID(row["event_id"]),
        campaign_id=row["campaign_id"],
        household_id=row["household_id"],
        text=json.loads(row["payload"])["text"],
        recorded_at=datetime.fromisoformat(row["recorded_at"]),
    )
