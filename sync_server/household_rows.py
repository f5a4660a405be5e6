"""Households from CSV records: each row validated and normalised into a candidate,
candidates merged with each other and with the stored households, and written."""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cache
from typing import Any
from zoneinfo import available_timezones

import sqlite_utils

from app.core.errors import InvalidPhoneNumber
from app.core.imports import ColumnMapping, RejectedRow, fold, normalise_language
from app.core.models import Household, LanguageCode

from .clock import iso, utcnow
from .column_mapping import header_key, quoted
from .db import next_versions
from .phone_reading import PhoneReader
from .records import household_from_row

__all__ = ["Candidate", "RowReader", "StoredHouseholds", "store_households"]

Phone = tuple[str, str, bool]  # (E.164, label, marked bad)
Person = tuple[str, str, str | None, str | None]  # (name, role, grade, school)
# json.dumps(..., ensure_ascii=False) as records.py writes it, without a new encoder a call.
_json = json.JSONEncoder(ensure_ascii=False).encode


@dataclass(slots=True)
class Candidate:
    """One household as read from rows (or from the database), before it is stored.

    ``language`` and ``timezone`` are None when no row gave one, so that a default never
    overwrites a value already stored.
    """

    line: int = field(compare=False)
    name: str
    phones: list[Phone]
    language: LanguageCode | None = None
    members: list[Person] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    school: str | None = None
    timezone: str | None = None
    address: str | None = None
    external_id: str | None = None
    do_not_call: bool = False
    text_opt_out: bool = False
    rows: int = field(default=1, compare=False)

    def absorb(self, other: Candidate) -> None:
        """Add what ``other`` knows; nothing already here is dropped (flags only turn on)."""
        numbers = {phone[0] for phone in self.phones}
        self.phones.extend(phone for phone in other.phones if phone[0] not in numbers)
        self.tags.extend(tag for tag in other.tags if tag not in self.tags)
        for person in other.members:
            same = next(
                (
                    i
                    for i, known in enumerate(self.members)
                    if known[1] == person[1] and fold(known[0]) == fold(person[0])
                ),
                None,
            )
            if same is None:
                self.members.append(person)
            else:
                known = self.members[same]
                self.members[same] = (
                    known[0],
                    known[1],
                    person[2] or known[2],
                    person[3] or known[3],
                )
        self.language = other.language or self.language
        self.school = other.school or self.school
        self.timezone = other.timezone or self.timezone
        self.address = other.address or self.address
        # The id in the source system is an identity: the first one given is kept.
        self.external_id = self.external_id or other.external_id
        self.do_not_call = self.do_not_call or other.do_not_call
        self.text_opt_out = self.text_opt_out or other.text_opt_out
        self.rows += other.rows

    # from_row/to_row read and write the households columns exactly as records.py does
    # (tests hold them to household_from_row/household_row) without building pydantic
    # models: a 100k-row import would spend seconds validating its own output.
    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Candidate:
        return cls(
            line=0,
            name=row["name"],
            phones=[
                (phone["number"], phone.get("label", "mobile"), bool(phone.get("bad", False)))
                for phone in json.loads(row["phones"])
            ],
            language=row["language"],
            members=[
                (m["name"], m.get("role", "guardian"), m.get("grade"), m.get("school"))
                for m in json.loads(row["members"])
            ],
            tags=json.loads(row["tags"]),
            school=row["school"],
            timezone=row["timezone"],
            address=row["address"],
            external_id=row["external_id"],
            do_not_call=bool(row["do_not_call"]),
            text_opt_out=bool(row["text_opt_out"]),
            rows=0,
        )

    def to_row(self, household_id: str, key: str) -> dict[str, Any]:
        """The households columns but version/created_at/updated_at; defaults applied."""
        return {
            "id": household_id,
            "name": self.name,
            "language": self.language,
            "school": self.school,
            "timezone": self.timezone,
            "address": self.address,
            "external_id": self.external_id,
            "phones": _json(
                [{"number": n, "label": label, "bad": bad} for n, label, bad in self.phones]
            ),
            "members": _json(
                [
                    {"name": name, "role": role, "grade": grade, "school": school}
                    for name, role, grade, school in self.members
                ]
            ),
            "tags": _json(self.tags),
            "do_not_call": int(self.do_not_call),
            "text_opt_out": int(self.text_opt_out),
            "dedupe_key": key,
        }

    def copy(self) -> Candidate:
        return replace(
            self, phones=list(self.phones), members=list(self.members), tags=list(self.tags)
        )

    def with_defaults(self, language: LanguageCode, timezone: str | None) -> Candidate:
        self.language = self.language or language
        self.timezone = self.timezone or timezone
        return self

    def to_household(self, household_id: str) -> Household:
        return household_from_row(self.to_row(household_id, key=""))


_TRUE = frozenset({"y", "yes", "true", "t", "1", "x", "si", "dnc", "on", "checked", "✓", "✔"})
_FALSE = frozenset({"n", "no", "false", "f", "0", "off", "-"})
_ZONE_ALIASES = {
    alias: zone
    for zone, aliases in {
        "America/Los_Angeles": "pacific|pt|pst|pdt",
        "America/Denver": "mountain|mt|mst|mdt",
        "America/Phoenix": "arizona",
        "America/Chicago": "central|ct|cst|cdt",
        "America/New_York": "eastern|et|est|edt",
        "America/Anchorage": "alaska|akst|akdt",
        "Pacific/Honolulu": "hawaii|hst",
    }.items()
    for alias in aliases.split("|")
}


@cache
def _zones() -> dict[str, str]:
    return {zone.casefold(): zone for zone in available_timezones()}


def _phone_label(header: str) -> str:
    key = header_key(header)
    for words, label in (
        (("home", "casa"), "home"),
        (("work", "trabajo", "office"), "work"),
        (("cell", "mobile", "celular", "movil", "whatsapp"), "mobile"),
    ):
        if any(word in key for word in words):
            return label
    return "phone"


_SEVERAL_PHONES = re.compile(r"[;,\n]")
_SEVERAL_NAMES = re.compile(r"[;\n]")
_SEVERAL_TAGS = re.compile(r"[;,]")


def _tag(text: str) -> str:
    return "-".join(text.casefold().split())


def _clean(text: str) -> str:
    return " ".join(text.split())


class RowReader:
    """Turns one CSV record into a household candidate, or a reason it cannot be one."""

    def __init__(self, headers: list[str], mapping: ColumnMapping, *, default_region: str) -> None:
        position = {header: i for i, header in enumerate(headers)}

        def at(column: str | None) -> int | None:
            return position[column] if column else None

        self.headers = headers
        self.mapping = mapping
        self.name, self.guardian = at(mapping.name), at(mapping.guardian_name)
        self.guardian_first = at(mapping.guardian_first_name)
        self.guardian_last = at(mapping.guardian_last_name)
        self.students = [position[column] for column in mapping.students]
        self.student_last = at(mapping.student_last_name)
        self.phones = [(position[c], c, _phone_label(c)) for c in mapping.phones]
        self.tags = [position[column] for column in mapping.tags]
        self.language, self.school = at(mapping.language), at(mapping.school)
        self.timezone, self.address = at(mapping.timezone), at(mapping.address)
        self.external_id, self.grade = at(mapping.external_id), at(mapping.grade)
        self.do_not_call, self.text_opt_out = at(mapping.do_not_call), at(mapping.text_opt_out)
        self.phone = PhoneReader(default_region)
        self.languages: dict[str, LanguageCode | None] = {}

    def raw(self, fields: list[str]) -> dict[str, str]:
        raw = dict(zip(self.headers, fields, strict=False))
        raw.update({f"(extra {i})": v for i, v in enumerate(fields[len(self.headers) :], 1)})
        return raw

    def read(
        self, first: int, last: int, fields: list[str], warnings: list[RejectedRow]
    ) -> Candidate | RejectedRow:
        """A candidate (appending to ``warnings`` what was left out) or the rejection."""
        width = len(self.headers)
        if len(fields) != width:
            if len(fields) < width or any(value.strip() for value in fields[width:]):
                reason = f"row has {len(fields)} fields, header has {width}"
                if last > first:
                    reason += (
                        f" (the row runs from line {first} to {last}: is a closing quote missing?)"
                    )
                return RejectedRow(line=first, reason=reason, raw=self.raw(fields))
            fields = fields[:width]

        def value(index: int | None) -> str:
            return fields[index].strip() if index is not None else ""

        def reject(reason: str) -> RejectedRow:
            return RejectedRow(line=first, reason=reason, raw=self.raw(fields))

        def warn(reason: str) -> None:
            warnings.append(RejectedRow(line=first, reason=reason, raw=self.raw(fields)))

        # Names have their inner runs of spaces collapsed; other values are only trimmed.
        family = _clean(value(self.name) or value(self.guardian_last))
        guardian = named_guardian = _clean(value(self.guardian))
        if not guardian and value(self.guardian_first):
            surname = value(self.guardian_last) or family
            guardian = _clean(f"{value(self.guardian_first)} {surname}")
        # A first name alone does not name a household.
        name = family or named_guardian or _clean(value(self.student_last))
        if not name:
            columns = [
                c
                for c in (
                    self.mapping.name,
                    self.mapping.guardian_last_name,
                    self.mapping.guardian_name,
                    self.mapping.student_last_name,
                )
                if c
            ]
            return reject(f"no family name: {_empty(columns)}")

        phones: list[Phone] = []
        problems: list[str] = []
        for index, column, label in self.phones:
            for raw in _SEVERAL_PHONES.split(fields[index]):
                if not raw.strip():
                    continue
                try:
                    number = self.phone(raw.strip())
                except InvalidPhoneNumber as error:
                    problems.append(f"column {column!r}: {error.message}")
                    continue
                if all(number != known[0] for known in phones):
                    phones.append((number, label, False))
        if not phones:
            if problems:
                return reject(f"no valid phone number — {'; '.join(problems)}")
            return reject(f"no phone number: {_empty(self.mapping.phones)}")
        for problem in problems:
            warn(f"{problem}; the row was imported without that number")

        school, grade = value(self.school) or None, value(self.grade) or None
        members: list[Person] = [(guardian, "guardian", None, None)] if guardian else []
        student_last = _clean(value(self.student_last))
        for index in self.students:
            for student in _SEVERAL_NAMES.split(fields[index]):
                if student.strip():
                    full = f"{student} {student_last}" if student_last else student
                    members.append((_clean(full), "student", grade, school))

        tags: list[str] = []
        for index in self.tags:
            for text in _SEVERAL_TAGS.split(fields[index]):
                tag = _tag(text)
                if tag and tag not in tags:
                    tags.append(tag)

        timezone = value(self.timezone) or None
        if timezone is not None:
            zone = _zones().get(_ZONE_ALIASES.get(timezone.casefold(), timezone).casefold())
            if zone is None:
                warn(
                    f"column {self.mapping.timezone!r}: {timezone!r} is not a time zone "
                    "(e.g. America/Los_Angeles); the campaign's zone will be used"
                )
            timezone = zone

        return Candidate(
            line=first,
            name=name,
            phones=phones,
            language=self._language(value(self.language)),
            members=members,
            tags=tags,
            school=school,
            timezone=timezone,
            address=value(self.address) or None,
            external_id=value(self.external_id) or None,
            do_not_call=self._flag(value(self.do_not_call), self.mapping.do_not_call, warn),
            text_opt_out=self._flag(value(self.text_opt_out), self.mapping.text_opt_out, warn),
        )

    def _language(self, text: str) -> LanguageCode | None:
        if text not in self.languages:
            self.languages[text] = normalise_language(text, "") or None
        return self.languages[text]

    @staticmethod
    def _flag(text: str, column: str | None, warn: Callable[[str], None]) -> bool:
        folded = fold(text) if text else ""
        if folded in _FALSE or not folded:
            return False
        if folded not in _TRUE:
            # A stray value in a do-not-call column errs on the side of not calling.
            warn(f"column {column!r}: {text!r} read as yes")
        return True


def _empty(columns: list[str]) -> str:
    if not columns:
        return "no column for it"
    if len(columns) == 1:
        return f"column {columns[0]!r} is empty"
    return f"columns {quoted(columns)} are empty"


# ---------------------------------------------------------------------------- storing

_HOUSEHOLD_COLUMNS = [
    "id", "name", "phones", "language", "members", "tags", "school", "timezone", "address",
    "external_id", "do_not_call", "text_opt_out", "dedupe_key", "version", "created_at",
    "updated_at",
]  # fmt: skip
_INSERT_HOUSEHOLD = (
    f"INSERT INTO households ({', '.join(_HOUSEHOLD_COLUMNS)}) "
    f"VALUES ({', '.join(':' + column for column in _HOUSEHOLD_COLUMNS)})"
)
_UPDATE_HOUSEHOLD = (
    "UPDATE households SET "
    + ", ".join(f"{c} = :{c}" for c in _HOUSEHOLD_COLUMNS if c not in ("id", "created_at"))
    + " WHERE id = :id"
)


def _stored_rows(db: sqlite_utils.Database, ids: list[str]) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ", ".join("?" * len(chunk))
        for row in db.query(f"SELECT * FROM households WHERE id IN ({marks})", chunk):
            found[row["id"]] = row
    return found


@dataclass
class StoredHouseholds:
    """What store_households did: households new and merged, and each one's id in order."""

    imported: int = 0
    merged: int = 0
    household_ids: list[str] = field(default_factory=list)


def store_households(
    db: sqlite_utils.Database,
    households: dict[str, Candidate],
    default_language: LanguageCode,
    default_timezone: str | None,
) -> StoredHouseholds:
    """Merge ``households`` (by dedupe key) into the stored ones and write them; call inside
    a transaction."""
    known: dict[str, str] = {}
    for key, household_id in db.execute("SELECT dedupe_key, id FROM households ORDER BY rowid"):
        known.setdefault(key, household_id)
    matched = {key: known[key] for key in households if key in known}
    stored = _stored_rows(db, list(dict.fromkeys(matched.values())))
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    result = StoredHouseholds()
    for key, candidate in households.items():
        household_id = matched.get(key)
        if household_id is None:
            household_id = str(uuid.uuid4())
            candidate.with_defaults(default_language, default_timezone)
            inserts.append(candidate.to_row(household_id, key))
            result.imported += 1
            result.merged += candidate.rows - 1
        else:
            row = stored[household_id]
            before = Candidate.from_row(row)
            combined = before.copy()
            combined.absorb(candidate)
            combined.with_defaults(default_language, default_timezone)
            if combined != before:
                updates.append(combined.to_row(household_id, row["dedupe_key"]))
            result.merged += candidate.rows
        result.household_ids.append(household_id)
    # In primary key order the key's b-tree fills page by page instead of at random.
    inserts.sort(key=lambda row: row["id"])
    now = iso(utcnow())
    versions = iter(next_versions(db, len(inserts) + len(updates)))
    for row in inserts:
        row.update(version=next(versions), created_at=now, updated_at=now)
    for row in updates:
        row.update(version=next(versions), updated_at=now)
    db.conn.executemany(_INSERT_HOUSEHOLD, inserts)
    db.conn.executemany(_UPDATE_HOUSEHOLD, updates)
    return result
