"""Text of one direction inside text of another, kept in its own order.

A phone number, a code or a Latin name inside Arabic (or an Arabic name inside English)
is wrapped in Unicode bidi isolates (UAX #9): it is laid out as one unit in its own
direction, and it does not reorder the words around it ("+1 510-555-0111 · عبد الله"
instead of "15105550111+ · عبد الله;ext=12").
"""

from __future__ import annotations

import unicodedata
from typing import Literal

LRI = "\u2066"
"""Left-to-right isolate: what follows, up to PDI, reads left to right."""
RLI = "\u2067"
"""Right-to-left isolate."""
FSI = "\u2068"
"""First-strong isolate: the direction of its first letter (left to right when none)."""
PDI = "\u2069"
"""Pop directional isolate: the end of the isolate opened last."""
ISOLATES = (LRI, RLI, FSI, PDI)

Direction = Literal["ltr", "rtl"]
_RTL_CLASSES = {"R", "AL"}


def isolate(text: str, direction: Direction | None = None) -> str:
    """``text`` as one isolated unit: in ``direction``, or in its first letter's (FSI)."""
    if not text:
        return text
    opening = {"ltr": LRI, "rtl": RLI, None: FSI}[direction]
    return f"{opening}{text}{PDI}"


def has_rtl(text: str) -> bool:
    """Whether ``text`` has a right-to-left letter (Arabic, Hebrew …)."""
    return any(unicodedata.bidirectional(char) in _RTL_CLASSES for char in text)


def isolate_in(text: str, around: Direction) -> str:
    """``text`` ready to sit inside a sentence laid out in ``around``: isolated when it may
    read another way (anything inside right-to-left text; right-to-left letters inside
    left-to-right text); a left-to-right sentence with left-to-right words stays as it is."""
    if around == "rtl" or has_rtl(text):
        return isolate(text)
    return text


def phone_number(number: str) -> str:
    """A phone number (``+15105550111;ext=12``) always reads left to right, whatever the
    text around it."""
    return isolate(number, "ltr")


def isolate_lines(text: str, direction: Direction) -> str:
    """Each line of ``text`` isolated in ``direction``: an isolate ends with its paragraph,
    so a text of several lines (an English script inside the Arabic UI) needs one a line."""
    return "\n".join(isolate(line, direction) for line in text.split("\n"))


def strip_isolates(text: str) -> str:
    """``text`` without the isolate marks (to compare what a reader sees)."""
    return text.translate({ord(mark): None for mark in ISOLATES})
