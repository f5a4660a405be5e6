"""What the search box on "My list" finds: a family by its name, a guardian's or a
student's, a need, its language (code, or name in any of the app's languages), or any
part of a phone number — whatever the accents and capitals the caller typed or skipped.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from app.core.imports import fold
from app.core.models import Household, LanguageCode

MIN_PHONE_DIGITS = 3
"""Fewer digits than this are a word ("grade 2"), not part of a phone number."""
_PHONE_PUNCTUATION = frozenset("+()-./")
_WORD = re.compile(r"\w+")
# Letters NFKD does not decompose: a caller types "dang" for Đặng, "lodz" for Łódź.
_BARE_LETTERS = str.maketrans({"đ": "d", "ð": "d", "ł": "l", "ø": "o", "ı": "i"})


def search_fold(text: str) -> str:
    """``fold`` (case, accents, spaces) and the few letters it leaves alone."""
    return fold(text).translate(_BARE_LETTERS)


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


def _is_phone_part(word: str) -> bool:
    return any(ch.isdigit() for ch in word) and all(
        ch.isdigit() or ch in _PHONE_PUNCTUATION for ch in word
    )


@dataclass(frozen=True)
class ListSearch:
    """What was typed: words that must each be found (in any order) in a name, a need or
    the language, and runs of digits ("(510) 555-0142", "555 0142") each found in one of
    the family's phone numbers."""

    words: tuple[str, ...] = ()
    numbers: tuple[str, ...] = ()

    @classmethod
    def parse(cls, typed: str) -> ListSearch:
        words: list[str] = []
        numbers: list[str] = []
        run: list[str] = []  # consecutive words made of digits and phone punctuation

        def end_run() -> None:
            digits = _digits("".join(run))
            if len(digits) >= MIN_PHONE_DIGITS:
                numbers.append(digits)
            else:
                words.extend(run)
            run.clear()

        for word in search_fold(typed).split():
            if _is_phone_part(word):
                run.append(word)
            else:
                end_run()
                words.append(word)
        end_run()
        return cls(tuple(words), tuple(numbers))

    def __bool__(self) -> bool:
        return bool(self.words or self.numbers)

    def matches(
        self, household: Household, language_names: Callable[[LanguageCode], Iterable[str]]
    ) -> bool:
        """Whether every word and number typed is found in ``household``;
        ``language_names(code)`` gives the names its language is known by."""
        if self.numbers:
            phones = [_digits(phone.number.partition(";")[0]) for phone in household.phones]
            if not all(any(number in phone for phone in phones) for number in self.numbers):
                return False
        if not self.words:
            return True
        text = search_fold(
            " ".join(
                (household.name, *(member.name for member in household.members), *household.tags)
            )
        )
        # A language by the start of one of its names ("span", "viet", "chino"): "ines"
        # must not find every Chinese-speaking family.
        language = [
            word
            for name in (household.language, *language_names(household.language))
            for word in _WORD.findall(search_fold(name))
        ]
        return all(
            word in text or any(name.startswith(word) for name in language) for word in self.words
        )
