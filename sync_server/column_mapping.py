"""Which CSV column holds which household field: guessing it from common English and
Spanish headers, and checking a supervisor's own mapping against the file."""

from __future__ import annotations

import re
from collections.abc import Iterable

from app.core.errors import UnreadableCsv
from app.core.imports import SEVERAL_COLUMNS, ColumnMapping, fold, mapping_labels

__all__ = ["check_complete", "detect_mapping", "header_key", "quoted", "resolve_mapping"]


def header_key(header: str) -> str:
    """'Teléfono #', 'telefono' and 'TELEFONO_' all read 'telefono'."""
    return "".join(char for char in fold(header) if char.isalnum())


def _keys(headers: str) -> frozenset[str]:
    return frozenset(key for key in map(header_key, headers.split("|")) if key)


# Headers as a supervisor's file may spell them, declared with each field (FromCsv); case,
# accents, spaces and punctuation do not matter. Each header names at most one field; for a
# single field the first such header in the file wins.
_HEADERS = {name: _keys(marker.headers) for name, marker in mapping_labels().items()}
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
        key = header_key(header)
        named = next((f for f, keys in _HEADERS.items() if key in keys), None)
        if named in SEVERAL_COLUMNS:
            lists.setdefault(named, []).append(header)
        elif named is not None:
            singles.setdefault(named, header)
        elif _PHONE_HEADER.match(key) and not any(word in key for word in _NOT_PHONE):
            lists.setdefault("phones", []).append(header)
    return ColumnMapping.model_validate({**singles, **lists})


def resolve_mapping(mapping: ColumnMapping, headers: list[str]) -> ColumnMapping:
    """The caller's mapping with each column named exactly as in the file."""
    by_key: dict[str, str] = {}
    for header in headers:
        by_key.setdefault(header_key(header), header)
    unknown: list[str] = []

    def find(column: str) -> str:
        if column in headers:
            return column
        hit = by_key.get(header_key(column))
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
            f"The column mapping names {quoted(unknown)}, not in the file. "
            f"Headers found: {quoted(headers)}"
        )
    return ColumnMapping.model_validate(resolved)


def quoted(names: Iterable[str]) -> str:
    """The names in repr quotes, comma-separated, for messages."""
    return ", ".join(repr(name) for name in names)


def check_complete(mapping: ColumnMapping, headers: list[str]) -> None:
    """UnreadableCsv, saying what is missing, unless there is a name and a phone column."""
    needs = {
        "name": "no column for the family name (e.g. 'Family Name', 'Last Name', 'Apellido')",
        "phone": "no phone column (e.g. 'Phone', 'Cell', 'Teléfono')",
    }
    missing = [needs[need] for need in mapping.missing()]
    if missing:
        raise UnreadableCsv(
            f"The file has {' and '.join(missing)}. Headers found: {quoted(headers)}. "
            "Is the first line a header row? Otherwise say which column is which."
        )
