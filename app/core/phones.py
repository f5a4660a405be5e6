"""Phone numbers to E.164 with ``phonenumbers``: never guessed, an invalid one reported."""

from __future__ import annotations

import phonenumbers

from .errors import InvalidPhoneNumber

DEFAULT_REGION = "US"


def normalise_phone(raw: str, default_region: str = DEFAULT_REGION) -> str:
    """Return ``raw`` as E.164 (``+15105550123``), an extension kept as ``;ext=12``.

    Raises InvalidPhoneNumber naming the input when it is not a valid number for its
    region; a number is never padded, truncated or otherwise guessed.
    """
    text = (raw or "").strip()
    if not text:
        raise InvalidPhoneNumber("The phone number is empty")
    try:
        parsed = phonenumbers.parse(text, default_region)
    except phonenumbers.NumberParseException as error:
        raise InvalidPhoneNumber(f"{text!r} is not a phone number ({error})") from error
    if not phonenumbers.is_valid_number(parsed):
        raise InvalidPhoneNumber(f"{text!r} is not a valid phone number")
    e164 = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    return f"{e164};ext={parsed.extension}" if parsed.extension else e164


def dialable(e164: str, prefix: str | None = None) -> str:
    """What goes after ``tel:``: the number with an optional caller-ID hiding prefix."""
    number, _, extension = e164.partition(";ext=")
    dial = f"{prefix or ''}{number}"
    return f"{dial},{extension}" if extension else dial
