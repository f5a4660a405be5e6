"""Phone numbers to E.164 with ``phonenumbers``: never guessed, an invalid one reported in
words a supervisor can act on (no library text)."""

from __future__ import annotations

import re

import phonenumbers
from phonenumbers import NumberParseException, ValidationResult

from .errors import InvalidPhoneNumber, MissingAreaCode

DEFAULT_REGION = "US"
_AREA_CODE = re.compile(r"\d{2,5}")
_NANP_AREA_CODE = re.compile(r"[2-9]\d\d")


def normalise_phone(
    raw: str, default_region: str = DEFAULT_REGION, default_area_code: str | None = None
) -> str:
    """Return ``raw`` as E.164 (``+15105550123``), an extension kept as ``;ext=12``.

    ``default_area_code`` is put before a number written without one (7 digits in North
    America). Raises InvalidPhoneNumber (MissingAreaCode for a number that lacks only its
    area code) saying what is wrong with the input; a number is never padded, truncated or
    otherwise guessed.
    """
    text = (raw or "").strip()
    if not text:
        raise InvalidPhoneNumber("The phone number is empty")
    parsed = _parse(text, default_region)
    shown = repr(text)
    local = _reason(parsed) == ValidationResult.IS_POSSIBLE_LOCAL_ONLY
    if default_area_code and local and not text.startswith("+"):
        parsed = _parse(f"{default_area_code} {text}", default_region)
        shown = f"{text!r} with the area code {default_area_code}"
    if not phonenumbers.is_valid_number(parsed):
        raise _invalid(shown, parsed)
    e164 = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    return f"{e164};ext={parsed.extension}" if parsed.extension else e164


def area_code(raw: str, region: str = DEFAULT_REGION) -> str:
    """A default area code as digits ('(510)' → '510'); InvalidPhoneNumber saying why not."""
    digits = re.sub(r"[\s().-]", "", raw or "")
    nanp = phonenumbers.country_code_for_region(region.upper()) == 1
    if nanp and not _NANP_AREA_CODE.fullmatch(digits):
        raise InvalidPhoneNumber(
            f"{raw!r} is not an area code: in North America it has 3 digits, the first 2 to 9"
        )
    if not _AREA_CODE.fullmatch(digits):
        raise InvalidPhoneNumber(f"{raw!r} is not an area code: 2 to 5 digits")
    return digits


def _parse(text: str, region: str) -> phonenumbers.PhoneNumber:
    try:
        return phonenumbers.parse(text, region)
    except NumberParseException as error:
        raise InvalidPhoneNumber(_unparsable(text, error)) from None


def _reason(parsed: phonenumbers.PhoneNumber) -> int:
    return int(phonenumbers.is_possible_number_with_reason(parsed))


def _digits(text: str) -> int:
    return sum(char.isdigit() for char in text)


def _unparsable(text: str, error: NumberParseException) -> str:
    kind = error.error_type
    if kind == NumberParseException.INVALID_COUNTRY_CODE:
        if text.startswith("+"):
            return f"{text!r} starts with a country code that does not exist"
        return f"{text!r} has no country code (start it with + and the country code)"
    count = _digits(text)
    if kind == NumberParseException.TOO_LONG:
        return f"{text!r} is too long for a phone number ({_count(count)})"
    if count == 0:
        return f"{text!r} is not a phone number: it has no digits"
    return f"{text!r} is too short for a phone number ({_count(count)})"


def _count(digits: int) -> str:
    return f"{digits} digit{'' if digits == 1 else 's'}"


def _lengths(country_code: int | None) -> str:
    if country_code is None:
        return ""
    region = phonenumbers.region_code_for_country_code(country_code)
    metadata = phonenumbers.PhoneMetadata.metadata_for_region(region)
    general = metadata.general_desc if metadata else None
    lengths = list(general.possible_length or ()) if general else []
    said = [str(length) for length in lengths if length > 0]
    if not said:
        return ""
    either = f"{', '.join(said[:-1])} or {said[-1]}" if len(said) > 1 else said[0]
    where = "in North America" if country_code == 1 else f"with country code +{country_code}"
    return f" where a number {where} has {either}"


def _invalid(shown: str, parsed: phonenumbers.PhoneNumber) -> InvalidPhoneNumber:
    """What is wrong with a number that parsed but is not valid, in words."""
    digits = len(phonenumbers.national_significant_number(parsed))
    reason = _reason(parsed)
    if reason == ValidationResult.IS_POSSIBLE_LOCAL_ONLY:
        return MissingAreaCode(f"{shown} has {_count(digits)}: add the area code")
    if reason == ValidationResult.INVALID_COUNTRY_CODE:
        return InvalidPhoneNumber(f"{shown} has a country code that does not exist")
    if reason == ValidationResult.TOO_SHORT:
        return InvalidPhoneNumber(
            f"{shown} is too short: {_count(digits)}{_lengths(parsed.country_code)}"
        )
    if reason in (ValidationResult.TOO_LONG, ValidationResult.INVALID_LENGTH):
        return InvalidPhoneNumber(f"{shown} has {_count(digits)}{_lengths(parsed.country_code)}")
    where = "in North America" if parsed.country_code == 1 else "in its country"
    return InvalidPhoneNumber(
        f"{shown} is not a number that can exist {where}: check the area code and the digits"
    )


def dialable(e164: str, prefix: str | None = None) -> str:
    """What goes after ``tel:``: the number with an optional caller-ID hiding prefix."""
    number, _, extension = e164.partition(";ext=")
    dial = f"{prefix or ''}{number}"
    return f"{dial},{extension}" if extension else dial
