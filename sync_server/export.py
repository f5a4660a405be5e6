"""A campaign's call outcomes as CSV for a spreadsheet: one row per recorded outcome.

Every cell a spreadsheet could take for a formula (starting with = + - @, tab or CR) is
prefixed with a single quote, so an answer or note typed by anyone cannot run on the
supervisor's computer (OWASP "CSV injection"). A phone number is no free text: a valid one
is written as its E.164 digits without the + (``15105550123``, column ``e164_phone``), which
starts with no formula character, which a spreadsheet reads as that very number (E.164 has at
most 15 digits, a spreadsheet's precision) and which VAN, a school's SIS and Phonebank's own
importer read back as the same number.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import sqlite_utils

from app.core.field_roles import Exported, fields_marked
from app.core.models import Household

from .campaigns import get_campaign, list_scripts

__all__ = [
    "FIXED_COLUMNS",
    "export_outcomes_csv",
    "iter_outcomes_csv",
    "line_writer",
    "neutralise",
    "phone_cell",
]

_EVENT_COLUMNS = ["event_id", "received_at", "recorded_at", "household_id"]
# The household's fields marked Exported in the model, by export column.
_HOUSEHOLD_COLUMNS = {
    marker.column or name: name for name, marker in fields_marked(Household, Exported).items()
}
_OUTCOME_COLUMNS = ["caller", "disposition", "channel"]
PHONE_COLUMN = "e164_phone"
"""The number called or texted: E.164 digits without the + (see the module's docstring)."""
FIXED_COLUMNS = [*_EVENT_COLUMNS, *_HOUSEHOLD_COLUMNS, *_OUTCOME_COLUMNS, PHONE_COLUMN]
TRAILING_COLUMNS = [
    "needs_found",
    "resources_shared",
    "notes",
    "callback_at",
    "language_needed",
    "corrects",
    "outside_hours_reason",
    "quarantined",
    "quarantine_status",
]
ANSWER_PREFIX = "answer:"
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_E164 = re.compile(r"\+([1-9][0-9]{1,14}(?:;ext=[0-9]{1,10})?)")

_OUTCOMES = """
    SELECT e.event_id, e.received_at, e.recorded_at, e.household_id, h.body AS household,
           c.name AS caller, e.disposition, e.channel, e.payload, e.quarantined,
           e.quarantine_status
    FROM events e
    LEFT JOIN households h ON h.id = e.household_id
    LEFT JOIN callers c ON c.id = e.caller_id
    WHERE e.campaign_id = ? AND e.kind = 'outcome_recorded'
    ORDER BY e.version
"""


def neutralise(cell: str) -> str:
    """The cell with a leading ' when a spreadsheet would read it as a formula."""
    return f"'{cell}" if cell.startswith(_FORMULA_STARTS) else cell


def line_writer() -> Callable[[Sequence[str]], str]:
    """A function turning one row of cells into its CRLF-terminated CSV line, each cell
    neutralised: for exports streamed line by line."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")

    def line(cells: Sequence[str]) -> str:
        writer.writerow([neutralise(cell) for cell in cells])
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    return line


def phone_cell(number: str | None) -> str:
    """A valid E.164 number as its digits without the +; anything else as text."""
    if number is None:
        return ""
    valid = _E164.fullmatch(number)
    return valid.group(1) if valid else number


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return "; ".join(_text(item) for item in value)
    return str(value)


def _question_ids(db: sqlite_utils.Database, campaign_id: str) -> list[str]:
    """The scripts' questions in script order, then any other answer seen in an outcome."""
    ids = [question.id for script in list_scripts(db, campaign_id) for question in script.questions]
    seen = db.execute(
        """SELECT answer.key FROM events e, json_each(e.payload, '$.answers') AS answer
           WHERE e.campaign_id = ? AND e.kind = 'outcome_recorded'
           GROUP BY answer.key ORDER BY min(e.version)""",
        [campaign_id],
    ).fetchall()
    return list(dict.fromkeys([*ids, *(key for (key,) in seen)]))


def iter_outcomes_csv(db: sqlite_utils.Database, campaign_id: str) -> Iterator[str]:
    """The export line by line (CRLF-terminated, header first); NotFound for no campaign."""
    get_campaign(db, campaign_id)
    questions = _question_ids(db, campaign_id)
    line = line_writer()
    yield line([*FIXED_COLUMNS, *(f"{ANSWER_PREFIX}{q}" for q in questions), *TRAILING_COLUMNS])
    for row in db.query(_OUTCOMES, [campaign_id]):
        payload: dict[str, Any] = json.loads(row["payload"])
        answers: dict[str, Any] = payload.get("answers") or {}
        household: dict[str, Any] = json.loads(row["household"] or "{}")
        yield line(
            [
                *(_text(row[column]) for column in _EVENT_COLUMNS),
                *(_text(household.get(field)) for field in _HOUSEHOLD_COLUMNS.values()),
                *(_text(row[column]) for column in _OUTCOME_COLUMNS),
                phone_cell(payload.get("phone")),
                *(_text(answers.get(question)) for question in questions),
                _text(payload.get("needs_found")),
                _text(payload.get("resources_shared")),
                _text(payload.get("notes")),
                _text(payload.get("callback_at")),
                _text(payload.get("language_needed")),
                _text(payload.get("corrects")),
                _text(payload.get("outside_hours_reason")),
                _text(bool(row["quarantined"])),
                _text(row["quarantine_status"]),
            ]
        )


def export_outcomes_csv(db: sqlite_utils.Database, campaign_id: str) -> str:
    """Every outcome recorded for the campaign, oldest first, as one CSV text."""
    return "".join(iter_outcomes_csv(db, campaign_id))
