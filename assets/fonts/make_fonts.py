"""Rebuild the shipped script fonts from Debian's Noto packages (a developer tool, not a test).

The caller app ships these so Chinese and Arabic scripts render offline (``--no-cdn``
Flutter has only Roboto). Each font is a subset, to keep the app small:

- ``NotoSansArabic-Regular.subset.ttf``: the Arabic blocks, shaping features kept.
- ``NotoSansTC-Regular.subset.otf``: Noto Sans CJK TC, cut to the common characters of
  Traditional (Big5 level 1) and Simplified (GB2312 level 1) Chinese, CJK punctuation,
  and every character of the shipped Chinese demo scripts.

Usage (needs ``fonttools``; the sources come from ``apt-get download fonts-noto-core
fonts-noto-cjk`` unpacked with ``dpkg-deb -x``)::

    python assets/fonts/make_fonts.py /path/to/unpacked/usr/share/fonts

Both fonts are under the SIL Open Font License 1.1 (see OFL.txt beside this file).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

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


def _range_chars(ranges: list[tuple[int, int]]) -> set[str]:
    return {chr(code) for start, end in ranges for code in range(start, end + 1)}


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


def subset(source: Path, font_number: int, chars: set[str], target: Path) -> None:
    from fontTools import subset as ft_subset

    options = ft_subset.Options()
    options.font_number = font_number
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.hinting = False
    options.desubroutinize = False
    font = ft_subset.load_font(str(source), options)
    subsetter = ft_subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(ord(c) for c in chars))
    subsetter.subset(font)
    ft_subset.save_font(font, str(target), options)
    print(f"{target.name}: {target.stat().st_size:,} bytes, {len(chars):,} characters asked")


def main(fonts_root: str) -> None:
    root = Path(fonts_root)
    arabic = root / "truetype" / "noto" / "NotoSansArabic-Regular.ttf"
    cjk = root / "opentype" / "noto" / "NotoSansCJK-Regular.ttc"
    subset(arabic, 0, _range_chars(ARABIC_RANGES), HERE / "NotoSansArabic-Regular.subset.ttf")
    chinese = common_chinese() | demo_chinese() | _range_chars(CJK_PUNCTUATION)
    chinese = {c for c in chinese if ord(c) > 0x2000}  # Latin stays with Roboto
    subset(cjk, 3, chinese, HERE / "NotoSansTC-Regular.subset.otf")  # face 3: CJK TC


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "/usr/share/fonts")
