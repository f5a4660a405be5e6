"""CLDR does the grammar: plural forms by each language's rules, numbers with the locale's
separators, language names and dates in the UI language, need tags in words."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from app.core.bidi import strip_isolates
from app.services.i18n import (
    Translator,
    choose_language,
    language_names,
    load_catalogues,
    plural_category,
)

CATALOGUES = load_catalogues()
OAKLAND = ZoneInfo("America/Los_Angeles")


def tr(language: str) -> Translator:
    return Translator(language, CATALOGUES)


@pytest.mark.parametrize(
    ("language", "count", "category"),
    [
        ("en", 1, "one"),
        ("en", 0, "other"),
        ("en", 2, "other"),
        ("es", 1, "one"),
        ("es", 1_000_000, "many"),
        ("ar", 0, "zero"),
        ("ar", 1, "one"),
        ("ar", 2, "two"),
        ("ar", 3, "few"),
        ("ar", 10, "few"),
        ("ar", 11, "many"),
        ("ar", 100, "other"),
        ("ar", 103, "few"),
        ("zh-Hant", 1, "other"),
    ],
)
def test_each_language_counts_by_its_own_rules(language: str, count: int, category: str) -> None:
    assert plural_category(language, count) == category


@pytest.mark.parametrize(
    ("language", "count", "expected"),
    [
        ("en", 1, "1 attempt, last: No answer"),
        ("en", 3, "3 attempts, last: No answer"),
        ("en", 1234, "1,234 attempts, last: No answer"),
        ("es", 1, "1 intento, último: No answer"),
        ("es", 2, "2 intentos, último: No answer"),
        ("es", 12345, "12.345 intentos, último: No answer"),
        ("ar", 1, "محاولة واحدة، الأخيرة: No answer"),
        ("ar", 2, "محاولتان، الأخيرة: No answer"),
        ("ar", 3, "3 محاولات، الأخيرة: No answer"),
        ("ar", 11, "11 محاولة، الأخيرة: No answer"),
        ("zh-Hant", 2, "已嘗試 2 次，最近一次：No answer"),
        ("vi", 2, "Đã gọi 2 lần, lần gần nhất: No answer"),
    ],
)
def test_a_count_picks_its_plural_form(language: str, count: int, expected: str) -> None:
    text = tr(language)("list.attempts", count=count, last="No answer")
    assert strip_isolates(text) == expected


def test_the_stats_cheer_follows_the_number_it_names() -> None:
    assert tr("en")("stats.cheer.completed", count=1).startswith("1 family fully helped")
    assert tr("en")("stats.cheer.completed", count=2).startswith("2 families fully helped")
    assert tr("es")("stats.cheer.calls", count=1).startswith("1 llamada hoy")


@pytest.mark.parametrize(
    ("ui", "code", "name", "label"),
    [
        ("es", "vi", "vietnamita", "Vietnamita"),
        ("es", "zh-Hant", "chino (tradicional)", "Chino (tradicional)"),
        ("en", "zh-Hant", "Chinese (Traditional)", "Chinese (Traditional)"),
        ("en", "yue", "Cantonese", "Cantonese"),
        ("vi", "es", "Tiếng Tây Ban Nha", "Tiếng Tây Ban Nha"),
        ("zh-Hant", "vi", "越南文", "越南文"),
        ("ar", "es", "الإسبانية", "الإسبانية"),
        ("es", "mam", "mam", "Mam"),  # no CLDR name: the tag as it is
    ],
)
def test_language_names_in_the_ui_language(ui: str, code: str, name: str, label: str) -> None:
    assert tr(ui).language_name(code) == name
    assert tr(ui).language_label(code) == label


def test_a_language_is_found_by_its_name_in_every_ui_language() -> None:
    names = language_names("vi", CATALOGUES)
    assert {"Vietnamese", "vietnamita", "越南文", "Tiếng Việt", "الفيتنامية"} <= names


def test_the_badge_says_the_language_in_a_sentence() -> None:
    assert tr("es")("language.badge", language=tr("es").language_name("vi")) == ("Habla vietnamita")


@pytest.mark.parametrize(
    ("language", "clock", "day"),
    [
        ("en", "8:05\u202fPM", "Jan 15"),
        ("es", "20:05", "15 ene"),
        ("zh-Hant", "晚上8:05", "1月15日"),
        ("vi", "20:05", "15 thg 1"),
        ("ar", "8:05 م", "15 يناير"),
    ],
)
def test_times_and_dates_read_as_people_say_them(language: str, clock: str, day: str) -> None:
    moment = datetime(2026, 1, 15, 20, 5, tzinfo=OAKLAND)
    same_day = datetime(2026, 1, 15, 9, 0, tzinfo=OAKLAND)
    day_before = datetime(2026, 1, 14, 9, 0, tzinfo=OAKLAND)
    assert tr(language).clock(moment) == clock
    assert tr(language).day_and_clock(moment, same_day) == clock
    assert tr(language).day_and_clock(moment, day_before) == f"{day} {clock}"


@pytest.mark.parametrize(
    ("language", "tag", "label"),
    [
        ("en", "no-device", "No device at home"),
        ("es", "no-device", "Sin dispositivo en casa"),
        ("es", "IEP", "IEP (educación especial)"),
        ("vi", "no-internet", "Nhà không có internet"),
        ("es", "choir", "choir"),  # a campaign's own tag with no words: as it is
    ],
)
def test_need_tags_have_words_per_language(language: str, tag: str, label: str) -> None:
    assert tr(language).need(tag) == label


@pytest.mark.parametrize(
    ("preferred", "expected"),
    [
        (["zh-TW"], "zh-Hant"),
        (["zh-Hant-HK"], "zh-Hant"),
        (["ar-EG", "en"], "ar"),
        (["vi-VN"], "vi"),
        (["fr-FR", "es-MX"], "es"),
        (["fr"], "en"),
    ],
)
def test_the_browsers_language_picks_the_ui_language(preferred: list[str], expected: str) -> None:
    assert choose_language(preferred, CATALOGUES) == expected
