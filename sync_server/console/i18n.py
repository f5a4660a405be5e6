"""The console's words in the supervisor's language (English, Spanish): its own catalogues in
``assets/i18n/console/``, laid over the caller app's for what both show (the errors a
service raises, outcomes, need tags), read with the caller app's ``Translator``."""

from __future__ import annotations

import functools
from pathlib import Path

from app.services.i18n import Catalogues, Message, default_catalogues, load_catalogues

CONSOLE_CATALOGUE_DIR = Path(__file__).resolve().parents[2] / "assets" / "i18n" / "console"


def overlay(own: Catalogues, shared: Catalogues) -> dict[str, dict[str, Message]]:
    """Each language of ``own``, falling back to ``shared``'s words in that language for a
    key ``own`` does not have (``error.…``, ``need.…``, ``disposition.…``)."""
    return {
        language: {**shared.get(language, {}), **messages} for language, messages in own.items()
    }


@functools.cache
def console_catalogues() -> Catalogues:
    """The console's UI languages and their words, read once per process."""
    return overlay(load_catalogues(CONSOLE_CATALOGUE_DIR), default_catalogues())
