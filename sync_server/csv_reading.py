"""Reading a supervisor's CSV: the encoding (BOM, UTF-8, UTF-16, Windows-1252), the
delimiter, unique headers, and each record's physical line numbers."""

from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass, field

from app.core.errors import UnreadableCsv

__all__ = ["CsvTable", "read_csv"]


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
