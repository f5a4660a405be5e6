"""Scripts as a caller reads them: the household's language, its sections, placeholders filled.

Also the ``sms:`` and ``tel:`` links that put a template or a number in the phone's own app.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Literal
from urllib.parse import quote

from babel import Locale, UnknownLocaleError
from babel.lists import format_list

from .models import (
    Campaign,
    Household,
    Member,
    Script,
    SurveyQuestion,
    TextTemplate,
    text_direction,
)
from .phones import dialable

# ``{{`` and ``}}`` are literal braces; ``{name}`` (spaces inside allowed) is a placeholder;
# ``{name|one|other}`` is the form for one, or for any other number, of what ``name``
# counts (``make sure {students} {students|has|have}``). Anything else, a stray brace
# included, is plain text.
_PLACEHOLDER = re.compile(r"\{\{|\}\}|\{\s*(\w+)\s*(?:\|([^{}|]*)\|([^{}|]*))?\}")


@dataclass(frozen=True)
class RenderedSection:
    id: str
    title: str
    body: str
    missing: tuple[str, ...] = ()


@dataclass(frozen=True)
class RenderedScript:
    language: str
    direction: Literal["ltr", "rtl"]
    title: str
    sections: list[RenderedSection]
    questions: list[SurveyQuestion]
    fell_back: bool
    """True when the script is not in the household's language (``script_for``: when the
    household's language has no script at all)."""

    @property
    def missing(self) -> tuple[str, ...]:
        """Every placeholder in the sections that had no value, in order of first appearance."""
        return tuple(dict.fromkeys(name for s in self.sections for name in s.missing))


def _parts(language: str) -> list[str]:
    # Imports often write POSIX locales (es_MX) where BCP-47 has es-MX.
    return language.lower().replace("_", "-").split("-")


# What CLDR's likely subtags say about the scripts of the languages families speak, so the
# device chooses without langcodes (the server's sync_server.languages makes the tags):
# Cantonese, Min Nan and Hakka are written in Traditional Chinese, Mandarin and Wu in
# Simplified; Chinese is Simplified unless its region says otherwise.
_WRITTEN_AS = {"yue": "zh-hant", "nan": "zh-hant", "hak": "zh-hant", "cmn": "zh-hans"}
_LIKELY_SCRIPT = {"zh": "hans", "zh-tw": "hant", "zh-hk": "hant", "zh-mo": "hant"}
_SAME_LANGUAGE = {"tl": "fil", "iw": "he", "in": "id"}
"""Old codes a script or an older device may still carry, and the tag they became."""


@dataclass(frozen=True)
class _Writing:
    """How text in a language is written: ``yue`` is Chinese (zh) in Traditional script."""

    language: str
    script: str | None
    region: str | None
    spoken: str


def _writing(tag: str) -> _Writing:
    parts = _parts(tag)
    spoken = _SAME_LANGUAGE.get(parts[0], parts[0])
    script = next((part for part in parts[1:] if len(part) == 4 and part.isalpha()), None)
    region = next((part for part in parts[1:] if len(part) == 2 or len(part) == 3), None)
    language, _, implied = _WRITTEN_AS.get(spoken, spoken).partition("-")
    likely = _LIKELY_SCRIPT.get(f"{language}-{region}") if region else None
    return _Writing(
        language, script or implied or likely or _LIKELY_SCRIPT.get(language), region, spoken
    )


def written_language(language: str) -> str:
    """The language text in ``language`` is written in: ``yue`` → zh, ``es-MX`` → es."""
    return _writing(language).language


def _find(scripts: Sequence[Script], language: str) -> Script | None:
    """The script that reads best for ``language``, or None when none is in its written
    language: the same tag; then the same script (Cantonese finds zh-Hant); then the same
    spoken language; then the same region or none. Another script of the same language
    comes last: Simplified Chinese falls back to Traditional only when nothing else fits."""
    wanted = _writing(language)
    exact = "-".join(_parts(language))
    best: tuple[tuple[bool, bool, bool, int], int] | None = None
    found: Script | None = None
    for index, script in enumerate(scripts):
        writing = _writing(script.language)
        if writing.language != wanted.language:
            continue
        region = 2 if writing.region == wanted.region else 1 if writing.region is None else 0
        score = (
            (
                "-".join(_parts(script.language)) == exact,
                writing.script == wanted.script,
                writing.spoken == wanted.spoken,
                region,
            ),
            -index,
        )
        if best is None or score > best:
            best, found = score, script
    return found


def choose_script(scripts: Sequence[Script], language: str, default_language: str) -> Script | None:
    """The script to show: household language (see ``_find``: ``yue`` finds ``zh-Hant``),
    campaign default, then the first script; None when there is none."""
    if not scripts:
        return None
    return _find(scripts, language) or _find(scripts, default_language) or scripts[0]


def _first_name(name: str) -> str:
    words = name.split()
    return words[0] if words else name


# How the household's own name is often written: "García family", "Familia García", "陳家".
_FAMILY_WORD = re.compile(
    r"^\s*(?:the\s+|la\s+)?(?:familia|famille|family|gia\s+đình|عائلة|household)\s+"
    r"|^\s*the\s+(?=.*\s(?:family|household)\s*$)"
    r"|\s+(?:family|familia|household)\s*$|(?<=\S)\s*家\s*$",
    re.IGNORECASE,
)
_THE_FAMILY = {
    "en": "the {} family",
    "es": "la familia {}",
    "vi": "gia đình {}",
    "zh": "{}家",
    "ar": "عائلة {}",
}
"""``{the_family}`` in each written language a demo script is in; another says the name."""


def family_name(household: Household) -> str:
    """The family's name without the word "family": "García family" → "García"."""
    return _FAMILY_WORD.sub("", household.name).strip() or household.name


def _the_family(name: str, language: str) -> str:
    written = written_language(language)
    pattern = _THE_FAMILY.get(written, "{}")
    if written == "zh" and name[-1:].isascii():
        pattern = "{} 家"  # a Latin name keeps a space before the character
    return pattern.format(name)


def join_names(names: Sequence[str], language: str) -> str:
    """``["Luis", "Ana"]`` → "Luis and Ana" / "Luis y Ana" / "Luis 和 Ana", by CLDR's list
    patterns for ``language``; English's where Babel has no data for it (the offline app
    ships only its UI languages')."""
    for tag in (language, "en"):
        try:
            return format_list(list(names), locale=Locale.parse(tag, sep="-"))
        except (UnknownLocaleError, ValueError):
            continue
    return ", ".join(names)


def placeholder_counts(household: Household) -> dict[str, int]:
    """What ``{name|one|other}`` forms count: the household's students and guardians."""
    students, guardians = len(household.students), len(household.guardians)
    return {"students": students, "student_count": students, "guardians": guardians}


def placeholder_values(
    household: Household,
    campaign: Campaign,
    caller_name: str,
    *,
    student: Member | None = None,
    language: str | None = None,
) -> dict[str, str]:
    """The values ``fill`` uses; a key with nothing to say is left out so it shows as missing.

    Campaign variables come first, so a built-in name (household, caller…) always wins.
    ``school`` is the given student's school, else the household's, else the campaign's;
    ``organization`` is whom the caller calls for (the campaign's ``organization``, else its
    ``school``), never a student's school. ``students`` and ``the_family`` are worded in
    ``language`` (the script's; the family's when not given).
    """
    values = dict(campaign.variables)
    language = language or household.language
    guardians = household.guardians
    students = household.students
    surname = family_name(household)
    values.update(
        household=household.name,
        family=household.name,
        family_name=surname,
        the_family=_the_family(surname, language),
        guardian=_first_name(guardians[0].name) if guardians else household.name,
        caller=caller_name,
        campaign=campaign.name,
        student_count=str(len(students)),
    )
    chosen = student or (students[0] if students else None)
    if chosen:
        values["student"] = _first_name(chosen.name)
    if students:
        values["students"] = join_names([_first_name(m.name) for m in students], language)
    school = (student and student.school) or household.school or campaign.variables.get("school")
    if school:
        values["school"] = school
    organization = campaign.variables.get("organization") or campaign.variables.get("school")
    if organization:
        values["organization"] = organization
    return values


def fill(
    template: str, values: Mapping[str, str], counts: Mapping[str, int] | None = None
) -> tuple[str, tuple[str, ...]]:
    """Replace ``{name}`` placeholders and ``{name|one|other}`` forms; return the text and
    the names with no value.

    A form counts ``counts[name]``, else a whole number in ``values[name]``. An unknown name
    stays visible as ``[name?]``. Never ``str.format``: supervisor-written text must not
    reach attribute access or format specs. Never raises.
    """
    missing: dict[str, None] = {}

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name is None:
            return match.group(0)[0]
        if match.group(2) is not None:
            count = _count(name, values, counts or {})
            if count is not None:
                return match.group(2) if count == 1 else match.group(3)
            missing[name] = None
            return f"[{name}?]"
        value = values.get(name, values.get(name.lower()))
        if value is None:
            missing[name] = None
            return f"[{name}?]"
        return value

    return _PLACEHOLDER.sub(replace, template), tuple(missing)


def _count(name: str, values: Mapping[str, str], counts: Mapping[str, int]) -> int | None:
    count = counts.get(name, counts.get(name.lower()))
    if count is not None:
        return count
    value = (values.get(name) or values.get(name.lower()) or "").strip()
    return int(value) if value.isdecimal() else None


def _shown(when_tags: Iterable[str], household_tags: set[str]) -> bool:
    wanted = {tag.strip().casefold() for tag in when_tags}
    return not wanted or not wanted.isdisjoint(household_tags)


def render_script(
    script: Script,
    household: Household,
    campaign: Campaign,
    caller_name: str,
    *,
    needs: Iterable[str] = (),
) -> RenderedScript:
    """``script`` for ``household``: the sections and questions its tags call for, and those
    for the ``needs`` found on this call, filled in."""
    values = placeholder_values(household, campaign, caller_name, language=script.language)
    counts = placeholder_counts(household)
    tags = {tag.strip().casefold() for tag in (*household.tags, *needs)}
    sections = []
    for section in script.sections:
        if not _shown(section.when_tags, tags):
            continue
        title, title_missing = fill(section.title, values, counts)
        body, body_missing = fill(section.body, values, counts)
        missing = tuple(dict.fromkeys(title_missing + body_missing))
        sections.append(RenderedSection(section.id, title, body, missing))
    questions = [
        question.model_copy(update={"prompt": fill(question.prompt, values, counts)[0]})
        for question in script.questions
        if _shown(question.when_tags, tags)
    ]
    return RenderedScript(
        language=script.language,
        direction=text_direction(script.language),
        title=fill(script.title, values, counts)[0],
        sections=sections,
        questions=questions,
        fell_back=written_language(script.language) != written_language(household.language),
    )


def script_for(
    scripts: Sequence[Script],
    household: Household,
    campaign: Campaign,
    caller_name: str,
    *,
    language: str | None = None,
    needs: Iterable[str] = (),
) -> RenderedScript | None:
    """The script a caller reads to ``household``, rendered: in ``language`` when the caller
    picked one, else the family's (``choose_script``), with the sections for the family's
    tags and the ``needs`` found on this call; None when the campaign has no script.

    ``fell_back`` says the family's own language has no script, whichever one is shown: a
    caller who switches a Spanish family to English has not fallen back.
    """
    script = choose_script(scripts, language or household.language, campaign.default_language)
    if script is None:
        return None
    rendered = render_script(script, household, campaign, caller_name, needs=needs)
    return replace(rendered, fell_back=_find(scripts, household.language) is None)


def render_text(
    template: TextTemplate,
    household: Household,
    campaign: Campaign,
    caller_name: str,
    *,
    language: str | None = None,
) -> tuple[str, tuple[str, ...]]:
    """A text message's body for ``household`` (worded in ``language``, the script's) and
    the placeholders that had no value."""
    values = placeholder_values(household, campaign, caller_name, language=language)
    return fill(template.body, values, placeholder_counts(household))


def sms_link(e164: str, body: str) -> str:
    """An ``sms:`` link with ``body`` prefilled; a text cannot go to an extension."""
    number = e164.partition(";ext=")[0]
    return f"sms:{number}?body={quote(body, safe='')}" if body else f"sms:{number}"


PLATFORMS_REFUSING_CODES = frozenset({"ios", "macos"})
"""Where a ``tel:`` link must not start with a code such as ``*67``: iPhones (and Macs that
hand calls to one) refuse a link with ``*`` or ``#`` in it, so the call is not placed."""


def dials_codes(platform: str | None) -> bool:
    """Whether the phone's dialler dials a caller-ID code from a link (Flet's platform name;
    Android phones do, and so does a platform the app could not tell)."""
    return platform not in PLATFORMS_REFUSING_CODES


def tel_link(e164: str, prefix: str | None = None) -> str:
    """A ``tel:`` link dialling ``prefix`` (e.g. ``*67``) then the number and extension."""
    # ``#`` would start a URI fragment and be dropped by the dialler, so it must be %23.
    return "tel:" + quote(dialable(e164, prefix), safe="+*,")
