"""How much text a field may hold and how many items a list: declared once, used by every model.

A model says ``name: Name`` or ``notes: Note``; the API (422 naming the field), the console
and the CSV importer (``max_chars``/``max_items`` read the limits back from the model's
fields) all refuse the same thing. A limit is generous for what people write, and small
enough that nothing a device pulls or a supervisor exports is absurd.
"""

from __future__ import annotations

from types import NoneType, UnionType
from typing import Annotated, Any, Union, get_args, get_origin

from annotated_types import MaxLen
from pydantic import AfterValidator, BaseModel, Field
from pydantic.fields import FieldInfo

__all__ = [
    "MAX_ANSWERS",
    "MAX_CHOICES",
    "MAX_DISPOSITIONS",
    "MAX_LANGUAGES",
    "MAX_MEMBERS",
    "MAX_PHONES",
    "MAX_SCRIPT_ITEMS",
    "MAX_TAGS",
    "MAX_VARIABLES",
    "NOTE_CHARS",
    "Key",
    "Line",
    "Name",
    "Note",
    "ScriptText",
    "ShortText",
    "Tags",
    "TypedAnswer",
    "max_chars",
    "max_items",
]

Key = Annotated[str, Field(max_length=100)]
"""An id or a code: a household's id, a disposition's code, a question's id."""
ShortText = Annotated[str, Field(max_length=100)]
"""A label, a tag, a choice, a grade, a time zone, a phone number."""
Name = Annotated[str, Field(max_length=200)]
"""What a person, a family, a school or a campaign is called; a title."""
Line = Annotated[str, Field(max_length=1000)]
"""A sentence or two: an address, a survey question, a placeholder's value."""
NOTE_CHARS = 5000
Note = Annotated[str, Field(max_length=NOTE_CHARS)]
"""What a caller or supervisor writes: notes, a follow-up's detail and resolution, a text
message template."""
ScriptText = Annotated[str, Field(max_length=20_000)]
"""A script section's body."""

MAX_PHONES = 20
MAX_MEMBERS = 50
MAX_TAGS = 50
MAX_LANGUAGES = 50
MAX_CHOICES = 50
MAX_SCRIPT_ITEMS = 200
"""Sections, questions or text templates in one script."""
MAX_ANSWERS = 200
MAX_VARIABLES = 100
MAX_DISPOSITIONS = 50
"""A campaign's own outcomes; with the dozen defaults they stay within the 63 the progress
summary tells apart (progress_tables.MAX_BIT)."""

Tags = Annotated[list[ShortText], Field(max_length=MAX_TAGS)]
"""Needs and tags: a household's, the ones a section is shown for, the ones a call found."""


def _answer_fits(answer: bool | int | float | str | None) -> bool | int | float | str | None:
    if isinstance(answer, str) and len(answer) > NOTE_CHARS:
        raise ValueError(f"a typed answer has at most {NOTE_CHARS} characters")
    return answer


TypedAnswer = Annotated[bool | int | float | str | None, AfterValidator(_answer_fits)]
"""A survey answer: yes/no, a number, a choice or text (as long as a note)."""


def _limit(metadata: list[Any] | tuple[Any, ...]) -> int | None:
    for item in metadata:
        if isinstance(item, MaxLen):
            return item.max_length
        if isinstance(item, FieldInfo) and (found := _limit(item.metadata)) is not None:
            return found
    return None


def _text_limit(annotation: Any) -> int | None:
    """The max_length declared on ``annotation`` or the str inside its Optional."""
    origin = get_origin(annotation)
    if origin is Annotated:
        base, *metadata = get_args(annotation)
        return _limit(metadata) if base is str else _text_limit(base)
    if origin in (Union, UnionType):
        limits = [_text_limit(arg) for arg in get_args(annotation) if arg is not NoneType]
        return next((limit for limit in limits if limit is not None), None)
    return None


def _is_collection(annotation: Any) -> bool:
    return get_origin(annotation) in (list, dict)


def max_chars(model: type[BaseModel], field: str) -> int | None:
    """The most characters ``model.field`` may hold — each item's, for a list of text."""
    info = model.model_fields[field]
    if _is_collection(info.annotation):
        return _text_limit(get_args(info.annotation)[-1])
    return _limit(info.metadata) or _text_limit(info.annotation)


def max_items(model: type[BaseModel], field: str) -> int | None:
    """The most items the list (or dict) ``model.field`` may hold."""
    info = model.model_fields[field]
    return _limit(info.metadata) if _is_collection(info.annotation) else None
