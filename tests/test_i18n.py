"""The app's UI catalogues: the words come out filled (test_catalogue_completeness.py checks
that every language has every key)."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from app.core.dispositions import disposition_by_code
from app.core.field_roles import ShownToCaller, fields_marked
from app.core.models import Campaign, Disposition, Household
from app.services.i18n import Translator, choose_language, load_catalogues

CATALOGUES = load_catalogues()
PLACEHOLDER = re.compile(r"\{(\w+)\}")


def test_each_household_field_shown_to_callers_has_its_words() -> None:
    for field in fields_marked(Household, ShownToCaller):
        assert "{value}" in str(CATALOGUES["en"][f"household.{field}"]), field


@pytest.mark.parametrize(
    ("preferred", "expected"),
    [
        (["es-MX", "en-US"], "es"),
        (["fr-FR", "es"], "es"),
        (["fr"], "en"),
        ([], "en"),
        (["en_GB"], "en"),
    ],
)
def test_the_device_language_is_the_default(preferred: list[str], expected: str) -> None:
    assert choose_language(preferred, CATALOGUES) == expected


def test_words_are_filled_and_a_gap_falls_back_to_english() -> None:
    spanish = Translator(
        "es", {"en": {"a": "{n} pending", "b": "only English"}, "es": {"a": "{n} pendientes"}}
    )
    assert spanish("a", n=2) == "2 pendientes"
    assert spanish("b") == "only English"
    assert spanish("no.such.key") == "no.such.key"


@pytest.mark.parametrize(("language", "expected"), [("en", "8:05\u202fPM"), ("es", "20:05")])
def test_clock_times_read_as_people_say_them(language: str, expected: str) -> None:
    moment = datetime(2026, 1, 14, 20, 5, tzinfo=ZoneInfo("America/Los_Angeles"))
    tr = Translator(language, CATALOGUES)
    assert tr.clock(moment) == expected
    assert tr("hours.too_late", time=tr.clock(moment)).startswith(
        {"en": f"{expected} there", "es": "Allá son las 20:05"}[language]
    )


def test_every_key_the_screens_use_is_in_the_catalogue() -> None:
    from pathlib import Path

    used = set()
    for path in (Path(__file__).parents[1] / "app" / "ui").rglob("*.py"):
        used |= set(re.findall(r"""\btr\(\s*["']([a-z_]+\.[a-z_.]+)["']""", path.read_text()))
    assert used, "no tr() calls found: the scan is broken"
    assert sorted(used - set(CATALOGUES["en"])) == []


def test_outcomes_are_named_in_the_callers_language_unless_the_campaign_renamed_them() -> None:
    no_answer = disposition_by_code(Campaign(id="c", slug="c", name="C"), "no_answer")
    assert Translator("ar", CATALOGUES).outcome(no_answer) == "لا رد"
    assert Translator("zh-Hant", CATALOGUES).outcome(no_answer) == "沒人接聽"
    assert Translator("es", CATALOGUES).outcome(no_answer) == "No contestó"
    renamed = no_answer.model_copy(update={"label": "Nobody home", "labels": {"vi": "Vắng nhà"}})
    assert Translator("ar", CATALOGUES).outcome(renamed) == "Nobody home"
    assert Translator("vi", CATALOGUES).outcome(renamed) == "Vắng nhà"
    custom = Disposition(code="moved_away", label="Moved away")
    assert Translator("ar", CATALOGUES).outcome(custom) == "Moved away"
