"""Bidi isolation: a phone number, a code or a Latin name inside Arabic text (and an Arabic
name inside English) is one unit in its own direction, wrapped in FSI/LRI … PDI."""

from __future__ import annotations

import pytest

from app.core.bidi import (
    FSI,
    LRI,
    PDI,
    RLI,
    has_rtl,
    isolate,
    isolate_in,
    isolate_lines,
    phone_number,
    strip_isolates,
)
from app.services.i18n import Translator, load_catalogues

CATALOGUES = load_catalogues()


def test_isolates_wrap_text_in_the_direction_asked() -> None:
    assert isolate("ZH-HANT") == f"{FSI}ZH-HANT{PDI}"
    assert isolate("abc", "ltr") == f"{LRI}abc{PDI}"
    assert isolate("عبد الله", "rtl") == f"{RLI}عبد الله{PDI}"
    assert isolate("") == ""


@pytest.mark.parametrize(
    ("text", "rtl"),
    [("عبد الله", True), ("Andre Adams", False), ("+15105550111;ext=12", False), ("שלום", True)],
)
def test_right_to_left_letters_are_found(text: str, rtl: bool) -> None:
    assert has_rtl(text) is rtl


def test_a_phone_number_always_reads_left_to_right() -> None:
    assert phone_number("+15105550111;ext=12") == f"{LRI}+15105550111;ext=12{PDI}"


@pytest.mark.parametrize(
    ("text", "around", "expected"),
    [
        ("Andre Adams", "ltr", "Andre Adams"),  # nothing to isolate: English stays as it was
        ("عبد الله", "ltr", f"{FSI}عبد الله{PDI}"),
        ("Andre Adams", "rtl", f"{FSI}Andre Adams{PDI}"),
        ("+15105550111", "rtl", f"{FSI}+15105550111{PDI}"),
    ],
)
def test_text_is_isolated_where_it_may_read_another_way(
    text: str, around: str, expected: str
) -> None:
    assert isolate_in(text, around) == expected  # type: ignore[arg-type]


def test_an_arabic_sentence_isolates_each_value_and_reads_the_same_without_marks() -> None:
    arabic = Translator("ar", CATALOGUES)
    text = arabic("call.call_button", number=phone_number("+15105550111;ext=12"))
    assert f"{FSI}{LRI}+15105550111;ext=12{PDI}{PDI}" in text
    assert strip_isolates(text) == "اتصل بـ +15105550111;ext=12"
    assert arabic("list.open_household", name="Andre Adams") == f"فتح {FSI}Andre Adams{PDI}"


def test_an_arabic_name_inside_english_is_isolated_and_latin_values_are_left_alone() -> None:
    english = Translator("en", CATALOGUES)
    assert english("list.open_household", name="عائلة حداد") == f"Open {FSI}عائلة حداد{PDI}"
    assert english("list.open_household", name="Haddad family") == "Open Haddad family"


def test_every_isolate_is_closed() -> None:
    arabic = Translator("ar", CATALOGUES)
    text = arabic("list.attempts", count=3, last="No answer")
    opened = sum(text.count(mark) for mark in (FSI, LRI, RLI))
    assert opened == text.count(PDI) == 2


def test_a_text_of_several_lines_is_isolated_line_by_line() -> None:
    text = isolate_lines("Hello Ana.\nIs this a good time?", "ltr")
    assert text == f"{LRI}Hello Ana.{PDI}\n{LRI}Is this a good time?{PDI}"
    assert strip_isolates(text) == "Hello Ana.\nIs this a good time?"


def test_a_phone_number_standing_alone_is_isolated_in_the_arabic_ui_only() -> None:
    number = "+15105550111;ext=12"
    assert Translator("ar", CATALOGUES).phone_number(number) == f"{LRI}{number}{PDI}"
    assert Translator("en", CATALOGUES).phone_number(number) == number
    # Inside an English sentence the number is left as it is (tests and screen readers
    # find "Call +15105550111;ext=12"); inside Arabic it is one left-to-right unit.
    assert Translator("en", CATALOGUES)("call.call_button", number=number) == f"Call {number}"
    arabic = Translator("ar", CATALOGUES)("call.call_button", number=number)
    assert arabic == f"اتصل بـ {FSI}{number}{PDI}"
