"""Every UI catalogue says everything English says, with the same placeholders and each of
its language's plural forms; every error a caller can meet has its words in every language;
no "(s)" plurals; every need tag of the demo has a label in every language."""

from __future__ import annotations

import importlib
import json
import pkgutil
import re
from pathlib import Path

import pytest

import app
from app.core.errors import PhonebankError
from app.services.i18n import Message, load_catalogues, plural_categories

ROOT = Path(__file__).resolve().parents[1]
CATALOGUES = load_catalogues()
OTHERS = sorted(set(CATALOGUES) - {"en"})
PLACEHOLDER = re.compile(r"\{(\w+)\}")
UI_LANGUAGES = {"en", "es", "zh-Hant", "vi", "ar"}


def placeholders(message: Message) -> set[str]:
    forms = [message] if isinstance(message, str) else list(message.values())
    return {name for form in forms for name in PLACEHOLDER.findall(form)}


def test_the_five_ui_languages_are_there() -> None:
    assert set(CATALOGUES) == UI_LANGUAGES


@pytest.mark.parametrize("language", OTHERS)
def test_every_key_in_english_exists_in_each_language_and_vice_versa(language: str) -> None:
    english, other = set(CATALOGUES["en"]), set(CATALOGUES[language])
    assert sorted(english - other) == [], f"missing in {language}.json"
    assert sorted(other - english) == [], f"in {language}.json but not in en.json"


@pytest.mark.parametrize("language", OTHERS)
def test_translations_keep_the_placeholders(language: str) -> None:
    for key, english in CATALOGUES["en"].items():
        translated = CATALOGUES[language][key]
        if isinstance(english, str):
            assert placeholders(translated) == placeholders(english), key
            continue
        # A form may say the number in words ("محاولتان", two attempts): no {count} there.
        assert isinstance(translated, dict), f"{key}: plural in English, one text in {language}"
        assert placeholders(translated) == placeholders(english), key
        for category, form in translated.items():
            assert placeholders(form) <= placeholders(english), f"{key}[{category}]"


@pytest.mark.parametrize("language", sorted(CATALOGUES))
def test_each_plural_text_has_exactly_its_languages_plural_forms(language: str) -> None:
    wanted = plural_categories(language)
    plurals = {k: m for k, m in CATALOGUES[language].items() if not isinstance(m, str)}
    assert plurals, "no plural texts: the catalogue lost them"
    for key, forms in plurals.items():
        assert set(forms) == wanted, key
        assert "count" in placeholders(forms), f"{key}: the form is chosen by {{count}}"


def test_arabic_has_six_plural_forms_and_chinese_one() -> None:
    assert plural_categories("ar") == {"zero", "one", "two", "few", "many", "other"}
    assert plural_categories("zh-Hant") == {"other"}


@pytest.mark.parametrize("language", sorted(CATALOGUES))
def test_no_text_hedges_its_plural_with_brackets(language: str) -> None:
    raw = (ROOT / "assets" / "i18n" / f"{language}.json").read_text("utf-8")
    assert re.findall(r"\w\((?:s|es|ies|en)\)", raw) == []


def _error_classes() -> set[type[PhonebankError]]:
    """Every PhonebankError the caller app defines (app.core, app.services, app.sync …)."""
    for module in pkgutil.walk_packages(app.__path__, "app."):
        if not module.name.startswith("app.ui"):
            importlib.import_module(module.name)
    found: set[type[PhonebankError]] = set()
    todo = [PhonebankError]
    while todo:
        cls = todo.pop()
        if cls.__module__.startswith("app."):
            found.add(cls)
        todo.extend(cls.__subclasses__())
    return found


def _error_keys_raised() -> set[str]:
    """The precise keys given where errors are raised (``key="error.…"``) in app/."""
    keys = set()
    for path in (ROOT / "app").rglob("*.py"):
        keys |= set(re.findall(r"""\bkey=["'](error\.[a-z_.]+)["']""", path.read_text("utf-8")))
    return keys


def test_the_error_scans_find_what_they_look_for() -> None:
    classes = {cls.__name__ for cls in _error_classes()}
    assert {"OutcomeIncomplete", "InvalidInvite", "InvalidAnswer"} <= classes
    assert "error.pick_callback_time" in _error_keys_raised()


@pytest.mark.parametrize("language", sorted(CATALOGUES))
def test_every_error_a_caller_can_meet_has_its_words(language: str) -> None:
    keys = {cls.key for cls in _error_classes()} | _error_keys_raised()
    assert sorted(keys - set(CATALOGUES[language])) == []


def test_every_error_class_has_a_key_of_its_own() -> None:
    classes = sorted(_error_classes(), key=lambda cls: cls.__name__)
    keys = [cls.key for cls in classes]
    assert len(set(keys)) == len(keys), "two error classes share a key"


def _demo_tags() -> set[str]:
    people = json.loads((ROOT / "assets" / "demo" / "people.json").read_text("utf-8"))
    tags = set(people["tags"]) | {"newcomer"}
    for path in (ROOT / "assets" / "demo" / "scripts").glob("*.json"):
        script = json.loads(path.read_text("utf-8"))
        for section in script.get("sections", []):
            tags |= set(section.get("when_tags", []))
    return tags


@pytest.mark.parametrize("language", sorted(CATALOGUES))
def test_every_demo_need_tag_has_a_label(language: str) -> None:
    tags = _demo_tags()
    assert {"no-device", "iep"} <= tags
    assert sorted(f"need.{tag}" for tag in tags if f"need.{tag}" not in CATALOGUES[language]) == []
