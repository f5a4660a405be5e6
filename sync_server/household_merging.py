"""Household candidates merged with each other and with the stored households, and written.

A candidate holds the household in the Household model's JSON form, so what is stored is
exactly ``Household.model_dump_json()``'s shape, and a field added to the model needs no
code here: how two values merge follows from the field's type (see ``_merge_rule``).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, get_origin

import sqlite_utils

from app.core.field_roles import FromCsv, fields_marked
from app.core.imports import fold
from app.core.models import Household, LanguageCode

from .clock import iso, utcnow
from .db import next_versions

__all__ = ["Candidate", "StoredHouseholds", "store_households"]

Fields = dict[str, Any]
"""A household's fields in JSON form, without ``id``; a field no row gave is absent."""
# What Household.model_dump_json(exclude_none=True) writes (records.py), without a new
# encoder a call.
_json = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


@dataclass(slots=True)
class Candidate:
    """One household as read from rows (or from the database), before it is stored.

    Fields absent from ``fields`` (``language`` and ``timezone`` among them) were given by
    no row, so that a default never overwrites a value already stored.
    """

    line: int
    fields: Fields
    rows: int = 1

    @property
    def name(self) -> str:
        return str(self.fields["name"])

    @property
    def primary_phone(self) -> str:
        return str(self.fields["phones"][0]["number"])

    def absorb(self, other: Candidate) -> None:
        """Add what ``other`` knows; nothing already here is dropped (flags only turn on)."""
        for name, value in other.fields.items():
            known = self.fields.get(name)
            self.fields[name] = value if known is None else _RULES[name](known, value)
        self.rows += other.rows

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Candidate:
        fields = json.loads(row["body"])
        del fields["id"]
        return cls(line=0, fields=fields, rows=0)

    def to_row(self, household_id: str, key: str) -> dict[str, Any]:
        """The households columns but version/created_at/updated_at; defaults applied."""
        # The model's field order, without unknowns (None), as records.household_row writes.
        body = {"id": household_id, "name": self.fields["name"], **_DEFAULTS, **self.fields}
        known = {name: value for name, value in body.items() if value is not None}
        return {"id": household_id, "body": _json(known), "dedupe_key": key}

    def copy(self) -> Candidate:
        # Merging never changes a value in place (see _union), so a shallow copy will do.
        return Candidate(line=self.line, fields=dict(self.fields), rows=self.rows)

    def with_defaults(self, language: LanguageCode, timezone: str | None) -> Candidate:
        self.fields["language"] = self.fields.get("language") or language
        if timezone is not None and not self.fields.get("timezone"):
            self.fields["timezone"] = timezone
        return self

    def to_household(self, household_id: str) -> Household:
        return Household.model_validate({"id": household_id, **self.fields})


def _union(
    identity: Callable[[Any], Any], fill: tuple[str, ...] = ()
) -> Callable[[list[Any], list[Any]], Any]:
    """Known items, then new ones not known by ``identity``; a known item takes the
    ``fill`` values a newer one gives (a student's grade, say). Nothing is changed in place."""

    def merge(known: list[Any], new: list[Any]) -> list[Any]:
        merged = list(known)
        position = {identity(item): i for i, item in enumerate(merged)}
        for item in new:
            at = position.get(identity(item))
            if at is None:
                position[identity(item)] = len(merged)
                merged.append(item)
            elif fill:
                merged[at] = {**merged[at], **{k: item[k] for k in fill if item.get(k)}}

        return merged

    return merge


def _merge_rule(name: str) -> Callable[[Any, Any], Any]:
    annotation = Household.model_fields[name].annotation
    if name == "phones":  # a number known keeps its label and whether it was marked bad
        return _union(lambda phone: phone["number"])
    if name == "notes":  # callers' notes, each once (app.core.household_notes)
        return _union(lambda note: note["id"])
    if name == "members":
        return _union(lambda person: (person["role"], fold(person["name"])), ("grade", "school"))
    if get_origin(annotation) is list:
        return _union(lambda item: item)
    if annotation is bool:
        return lambda known, new: known or new
    if name in _KEEPS_FIRST:
        return lambda known, new: known
    return lambda known, new: new or known


# The name is an identity (with the primary phone), like the id in the source system.
_KEEPS_FIRST = {
    "name",
    *(name for name, marker in fields_marked(Household, FromCsv).items() if marker.keeps_first),
}
_RULES = {name: _merge_rule(name) for name in Household.model_fields}
_DEFAULTS: Fields = {
    name: info.get_default(call_default_factory=True)
    for name, info in Household.model_fields.items()
    if not info.is_required()
}


def _stored_rows(db: sqlite_utils.Database, ids: list[str]) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ", ".join("?" * len(chunk))
        query = f"SELECT id, body, dedupe_key FROM households WHERE id IN ({marks})"
        for row in db.query(query, chunk):
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
            if combined.fields != before.fields:
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
    db.conn.executemany(
        "INSERT INTO households (id, body, dedupe_key, version, created_at, updated_at)"
        " VALUES (:id, :body, :dedupe_key, :version, :created_at, :updated_at)",
        inserts,
    )
    db.conn.executemany(
        "UPDATE households SET body = :body, dedupe_key = :dedupe_key, version = :version,"
        " updated_at = :updated_at WHERE id = :id",
        updates,
    )
    return result
