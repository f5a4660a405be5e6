"""The console's words in the supervisor's language (English, Spanish): its own catalogues in
``assets/i18n/console/``, laid over the caller app's for what both show (the errors a
service raises, outcomes, need tags), read with the caller app's ``Translator``."""

from __future__ import annotations

import functools
from pathlib import Path

from app.core.errors import PhonebankError
from app.services.i18n import (
    Catalogues,
    Message,
    Translator,
    default_catalogues,
    load_catalogues,
)

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


def said(problem: PhonebankError, tr: Translator) -> str:
    """What went wrong, in the supervisor's language when the catalogues have words for
    exactly this problem: an error raised with a key of its own, or with its class's own
    message and key. An error raised with a sentence of its own under its class's general
    key ("There is already a script in 'es'") says that sentence: the general words
    ("That already exists.") would lose what it says."""
    kind = type(problem)
    own_key = problem.key != kind.key
    class_words = "key" in vars(kind) and problem.message == (kind.__doc__ or "").strip()
    return tr.error(problem) if own_key or class_words else problem.message
