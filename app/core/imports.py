"""Importing households from a CSV: the column mapping, the report and the preview on the
wire, and the two rules any code creating households shares (language codes, dedupe key).
"""

from __future__ import annotations

import re
import unicodedata

from pydantic import Field

from .models import Household, LanguageCode, Model


class ColumnMapping(Model):
    """Which CSV column (named by its header) feeds each household field; None: not in the file.

    A household needs a name (``name``, else ``guardian_last_name``, else ``guardian_name``,
    else ``student_last_name``) and at least one phone column.
    """

    name: str | None = Field(
        None, description="Family name: 'Family Name', 'Last Name', 'Apellido'"
    )
    guardian_name: str | None = Field(None, description="A guardian's full name in one column")
    guardian_first_name: str | None = None
    guardian_last_name: str | None = None
    students: list[str] = Field(
        default_factory=list,
        description="Columns holding a student's name; several names in one cell split on ;",
    )
    student_last_name: str | None = Field(
        None, description="Added after each student's name when given"
    )
    phones: list[str] = Field(
        default_factory=list, description="Phone columns, the primary first: 'Phone', 'Cell'…"
    )
    language: str | None = None
    tags: list[str] = Field(
        default_factory=list, description="Needs/tags columns; values split on ; or ,"
    )
    school: str | None = None
    timezone: str | None = None
    address: str | None = None
    external_id: str | None = Field(None, description="Student or family id in the source system")
    do_not_call: str | None = None
    text_opt_out: str | None = None
    grade: str | None = None

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
    encoding: str = Field(description="utf-8, utf-8-sig (BOM), utf-16, cp1252 or latin-1")
    delimiter: str


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
    encoding: str
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


# Names a supervisor's file may use for a language, '|'-separated, as fold() leaves them.
_LANGUAGES: dict[LanguageCode, str] = {
    "en": "english|ingles|eng|anglais",
    "es": "spanish|espanol|castellano|spa|espagnol",
    "zh": "chinese|cantonese|mandarin|chino|cantones|zho|chi|putonghua|toisanese|中文|普通话|"
    "普通話|广东话|廣東話|粤语|粵語",
    "vi": "vietnamese|vietnamita|tieng viet|vie",
    "ar": "arabic|arabe|ara|عربي|العربية",
    "tl": "tagalog|filipino|pilipino|fil|tgl",
    "pt": "portuguese|portugues|por",
    "fr": "french|frances|francais|fra|fre",
    "ru": "russian|ruso|русский",
    "ko": "korean|coreano|한국어",
    "ja": "japanese|japones|日本語",
    "ht": "haitian creole|haitian|creole|kreyol|kreyol ayisyen",
    "hmn": "hmong",
    "km": "khmer|cambodian",
    "so": "somali",
    "pa": "punjabi|panjabi",
    "hi": "hindi",
    "ur": "urdu",
    "fa": "farsi|persian|dari",
    "ps": "pashto|pashtu",
    "am": "amharic",
    "ti": "tigrinya",
    "sw": "swahili",
    "my": "burmese",
    "mam": "mam",
    "ne": "nepali",
    "bn": "bengali|bangla",
    "uk": "ukrainian",
    "pl": "polish",
    "de": "german|aleman",
    "it": "italian|italiano",
    "sm": "samoan",
    "to": "tongan",
    "th": "thai",
    "lo": "lao|laotian",
    "mh": "marshallese",
    "chk": "chuukese",
    "ilo": "ilocano|ilokano",
    "mix": "mixtec|mixteco",
    "quc": "k'iche'|kiche|quiche",
}
LANGUAGE_BY_NAME: dict[str, LanguageCode] = {
    name: code for code, names in _LANGUAGES.items() for name in names.split("|")
}
_CODE = re.compile(r"^([a-z]{2,3})((?:[-_][a-z0-9]{2,8})*)$", re.IGNORECASE)


def _as_code(text: str) -> LanguageCode | None:
    match = _CODE.match(text)
    if not match:
        return None
    subtags = [part for part in re.split(r"[-_]", match.group(2)) if part]
    cased = [
        tag.title() if len(tag) == 4 else tag.upper() if len(tag) == 2 else tag.lower()
        for tag in subtags
    ]
    return "-".join([match.group(1).lower(), *cased])


def normalise_language(raw: str | None, default: LanguageCode = "en") -> LanguageCode:
    """A language as a code: 'Inglés' → en, 'Chinese (Cantonese)' → zh, 'zh-hant' → zh-Hant.

    Empty → ``default``; a value neither named nor shaped like a code is kept, lowercased.
    """
    text = (raw or "").strip()
    if not text:
        return default
    folded = fold(text)
    candidates = [folded, *re.split(r"\s*[()/,;]\s*|\s+or\s+|\s+y\s+", folded)]
    for candidate in candidates:
        if candidate in LANGUAGE_BY_NAME:
            return LANGUAGE_BY_NAME[candidate]
    for candidate in candidates:
        code = _as_code(candidate)
        if code:
            return code
    return " ".join(text.lower().split())
