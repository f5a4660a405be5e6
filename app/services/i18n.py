"""The app's own words in the caller's language: one JSON catalogue per language.

Adding a UI language means adding ``assets/i18n/<code>.json`` with every key of
``en.json``; tests/test_i18n.py checks that no key is missing or extra.
"""

from __future__ import annotations

import functools
import json
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from app.core.models import LanguageCode
from app.core.scripts import fill

log = logging.getLogger(__name__)

CATALOGUE_DIR = Path(__file__).resolve().parents[2] / "assets" / "i18n"
DEFAULT_LANGUAGE = "en"

Catalogues = Mapping[str, Mapping[str, str]]


def load_catalogues(folder: Path = CATALOGUE_DIR) -> dict[str, dict[str, str]]:
    """Every ``<code>.json`` in ``folder``, by language code."""
    catalogues: dict[str, dict[str, str]] = {}
    for path in sorted(folder.glob("*.json")):
        messages = json.loads(path.read_text("utf-8"))
        if not isinstance(messages, dict):
            raise ValueError(f"{path.name}: a catalogue is one JSON object of key → text")
        catalogues[path.stem] = {str(key): str(value) for key, value in messages.items()}
    return catalogues


@functools.cache
def default_catalogues() -> Catalogues:
    """The catalogues in assets/i18n, read once per process."""
    return load_catalogues()


def choose_language(preferred: Iterable[str], available: Iterable[str]) -> str:
    """The first preferred language (``es-MX`` matches ``es``) we have, else English."""
    have = list(available)
    for tag in preferred:
        base = tag.replace("_", "-").split("-")[0].lower()
        if base in have:
            return base
    return DEFAULT_LANGUAGE if DEFAULT_LANGUAGE in have or not have else have[0]


@dataclass(frozen=True)
class Translator:
    """``tr("sync.pending", count=2)`` → "2 pending"; a missing key falls back to English,
    then to the key itself, so a gap shows instead of crashing a screen."""

    language: str
    catalogues: Catalogues

    def __call__(self, key: str, **values: object) -> str:
        text = self.catalogues.get(self.language, {}).get(key)
        if text is None:
            text = self.catalogues.get(DEFAULT_LANGUAGE, {}).get(key, key)
        return fill(text, {name: str(value) for name, value in values.items()})[0]

    def has(self, key: str) -> bool:
        return key in self.catalogues.get(self.language, {}) or key in self.catalogues.get(
            DEFAULT_LANGUAGE, {}
        )

    def language_name(self, code: str) -> str:
        """``es`` → "Spanish" (in the UI language); an unknown code as it is."""
        for key in (f"language.{code}", f"language.{code.split('-')[0]}"):
            if self.has(key):
                return self(key)
        return code

    def clock(self, moment: datetime) -> str:
        """A wall-clock time as people say it here: "8:05 pm" in English, "20:05" else."""
        if self.language == "en":
            hour = moment.hour % 12 or 12
            return f"{hour}:{moment.minute:02d} {'am' if moment.hour < 12 else 'pm'}"
        return f"{moment.hour}:{moment.minute:02d}"

    def day_and_clock(self, moment: datetime, now: datetime) -> str:
        """The clock time, with the date when it is not today (in ``moment``'s zone)."""
        local_now = now.astimezone(moment.tzinfo)
        if moment.date() == local_now.date():
            return self.clock(moment)
        if self.language == "en":
            return f"{moment.month}/{moment.day} {self.clock(moment)}"
        return f"{moment.day}/{moment.month} {self.clock(moment)}"


def language_names(code: LanguageCode, catalogues: Catalogues) -> set[str]:
    """What a language is called in every UI language: ``es`` → {"Spanish", "Español"}; a
    tag also by its base language (``zh-Hant`` is "Chinese (Traditional)" and "Chinese")."""
    tags = (code, code.split("-")[0])
    return {Translator(ui, catalogues).language_name(tag) for ui in catalogues for tag in tags}
