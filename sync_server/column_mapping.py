"""Which CSV column holds which household field: guessing it from common English and
Spanish headers, and checking a supervisor's own mapping against the file."""

from __future__ import annotations

import re
from collections.abc import Iterable

from app.core.errors import UnreadableCsv
from app.core.imports import ColumnMapping, fold

__all__ = ["check_complete", "detect_mapping", "header_key", "quoted", "resolve_mapping"]


def header_key(header: str) -> str:
    """'Teléfono #', 'telefono' and 'TELEFONO_' all read 'telefono'."""
    return "".join(char for char in fold(header) if char.isalnum())


def _keys(headers: str) -> frozenset[str]:
    return frozenset(header_key(header) for header in headers.split("|"))


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
        key = header_key(header)
        single = next((f for f, keys in _SINGLE_FIELDS.items() if key in keys), None)
        listed = next((f for f, keys in _LIST_FIELDS.items() if key in keys), None)
        if single is not None:
            singles.setdefault(single, header)
        elif listed is not None:
            lists.setdefault(listed, []).append(header)
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
