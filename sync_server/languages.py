"""Language names and codes as BCP-47 tags (``langcodes``): what the importer, the API, the
CLI, the console and assignment use to agree on which language a family or caller speaks.

Server-only: the caller app runs ``app/core`` in the browser, whose first download must not
carry ``langcodes``' name data; the device only chooses scripts (``app.core.scripts``).

Tags are langcodes' standard form with macrolanguages folded: 'Mandarin' and ``cmn`` → ``zh``,
'Tagalog' and ``tl`` → ``fil``, 'Cantonese', '粵語' and ``zh-yue`` → ``yue`` (a language of its
own for matching callers; it is written with the Traditional Chinese script, ``zh-Hant``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache, lru_cache
from typing import NamedTuple

import langcodes
from language_data.names import get_trie_value, load_trie, normalize_name
from language_data.util import data_filename

from app.core.errors import UnknownLanguage
from app.core.imports import fold
from app.core.models import LanguageCode

__all__ = [
    "LanguageReading",
    "caller_languages",
    "language_choices",
    "language_name",
    "language_tag",
    "listed_languages",
    "read_language",
    "spoken_language",
    "spoken_languages",
]

# What families' files say that the CLDR names miss: US district and campaign spellings.
_FIELD_NAMES: dict[str, LanguageCode] = {
    "kreyol": "ht",
    "kreyol ayisyen": "ht",
    "creole": "ht",
    "haitian": "ht",
    "toisanese": "yue",
    "taishanese": "yue",
    "廣東話": "yue",
    "广东话": "yue",
    "mixteco": "mix",
    "mixtec": "mix",
    "kiche": "quc",
    "quiche": "quc",
    "panjabi": "pa",
    "pilipino": "fil",
}
# Tags that name no language a family speaks: undetermined, uncoded, several, none.
_NOT_A_LANGUAGE = frozenset({"und", "mis", "mul", "zxx"})
_WIDELY_NAMED = 30
"""A language CLDR names in this many languages is worth listing for a caller."""
_SPOKEN_BY = 10_000
_LIST = re.compile(r"\s*(?:[/,;&+|]|\bor\b|\by\b|\band\b)\s*", re.IGNORECASE)
_QUALIFIED = re.compile(r"^(.*?)\s*[(\[](.*?)[)\]]\s*$|^(.*?)\s+-\s+(.*)$")


class LanguageReading(NamedTuple):
    """What a typed language was read as: a tag we know, or the text kept as typed."""

    tag: LanguageCode
    known: bool


def language_tag(text: str) -> LanguageCode | None:
    """``text`` as a standard tag when it is a valid tag of a known language ('ES-mx' → es-MX,
    ``cmn`` → zh, ``tl`` → fil), else None. Names ('Spanish') are not tags."""
    text = text.strip().replace("_", "-")
    if not text or not langcodes.tag_is_valid(text):
        return None
    language = langcodes.Language.get(text)
    if not language.is_valid() or language.language in (None, *_NOT_A_LANGUAGE):
        return None
    return langcodes.standardize_tag(language, macro=True)


@cache
def _names_trie() -> object:
    return load_trie(data_filename("trie/und/name_to_language.marisa"))


@cache
def _folded_names() -> dict[str, LanguageCode]:
    """Every language's name in English, Spanish and its own language, accents stripped
    ('espanol', 'ingles'): names exactly as CLDR spells them are in the trie already."""
    from language_data.name_data import CODE_TO_NAMES  # 4 MB; only when the trie misses

    found: dict[str, set[str]] = {}
    for code, names in CODE_TO_NAMES.items():
        if not re.fullmatch(r"[a-z]{2,3}", code):
            continue  # scripts, territories, tags with subtags
        for in_language in ("en", "es", code):
            if names.get(in_language):
                found.setdefault(fold(names[in_language]), set()).add(code)
    unambiguous = {name: codes.pop() for name, codes in found.items() if len(codes) == 1}
    return {**unambiguous, **_FIELD_NAMES}


def _named(name: str) -> LanguageCode | None:
    """The tag of a language with exactly this name, in any language CLDR knows.

    No prefix matching (langcodes' ``find`` reads 'mandarín' as Mandar and 'Klingonese' as
    Klingon): a name is known whole, or accents aside, or not at all.
    """
    trie = _names_trie()
    key = normalize_name(name)
    for spelling in (key, fold(key)):
        if spelling in trie:  # type: ignore[operator]
            return language_tag(get_trie_value(trie, spelling))
    code = _folded_names().get(fold(key))
    return language_tag(code) if code else None


def _known(text: str) -> LanguageCode | None:
    return language_tag(text) or _named(text)


def _read(text: str) -> LanguageCode | None:
    found = _known(text)
    if found:
        return found
    qualified = _QUALIFIED.match(text)
    if qualified:
        # 'Chinese (Traditional)' is 'Traditional Chinese'; 'Chinese (Cantonese)' is Cantonese;
        # 'Spanish (Mexico)' and 'Spanish - Latin America' are Spanish.
        outer, inner = (part for part in qualified.groups() if part is not None)
        found = _known(f"{inner} {outer}") or _known(inner) or _known(outer)
        if found:
            return found
    # 'Spanish/English', 'Spanish, English', 'vietnamita y español': the first one named.
    parts = listed_languages(text)
    if len(parts) > 1:
        return next((tag for part in parts if (tag := _read(part))), None)
    return None


@lru_cache(maxsize=4096)
def read_language(text: str) -> LanguageReading:
    """A language as a family's file or a supervisor writes it, as one tag.

    A code ('ZH-hant' → zh-Hant) or a name in any language ('Inglés' → en, '粵語' → yue,
    'Chinese (Traditional)' → zh-Hant, 'mandarín' → zh); a value naming no language we know
    is kept as typed, lowercased, with ``known`` False so the caller can say so. Cached: an
    import reads each distinct value once.
    """
    cleaned = " ".join(text.split())
    tag = _read(cleaned) if cleaned else None
    return LanguageReading(tag, True) if tag else LanguageReading(cleaned.lower(), False)


def listed_languages(text: str) -> list[str]:
    """'Spanish, English' → ['Spanish', 'English']: the languages one cell or entry lists."""
    return [part for part in _LIST.split(text.strip()) if part]


@lru_cache(maxsize=4096)
def spoken_language(tag: LanguageCode) -> str:
    """What a caller must speak to call a family with this language: es-MX → es, cmn → zh,
    tl → fil, 'Spanish' (stored before tags were checked) → es; unknown text as it is."""
    reading = read_language(tag)
    if not reading.known:
        return reading.tag
    return langcodes.Language.get(reading.tag).language or reading.tag


def spoken_languages(entries: Iterable[str]) -> set[str]:
    """What a caller's stored languages let them speak: ['es-MX', 'en'] → {es, en}; an entry
    saved before languages were checked may list several ('Spanish, English')."""
    return {spoken_language(part) for entry in entries for part in listed_languages(entry)}


def language_name(tag: LanguageCode, in_language: LanguageCode = "en") -> str:
    """'yue' → 'Cantonese', 'zh-Hant' → 'Chinese (Traditional)'; unknown text as it is."""
    reading = read_language(tag)
    if not reading.known:
        return tag
    return langcodes.Language.get(reading.tag).display_name(in_language)


def _suggestion(text: str) -> str:
    reading = read_language(text)
    if reading.known:
        name = language_name(reading.tag)
        return f"{text!r} is not a language tag; did you mean {reading.tag} ({name})?"
    return f"{text!r} is not a language we know"


def caller_languages(
    values: Iterable[str], *, names: bool = False, field: str = "languages"
) -> list[LanguageCode]:
    """The languages a caller speaks as tags, in order, once each.

    Tags only, unless ``names`` (the CLI: 'Spanish, English' → es, en). Anything else is
    refused with UnknownLanguage naming ``field`` and each value: nothing half-saved,
    nothing ignored.
    """
    tags: list[LanguageCode] = []
    problems: list[str] = []
    for value in values:
        text = value.strip()
        if not text:
            continue
        reading = read_language(text) if names else None
        tag = reading.tag if reading and reading.known else language_tag(text)
        if tag is None:
            problems.append(_suggestion(text))
        elif tag not in tags:
            tags.append(tag)
    if problems:
        raise UnknownLanguage(
            f"{field}: " + "; ".join(problems) + " (use codes such as es, en, zh-Hant, yue)"
        )
    if not tags:
        raise UnknownLanguage(f"{field}: a caller speaks at least one language")
    return tags


@cache
def language_choices(in_language: LanguageCode = "en") -> tuple[tuple[LanguageCode, str], ...]:
    """Every language a caller may speak, as (tag, name in ``in_language``), by name.

    The languages CLDR names in many languages or that at least 10,000 people speak (about
    780 of ISO's 8,000), with the Chinese scripts listed apart as well; the console adds
    the languages its families speak (Mam, say), found with :func:`read_language`.
    """
    from language_data.name_data import CODE_TO_NAMES
    from language_data.population_data import LANGUAGE_SPEAKING_POPULATION

    choices: dict[LanguageCode, str] = {}
    for code, names in CODE_TO_NAMES.items():
        common = len(names) >= _WIDELY_NAMED or (
            LANGUAGE_SPEAKING_POPULATION.get(code, 0) >= _SPOKEN_BY
        )
        listed = common and in_language in names and re.fullmatch(r"[a-z]{2,3}", code)
        if listed and language_tag(code) == code:
            choices[code] = names[in_language]
    for tag in ("zh-Hans", "zh-Hant"):
        choices[tag] = language_name(tag, in_language)
    return tuple(sorted(choices.items(), key=lambda choice: (fold(choice[1]), choice[0])))
