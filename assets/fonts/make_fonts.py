"""Rebuild the shipped script fonts from Debian's Noto packages (a developer tool, not a test).

The caller app ships these so Chinese and Arabic scripts render offline (``--no-cdn``
Flutter has only Roboto). Each font is a subset, to keep the app small:

- ``NotoSansArabic-Regular.subset.ttf``: the Arabic blocks, shaping features kept, with
  Noto Sans' Latin merged in (Noto Sans Arabic has no Latin letters of its own).
- ``NotoSansTC-Regular.subset.otf``: Noto Sans CJK TC, cut to the common characters of
  Traditional (Big5 level 1) and Simplified (GB2312 level 1) Chinese, CJK punctuation,
  and every character of the shipped Chinese demo scripts, with its own Latin.

Both also draw Latin (``LATIN_RANGES``: names, phone numbers, codes) and map the bidi
isolates, so a script's text never leaves its font for a Latin name, a space or a phone
number. A character the fonts of a text's chain lack falls to the default font (Roboto);
while that is not there (loading, or failed) it is drawn as Noto Sans CJK's .notdef, a box
cut into four triangles (issue 18: "Andre ▲dams"). ``tests/test_font_coverage.py`` keeps
it so.

Usage (needs ``fonttools``; the sources come from ``apt-get download fonts-noto-core
fonts-noto-cjk`` unpacked with ``dpkg-deb -x``)::

    python assets/fonts/make_fonts.py /path/to/unpacked/usr/share/fonts

The shipped files come out byte for byte from Debian 12's fonts-noto-core 20201225 and
fonts-noto-cjk 1:20220127 with fonttools 4.68 and no ``uharfbuzz`` installed (with it,
fontTools packs the layout tables differently: same fonts, other bytes).

Both fonts are under the SIL Open Font License 1.1 (see OFL.txt beside this file).
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
DEMO_SCRIPTS = HERE.parent / "demo" / "scripts"

ARABIC_RANGES = [
    (0x0600, 0x06FF),
    (0x0750, 0x077F),
    (0x08A0, 0x08FF),
    (0xFB50, 0xFDFF),
    (0xFE70, 0xFEFF),
    (0x200C, 0x200F),  # joiners and direction marks
]
CJK_PUNCTUATION = [(0x3000, 0x303F), (0xFF00, 0xFFEF), (0x2018, 0x201D), (0x2026, 0x2026)]
LATIN_RANGES = [
    (0x0020, 0x007E),  # Basic Latin: names, codes, and + ( ) - . ; = # * / of phone numbers
    (0x00A0, 0x00FF),  # Latin-1 Supplement: García, Müller, no-break space, the middle dot
    (0x0100, 0x017F),  # Latin Extended-A: Łukasz, Şahin, Dvořák (Noto Sans CJK has 30 of them)
    (0x2010, 0x2027),  # dashes, quotes, bullet, ellipsis
]
BIDI_ISOLATES = (0x2066, 0x2069)
"""LRI, RLI, FSI and PDI (app/core/bidi.py wraps numbers and names in them): invisible,
zero-width; a font must still map them, or the browser goes looking for another font."""


def _range_chars(ranges: list[tuple[int, int]]) -> set[str]:
    return {chr(code) for start, end in ranges for code in range(start, end + 1)}


def latin() -> set[str]:
    return _range_chars([*LATIN_RANGES, BIDI_ISOLATES])


def _double_byte(encoding: str, leads: range, trails: list[range]) -> set[str]:
    chars = set()
    for lead in leads:
        for trail_range in trails:
            for trail in trail_range:
                try:
                    chars.add(bytes([lead, trail]).decode(encoding))
                except UnicodeDecodeError:
                    continue
    return chars


def common_chinese() -> set[str]:
    # GB2312 level 1 (3755 most common simplified); Big5 level 1 (5401 common traditional).
    simplified = _double_byte("gb2312", range(0xB0, 0xD8), [range(0xA1, 0xFF)])
    traditional = _double_byte("big5", range(0xA4, 0xC7), [range(0x40, 0x7F), range(0xA1, 0xFF)])
    return simplified | traditional


def demo_chinese() -> set[str]:
    chars: set[str] = set()
    for path in DEMO_SCRIPTS.glob("*.zh*.json"):
        chars |= set(json.dumps(json.loads(path.read_text("utf-8")), ensure_ascii=False))
    return chars


def _options(font_number: int) -> Any:
    from fontTools import subset as ft_subset

    options = ft_subset.Options()
    options.font_number = font_number
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.hinting = False
    options.desubroutinize = False
    return options


def _subset_font(source: Path, font_number: int, chars: set[str]) -> Any:
    from fontTools import subset as ft_subset

    options = _options(font_number)
    font = ft_subset.load_font(str(source), options)
    subsetter = ft_subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(ord(c) for c in chars))
    subsetter.subset(font)
    return font


def _save(font: Any, target: Path, chars: set[str]) -> None:
    from fontTools import subset as ft_subset

    ft_subset.save_font(font, str(target), _options(0))
    print(f"{target.name}: {target.stat().st_size:,} bytes, {len(chars):,} characters asked")


def make_arabic(arabic: Path, latin_source: Path, target: Path) -> None:
    """Noto Sans Arabic's subset, then Noto Sans' Latin for what it lacks (same design
    family and units per em; where both map a character, the Arabic font's glyph stays)."""
    from fontTools.merge import Merger
    from fontTools.ttLib import TTFont

    arabic_chars = _range_chars(ARABIC_RANGES) | latin()
    with tempfile.TemporaryDirectory() as folder:
        first, second = Path(folder) / "arabic.ttf", Path(folder) / "latin.ttf"
        _subset_font(arabic, 0, arabic_chars).save(first)
        _subset_font(latin_source, 0, latin()).save(second)
        merged = Merger().merge([str(first), str(second)])
    # The Arabic font's own dates, not the build's: the same sources give the same bytes.
    merged.recalcTimestamp = False
    source_head = TTFont(arabic)["head"]
    merged["head"].created, merged["head"].modified = source_head.created, source_head.modified
    _save(merged, target, arabic_chars)


def _add_empty_glyph(font: Any, name: str) -> None:
    """A zero-width glyph with no outline, in a CID-keyed CFF font (for the isolates)."""
    from fontTools.misc.psCharStrings import T2CharString

    cff = font["CFF "].cff
    top = cff.topDictIndex[0]
    private = top.FDArray[0].Private
    program: list[Any] = [] if private.defaultWidthX == 0 else [-private.nominalWidthX]
    charstring = T2CharString(program=[*program, "endchar"], private=private)
    strings = top.CharStrings
    strings.charStringsIndex.append(charstring)
    strings.charStrings[name] = len(strings.charStringsIndex) - 1
    top.charset.append(name)
    top.FDSelect.append(0)
    font.setGlyphOrder([*font.getGlyphOrder(), name])
    font["hmtx"][name] = (0, 0)
    if "vmtx" in font:
        font["vmtx"][name] = (0, 0)


def make_chinese(cjk: Path, target: Path) -> None:
    chinese = common_chinese() | demo_chinese() | _range_chars(CJK_PUNCTUATION) | latin()
    font = _subset_font(cjk, 3, chinese)  # face 3: CJK TC
    # Noto Sans CJK has no glyph for the isolates: one empty, zero-width glyph for all four.
    isolate = f"cid{len(font.getGlyphOrder()):05d}"
    _add_empty_glyph(font, isolate)
    for table in font["cmap"].tables:
        if table.isUnicode():
            for code in range(BIDI_ISOLATES[0], BIDI_ISOLATES[1] + 1):
                if code <= 0xFFFF or table.format in (12, 13):
                    table.cmap[code] = isolate
    _save(font, target, chinese)


def main(fonts_root: str) -> None:
    root = Path(fonts_root)
    make_arabic(
        root / "truetype" / "noto" / "NotoSansArabic-Regular.ttf",
        root / "truetype" / "noto" / "NotoSans-Regular.ttf",
        HERE / "NotoSansArabic-Regular.subset.ttf",
    )
    make_chinese(
        root / "opentype" / "noto" / "NotoSansCJK-Regular.ttc",
        HERE / "NotoSansTC-Regular.subset.otf",
    )


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "/usr/share/fonts")
