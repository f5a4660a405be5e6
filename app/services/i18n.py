"""The app's own words in the caller's language: one JSON catalogue per language, with
Babel's CLDR data for plurals, language names, dates, times and numbers.

Adding a UI language means adding ``assets/i18n/<tag>.json`` with every key of
``en.json`` (tests/test_catalogue_completeness.py checks that no key is missing or extra)
and its Babel locale in the offline app (``sync_server/pwa/site_packages.py``,
``BABEL_LOCALES``). A text that depends on a number is an object of CLDR plural
categories (``{"one": "{count} attempt", "other": "{count} attempts"}``; Arabic has six):
the form is picked by the ``count`` value.
"""

from __future__ import annotations

import functools
import json
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from babel import Locale
from babel.dates import format_skeleton, format_time
from babel.numbers import format_decimal

from app.core.bidi import Direction, isolate_in, phone_number
from app.core.dispositions import DEFAULT_DISPOSITIONS
from app.core.errors import PhonebankError
from app.core.models import Disposition, LanguageCode, text_direction
from app.core.scripts import fill

DEFAULT_LABELS = {disposition.code: disposition.label for disposition in DEFAULT_DISPOSITIONS}
"""A default outcome's English label: a campaign that keeps it gets the catalogues' words."""

log = logging.getLogger(__name__)

CATALOGUE_DIR = Path(__file__).resolve().parents[2] / "assets" / "i18n"
DEFAULT_LANGUAGE = "en"

Message = str | Mapping[str, str]
"""A text, or its forms by CLDR plural category (``one``, ``other`` …)."""
Catalogue = Mapping[str, Message]
Catalogues = Mapping[str, Catalogue]


def load_catalogues(folder: Path = CATALOGUE_DIR) -> dict[str, dict[str, Message]]:
    """Every ``<tag>.json`` in ``folder``, by language tag (``zh-Hant``)."""
    catalogues: dict[str, dict[str, Message]] = {}
    for path in sorted(folder.glob("*.json")):
        messages = json.loads(path.read_text("utf-8"))
        if not isinstance(messages, dict):
            raise ValueError(f"{path.name}: a catalogue is one JSON object of key → text")
        catalogues[path.stem] = {str(key): _message(value) for key, value in messages.items()}
    return catalogues


def _message(value: object) -> Message:
    if isinstance(value, dict):
        return {str(category): str(text) for category, text in value.items()}
    return str(value)


@functools.cache
def default_catalogues() -> Catalogues:
    """The catalogues in assets/i18n, read once per process."""
    return load_catalogues()


def choose_language(preferred: Iterable[str], available: Iterable[str]) -> str:
    """The first preferred language we have: the tag itself (``zh-Hant``), else one with its
    base language (``es-MX`` → ``es``, ``zh-TW`` → ``zh-Hant``); else English."""
    have = list(available)
    by_base: dict[str, str] = {}
    for tag in have:
        by_base.setdefault(tag.split("-")[0].lower(), tag)
    for tag in preferred:
        wanted = tag.replace("_", "-")
        exact = next((t for t in have if t.lower() == wanted.lower()), None)
        if exact or wanted.split("-")[0].lower() in by_base:
            return exact or by_base[wanted.split("-")[0].lower()]
    return DEFAULT_LANGUAGE if DEFAULT_LANGUAGE in have or not have else have[0]


@functools.cache
def cldr_locale(language: str) -> Locale:
    """Babel's locale for a UI language tag (``zh-Hant`` → ``zh_Hant``)."""
    return Locale.parse(language.replace("-", "_"))


def plural_category(language: str, count: int | float) -> str:
    """The CLDR plural category of ``count`` in ``language``: "one", "few", "other" …"""
    return str(cldr_locale(language).plural_form(count))


def plural_categories(language: str) -> set[str]:
    """Every plural category the language's numbers fall into (English: one, other)."""
    return set(cldr_locale(language).plural_form.tags) | {"other"}


def language_name(code: LanguageCode, ui_language: str) -> str | None:
    """What ``code`` (a BCP-47 tag) is called in the UI language, as CLDR writes it inside a
    sentence ("vietnamita"; ``zh-Hant`` → "chino (tradicional)"); None when CLDR has no
    name for it."""
    names = cldr_locale(ui_language).languages
    parts = code.replace("_", "-").split("-")
    base = names.get(parts[0].lower())
    if base is None:
        return None
    scripts = cldr_locale(ui_language).scripts
    details = [scripts.get(p.title(), p) for p in parts[1:] if len(p) == 4]
    return f"{base} ({', '.join(details)})" if details else base


def capitalised(text: str) -> str:
    """The first letter upper-case, as a name standing alone (a chip, a badge) is written."""
    return text[:1].upper() + text[1:]


@dataclass(frozen=True)
class Translator:
    """``tr("sync.pending", count=2)`` → "2 pending"; a missing key falls back to English,
    then to the key itself, so a gap shows instead of crashing a screen. Numbers come out
    in the locale's digits and separators; a plural text takes the form of ``count``; each
    value is isolated where it may read in another direction than the sentence."""

    language: str
    catalogues: Catalogues

    def __call__(self, key: str, **values: object) -> str:
        message = self.catalogues.get(self.language, {}).get(key)
        language = self.language
        if message is None:
            message = self.catalogues.get(DEFAULT_LANGUAGE, {}).get(key, key)
            language = DEFAULT_LANGUAGE
        if not isinstance(message, str):
            count = values.get("count", 0)
            category = plural_category(language, count if isinstance(count, int | float) else 0)
            message = message.get(category) or message.get("other") or key
        # Each value reads in its own direction: a phone number or a Latin name inside
        # Arabic, an Arabic name inside English (app.core.bidi).
        filled = {name: isolate_in(self.format(v), self.direction) for name, v in values.items()}
        return fill(message, filled)[0]

    def format(self, value: object) -> str:
        """A value as it reads in a sentence: a number with the locale's separators."""
        if isinstance(value, int | float) and not isinstance(value, bool):
            return str(format_decimal(value, locale=cldr_locale(self.language)))
        return str(value)

    def outcome(self, disposition: Disposition) -> str:
        """An outcome's name in the UI language: the campaign's own words for it, else the
        catalogue's for a default outcome the campaign did not rename, else its label."""
        own = disposition.labels.get(self.language)
        if own:
            return own
        key = f"disposition.{disposition.code}"
        if DEFAULT_LABELS.get(disposition.code) == disposition.label and self.has(key):
            return self(key)
        return disposition.label

    def error(self, problem: PhonebankError) -> str:
        """What went wrong, in the UI language: the error's key and values; its English
        message only when no catalogue has the key (an error from a newer server)."""
        if self.has(problem.key):
            return self(problem.key, **problem.values)
        return problem.message

    def has(self, key: str) -> bool:
        return key in self.catalogues.get(self.language, {}) or key in self.catalogues.get(
            DEFAULT_LANGUAGE, {}
        )

    @property
    def direction(self) -> Direction:
        """ "rtl" for Arabic (the whole layout mirrors), else "ltr"."""
        return text_direction(self.language)

    def language_name(self, code: str) -> str:
        """``vi`` → "vietnamita" in Spanish, as it reads inside a sentence; a tag CLDR has
        no name for comes back as it is."""
        return language_name(code, self.language) or code

    def language_label(self, code: str) -> str:
        """The language's name standing alone (a chip, a badge): "Vietnamita"."""
        return capitalised(self.language_name(code))

    def phone_number(self, number: str) -> str:
        """A phone number standing in this UI's text: left to right as one unit in a
        right-to-left UI (``+15105550111;ext=12``), as it is in a left-to-right one. (A number
        given as a value to a sentence is isolated by ``__call__`` already.)"""
        return phone_number(number) if self.direction == "rtl" else number

    def need(self, tag: str) -> str:
        """A need tag's words (``no-device`` → "No device at home"); a tag with no words in
        the catalogue as it is."""
        return self._term("need", tag)

    def phone_label(self, label: str) -> str:
        """A phone number's label (``mobile`` → "móvil"); one typed by a person as it is."""
        return self._term("phone", label)

    def _term(self, kind: str, value: str) -> str:
        key = f"{kind}.{value.strip().casefold()}"
        return self(key) if self.has(key) else value

    def clock(self, moment: datetime) -> str:
        """A wall-clock time as people say it here: "8:05 PM", "20:05", "晚上8:05"."""
        return str(format_time(moment, "short", tzinfo=moment.tzinfo, locale=self._locale))

    def day_and_clock(self, moment: datetime, now: datetime) -> str:
        """The clock time, with the date when it is not today (in ``moment``'s zone)."""
        local_now = now.astimezone(moment.tzinfo)
        if moment.date() == local_now.date():
            return self.clock(moment)
        day = format_skeleton("MMMd", moment, tzinfo=moment.tzinfo, locale=self._locale)
        return f"{day} {self.clock(moment)}"

    @property
    def _locale(self) -> Locale:
        return cldr_locale(self.language)


def language_names(code: LanguageCode, catalogues: Catalogues) -> set[str]:
    """What a language is called in every UI language: ``es`` → {"Spanish", "español" …};
    a tag also by its base language (``zh-Hant`` is "Chinese (Traditional)" and "Chinese")."""
    tags = (code, code.split("-")[0])
    return {Translator(ui, catalogues).language_name(tag) for ui in catalogues for tag in tags}
