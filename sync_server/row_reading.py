"""One CSV record to a household candidate, or the reason it cannot be one.

The household's name, people and phones are composed from several columns (ComposedColumns);
every other column feeds the household field of its name, read by that field's type (text,
yes/no), so a field added to the model with FromCsv is read with no code here.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import cache
from typing import Any
from zoneinfo import available_timezones

from pydantic import BaseModel

from app.core.errors import InvalidPhoneNumber
from app.core.field_roles import FromCsv, fields_marked
from app.core.imports import ColumnMapping, RejectedRow, fold
from app.core.limits import max_chars, max_items
from app.core.models import Household, LanguageCode, Member

from .column_mapping import header_key, quoted
from .household_merging import Candidate
from .languages import LanguageReading, read_language
from .phone_reading import PhoneReader

__all__ = ["RowReader"]

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


# Household fields with a reader of their own below; any other field read from the CSV is
# text or yes/no, read by its type.
_OWN_READERS = ("language", "timezone", "tags")
_PLAIN_FIELDS = [name for name in fields_marked(Household, FromCsv) if name not in _OWN_READERS]
for _name in _PLAIN_FIELDS:
    if Household.model_fields[_name].annotation is not bool and not max_chars(Household, _name):
        raise TypeError(f"Household.{_name}: the importer reads text (with a limit) or yes/no")


# How long a value may be and how many of a kind a household holds, as the models say:
# the importer builds households without validating them, so it checks these itself.
def _most(model: type[BaseModel], field: str, *, items: bool = False) -> int:
    limit = max_items(model, field) if items else max_chars(model, field)
    if limit is None:
        raise TypeError(f"{model.__name__}.{field} declares no maximum")
    return limit


_NAME_CHARS = _most(Household, "name")
_PERSON_CHARS = _most(Member, "name")
_GRADE_CHARS = _most(Member, "grade")
_SCHOOL_CHARS = _most(Member, "school")
_TAG_CHARS = _most(Household, "tags")
_LANGUAGE_CHARS = _most(Household, "language")
_MAX_PHONES = _most(Household, "phones", items=True)
_MAX_MEMBERS = _most(Household, "members", items=True)
_MAX_TAGS = _most(Household, "tags", items=True)


class RowReader:
    """Turns one CSV record into a household candidate, or a reason it cannot be one."""

    def __init__(
        self,
        headers: list[str],
        mapping: ColumnMapping,
        *,
        default_region: str,
        default_area_code: str | None = None,
    ) -> None:
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
        self.grade, self.school = at(mapping.grade), at(mapping.column_for("school"))
        self.tags = [position[column] for column in mapping.columns_for("tags")]
        self.language = at(mapping.column_for("language"))
        self.timezone = at(mapping.column_for("timezone"))
        # (field, index, column, whether yes/no, most characters) for each plain field here
        self.plain = [
            (
                name,
                position[column],
                column,
                Household.model_fields[name].annotation is bool,
                max_chars(Household, name) or 0,
            )
            for name in _PLAIN_FIELDS
            if (column := mapping.column_for(name))
        ]
        self.school_column = mapping.column_for("school")
        self.tag_columns = mapping.columns_for("tags")
        self.phone = PhoneReader(default_region, default_area_code)
        self.languages: dict[str, LanguageReading] = {}

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
        name_column = (
            (self.mapping.name if value(self.name) else self.mapping.guardian_last_name)
            if family
            else self.mapping.guardian_name
            if named_guardian
            else self.mapping.student_last_name
        )
        if problem := _too_long(name, _NAME_CHARS, name_column):
            return reject(problem)

        phones: list[dict[str, Any]] = []
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
                if all(number != known["number"] for known in phones):
                    phones.append({"number": number, "label": label, "bad": False})
        if problem := _too_many(len(phones), _MAX_PHONES, "phone numbers", self.mapping.phones):
            return reject(problem)
        if not phones:
            if problems:
                return reject(f"no valid phone number — {'; '.join(problems)}")
            return reject(f"no phone number: {_empty(self.mapping.phones)}")
        for problem in problems:
            warn(f"{problem}; the row was imported without that number")
        household: dict[str, Any] = {"name": name, "phones": phones}

        school, grade = value(self.school) or None, value(self.grade) or None
        guardian_columns: list[str | None] = (
            [self.mapping.guardian_name]
            if named_guardian
            else [
                self.mapping.guardian_first_name,
                self.mapping.guardian_last_name or self.mapping.name,
            ]
        )
        checks: list[tuple[str, int, list[str | None]]] = [
            (guardian, _PERSON_CHARS, guardian_columns),
            (school or "", _SCHOOL_CHARS, [self.school_column]),
            (grade or "", _GRADE_CHARS, [self.mapping.grade]),
        ]
        members = [_person(guardian, "guardian", None, None)] if guardian else []
        student_last = _clean(value(self.student_last))
        for index, column in zip(self.students, self.mapping.students, strict=True):
            for student in _SEVERAL_NAMES.split(fields[index]):
                if student.strip():
                    full = _clean(f"{student} {student_last}" if student_last else student)
                    checks.append((full, _PERSON_CHARS, [column, self.mapping.student_last_name]))
                    members.append(_person(full, "student", grade, school))
        for text, limit, sources in checks:
            if len(text) > limit and (problem := _too_long(text, limit, *sources)):
                return reject(problem)
        people = [*guardian_columns, *self.mapping.students]
        if problem := _too_many(len(members), _MAX_MEMBERS, "people", people):
            return reject(problem)
        if members:
            household["members"] = members

        tags: list[str] = []
        for index, column in zip(self.tags, self.tag_columns, strict=True):
            for text in _SEVERAL_TAGS.split(fields[index]):
                tag = _tag(text)
                if len(tag) > _TAG_CHARS and (problem := _too_long(tag, _TAG_CHARS, column)):
                    return reject(problem)
                if tag and tag not in tags:
                    tags.append(tag)
        if problem := _too_many(len(tags), _MAX_TAGS, "tags", self.tag_columns):
            return reject(problem)
        if tags:
            household["tags"] = tags

        language = self._language(value(self.language), warn)
        if problem := _too_long(
            language or "", _LANGUAGE_CHARS, self.mapping.column_for("language")
        ):
            return reject(problem)
        if language:
            household["language"] = language
        timezone = value(self.timezone)
        if timezone:
            zone = _zones().get(_ZONE_ALIASES.get(timezone.casefold(), timezone).casefold())
            if zone is None:
                warn(
                    f"column {self.mapping.column_for('timezone')!r}: {timezone!r} is not a "
                    "time zone (e.g. America/Los_Angeles); the campaign's zone will be used"
                )
            else:
                household["timezone"] = zone

        for field_name, index, column, yes_no, limit in self.plain:
            text = fields[index].strip()
            if yes_no:
                if self._flag(text, column, warn):
                    household[field_name] = True
            elif text:
                if len(text) > limit and (problem := _too_long(text, limit, column)):
                    return reject(problem)
                household[field_name] = text
        return Candidate(line=first, fields=household)

    def _language(self, text: str, warn: Callable[[str], None]) -> LanguageCode | None:
        if not text:
            return None
        reading = self.languages.get(text)
        if reading is None:
            reading = self.languages[text] = read_language(text)
        if not reading.known:
            warn(f"{text!r} is not a language we know; kept as typed")
        return reading.tag

    @staticmethod
    def _flag(text: str, column: str | None, warn: Callable[[str], None]) -> bool:
        folded = fold(text) if text else ""
        if folded in _FALSE or not folded:
            return False
        if folded not in _TRUE:
            # A stray value in a do-not-call column errs on the side of not calling.
            warn(f"column {column!r}: {text!r} read as yes")
        return True


def _person(name: str, role: str, grade: str | None, school: str | None) -> dict[str, Any]:
    """A member as the model's JSON without its unknowns (see records.household_row)."""
    person = {"name": name, "role": role}
    if grade:
        person["grade"] = grade
    if school:
        person["school"] = school
    return person


def _columns(columns: Sequence[str | None]) -> str:
    named = [column for column in dict.fromkeys(columns) if column]
    return f"column {named[0]!r}" if len(named) == 1 else f"columns {quoted(named)}"


def _too_long(text: str, limit: int | None, *columns: str | None) -> str | None:
    """Why ``text``, read from ``columns``, cannot be stored: longer than the model allows."""
    if limit is None or len(text) <= limit:
        return None
    return f"{_columns(columns)} is too long: {len(text):,} characters, at most {limit:,}"


def _too_many(
    count: int, limit: int | None, what: str, columns: Sequence[str | None]
) -> str | None:
    """Why a household cannot hold ``count`` of ``what`` read from ``columns``."""
    if limit is None or count <= limit:
        return None
    return f"{_columns(columns)}: {count} {what}, at most {limit}"


def _empty(columns: list[str]) -> str:
    if not columns:
        return "no column for it"
    if len(columns) == 1:
        return f"column {columns[0]!r} is empty"
    return f"columns {quoted(columns)} are empty"
