"""Households from a supervisor's CSV: read any common encoding and delimiter, map columns,
normalise phones and languages, merge duplicates, and store the lot in one transaction.

Work happens in two phases so a big file holds the database lock only briefly: every row is
read and validated in Python first (no SQL), then one transaction merges against stored
households (their dedupe keys loaded once) and writes with ``executemany``.
"""

from __future__ import annotations

import codecs
import csv
import gc
import io
import json
import re
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import cache
from typing import Any
from zoneinfo import available_timezones

import phonenumbers
import sqlite_utils

from app.core.errors import InvalidPhoneNumber, UnreadableCsv
from app.core.imports import (
    ColumnMapping,
    ImportPreview,
    ImportReport,
    PreviewRow,
    RejectedRow,
    dedupe_key,
    fold,
    normalise_language,
)
from app.core.models import Household, LanguageCode
from app.core.phones import normalise_phone

from .campaigns import get_campaign
from .clock import iso, utcnow
from .db import Store
from .records import household_from_row

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
PROGRESS_EVERY = 1000
SAMPLE_ROWS = 10

# ---------------------------------------------------------------------------- reading


@dataclass
class CsvTable:
    """A decoded CSV: its header and its non-blank records with their physical lines."""

    encoding: str
    delimiter: str
    headers: list[str]
    records: list[tuple[int, int, list[str]]] = field(default_factory=list)
    """(first line, last line, fields); a quoted field can run over several lines."""


_BINARY_KINDS = [
    (b"PK\x03\x04", "an Excel workbook (.xlsx) or another zip file"),
    (b"\xd0\xcf\x11\xe0", "an old Excel workbook (.xls)"),
    (b"%PDF", "a PDF"),
]


def _decode(data: bytes) -> tuple[str, str]:
    """The text and the encoding used: UTF-8 (BOM or not), UTF-16 with BOM, else cp1252."""
    for magic, kind in _BINARY_KINDS:
        if data.startswith(magic):
            raise UnreadableCsv(f"This file looks like {kind}, not a CSV; save it as CSV first")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as error:
            raise UnreadableCsv(f"This file starts like UTF-16 but is not: {error}") from error
    if b"\x00" in data:
        raise UnreadableCsv("This file has binary content (NUL bytes); it is not a CSV")
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data[len(codecs.BOM_UTF8) :].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as error:
            raise UnreadableCsv(f"This file starts like UTF-8 but is not: {error}") from error
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        # cp1252 leaves five bytes undefined; Latin-1 reads every byte.
        return data.decode("latin-1"), "latin-1"


def _detect_delimiter(line: str) -> str:
    """The most frequent of , ; and tab outside quotes in the header line (comma on a tie)."""
    counts = dict.fromkeys(",;\t", 0)
    quoted = False
    for char in line:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(counts, key=counts.__getitem__)
    return best if counts[best] else ","


def _unique_headers(raw: list[str]) -> list[str]:
    headers: list[str] = []
    for position, text in enumerate(raw, start=1):
        name = " ".join(text.replace("\ufeff", "").split()) or f"Column {position}"
        candidate, copy = name, 2
        while candidate in headers:
            candidate, copy = f"{name} ({copy})", copy + 1
        headers.append(candidate)
    return headers


def read_csv(data: bytes) -> CsvTable:
    """Decode ``data`` and split it into a header and records; UnreadableCsv when impossible.

    Duplicate headers get a suffix (``Phone``, ``Phone (2)``), empty ones a name
    (``Column 4``); blank lines, and lines of empty fields only, are skipped.
    """
    text, encoding = _decode(data)
    if not text.strip():
        raise UnreadableCsv("The file is empty")
    first_line = next(line for line in text.splitlines() if line.strip())
    delimiter = _detect_delimiter(first_line)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    headers: list[str] | None = None
    records: list[tuple[int, int, list[str]]] = []
    previous = 0
    try:
        for fields in reader:
            first, previous = previous + 1, reader.line_num
            if not any(value.strip() for value in fields):
                continue
            if headers is None:
                headers = _unique_headers(fields)
            else:
                records.append((first, previous, fields))
    except csv.Error as error:
        raise UnreadableCsv(f"Line {previous + 1} cannot be read: {error}") from error
    if headers is None:
        raise UnreadableCsv("The file has no header row: every line is empty")
    return CsvTable(encoding=encoding, delimiter=delimiter, headers=headers, records=records)


# ---------------------------------------------------------------------------- mapping


def _header_key(header: str) -> str:
    """'Teléfono #', 'telefono' and 'TELEFONO_' all read 'telefono'."""
    return "".join(char for char in fold(header) if char.isalnum())


def _keys(headers: str) -> frozenset[str]:
    return frozenset(_header_key(header) for header in headers.split("|"))


# Headers as a supervisor's file may spell them, '|'-separated; case, accents, spaces and
# punctuation do not matter. Each header names at most one field; for a single field the
# first such header in the file wins.
_SINGLE_FIELDS: dict[str, frozenset[str]] = {
    field_name: _keys(headers)
    for field_name, headers in {
        "name": "Family Name|Last Name|Surname|Name|Family|Household|Household Name|"
        "Family Last Name|Apellido|Apellidos|Familia|Nombre de familia|Apellido de familia",
        "guardian_name": "Guardian|Guardian Name|Parent|Parent Name|Parent/Guardian|"
        "Parent Guardian Name|Parent or Guardian|Guardian 1|Guardian 1 Name|Parent 1|"
        "Parent 1 Name|Contact|Contact Name|Primary Contact|Mother|Father|Mother Name|"
        "Father Name|Padre|Madre|Padre/Madre|Padre o Madre|Padre/Madre/Tutor|Tutor|Tutora|"
        "Nombre del tutor|Nombre del padre|Nombre de la madre|Responsable",
        "guardian_first_name": "First Name|First|Given Name|Nombre|Parent First Name|"
        "Guardian First Name|Parent/Guardian First Name|Contact First Name",
        "guardian_last_name": "Parent Last Name|Guardian Last Name|Parent/Guardian Last Name|"
        "Contact Last Name|Apellido del padre|Apellido del tutor",
        "student_last_name": "Student Last Name|Apellido del estudiante|Apellido del alumno",
        "language": "Language|Home Language|Idioma|Preferred Language|Primary Language|"
        "Language Spoken|Lang|Lengua|Idioma preferido|Idioma del hogar|Idioma de casa|"
        "Parent Language|Family Language|Correspondence Language|Language Preference",
        "school": "School|School Name|Escuela|Site|Campus|Colegio|Nombre de la escuela",
        "timezone": "Timezone|Time Zone|TZ|Zona horaria",
        "address": "Address|Home Address|Street Address|Mailing Address|Residential Address|"
        "Dirección|Domicilio",
        "external_id": "Student ID|Student Number|Family ID|Household ID|External ID|ID|SID|"
        "Local ID|State ID|ID del estudiante|ID de estudiante|Número de estudiante|"
        "ID de familia",
        "do_not_call": "Do Not Call|DNC|No llamar|No Call|No Calls",
        "text_opt_out": "Text Opt Out|SMS Opt Out|No Text|No Texts|Opt Out Text|"
        "Opted Out of Texts|No SMS|No mensajes|No textos",
        "grade": "Grade|Grade Level|Grado|Curso|Year Level|Student Grade",
    }.items()
}
_LIST_FIELDS: dict[str, frozenset[str]] = {
    "students": _keys(
        "Student|Student Name|Students|Student Names|Student First Name|Student Full Name|"
        "Child|Child Name|Children|Estudiante|Estudiantes|Nombre del estudiante|Alumno|"
        "Alumna|Nombre del alumno|Hijo|Hijos|Student 1|Student 2|Student 3"
    ),
    "tags": _keys("Needs|Need|Tags|Tag|Necesidades|Necesidad|Etiquetas|Etiqueta|Flags"),
}
# 'Phone', 'Home Phone', 'Parent Cell', 'Teléfono 2', 'Mobile Number', 'Celular'…
_PHONE_HEADER = re.compile(
    r"^[a-z0-9]*?(?:phone|tel|telephone|cell|mobile|telefono|celular|movil|whatsapp)"
    r"(?:phone|number|num|no|decasa|detrabajo|celular|movil)?[0-9]*$"
)
_NOT_PHONE = ("optout", "type", "consent", "donot", "ext")


def detect_mapping(headers: list[str]) -> ColumnMapping:
    """Guess each field's column from common English and Spanish headers."""
    singles: dict[str, str] = {}
    lists: dict[str, list[str]] = {}
    for header in headers:
        key = _header_key(header)
        single = next((f for f, keys in _SINGLE_FIELDS.items() if key in keys), None)
        listed = next((f for f, keys in _LIST_FIELDS.items() if key in keys), None)
        if single is not None:
            singles.setdefault(single, header)
        elif listed is not None:
            lists.setdefault(listed, []).append(header)
        elif _PHONE_HEADER.match(key) and not any(word in key for word in _NOT_PHONE):
            lists.setdefault("phones", []).append(header)
    return ColumnMapping.model_validate({**singles, **lists})


def _resolve_mapping(mapping: ColumnMapping, headers: list[str]) -> ColumnMapping:
    """The caller's mapping with each column named exactly as in the file."""
    by_key: dict[str, str] = {}
    for header in headers:
        by_key.setdefault(_header_key(header), header)
    unknown: list[str] = []

    def find(column: str) -> str:
        if column in headers:
            return column
        hit = by_key.get(_header_key(column))
        if hit is None:
            unknown.append(column)
        return hit or column

    resolved = {
        name: [find(column) for column in value]
        if isinstance(value, list)
        else (find(value) if value else None)
        for name, value in mapping.model_dump().items()
    }
    if unknown:
        raise UnreadableCsv(
            f"The column mapping names {_quoted(unknown)}, not in the file. "
            f"Headers found: {_quoted(headers)}"
        )
    return ColumnMapping.model_validate(resolved)


def _quoted(names: Iterable[str]) -> str:
    return ", ".join(repr(name) for name in names)


def _check_complete(mapping: ColumnMapping, headers: list[str]) -> None:
    needs = {
        "name": "no column for the family name (e.g. 'Family Name', 'Last Name', 'Apellido')",
        "phone": "no phone column (e.g. 'Phone', 'Cell', 'Teléfono')",
    }
    missing = [needs[need] for need in mapping.missing()]
    if missing:
        raise UnreadableCsv(
            f"The file has {' and '.join(missing)}. Headers found: {_quoted(headers)}. "
            "Is the first line a header row? Otherwise say which column is which."
        )


# ---------------------------------------------------------------------------- rows

Phone = tuple[str, str, bool]  # (E.164, label, marked bad)
Person = tuple[str, str, str | None, str | None]  # (name, role, grade, school)
# json.dumps(..., ensure_ascii=False) as records.py writes it, without a new encoder a call.
_json = json.JSONEncoder(ensure_ascii=False).encode


@dataclass(slots=True)
class _Candidate:
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

    def absorb(self, other: _Candidate) -> None:
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
    def from_row(cls, row: dict[str, Any]) -> _Candidate:
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

    def copy(self) -> _Candidate:
        return replace(
            self, phones=list(self.phones), members=list(self.members), tags=list(self.tags)
        )

    def with_defaults(self, language: LanguageCode, timezone: str | None) -> _Candidate:
        self.language = self.language or language
        self.timezone = self.timezone or timezone
        return self

    def to_household(self, household_id: str) -> Household:
        return household_from_row(self.to_row(household_id, key=""))


# A plain NANP number: '(510) 555-0123', '510.555.0123', '+1 510 555 0123', '1-510-555-0123'.
_PLAIN_NANP = re.compile(r"^(\+?1)?[\s.-]*\(?([2-9]\d\d)\)?[\s.-]*(\d{3})[\s.-]*(\d{4})$")


@cache
def _us_rule() -> tuple[re.Pattern[str], list[re.Pattern[str]]]:
    """phonenumbers' own test of a 10-digit US number, compiled once from its metadata.

    is_valid_number_for_region(number, "US") holds when the national number matches the
    general pattern and that of any number type; calling it costs ~15 µs a number in
    Python-level overhead, this ~2 µs. Tests hold the two to the same answers.
    """
    metadata = phonenumbers.PhoneMetadata.metadata_for_region("US")
    assert metadata is not None and metadata.general_desc is not None
    general = metadata.general_desc.national_number_pattern or "$^"
    kinds = [
        metadata.premium_rate, metadata.toll_free, metadata.shared_cost, metadata.voip,
        metadata.personal_number, metadata.pager, metadata.uan, metadata.voicemail,
        metadata.fixed_line, metadata.mobile,
    ]  # fmt: skip
    patterns = [
        re.compile(kind.national_number_pattern)
        for kind in kinds
        if kind is not None
        and kind.national_number_pattern
        and (not kind.possible_length or 10 in kind.possible_length)
    ]
    return re.compile(general), patterns


class _PhoneReader:
    """normalise_phone with a fast path for plain North American numbers, and a cache."""

    def __init__(self, region: str) -> None:
        self.region = region
        self.nanp_region = phonenumbers.country_code_for_region(region) == 1
        self.known: dict[str, str | InvalidPhoneNumber] = {}

    def __call__(self, raw: str) -> str:
        result = self.known.get(raw)
        if result is None:
            try:
                result = self._normalise(raw)
            except InvalidPhoneNumber as error:
                result = error
            self.known[raw] = result
        if isinstance(result, InvalidPhoneNumber):
            raise result
        return result

    def _normalise(self, raw: str) -> str:
        # parse() plus the search over 25 NANP regions is ~75 µs a number; a plain number
        # valid in the US is valid, whatever region parses it. Anything else (other
        # formats, other NANP countries, invalid numbers and their messages) takes the
        # full path.
        plain = _PLAIN_NANP.match(raw)
        if plain and (self.nanp_region or plain.group(1) == "+1"):
            digits = "".join(plain.group(2, 3, 4))
            general, kinds = _us_rule()
            if general.fullmatch(digits) and any(kind.fullmatch(digits) for kind in kinds):
                return f"+1{digits}"
        return normalise_phone(raw, self.region)


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
    key = _header_key(header)
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


class _RowReader:
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
        self.phone = _PhoneReader(default_region)
        self.languages: dict[str, LanguageCode | None] = {}

    def raw(self, fields: list[str]) -> dict[str, str]:
        raw = dict(zip(self.headers, fields, strict=False))
        raw.update({f"(extra {i})": v for i, v in enumerate(fields[len(self.headers) :], 1)})
        return raw

    def read(
        self, first: int, last: int, fields: list[str], warnings: list[RejectedRow]
    ) -> _Candidate | RejectedRow:
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

        return _Candidate(
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
    return f"columns {_quoted(columns)} are empty"


# ---------------------------------------------------------------------------- planning


@dataclass
class _Plan:
    """Phase one's result: the file read, validated and merged within itself."""

    table: CsvTable
    mapping: ColumnMapping
    households: dict[str, _Candidate]  # by dedupe key, in file order
    rejected: list[RejectedRow]
    warnings: list[RejectedRow]


def _table_and_mapping(
    data: bytes, mapping: ColumnMapping | None
) -> tuple[CsvTable, ColumnMapping]:
    table = read_csv(data)
    if mapping is None:
        return table, detect_mapping(table.headers)
    return table, _resolve_mapping(mapping, table.headers)


def _plan(
    data: bytes, mapping: ColumnMapping | None, default_region: str, progress: Progress | None
) -> _Plan:
    table, mapping = _table_and_mapping(data, mapping)
    _check_complete(mapping, table.headers)
    reader = _RowReader(table.headers, mapping, default_region=default_region)
    households: dict[str, _Candidate] = {}
    rejected: list[RejectedRow] = []
    warnings: list[RejectedRow] = []
    total = len(table.records)
    for done, (first, last, fields) in enumerate(table.records, start=1):
        outcome = reader.read(first, last, fields, warnings)
        if isinstance(outcome, RejectedRow):
            rejected.append(outcome)
        else:
            key = dedupe_key(outcome.phones[0][0], outcome.name)
            if key in households:
                households[key].absorb(outcome)
            else:
                households[key] = outcome
        if progress is not None and done % PROGRESS_EVERY == 0 and done < total:
            progress(done, total)
    return _Plan(table, mapping, households, rejected, warnings)


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


def _new_versions(db: sqlite_utils.Database, count: int) -> Iterator[int]:
    """``count`` fresh versions in one statement: the same numbers ``count`` calls of
    next_version(db) would give, without 100k round trips."""
    if count == 0:
        return iter(())
    top = db.execute(
        "UPDATE version_counter SET value = value + ? WHERE id = 1 RETURNING value", [count]
    ).fetchone()[0]
    return iter(range(top - count + 1, top + 1))


@dataclass
class _Stored:
    imported: int = 0
    merged: int = 0
    household_ids: list[str] = field(default_factory=list)


def _store(
    db: sqlite_utils.Database,
    plan: _Plan,
    default_language: LanguageCode,
    default_timezone: str | None,
) -> _Stored:
    """Merge the plan into the stored households and write it; call inside a transaction."""
    known: dict[str, str] = {}
    for key, household_id in db.execute("SELECT dedupe_key, id FROM households ORDER BY rowid"):
        known.setdefault(key, household_id)
    matched = {key: known[key] for key in plan.households if key in known}
    stored = _stored_rows(db, list(dict.fromkeys(matched.values())))
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    result = _Stored()
    for key, candidate in plan.households.items():
        household_id = matched.get(key)
        if household_id is None:
            household_id = str(uuid.uuid4())
            candidate.with_defaults(default_language, default_timezone)
            inserts.append(candidate.to_row(household_id, key))
            result.imported += 1
            result.merged += candidate.rows - 1
        else:
            row = stored[household_id]
            before = _Candidate.from_row(row)
            combined = before.copy()
            combined.absorb(candidate)
            combined.with_defaults(default_language, default_timezone)
            if combined != before:
                updates.append(combined.to_row(household_id, row["dedupe_key"]))
            result.merged += candidate.rows
        result.household_ids.append(household_id)
    now = iso(utcnow())
    versions = _new_versions(db, len(inserts) + len(updates))
    for row in inserts:
        row.update(version=next(versions), created_at=now, updated_at=now)
    for row in updates:
        row.update(version=next(versions), updated_at=now)
    db.conn.executemany(_INSERT_HOUSEHOLD, inserts)
    db.conn.executemany(_UPDATE_HOUSEHOLD, updates)
    return result


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
    new = [household_id for household_id in wanted if household_id not in current]
    closed = [household_id for household_id in wanted if current.get(household_id) == 0]
    versions = _new_versions(db, len(new) + len(closed))
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
    versions = _new_versions(db, len(others))
    closing = [(next(versions), campaign_id, household_id) for household_id in others]
    db.conn.executemany(
        "UPDATE campaign_households SET open = 0, version = ?"
        " WHERE campaign_id = ? AND household_id = ?",
        closing,
    )
    return opened, len(closing)


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
) -> ImportReport:
    """Import the households in CSV ``data``; put them on ``campaign_id``'s list if given.

    The file is read and checked before anything is written; then all of it is stored in
    one transaction (a savepoint when ``target`` is a database already in one). A bad row
    is reported in ``rejected`` and the rest imported; a file that cannot be read at all
    raises UnreadableCsv and stores nothing. ``replace_open`` makes the file the campaign's
    whole open list (see replace_open_list). ``progress(rows_done, rows_total)`` is called
    every 1000 rows and a last time, with rows_done == rows_total, once everything is
    written but before the commit: an exception from it rolls the whole import back.
    """
    if replace_open and campaign_id is None:
        raise ValueError("replace_open needs a campaign")
    if campaign_id is not None:
        with _reading(target) as db:
            get_campaign(db, campaign_id)  # fail before reading a big file
    with _gc_paused():
        plan = _plan(data, mapping, default_region, progress)
        with _transaction(target) as db:
            added = closed = 0
            if campaign_id is not None:
                get_campaign(db, campaign_id)
            stored = _store(db, plan, default_language, default_timezone)
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
        delimiter=plan.table.delimiter,
    )


def preview_import(
    data: bytes,
    mapping: ColumnMapping | None = None,
    *,
    default_region: str = "US",
    default_language: LanguageCode = "en",
    default_timezone: str | None = None,
) -> ImportPreview:
    """What importing ``data`` would read: the mapping, headers and first rows. No writes.

    A mapping without a name or phone column is reported in ``missing_columns`` (the
    import itself refuses it) so that a supervisor can fix it.
    """
    table, mapping = _table_and_mapping(data, mapping)
    missing = mapping.missing()
    sample: list[PreviewRow] = []
    if not missing:
        reader = _RowReader(table.headers, mapping, default_region=default_region)
        for first, last, fields in table.records[:SAMPLE_ROWS]:
            warnings: list[RejectedRow] = []
            outcome = reader.read(first, last, fields, warnings)
            if isinstance(outcome, RejectedRow):
                sample.append(PreviewRow(line=first, error=outcome.reason))
            else:
                outcome.with_defaults(default_language, default_timezone)
                household = outcome.to_household(f"preview-{first}")
                notes = [warning.reason for warning in warnings]
                sample.append(PreviewRow(line=first, household=household, warnings=notes))
    return ImportPreview(
        mapping=mapping,
        detected_headers=table.headers,
        missing_columns=missing,
        sample=sample,
        rows_read=len(table.records),
        encoding=table.encoding,
        delimiter=table.delimiter,
    )
