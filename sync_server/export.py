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
from app.core.models import Household, Script

from .campaigns import get_campaign, list_scripts
from .roles import EVERY_SCHOOL, Scope

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
    "household_phones",
    "household_notes",
]
"""``household_phones``/``household_notes``: the family's working numbers and callers' notes
as they are now (export time), newest note first: what the next campaign starts from."""
ANSWER_PREFIX = "answer:"
LABEL_PREFIX = "answer_label:"
"""After a choice question's ``answer:`` column (the stable choice id): its label in the
campaign's default language. An answer stored before choices had ids (a label, in whatever
language the call was in) stays as it was in ``answer:``; ``answer_label:`` still gives the
default-language label when any script knows that label."""
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_E164 = re.compile(r"\+([1-9][0-9]{1,14}(?:;ext=[0-9]{1,10})?)")

_OUTCOMES = """
    SELECT e.event_id, e.received_at, e.recorded_at, e.household_id, h.body AS household,
           c.name AS caller, e.disposition, e.channel, e.payload, e.quarantined,
           e.quarantine_status
    FROM events e
    LEFT JOIN households h ON h.id = e.household_id
    LEFT JOIN callers c ON c.id = e.caller_id
    WHERE e.campaign_id = :campaign AND e.kind = 'outcome_recorded' AND {in_scope}
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


def household_now(household: dict[str, Any]) -> tuple[str, str]:
    """The family's working numbers and notes (newest first, with who and when) now."""
    phones = "; ".join(
        phone_cell(phone.get("number"))
        for phone in household.get("phones") or []
        if not phone.get("bad")
    )
    notes = sorted(household.get("notes") or [], key=lambda note: note["recorded_at"], reverse=True)
    written = "; ".join(
        f"{note['recorded_at'][:10]} {note.get('caller_name') or ''}: {note['text']}"
        for note in notes
    )
    return phones, written


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


def _choice_labels(scripts: list[Script], language: str) -> dict[str, dict[str, str]]:
    """Per choice question: its choice ids, and every label any script gives them, → the
    label in ``language`` (the first script's label when that language has none)."""
    ordered = sorted(scripts, key=lambda script: script.language != language)
    labels: dict[str, dict[str, str]] = {}
    for script in ordered:
        for question in script.questions:
            if question.type != "choice":
                continue
            known = labels.setdefault(question.id, {})
            for choice in question.choices:
                known.setdefault(choice.id, choice.label)
    for script in ordered:  # an old answer stored as a label, in any language
        for question in script.questions:
            for choice in question.choices:
                labels.get(question.id, {}).setdefault(
                    choice.label, labels[question.id].get(choice.id, choice.label)
                )
    return labels


def _answer_cells(
    answers: dict[str, Any], questions: list[str], labels: dict[str, dict[str, str]]
) -> Iterator[str]:
    for question in questions:
        value = answers.get(question)
        yield _text(value)
        if question in labels:
            yield _text(labels[question].get(value, value) if isinstance(value, str) else value)


def iter_outcomes_csv(
    db: sqlite_utils.Database, campaign_id: str, scope: Scope = EVERY_SCHOOL
) -> Iterator[str]:
    """The export line by line (CRLF-terminated, header first), the scope's families' outcomes
    only; NotFound for no campaign."""
    campaign = get_campaign(db, campaign_id)
    questions = _question_ids(db, campaign_id)
    labels = _choice_labels(list_scripts(db, campaign_id), campaign.default_language)
    line = line_writer()
    answer_columns = [
        column
        for q in questions
        for column in (
            [f"{ANSWER_PREFIX}{q}", f"{LABEL_PREFIX}{q}"]
            if q in labels
            else [f"{ANSWER_PREFIX}{q}"]
        )
    ]
    yield line([*FIXED_COLUMNS, *answer_columns, *TRAILING_COLUMNS])
    query = _OUTCOMES.replace("{in_scope}", scope.clause("h.school"))
    for row in db.query(query, {"campaign": campaign_id, **scope.params}):
        payload: dict[str, Any] = json.loads(row["payload"])
        answers: dict[str, Any] = payload.get("answers") or {}
        household: dict[str, Any] = json.loads(row["household"] or "{}")
        yield line(
            [
                *(_text(row[column]) for column in _EVENT_COLUMNS),
                *(_text(household.get(field)) for field in _HOUSEHOLD_COLUMNS.values()),
                *(_text(row[column]) for column in _OUTCOME_COLUMNS),
                phone_cell(payload.get("phone")),
                *_answer_cells(answers, questions, labels),
                _text(payload.get("needs_found")),
                _text(payload.get("resources_shared")),
                _text(payload.get("notes")),
                _text(payload.get("callback_at")),
                _text(payload.get("language_needed")),
                _text(payload.get("corrects")),
                _text(payload.get("outside_hours_reason")),
                _text(bool(row["quarantined"])),
                _text(row["quarantine_status"]),
                *household_now(household),
            ]
        )


def export_outcomes_csv(
    db: sqlite_utils.Database, campaign_id: str, scope: Scope = EVERY_SCHOOL
) -> str:
    """Every outcome recorded for the campaign (the scope's families), oldest first, as one
    CSV text."""
    return "".join(iter_outcomes_csv(db, campaign_id, scope))
