"""The offline app ships Babel with its five UI languages' CLDR data only, slimmed: each UI
language works from those files alone exactly as it does with all of Babel's data."""

from __future__ import annotations

import importlib.metadata
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import babel
import babel.localedata
import pytest
from babel import UnknownLocaleError

from app.services import i18n
from app.services.i18n import Translator, load_catalogues
from sync_server.pwa import site_packages, wheels

CATALOGUES = load_catalogues()
MOMENT = datetime(2026, 3, 9, 18, 30, tzinfo=ZoneInfo("America/Los_Angeles"))
DAY_BEFORE = datetime(2026, 3, 8, 9, 0, tzinfo=ZoneInfo("America/Los_Angeles"))
LANGUAGES = ("en", "es", "zh", "zh-Hant", "vi", "ar", "yue", "ko", "tl", "mam")


def what_the_app_reads(language: str) -> dict[str, object]:
    """Everything app.services.i18n takes from CLDR, for one UI language."""
    i18n.cldr_locale.cache_clear()
    tr = Translator(language, CATALOGUES)
    return {
        "names": [tr.language_name(code) for code in LANGUAGES],
        "plurals": [i18n.plural_category(language, n) for n in range(0, 250)],
        "clock": tr.clock(MOMENT),
        "day": tr.day_and_clock(MOMENT, DAY_BEFORE),
        "numbers": [tr.format(n) for n in (7, 1234, 1234567, 3.5)],
        "attempts": [tr("list.attempts", count=n, last="x") for n in (0, 1, 2, 3, 11, 100)],
    }


@pytest.fixture
def only_the_shipped_locales(tmp_path: Path) -> Iterator[Path]:
    """Babel reading its locales from a folder with the shipped, slimmed files only."""
    full = Path(babel.localedata._dirname)
    for locale in site_packages.BABEL_LOCALES:
        data = (full / f"{locale}.dat").read_bytes()
        (tmp_path / f"{locale}.dat").write_bytes(site_packages.slim_locale_data(data))
    saved = babel.localedata._dirname
    babel.localedata._dirname = str(tmp_path)
    forget_loaded_locales()
    try:
        yield tmp_path
    finally:
        babel.localedata._dirname = saved
        forget_loaded_locales()


def forget_loaded_locales() -> None:
    """Babel keeps each locale it read (raw and merged): read them again from the files."""
    babel.localedata._cache.clear()
    getattr(babel.localedata, "_dict_cache", {}).clear()
    i18n.cldr_locale.cache_clear()


def test_the_browser_gets_the_babel_the_server_has() -> None:
    assert wheels.pinned()["babel"] == importlib.metadata.version("babel")


def test_every_ui_language_has_its_locale_shipped() -> None:
    for language in CATALOGUES:
        assert language.replace("-", "_") in site_packages.BABEL_LOCALES, language


@pytest.mark.parametrize("language", sorted(CATALOGUES))
def test_each_ui_language_reads_the_same_from_the_shipped_files(
    language: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    expected = what_the_app_reads(language)
    shipped = request.getfixturevalue("only_the_shipped_locales")
    assert sorted(p.stem for p in shipped.glob("*.dat")) == sorted(site_packages.BABEL_LOCALES)
    assert what_the_app_reads(language) == expected


def test_a_locale_not_shipped_is_really_absent(only_the_shipped_locales: Path) -> None:
    with pytest.raises(UnknownLocaleError):
        babel.Locale.parse("fr")


def test_slimming_drops_what_the_app_never_reads() -> None:
    import pickle

    data = (Path(babel.localedata._dirname) / "ar.dat").read_bytes()
    slim = site_packages.slim_locale_data(data)
    assert len(slim) < len(data) / 2
    kept = pickle.loads(slim)
    assert "languages" in kept and "plural_form" in kept
    assert not set(site_packages.UNUSED_LOCALE_DATA) & set(kept)


def test_the_bundle_ships_babel_with_the_ui_languages_locales_only(web_app: Path) -> None:
    import tarfile

    (archive,) = web_app.glob("site-packages.*.tar")
    with tarfile.open(archive) as tar:
        names = tar.getnames()
        locales = sorted(
            Path(n).stem for n in names if n.startswith("babel/locale-data/") and n.endswith(".dat")
        )
        english = tar.extractfile("babel/locale-data/en.dat")
        assert english is not None
        shipped_english = english.read()
    assert locales == sorted(site_packages.BABEL_LOCALES)
    assert {"babel/core.py", "babel/plural.py", "babel/dates.py", "babel/global.dat"} <= set(names)
    full_english = (Path(babel.localedata._dirname) / "en.dat").read_bytes()
    assert shipped_english == site_packages.slim_locale_data(full_english)
