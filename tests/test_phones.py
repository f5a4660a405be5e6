import re

import phonenumbers
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from app.core.errors import InvalidPhoneNumber
from app.core.phones import dialable, normalise_phone

# E.164 allows at most 15 digits; real numbers can be as short as 6 (Niue, Iran's UAN),
# so a lower bound of 8 would reject numbers people actually have.
E164 = re.compile(r"\+[1-9][0-9]{5,14}(;ext=[0-9]+)?")
NUMBER_TYPES = [
    phonenumbers.PhoneNumberType.FIXED_LINE,
    phonenumbers.PhoneNumberType.MOBILE,
    phonenumbers.PhoneNumberType.TOLL_FREE,
    phonenumbers.PhoneNumberType.VOIP,
    phonenumbers.PhoneNumberType.UAN,
]


@pytest.mark.parametrize(
    ("raw", "region", "expected"),
    [
        ("(510) 555-0123", "US", "+15105550123"),
        ("510.555.0123", "US", "+15105550123"),
        ("  +1 510 555 0123  ", "US", "+15105550123"),
        ("tel:+1-510-555-0123", "US", "+15105550123"),
        ("510-555-0123 x12", "US", "+15105550123;ext=12"),
        ("510-555-0123 ext. 7", "US", "+15105550123;ext=7"),
        ("+1 (510) 555-0123;ext=45", "US", "+15105550123;ext=45"),
        ("1-800-FLOWERS", "US", "+18003569377"),
        ("020 7946 0958", "GB", "+442079460958"),
        ("+44 20 7946 0958", "US", "+442079460958"),
        ("55 1234 5678", "MX", "+525512345678"),
        ("+52 55 1234 5678", "US", "+525512345678"),
        ("0912 345 678", "VN", "+84912345678"),
        ("06 12 34 56 78", "FR", "+33612345678"),
    ],
)
def test_normalise_valid(raw, region, expected):
    assert normalise_phone(raw, default_region=region) == expected


@pytest.mark.parametrize(
    ("raw", "region"),
    [
        ("", "US"),
        ("   ", "US"),
        ("hello", "US"),
        ("call me maybe", "US"),
        ("555-0123", "US"),
        ("123", "US"),
        ("+1 510 555 01234", "US"),
        ("5105550123", "GB"),
        ("510 555 0123", "ZZ"),
    ],
)
def test_normalise_invalid(raw, region):
    with pytest.raises(InvalidPhoneNumber):
        normalise_phone(raw, default_region=region)


def test_invalid_message_names_the_input():
    with pytest.raises(InvalidPhoneNumber, match="555-0123"):
        normalise_phone("555-0123")


@pytest.mark.parametrize(
    ("e164", "prefix", "expected"),
    [
        ("+15105550123", None, "+15105550123"),
        ("+15105550123", "*67", "*67+15105550123"),
        ("+15105550123;ext=12", None, "+15105550123,12"),
        ("+15105550123;ext=12", "#31#", "#31#+15105550123,12"),
    ],
)
def test_dialable(e164, prefix, expected):
    assert dialable(e164, prefix) == expected


def _formatted_examples():
    """Valid numbers of every region, written the ways people write them."""
    formats = [
        phonenumbers.PhoneNumberFormat.E164,
        phonenumbers.PhoneNumberFormat.INTERNATIONAL,
        phonenumbers.PhoneNumberFormat.NATIONAL,
    ]

    def build(region, number_type, number_format, extension):
        number = phonenumbers.example_number_for_type(region, number_type)
        if number is None:
            number = phonenumbers.example_number(region)
        assert number is not None, region
        text = phonenumbers.format_number(number, number_format)
        return (text + (f" ext. {extension}" if extension else ""), region)

    return st.builds(
        build,
        st.sampled_from(sorted(phonenumbers.SUPPORTED_REGIONS)),
        st.sampled_from(NUMBER_TYPES),
        st.sampled_from(formats),
        st.one_of(st.none(), st.integers(1, 99999)),
    )


def _normalise_or_none(raw, region):
    try:
        return normalise_phone(raw, default_region=region)
    except InvalidPhoneNumber:
        return None


@given(
    st.one_of(
        st.tuples(st.text(), st.just("US")),
        st.tuples(st.text(alphabet="0123456789+-(). xet;=#*"), st.just("US")),
        _formatted_examples(),
    )
)
@example(("+1 510 555 0123 x 12", "US"))
def test_normalise_returns_e164_or_raises(case):
    raw, region = case
    result = _normalise_or_none(raw, region)
    if result is not None:
        assert E164.fullmatch(result)
        # Normalising its own output changes nothing, whatever the region.
        assert normalise_phone(result, default_region=region) == result
        assert normalise_phone(result, default_region="US") == result


@given(_formatted_examples())
def test_examples_of_every_region_are_accepted(case):
    raw, region = case
    assert E164.fullmatch(normalise_phone(raw, default_region=region))
