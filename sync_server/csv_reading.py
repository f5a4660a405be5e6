"""Reading a supervisor's CSV: the encoding (the supervisor's choice, or decided from the
whole file), the delimiter, unique headers, and each record's physical line numbers.

A record holding bytes its encoding cannot read (or, in a file read as a legacy encoding,
written in UTF-8) is set aside with the reason in ``CsvTable.unreadable``: a name is never
read garbled.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from dataclasses import dataclass, field

import charset_normalizer

from app.core.errors import UnreadableCsv

__all__ = ["ENCODINGS", "CsvTable", "encoding_named", "read_csv"]

ENCODINGS: dict[str, str] = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8 with BOM",
    "utf-16": "UTF-16",
    "cp1252": "Windows-1252",
    "iso8859-1": "Latin-1",
    "mac-roman": "Mac Roman",
    "cp1251": "Windows-1251 (Cyrillic)",
    "cp1256": "Windows-1256 (Arabic)",
    "big5": "Big5 (Traditional Chinese)",
    "gb18030": "GB18030 (Simplified Chinese)",
    "cp949": "EUC-KR (Korean)",
    "cp932": "Shift JIS (Japanese)",
}
"""The encodings a file can be read as: Python's name for each, and its name in words."""

# What the detector may pick for a file that is not UTF-8, most likely first: it breaks a
# tie, since a short file decodes as several with no sign of which is right.
_LEGACY = ["cp1252", "mac-roman", "cp1251", "cp1256", "big5", "gb18030", "cp949", "cp932"]
_UNDECODABLE = "phonebank-undecodable"
_MARKS = re.compile("[\udc00-\udcff]+")


def _mark(error: UnicodeError) -> tuple[str, int]:
    """Each byte a codec cannot read as a lone surrogate (U+DC00 + byte), which no decoder
    otherwise produces: the text keeps where the bad bytes were and what they were."""
    assert isinstance(error, UnicodeDecodeError)
    bad = error.object[error.start : error.end]
    return "".join(chr(0xDC00 + byte) for byte in bad), error.end


codecs.register_error(_UNDECODABLE, _mark)


def encoding_named(name: str | None) -> str | None:
    """The codec for a supervisor's choice ('UTF-8', 'windows-1252', 'latin1' …); None for
    'detect automatically' (None, '', 'auto'). ValueError naming the choices otherwise."""
    text = (name or "").strip()
    if text.casefold() in ("", "auto", "detect"):
        return None
    try:
        codec = codecs.lookup(text).name
    except LookupError:
        codec = ""
    if codec not in ENCODINGS:
        choices = ", ".join(f"{code} ({label})" for code, label in ENCODINGS.items())
        raise ValueError(f"{text!r} is not an encoding Phonebank reads; choose one of: {choices}")
    return codec


@dataclass
class CsvTable:
    """A decoded CSV: its header and its non-blank records with their physical lines."""

    encoding: str
    delimiter: str
    headers: list[str]
    records: list[tuple[int, int, list[str]]] = field(default_factory=list)
    """(first line, last line, fields); a quoted field can run over several lines."""
    unreadable: dict[int, str] = field(default_factory=dict)
    """Records that cannot be read right, by first line: why, in words."""

    @property
    def encoding_label(self) -> str:
        return ENCODINGS.get(self.encoding, self.encoding)


_BINARY_KINDS = [
    (b"PK\x03\x04", "an Excel workbook (.xlsx) or another zip file"),
    (b"\xd0\xcf\x11\xe0", "an old Excel workbook (.xls)"),
    (b"%PDF", "a PDF"),
]


@dataclass
class _Decoded:
    text: str
    encoding: str
    marked: bool = False
    """Some bytes could not be read: the text holds marks (see _mark) in their place."""
    legacy: bool = False
    """Detected as a legacy encoding: a row written in UTF-8 would read garbled."""


def _decoded(data: bytes, encoding: str) -> _Decoded:
    try:
        return _Decoded(data.decode(encoding), encoding)
    except UnicodeDecodeError:
        return _Decoded(data.decode(encoding, _UNDECODABLE), encoding, marked=True)


def _lines_as_utf8(marked_text: str) -> tuple[int, int]:
    """(lines with non-ASCII text that read as UTF-8, lines with bytes that do not)."""
    read = broken = 0
    for line in marked_text.splitlines():
        if not line.isascii():
            if _MARKS.search(line):
                broken += 1
            else:
                read += 1
    return read, broken


def _detect_legacy(data: bytes) -> str | None:
    """The legacy encoding charset-normalizer finds most plausible, ties going to the most
    common (a short Spanish file reads as Windows-1252, Big5 or GB18030 alike)."""
    matches = charset_normalizer.from_bytes(
        data, cp_isolation=[name.replace("-", "_") for name in _LEGACY], preemptive_behaviour=False
    )
    if not matches:
        return None
    least = min(match.percent_chaos for match in matches)
    plausible = {
        codecs.lookup(name).name
        for match in matches
        if match.percent_chaos <= least + 1.0
        for name in match.could_be_from_charset
    }
    return next((name for name in _LEGACY if name in plausible), None)


def _decode(data: bytes, chosen: str | None) -> _Decoded:
    """The text in the chosen encoding, else decided from the whole file: a BOM; UTF-8 when
    at least as many lines read as UTF-8 as do not (the others are then set aside, not
    garbled); else the legacy encoding charset-normalizer finds."""
    for magic, kind in _BINARY_KINDS:
        if data.startswith(magic):
            raise UnreadableCsv(f"This file looks like {kind}, not a CSV; save it as CSV first")
    if chosen is None and data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        chosen = "utf-16"
    if chosen != "utf-16" and b"\x00" in data:
        raise UnreadableCsv("This file has binary content (NUL bytes); it is not a CSV")
    if chosen in (None, "utf-8", "utf-8-sig") and data.startswith(codecs.BOM_UTF8):
        chosen = "utf-8-sig"
    elif chosen == "utf-8-sig":  # said with a BOM, saved without one
        chosen = "utf-8"
    if chosen is not None:
        return _decoded(data, chosen)
    try:
        return _Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        as_utf8 = data.decode("utf-8", _UNDECODABLE)
    read, broken = _lines_as_utf8(as_utf8)
    legacy = _detect_legacy(data) if broken > read else None
    if legacy is None:
        return _Decoded(as_utf8, "utf-8", marked=True)
    decoded = _decoded(data, legacy)
    decoded.legacy = True
    return decoded


def _unmarked(text: str) -> str:
    return _MARKS.sub("\ufffd", text)


def _as_utf8(value: str, encoding: str) -> str | None:
    """``value`` as it reads in UTF-8, when its bytes are UTF-8 text other than itself."""
    try:
        text = value.encode(encoding).decode("utf-8")
    except UnicodeError:
        return None
    return text if text != value else None


def _why_unreadable(fields: list[str], headers: list[str], decoded: _Decoded) -> str | None:
    """Why a record cannot be read right, naming the column; None when it can."""
    label = ENCODINGS[decoded.encoding].removesuffix(" with BOM")
    for position, value in enumerate(fields):
        if value.isascii():
            continue
        column = headers[position] if position < len(headers) else f"(extra {position})"
        found = _MARKS.search(value) if decoded.marked else None
        if found is not None:
            bad = [ord(mark) - 0xDC00 for mark in found.group()[:4]]
            before = _unmarked(value[: found.start()])[-12:]
            where = f"after {before!r}" if before.strip() else "at the start"
            said = " ".join(f"0x{byte:02X}" for byte in bad)
            bytes_are = (
                f"the bytes {said} {where} are" if len(bad) > 1 else f"the byte {said} {where} is"
            )
            return (
                f"column {column!r}: {bytes_are} not {label} text; "
                "fix the row in the file, or choose the file's encoding"
            )
        as_utf8 = _as_utf8(value, decoded.encoding) if decoded.legacy else None
        if as_utf8 is not None:
            return (
                f"column {column!r}: {value!r} looks like UTF-8 in a {label} file (as UTF-8 it "
                f"reads {as_utf8!r}); save the file in one encoding, or choose its encoding"
            )
    return None


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


def read_csv(data: bytes, encoding: str | None = None) -> CsvTable:
    """Decode ``data`` and split it into a header and records; UnreadableCsv when impossible.

    ``encoding``: the supervisor's choice (see encoding_named), else decided from the file.
    Duplicate headers get a suffix (``Phone``, ``Phone (2)``), empty ones a name
    (``Column 4``); blank lines, and lines of empty fields only, are skipped.
    """
    try:
        chosen = encoding_named(encoding)
    except ValueError as error:
        raise UnreadableCsv(str(error)) from None
    decoded = _decode(data, chosen)
    text = decoded.text
    suspect = decoded.marked or decoded.legacy
    unreadable: dict[int, str] = {}
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
                headers = _unique_headers([_unmarked(value) for value in fields])
                continue
            if suspect and (problem := _why_unreadable(fields, headers, decoded)):
                unreadable[first] = problem
                fields = [_unmarked(value) for value in fields]
            records.append((first, previous, fields))
    except csv.Error as error:
        raise UnreadableCsv(f"Line {previous + 1} cannot be read: {error}") from error
    if headers is None:
        raise UnreadableCsv("The file has no header row: every line is empty")
    return CsvTable(decoded.encoding, delimiter, headers, records, unreadable)
