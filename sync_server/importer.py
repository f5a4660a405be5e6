"""Households from a supervisor's CSV: read any common encoding and delimiter, map columns,
normalise phones and languages, merge duplicates, and store the lot in one transaction.

Work happens in two phases so a big file holds the database lock only briefly: every row is
read and validated in Python first (no SQL), then one transaction merges against stored
households (their dedupe keys loaded once) and writes with ``executemany``.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import sqlite_utils

from app.core.errors import UnreadableCsv
from app.core.imports import (
    ColumnMapping,
    ImportPreview,
    ImportReport,
    MergedRow,
    PreviewRow,
    RejectedRow,
    dedupe_key,
)
from app.core.models import LanguageCode
from app.core.phones import area_code

from .campaigns import get_campaign
from .clock import iso, utcnow
from .column_mapping import check_complete, detect_mapping, resolve_mapping
from .csv_reading import CsvTable, encoding_named, read_csv
from .db import Store, next_versions
from .household_merging import Candidate, store_households
from .languages import read_language
from .phone_reading import PhoneReader
from .row_reading import RowReader

__all__ = [
    "CsvTable",
    "Progress",
    "add_to_campaign",
    "detect_mapping",
    "import_households",
    "preview_import",
    "read_csv",
    "replace_open_list",
]

Progress = Callable[[int, int], None]
Record = tuple[int, int, list[str]]
PROGRESS_EVERY = 1000
SAMPLE_ROWS = 10
# Its name before the split into modules; tests of the fast phone path still use it.
_PhoneReader = PhoneReader

# ---------------------------------------------------------------------------- planning


@dataclass(frozen=True)
class _Reading:
    """How to read a file: its encoding (None: decide from the file) and the defaults for
    phone numbers written without a country or area code."""

    encoding: str | None = None
    default_region: str = "US"
    default_area_code: str | None = None


@dataclass
class _Plan:
    """Phase one's result: the file read, validated and merged within itself."""

    table: CsvTable
    mapping: ColumnMapping
    households: dict[str, Candidate]  # by dedupe key, in file order
    rejected: list[RejectedRow]
    warnings: list[RejectedRow]
    duplicates: list[tuple[int, str]]  # (line, dedupe key) of rows merged with an earlier one


def _table_and_mapping(
    data: bytes, mapping: ColumnMapping | None, encoding: str | None
) -> tuple[CsvTable, ColumnMapping]:
    table = read_csv(data, encoding)
    if mapping is None:
        return table, detect_mapping(table.headers)
    return table, resolve_mapping(mapping, table.headers)


def _row_reader(table: CsvTable, mapping: ColumnMapping, reading: _Reading) -> RowReader:
    return RowReader(
        table.headers,
        mapping,
        default_region=reading.default_region,
        default_area_code=reading.default_area_code,
    )


def _reading_for(
    encoding: str | None, default_region: str, default_area_code: str | None
) -> _Reading:
    """The reading checked before a big file is read for nothing: the encoding is one
    Phonebank reads (UnreadableCsv), the area code one (InvalidPhoneNumber)."""
    try:
        codec = encoding_named(encoding)
    except ValueError as error:
        raise UnreadableCsv(str(error)) from None
    code = area_code(default_area_code, default_region) if default_area_code else None
    return _Reading(codec, default_region, code)


def _read_row(
    reader: RowReader,
    table: CsvTable,
    record: tuple[int, int, list[str]],
    warnings: list[RejectedRow],
) -> Candidate | RejectedRow:
    first, last, fields = record
    unreadable = table.unreadable.get(first)
    if unreadable is not None:
        return RejectedRow(line=first, reason=unreadable, raw=reader.raw(fields))
    return reader.read(first, last, fields, warnings)


def _plan(
    table: CsvTable, mapping: ColumnMapping, reading: _Reading, progress: Progress | None
) -> _Plan:
    reader = _row_reader(table, mapping, reading)
    households: dict[str, Candidate] = {}
    rejected: list[RejectedRow] = []
    warnings: list[RejectedRow] = []
    duplicates: list[tuple[int, str]] = []
    total = len(table.records)
    for done, record in enumerate(table.records, start=1):
        outcome = _read_row(reader, table, record, warnings)
        if isinstance(outcome, RejectedRow):
            rejected.append(outcome)
        else:
            key = dedupe_key(outcome.primary_phone, outcome.name)
            if key in households:
                households[key].absorb(outcome)
                duplicates.append((outcome.line, key))
            else:
                households[key] = outcome
        if progress is not None and done % PROGRESS_EVERY == 0 and done < total:
            progress(done, total)
    return _Plan(table, mapping, households, rejected, warnings, duplicates)


# ---------------------------------------------------------------------------- campaign lists


def add_to_campaign(
    db: sqlite_utils.Database, campaign_id: str, household_ids: Iterable[str]
) -> int:
    """Put households on the campaign's open list: added unassigned, or re-opened if closed.

    A household already open there is left as is (its caller kept). Returns how many were
    added or re-opened.
    """
    current = dict(
        db.execute(
            "SELECT household_id, open FROM campaign_households WHERE campaign_id = ?",
            [campaign_id],
        ).fetchall()
    )
    wanted = list(dict.fromkeys(household_ids))
    # Sorted, the primary key's b-tree fills in order: half the time of random inserts.
    new = sorted(household_id for household_id in wanted if household_id not in current)
    closed = [household_id for household_id in wanted if current.get(household_id) == 0]
    versions = iter(next_versions(db, len(new) + len(closed)))
    now = iso(utcnow())
    added = [(campaign_id, household_id, now, next(versions)) for household_id in new]
    reopened = [(next(versions), campaign_id, household_id) for household_id in closed]
    db.conn.executemany(
        "INSERT INTO campaign_households (campaign_id, household_id, caller_id, added_at, open,"
        " version) VALUES (?, ?, NULL, ?, 1, ?)",
        added,
    )
    db.conn.executemany(
        "UPDATE campaign_households SET open = 1, version = ?"
        " WHERE campaign_id = ? AND household_id = ?",
        reopened,
    )
    return len(added) + len(reopened)


def replace_open_list(
    db: sqlite_utils.Database, campaign_id: str, household_ids: Iterable[str]
) -> tuple[int, int]:
    """Make exactly ``household_ids`` the campaign's open list (today's absences, say).

    Closes (open = 0) every other open row, keeping its caller for continuity, and adds or
    re-opens the given ones. Returns (added or re-opened, closed). Call inside a transaction.
    """
    get_campaign(db, campaign_id)
    wanted = list(dict.fromkeys(household_ids))
    opened = add_to_campaign(db, campaign_id, wanted)
    keep = set(wanted)
    others = [
        household_id
        for (household_id,) in db.execute(
            "SELECT household_id FROM campaign_households WHERE campaign_id = ? AND open = 1",
            [campaign_id],
        ).fetchall()
        if household_id not in keep
    ]
    versions = iter(next_versions(db, len(others)))
    closing = [(next(versions), campaign_id, household_id) for household_id in others]
    db.conn.executemany(
        "UPDATE campaign_households SET open = 0, version = ?"
        " WHERE campaign_id = ? AND household_id = ?",
        closing,
    )
    return opened, len(closing)


# ---------------------------------------------------------------------------- importing


class _GcPause:
    """Pauses the cyclic garbage collector while a big file is loaded.

    An import allocates about ten objects a row that all live to the end; the generational
    collector would rescan them again and again (a third of a 100k-row import's time).
    Nothing is lost, collection is only delayed. Counted, so that overlapping imports in two
    threads turn it back on only when the last one ends.
    """

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.depth = 0
        self.restore = False

    @contextmanager
    def __call__(self) -> Iterator[None]:
        with self.lock:
            if self.depth == 0:
                self.restore = gc.isenabled()
                gc.disable()
            self.depth += 1
        try:
            yield
        finally:
            with self.lock:
                self.depth -= 1
                if self.depth == 0 and self.restore:
                    gc.enable()


_gc_paused = _GcPause()


@contextmanager
def _transaction(target: Store | sqlite_utils.Database) -> Iterator[sqlite_utils.Database]:
    if isinstance(target, Store):
        with target.transaction() as db:
            yield db
    else:
        with target.atomic():
            yield target


@contextmanager
def _reading(target: Store | sqlite_utils.Database) -> Iterator[sqlite_utils.Database]:
    if isinstance(target, Store):
        with target.reading() as db:
            yield db
    else:
        yield target


def import_households(
    target: Store | sqlite_utils.Database,
    data: bytes,
    *,
    campaign_id: str | None,
    mapping: ColumnMapping | None = None,
    default_region: str = "US",
    default_language: LanguageCode = "en",
    default_timezone: str | None = None,
    replace_open: bool = False,
    progress: Progress | None = None,
    encoding: str | None = None,
    default_area_code: str | None = None,
) -> ImportReport:
    """Import the households in CSV ``data``; put them on ``campaign_id``'s list if given.

    The file is read and checked before anything is written; then all of it is stored in
    one transaction (a savepoint when ``target`` is a database already in one). A bad row
    is reported in ``rejected`` and the rest imported; a file that cannot be read at all
    raises UnreadableCsv and stores nothing. ``replace_open`` makes the file the campaign's
    whole open list (see replace_open_list). ``progress(rows_done, rows_total)`` is called
    every 1000 rows and a last time, with rows_done == rows_total, once everything is
    written but before the commit: an exception from it rolls the whole import back.
    ``encoding`` (None: decided from the file) and ``default_area_code`` (put before
    numbers written without one) say how to read the file.
    """
    if replace_open and campaign_id is None:
        raise ValueError("replace_open needs a campaign")
    reading = _reading_for(encoding, default_region, default_area_code)
    default_language = read_language(default_language or "en").tag  # 'Spanish' → es
    if campaign_id is not None:
        with _reading(target) as db:
            get_campaign(db, campaign_id)  # fail before reading a big file
    with _gc_paused():
        table, mapping = _table_and_mapping(data, mapping, reading.encoding)
        check_complete(mapping, table.headers)
        plan = _plan(table, mapping, reading, progress)
        with _transaction(target) as db:
            added = closed = 0
            if campaign_id is not None:
                get_campaign(db, campaign_id)
            stored = store_households(db, plan.households, default_language, default_timezone)
            if campaign_id is not None and replace_open:
                added, closed = replace_open_list(db, campaign_id, stored.household_ids)
            elif campaign_id is not None:
                added = add_to_campaign(db, campaign_id, stored.household_ids)
            if progress is not None:
                progress(len(plan.table.records), len(plan.table.records))
    return ImportReport(
        campaign_id=campaign_id,
        rows_read=len(plan.table.records),
        imported=stored.imported,
        merged=stored.merged,
        added_to_campaign=added,
        closed=closed,
        rejected=plan.rejected,
        warnings=plan.warnings,
        mapping=plan.mapping,
        encoding=plan.table.encoding,
        encoding_label=plan.table.encoding_label,
        delimiter=plan.table.delimiter,
    )


def preview_import(
    data: bytes,
    mapping: ColumnMapping | None = None,
    *,
    default_region: str = "US",
    default_language: LanguageCode = "en",
    default_timezone: str | None = None,
    encoding: str | None = None,
    default_area_code: str | None = None,
    stored: Store | sqlite_utils.Database | None = None,
) -> ImportPreview:
    """What importing ``data`` would do, without writing: the mapping, headers and first
    rows, and every row it would reject or merge (with ``stored`` households too).

    A mapping without a name or phone column is reported in ``missing_columns`` (the
    import itself refuses it) so that a supervisor can fix it.
    """
    reading = _reading_for(encoding, default_region, default_area_code)
    table, mapping = _table_and_mapping(data, mapping, reading.encoding)
    missing = mapping.missing()
    preview = ImportPreview(
        mapping=mapping,
        detected_headers=table.headers,
        missing_columns=missing,
        rows_read=len(table.records),
        encoding=table.encoding,
        encoding_label=table.encoding_label,
        delimiter=table.delimiter,
    )
    if missing:
        return preview
    reader = _row_reader(table, mapping, reading)
    for record in table.records[:SAMPLE_ROWS]:
        first = record[0]
        warnings: list[RejectedRow] = []
        outcome = _read_row(reader, table, record, warnings)
        if isinstance(outcome, RejectedRow):
            preview.sample.append(PreviewRow(line=first, error=outcome.reason))
        else:
            outcome.with_defaults(default_language, default_timezone)
            household = outcome.to_household(f"preview-{first}")
            notes = [warning.reason for warning in warnings]
            preview.sample.append(PreviewRow(line=first, household=household, warnings=notes))
    with _gc_paused():
        plan = _plan(table, mapping, reading, None)
    known = _stored_keys(stored, list(plan.households)) if stored is not None else {}
    merged = [
        MergedRow(
            line=candidate.line,
            name=candidate.name,
            phone=candidate.primary_phone,
            into_household=known[key],
        )
        for key, candidate in plan.households.items()
        if key in known
    ]
    for line, key in plan.duplicates:
        earlier = plan.households[key]
        merged.append(
            MergedRow(
                line=line,
                name=earlier.name,
                phone=earlier.primary_phone,
                into_line=earlier.line,
                into_household=known.get(key),
            )
        )
    preview.merged = sorted(merged, key=lambda row: row.line)
    preview.imported = len(plan.households) - len(known)
    preview.rejected, preview.warnings = plan.rejected, plan.warnings
    return preview


def _stored_keys(target: Store | sqlite_utils.Database, keys: list[str]) -> dict[str, str]:
    """The stored household each of ``keys`` would merge into, by key."""
    found: dict[str, str] = {}
    with _reading(target) as db:
        for start in range(0, len(keys), 500):
            chunk = keys[start : start + 500]
            marks = ", ".join("?" * len(chunk))
            query = f"SELECT dedupe_key, id FROM households WHERE dedupe_key IN ({marks})"
            for key, household_id in db.execute(query, chunk).fetchall():
                found.setdefault(key, household_id)
    return found
