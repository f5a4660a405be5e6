"""What a model's field is for beyond the model itself, declared next to the field.

A field annotated ``Annotated[str | None, FromCsv(...), Exported(), ShownToCaller()]`` is
read from a supervisor's CSV (and offered in the console's column mapping under its label),
written to the outcomes export and shown on the caller's call screen. The importer, the
export, the console and the call screen read these markers instead of listing fields, so a
new household field is declared once, in ``models.py``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import BaseModel

__all__ = ["Exported", "FromCsv", "ShownToCaller", "fields_marked", "shown_to_caller"]

Marker = TypeVar("Marker")


@dataclass(frozen=True, slots=True)
class FromCsv:
    """Read from the CSV column with one of ``headers`` ('|'-separated; case, accents, spaces
    and punctuation do not matter), offered in the console's column mapping as ``label``."""

    headers: str
    label: str
    shown_first: bool = False
    """In the console's short list of columns, before "More fields"."""
    keeps_first: bool = False
    """An identity in the source system: when rows merge, the first value given is kept
    (otherwise the last non-empty one wins; yes/no flags only ever turn on)."""


@dataclass(frozen=True, slots=True)
class Exported:
    """A column of the outcomes export, named ``column`` (the field's name by default)."""

    column: str | None = None


@dataclass(frozen=True, slots=True)
class ShownToCaller:
    """Shown on the call screen when set, labelled by the UI catalogue's
    ``household.<field>`` entry (with ``{value}``)."""


def fields_marked(model: type[BaseModel], marker: type[Marker]) -> dict[str, Marker]:
    """Each field of ``model`` carrying a ``marker`` instance, in field order, with it."""
    found: dict[str, Marker] = {}
    for name, info in model.model_fields.items():
        for item in info.metadata:
            if isinstance(item, marker):
                found[name] = item
    return found


def shown_to_caller(record: BaseModel) -> list[tuple[str, str]]:
    """(field, value) for each field marked ShownToCaller that holds a value."""
    shown: list[tuple[str, str]] = []
    for name in fields_marked(type(record), ShownToCaller):
        value: Any = getattr(record, name)
        if value not in (None, "", []):
            shown.append((name, str(value)))
    return shown
