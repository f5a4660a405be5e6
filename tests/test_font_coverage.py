"""Each script font the app registers draws Latin and maps the bidi isolates itself.

Text in a script font (a Chinese or Arabic script, a badge) holds Latin names, spaces,
phone numbers and codes, wrapped in isolates. A character the script fonts lack falls to
the default font, and while that is not there (loading, or failed) it is drawn as a .notdef
box ("Andre ▲dams"). assets/fonts/make_fonts.py puts these characters in; this test keeps
them there.

The fonts' ``cmap`` tables are read here directly (formats 4 and 12, what OpenType fonts
use for Unicode), so the test needs no font library.
"""

from __future__ import annotations

import struct
from pathlib import Path

import pytest

from app.ui.theme import FONTS

ASSETS = Path(__file__).resolve().parents[1] / "assets"
BASIC_LATIN = range(0x20, 0x7F)
LATIN_1_SUPPLEMENT = range(0xA0, 0x100)
BIDI_ISOLATES = range(0x2066, 0x206A)  # LRI, RLI, FSI, PDI (app/core/bidi.py)
UNICODE_SUBTABLES = {(0, 3), (0, 4), (3, 1), (3, 10)}
"""(platform, encoding) of the cmap subtables that map Unicode code points."""


def mapped_code_points(font: bytes) -> set[int]:
    """Every code point a TrueType or CFF OpenType font's Unicode cmap subtables map to a
    glyph other than .notdef."""
    (tables,) = struct.unpack_from(">H", font, 4)
    directory = (struct.unpack_from(">4s4xI4x", font, 12 + 16 * i) for i in range(tables))
    cmap = next(offset for tag, offset in directory if tag == b"cmap")
    _, subtables = struct.unpack_from(">HH", font, cmap)
    mapped: set[int] = set()
    for i in range(subtables):
        platform, encoding, offset = struct.unpack_from(">HHI", font, cmap + 4 + 8 * i)
        if (platform, encoding) in UNICODE_SUBTABLES:
            mapped |= _subtable(font, cmap + offset)
    return mapped


def _subtable(font: bytes, start: int) -> set[int]:
    (form,) = struct.unpack_from(">H", font, start)
    if form == 4:
        (double_segments,) = struct.unpack_from(">H", font, start + 6)
        count = double_segments // 2
        ends = struct.unpack_from(f">{count}H", font, start + 14)
        starts = struct.unpack_from(f">{count}H", font, start + 16 + 2 * count)
        deltas = struct.unpack_from(f">{count}h", font, start + 16 + 4 * count)
        range_offsets_at = start + 16 + 6 * count
        range_offsets = struct.unpack_from(f">{count}H", font, range_offsets_at)
        codes = set()
        for i in range(count):
            for code in range(starts[i], ends[i] + 1):
                if range_offsets[i] == 0:
                    glyph = (code + deltas[i]) & 0xFFFF
                else:
                    at = range_offsets_at + 2 * i + range_offsets[i] + 2 * (code - starts[i])
                    (glyph,) = struct.unpack_from(">H", font, at)
                    glyph = (glyph + deltas[i]) & 0xFFFF if glyph else 0
                if glyph and code != 0xFFFF:
                    codes.add(code)
        return codes
    if form == 12:
        (groups,) = struct.unpack_from(">I", font, start + 12)
        codes = set()
        for i in range(groups):
            first, last, glyph = struct.unpack_from(">III", font, start + 16 + 12 * i)
            codes.update(range(first if glyph else first + 1, last + 1))
        return codes
    return set()  # other formats map no Unicode beyond what 4 and 12 hold


def _font(path: str) -> bytes:
    return (ASSETS / path).read_bytes()


def _missing(mapped: set[int], wanted: range) -> list[str]:
    return [f"U+{code:04X} {chr(code)!r}" for code in wanted if code not in mapped]


@pytest.mark.parametrize("family", sorted(FONTS))
def test_a_script_font_draws_latin_and_maps_the_bidi_isolates(family: str) -> None:
    mapped = mapped_code_points(_font(FONTS[family]))
    for name, wanted in (
        ("Basic Latin", BASIC_LATIN),
        ("the Latin-1 Supplement", LATIN_1_SUPPLEMENT),
        ("the bidi isolates", BIDI_ISOLATES),
    ):
        missing = _missing(mapped, wanted)
        assert not missing, f"{family} ({FONTS[family]}) lacks {name}: {', '.join(missing)}"


@pytest.mark.parametrize(
    ("family", "present", "absent"),
    [
        ("Noto Sans Arabic", "عبد الله", "中"),
        ("Noto Sans TC", "陳家您好", "ع"),
    ],
)
def test_the_cmap_reader_finds_what_a_font_maps_and_nothing_else(
    family: str, present: str, absent: str
) -> None:
    mapped = mapped_code_points(_font(FONTS[family]))
    assert {ord(c) for c in present if c != " "} <= mapped
    assert ord(absent) not in mapped
    assert 0xE000 not in mapped  # the private use area: no script font maps it
