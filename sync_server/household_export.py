"""A campaign's families for the school's records (SIS): one CSV row per household.

Current phone numbers as E.164 digits (export.phone_cell): ``phones`` the ones to call
(a number a caller added, by a phone correction or a "wrong number, here is the right
one", is also listed in ``new_phones``), ``bad_phones`` those marked wrong or
disconnected; language, opt-outs, the last counted outcome and the open follow-ups.
Anonymised families are left out. Cells are neutralised as the outcomes export's are.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import sqlite_utils

from .campaigns import get_campaign
from .export import line_writer, phone_cell
from .progress_tables import COUNTED_OUTCOME
from .roles import EVERY_SCHOOL, Scope

__all__ = ["COLUMNS", "iter_households_csv"]

COLUMNS = [
    "household_id",
    "external_id",
    "household",
    "school",
    "language",
    "phones",
    "new_phones",
    "bad_phones",
    "do_not_call",
    "text_opt_out",
    "last_outcome",
    "last_outcome_at",
    "last_caller",
    "outcomes",
    "open_follow_ups",
]

_HOUSEHOLDS = f"""
    WITH outcomes AS (
        SELECT e.household_id, e.disposition, e.received_at, e.caller_id, max(e.version) AS v,
               count(*) AS n
        FROM events e
        WHERE e.campaign_id = :campaign AND e.kind = 'outcome_recorded' AND {COUNTED_OUTCOME}
        GROUP BY e.household_id
    ),
    added AS (
        SELECT e.household_id, json_group_array(json_extract(e.payload, '$.new_number')) AS numbers
        FROM events e
        WHERE e.kind = 'phone_corrected' AND {COUNTED_OUTCOME}
          AND json_extract(e.payload, '$.new_number') IS NOT NULL
          AND e.household_id IN (SELECT household_id FROM campaign_households
                                 WHERE campaign_id = :campaign)
        GROUP BY e.household_id
    ),
    follow AS (
        SELECT household_id, json_group_array(json_object(
                   'kind', kind, 'due_at', due_at, 'detail', detail)) AS items
        FROM follow_ups WHERE campaign_id = :campaign AND status = 'open'
        GROUP BY household_id
    )
    SELECT h.id, h.body, o.disposition, o.received_at, o.n, c.name AS caller,
           a.numbers, f.items
    FROM campaign_households ch
    JOIN households h ON h.id = ch.household_id
    LEFT JOIN outcomes o ON o.household_id = h.id
    LEFT JOIN callers c ON c.id = o.caller_id
    LEFT JOIN added a ON a.household_id = h.id
    LEFT JOIN follow f ON f.household_id = h.id
    WHERE ch.campaign_id = :campaign
      AND h.id NOT IN (SELECT household_id FROM anonymised_households)
      AND {{in_scope}}
    ORDER BY h.name COLLATE NOCASE, h.id
"""


def _joined(numbers: list[str]) -> str:
    return "; ".join(phone_cell(number) for number in numbers)


def _follow_up(item: dict[str, Any]) -> str:
    due = f" due {item['due_at'][:16].replace('T', ' ')}" if item.get("due_at") else ""
    detail = f": {item['detail']}" if item.get("detail") else ""
    return f"{item['kind']}{due}{detail}"


def _row(row: dict[str, Any]) -> list[str]:
    household = json.loads(row["body"])
    phones = household.get("phones") or []
    good = [phone["number"] for phone in phones if not phone.get("bad")]
    added = set(json.loads(row["numbers"] or "[]"))
    follow_ups = json.loads(row["items"] or "[]")
    return [
        row["id"],
        household.get("external_id") or "",
        household.get("name") or "",
        household.get("school") or "",
        household.get("language") or "",
        _joined(good),
        _joined([number for number in good if number in added]),
        _joined([phone["number"] for phone in phones if phone.get("bad")]),
        "yes" if household.get("do_not_call") else "no",
        "yes" if household.get("text_opt_out") else "no",
        row["disposition"] or "",
        row["received_at"] or "",
        row["caller"] or "",
        str(row["n"] or 0),
        "; ".join(_follow_up(item) for item in follow_ups),
    ]


def iter_households_csv(
    db: sqlite_utils.Database, campaign_id: str, scope: Scope = EVERY_SCHOOL
) -> Iterator[str]:
    """The export line by line (CRLF-terminated, header first), the scope's families only;
    NotFound for no campaign."""
    get_campaign(db, campaign_id)
    line = line_writer()

    yield line(COLUMNS)
    query = _HOUSEHOLDS.replace("{in_scope}", scope.clause("h.school"))
    for row in db.query(query, {"campaign": campaign_id, **scope.params}):
        yield line(_row(row))
