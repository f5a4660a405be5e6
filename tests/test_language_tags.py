"""Languages as BCP-47 tags: names and codes read with langcodes on the server, scripts
chosen on the device by written language and script, unknown languages kept and reported."""

from __future__ import annotations

import pytest

from app.core.models import Campaign, Household, Script, ScriptSection
from app.core.scripts import choose_script, render_script
from sync_server import importer
from sync_server.db import Store
from sync_server.languages import read_language


@pytest.mark.parametrize(
    ("typed", "tag"),
    [
        ("Cantonese", "yue"),
        ("yue", "yue"),
        ("粵語", "yue"),
        ("廣東話", "yue"),
        ("Chinese (Cantonese)", "yue"),
        ("zh-yue", "yue"),
        ("Toisanese", "yue"),
        ("zh-HK", "zh-HK"),
        ("Chinese (Traditional)", "zh-Hant"),
        ("ZH-hant", "zh-Hant"),
        ("Chinese (Simplified)", "zh-Hans"),
        ("Chinese", "zh"),
        ("Mandarin", "zh"),
        ("mandarín", "zh"),
        ("Chinese - Mandarin", "zh"),
        ("普通话", "zh"),
        ("cmn", "zh"),
        ("Spanish", "es"),
        ("español", "es"),
        ("Espanol", "es"),
        ("es_mx", "es-MX"),
        ("Spanish (Mexico)", "es"),
        ("Inglés", "en"),
        ("eng", "en"),
        ("Tagalog", "fil"),
        ("Filipino", "fil"),
        ("tl", "fil"),
        ("Tiếng Việt", "vi"),
        ("Vietnamita", "vi"),
        ("العربية", "ar"),
        ("한국어", "ko"),
        ("Mam", "mam"),
        ("K'iche'", "quc"),
        ("Hmong", "hmn"),
        ("Kreyòl", "ht"),
        ("Haitian Creole", "ht"),
        ("Farsi", "fa"),
        ("Spanish/English", "es"),
        ("vietnamita y español", "vi"),
    ],
)
def test_names_and_codes_become_one_tag(typed: str, tag: str) -> None:
    assert read_language(typed) == (tag, True)


@pytest.mark.parametrize("typed", ["Klingonese", "xx", "Other", "und", "sp"])
def test_what_names_no_language_is_kept_as_typed_lowercased(typed: str) -> None:
    # No guessing by prefix: langcodes alone reads 'Klingonese' as Klingon, 'mandarín' as Mandar.
    assert read_language(f" {typed} ") == (typed.lower(), False)


def _script(language: str) -> Script:
    return Script(
        id=f"s-{language}",
        campaign_id="c",
        language=language,
        title=language,
        sections=[ScriptSection(id="hello", title="Hello", body="Hello")],
    )


@pytest.mark.parametrize(
    ("household", "scripts", "shown"),
    [
        # Cantonese is written in Traditional Chinese when there is no Cantonese script.
        ("yue", ["en", "zh-Hans", "zh-Hant"], "zh-Hant"),
        ("yue", ["en", "zh"], "zh"),
        ("zh-HK", ["zh-Hans", "zh-Hant"], "zh-Hant"),
        ("zh-TW", ["zh-Hans", "zh-Hant"], "zh-Hant"),
        # Mandarin and Simplified keep to Simplified while there is one…
        ("zh", ["zh-Hant", "zh-Hans"], "zh-Hans"),
        ("zh-CN", ["zh-Hant", "zh-Hans"], "zh-Hans"),
        ("cmn", ["en", "zh-Hant"], "zh-Hant"),  # … and take Traditional over English.
        ("fil", ["en", "tl"], "tl"),  # a script saved under Tagalog's old code
    ],
)
def test_script_choice_falls_back_by_written_language_and_script(
    household: str, scripts: list[str], shown: str
) -> None:
    chosen = choose_script([_script(language) for language in scripts], household, "en")
    assert chosen is not None and chosen.language == shown


def test_a_cantonese_family_reading_traditional_chinese_is_no_fallback() -> None:
    campaign = Campaign(id="c", slug="c", name="C")
    family = Household(id="h", name="Chan", language="yue")
    rendered = render_script(_script("zh-Hant"), family, campaign, "Ana")
    assert not rendered.fell_back
    assert render_script(_script("en"), family, campaign, "Ana").fell_back


def test_the_import_reads_names_and_reports_unknown_languages(store: Store) -> None:
    data = (
        "Family Name,Phone,Language\n"
        "Chan,510-555-0101,Cantonese\n"
        "Wong,510-555-0102,Chinese (Traditional)\n"
        "Li,510-555-0103,mandarín\n"
        "Worf,510-555-0104,Klingonese\n"
        "Pérez,510-555-0105,Espanol\n"
        "Dax,510-555-0106,Klingonese\n"
    ).encode()
    report = importer.import_households(store, data, campaign_id=None)
    with store.reading() as db:
        stored = dict(db.execute("SELECT name, language FROM households").fetchall())
    assert stored == {
        "Chan": "yue",
        "Wong": "zh-Hant",
        "Li": "zh",
        "Worf": "klingonese",
        "Pérez": "es",
        "Dax": "klingonese",
    }
    assert report.imported == 6
    assert [(w.line, w.reason) for w in report.warnings] == [
        (5, "'Klingonese' is not a language we know; kept as typed"),
        (7, "'Klingonese' is not a language we know; kept as typed"),
    ]
