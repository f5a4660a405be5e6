"""Importing households from a CSV: the column mapping, the report and the preview on the
wire, and the two rules any code creating households shares (language codes, dedupe key).
"""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING, Annotated, Any, get_origin

from pydantic import Field, create_model

from .field_roles import FromCsv, fields_marked
from .models import Household, Model


class ComposedColumns(Model):
    """The columns a household is composed from: its name, its people and their phones.

    Every other column feeds the household field of the same name; ColumnMapping adds one
    for each field marked FromCsv in ``Household``.
    """

    name: Annotated[
        str | None,
        FromCsv(
            "Family Name|Last Name|Surname|Name|Family|Household|Household Name|"
            "Family Last Name|Apellido|Apellidos|Familia|Nombre de familia|Apellido de familia",
            "Family name",
            shown_first=True,
        ),
    ] = Field(None, description="Family name: 'Family Name', 'Last Name', 'Apellido'")
    guardian_name: Annotated[
        str | None,
        FromCsv(
            "Guardian|Guardian Name|Parent|Parent Name|Parent/Guardian|Parent Guardian Name|"
            "Parent or Guardian|Guardian 1|Guardian 1 Name|Parent 1|Parent 1 Name|Contact|"
            "Contact Name|Primary Contact|Mother|Father|Mother Name|Father Name|Padre|Madre|"
            "Padre/Madre|Padre o Madre|Padre/Madre/Tutor|Tutor|Tutora|Nombre del tutor|"
            "Nombre del padre|Nombre de la madre|Responsable",
            "Guardian (full name)",
            shown_first=True,
        ),
    ] = Field(None, description="A guardian's full name in one column")
    guardian_first_name: Annotated[
        str | None,
        FromCsv(
            "First Name|First|Given Name|Nombre|Parent First Name|Guardian First Name|"
            "Parent/Guardian First Name|Contact First Name",
            "Guardian first name",
        ),
    ] = None
    guardian_last_name: Annotated[
        str | None,
        FromCsv(
            "Parent Last Name|Guardian Last Name|Parent/Guardian Last Name|Contact Last Name|"
            "Apellido del padre|Apellido del tutor",
            "Guardian last name",
        ),
    ] = None
    students: Annotated[
        list[str],
        FromCsv(
            "Student|Student Name|Students|Student Names|Student First Name|Student Full Name|"
            "Child|Child Name|Children|Estudiante|Estudiantes|Nombre del estudiante|Alumno|"
            "Alumna|Nombre del alumno|Hijo|Hijos|Student 1|Student 2|Student 3",
            "Students",
            shown_first=True,
        ),
    ] = Field(
        default_factory=list,
        description="Columns holding a student's name; several names in one cell split on ;",
    )
    student_last_name: Annotated[
        str | None,
        FromCsv(
            "Student Last Name|Apellido del estudiante|Apellido del alumno", "Student last name"
        ),
    ] = Field(None, description="Added after each student's name when given")
    grade: Annotated[
        str | None,
        FromCsv("Grade|Grade Level|Grado|Curso|Year Level|Student Grade", "Grade"),
    ] = None
    # Phone columns are recognised by the shape of their header (column_mapping.py).
    phones: Annotated[list[str], FromCsv("", "Phones", shown_first=True)] = Field(
        default_factory=list, description="Phone columns, the primary first: 'Phone', 'Cell'…"
    )

    def columns(self) -> list[str]:
        """Every column this mapping reads, once, in field order."""
        named: list[str] = []
        for value in self.model_dump().values():
            for column in value if isinstance(value, list) else [value]:
                if column and column not in named:
                    named.append(column)
        return named

    def missing(self) -> list[str]:
        """What a household needs that no column gives: 'name' and/or 'phone'."""
        has_name = any(
            (self.name, self.guardian_last_name, self.guardian_name, self.student_last_name)
        )
        return [need for need, ok in (("name", has_name), ("phone", bool(self.phones))) if not ok]

    def column_for(self, field_name: str) -> str | None:
        """The column feeding ``field_name`` (one read from a single column), if any."""
        value = getattr(self, field_name)
        return value if isinstance(value, str) else None

    def columns_for(self, field_name: str) -> list[str]:
        """The columns feeding ``field_name`` (one read from several columns)."""
        value = getattr(self, field_name)
        return list(value) if isinstance(value, list) else []


def _household_columns() -> dict[str, Any]:
    columns: dict[str, Any] = {}
    for name, marker in fields_marked(Household, FromCsv).items():
        is_list = get_origin(Household.model_fields[name].annotation) is list
        description = f"Column(s) for the household's {marker.label.lower()}"
        if is_list:
            columns[name] = (
                Annotated[list[str], marker],
                Field(default_factory=list, description=description),
            )
        else:
            columns[name] = (Annotated[str | None, marker], Field(None, description=description))
    return columns


_MAPPING_DOC = """Which CSV column (named by its header) feeds each household field; None: not in
the file. A household needs a name (``name``, else ``guardian_last_name``, else
``guardian_name``, else ``student_last_name``) and at least one phone column."""

if TYPE_CHECKING:  # what mypy can know of it: the composed columns; the rest by column_for()

    class ColumnMapping(ComposedColumns):
        pass

else:
    ColumnMapping = create_model(
        "ColumnMapping",
        __base__=ComposedColumns,
        __doc__=_MAPPING_DOC,
        __module__=__name__,
        **_household_columns(),
    )


def mapping_labels() -> dict[str, FromCsv]:
    """Each ColumnMapping field with what the console and the header guesser need."""
    return fields_marked(ColumnMapping, FromCsv)


SEVERAL_COLUMNS = frozenset(
    name for name, info in ColumnMapping.model_fields.items() if get_origin(info.annotation) is list
)
"""The mapping's fields fed by several columns (phones, students, tags); others by one."""


_ENCODING = (
    "The encoding the file was read as, by its codec name (utf-8, utf-8-sig, utf-16, cp1252 …);"
    " send it as the import's ``encoding`` to read the file the same way"
)
_ENCODING_LABEL = "The same in words: 'UTF-8', 'UTF-8 with BOM', 'Windows-1252' …"


class RejectedRow(Model):
    """A row that was not imported (or, in warnings, imported with a value left out)."""

    line: int = Field(description="Physical line in the file where the row starts; header = 1")
    reason: str
    raw: dict[str, str] = Field(default_factory=dict, description="The row as read, by header")


class ImportReport(Model):
    """What an import did. rows_read = imported + merged + len(rejected)."""

    campaign_id: str | None = None
    rows_read: int = 0
    imported: int = Field(0, description="New households created")
    merged: int = Field(
        0, description="Rows merged into a household already stored or earlier in the file"
    )
    added_to_campaign: int = Field(
        0, description="Households newly on the campaign's open list (added or re-opened)"
    )
    closed: int = Field(0, description="Households taken off the open list (replace_open)")
    assigned: int = Field(0, description="Households given to a caller right after the import")
    rejected: list[RejectedRow] = Field(default_factory=list)
    warnings: list[RejectedRow] = Field(
        default_factory=list, description="Rows imported with a value left out (a bad 2nd phone…)"
    )
    mapping: ColumnMapping
    encoding: str = Field(description=_ENCODING)
    encoding_label: str = Field("", description=_ENCODING_LABEL)
    delimiter: str


class MergedRow(Model):
    """A row that adds to a household (earlier in the file, or stored) instead of making one."""

    line: int
    name: str = Field(description="The family name, as read")
    phone: str = Field(description="The primary phone (E.164): with the name, the family's key")
    into_line: int | None = Field(None, description="The earlier line of the file it merges with")
    into_household: str | None = Field(None, description="The stored household it merges into")


class PreviewRow(Model):
    """One row as the import would read it: a household (maybe with warnings) or an error."""

    line: int
    household: Household | None = None
    error: str | None = None
    warnings: list[str] = Field(default_factory=list)


class ImportPreview(Model):
    """What an import would do with a file, without storing anything."""

    mapping: ColumnMapping
    detected_headers: list[str]
    missing_columns: list[str] = Field(
        default_factory=list, description="'name'/'phone' when the mapping has no such column"
    )
    sample: list[PreviewRow] = Field(default_factory=list, description="The first 10 rows")
    rows_read: int = 0
    imported: int = Field(0, description="New households the import would create")
    rejected: list[RejectedRow] = Field(
        default_factory=list, description="Every row the import would reject, with the reason"
    )
    merged: list[MergedRow] = Field(
        default_factory=list, description="Every row the import would merge into a household"
    )
    warnings: list[RejectedRow] = Field(
        default_factory=list, description="Rows it would import with a value left out"
    )
    encoding: str = Field(description=_ENCODING)
    encoding_label: str = Field("", description=_ENCODING_LABEL)
    delimiter: str


def fold(text: str) -> str:
    """Casefolded, accents stripped, whitespace collapsed: 'Peña ' and 'PENA' fold alike."""
    if text.isascii():
        return " ".join(text.casefold().split())
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.casefold().split())


def dedupe_key(primary_phone: str, family_name: str) -> str:
    """Two households with the same key are the same family: E.164 primary + folded name."""
    return f"{primary_phone}|{fold(family_name)}"
