"""The console's catalogues (assets/i18n/console/): Spanish says everything English says,
with the same placeholders and Spanish's plural forms, and no "(s)" plurals."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta

import pytest

from app.core.errors import Conflict, InvalidCredentials, PhonebankError, Unauthorized
from app.services.i18n import Message, Translator, load_catalogues, plural_categories
from sync_server.console.i18n import CONSOLE_CATALOGUE_DIR, console_catalogues, said
from sync_server.console.timefmt import ago, local
from sync_server.roles import AdminOnly

OWN = load_catalogues(CONSOLE_CATALOGUE_DIR)
PLACEHOLDER = re.compile(r"\{(\w+)\}")


def placeholders(message: Message) -> set[str]:
    forms = [message] if isinstance(message, str) else list(message.values())
    return {name for form in forms for name in PLACEHOLDER.findall(form)}


def test_the_console_speaks_english_and_spanish() -> None:
    assert set(OWN) == {"en", "es"}


def test_spanish_has_every_english_key_and_no_other() -> None:
    english, spanish = set(OWN["en"]), set(OWN["es"])
    assert sorted(english - spanish) == [], "missing in console/es.json"
    assert sorted(spanish - english) == [], "in console/es.json but not in console/en.json"


@pytest.mark.parametrize("key", sorted(OWN["en"]))
def test_spanish_keeps_the_placeholders(key: str) -> None:
    english, spanish = OWN["en"][key], OWN["es"][key]
    assert isinstance(english, str) == isinstance(spanish, str), key
    assert placeholders(spanish) == placeholders(english)


@pytest.mark.parametrize("language", sorted(OWN))
def test_each_plural_text_has_exactly_its_languages_plural_forms(language: str) -> None:
    plurals = {k: m for k, m in OWN[language].items() if not isinstance(m, str)}
    assert plurals, "no plural texts: the catalogue lost them"
    for key, forms in plurals.items():
        assert set(forms) == plural_categories(language), key
        assert "count" in placeholders(forms), f"{key}: the form is chosen by {{count}}"


@pytest.mark.parametrize("language", sorted(OWN))
def test_no_text_hedges_its_plural_with_brackets(language: str) -> None:
    raw = (CONSOLE_CATALOGUE_DIR / f"{language}.json").read_text("utf-8")
    assert re.findall(r"\w\((?:s|es|ies)\)", raw) == []
    assert isinstance(json.loads(raw), dict)


def test_the_console_reads_the_caller_apps_errors_and_outcomes_in_its_language() -> None:
    tr = Translator("es", console_catalogues())
    assert tr("error.phonebank") == Translator("es", load_catalogues())("error.phonebank")
    assert tr("screen.dashboard") == "Panel"
    assert tr("quiet.row", name="Ana", count=1, reason="ayer") == "Ana: 1 familia, ayer"
    assert tr("quiet.row", name="Ana", count=3, reason="ayer") == "Ana: 3 familias, ayer"


def test_times_read_the_spanish_way_and_english_keeps_its_own() -> None:
    moment = datetime(2026, 12, 1, 22, 5, tzinfo=UTC)
    spanish, english = (Translator(tag, console_catalogues()) for tag in ("es", "en"))
    assert local(moment, "America/Los_Angeles", tr=spanish) == "1 dic 14:05"
    assert local(moment, "America/Los_Angeles", tr=english) == "Dec 01 14:05"
    assert ago(moment - timedelta(days=3), moment, tr=spanish) == "hace 3 días"
    assert ago(moment - timedelta(days=3), moment) == "3 days ago"


def test_errors_read_in_spanish_unless_they_carry_a_sentence_of_their_own() -> None:
    tr = Translator("es", console_catalogues())
    assert said(InvalidCredentials(), tr) == tr("error.invalid_credentials")
    assert said(Unauthorized(), tr) == "Su sesión terminó; vuelva a iniciar sesión."
    assert said(AdminOnly(), tr).startswith("Solo un administrador del distrito")
    specific = Conflict("There is already a script in 'es'; edit that one")
    assert said(specific, tr) == "There is already a script in 'es'; edit that one"
    keyed = PhonebankError("Type the note first", key="error.note_empty")
    assert said(keyed, tr) == Translator("es", load_catalogues())("error.note_empty")
