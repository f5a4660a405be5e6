"""Filled-in scripts read as a native speaker would say them (issue 18): names listed the
language's way, verbs that agree with one or several students, the family named with its
article, the caller introduced by their own organisation rather than a student's school."""

from __future__ import annotations

import re

import pytest

from app.core.models import Campaign, Household, Member, Script
from app.core.scripts import family_name, fill, join_names, placeholder_counts, render_script
from sync_server.demo import demo_campaigns

ONE = Household(
    id="hh-chen",
    name="Chen family",
    language="en",
    school="Fremont HS",
    members=[Member(name="Pat Chen", role="guardian"), Member(name="Sam Chen", role="student")],
)
TWO = ONE.model_copy(
    update={
        "id": "hh-garcia",
        "name": "García family",
        "members": [
            Member(name="Pat García", role="guardian"),
            Member(name="Luis García", role="student"),
            Member(name="Ana García", role="student"),
        ],
    }
)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "Luis, Ana, and Sam"),  # CLDR's English keeps the serial comma
        ("es", "Luis, Ana y Sam"),
        ("vi", "Luis, Ana và Sam"),
        ("zh-Hant", "Luis、Ana和Sam"),
        ("ar", "Luis وAna وSam"),
        ("yue", "Luis、Ana同Sam"),  # Cantonese's own list pattern
        ("xx-unknown", "Luis, Ana, and Sam"),  # no data for it: English's
    ],
)
def test_names_are_listed_the_languages_way(language, expected):
    assert join_names(["Luis", "Ana", "Sam"], language) == expected


@pytest.mark.parametrize(
    ("template", "household", "expected"),
    [
        ("{students} {students|has|have}", ONE, "Sam has"),
        ("{students} {students|has|have}", TWO, "Luis and Ana have"),
        ("{guardians|a guardian|guardians}", TWO, "a guardian"),
        ("{student_count|one child|children}", TWO, "children"),
        ("{students|| and the others}", ONE, ""),  # a form may be empty
    ],
)
def test_a_form_follows_how_many(template, household, expected):
    values = {"students": join_names([m.name.split()[0] for m in household.students], "en")}
    assert fill(template, values, placeholder_counts(household)) == (expected, ())


def test_a_form_counts_a_number_the_campaign_gives():
    assert fill("{days|day|days}", {"days": "1"}) == ("day", ())
    assert fill("{days|day|days}", {"days": " 3 "}) == ("days", ())


def test_a_form_with_nothing_to_count_shows_as_missing():
    assert fill("{pets|pet|pets}", {"pets": "a dog"}) == ("[pets?]", ("pets",))
    assert fill("{nobody|x|y}", {}) == ("[nobody?]", ("nobody",))


@pytest.mark.parametrize(
    "written", ["{a|b}", "{a|b|c|d}", "{a|{b}|c}"]
)  # not a form: plain text, or only its inner placeholder
def test_what_is_not_a_form_is_left_alone(written):
    text, _ = fill(written, {"a": "1", "b": "B"})
    assert "|" in text


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("García family", "García"),
        ("Familia García", "García"),
        ("the Nguyen Family", "Nguyen"),
        ("gia đình Nguyễn", "Nguyễn"),
        ("عائلة حداد", "حداد"),
        ("陳家", "陳"),
        ("Maria García", "Maria García"),
        ("family", "family"),  # nothing else to call it
    ],
)
def test_the_family_name_without_the_word_family(name, expected):
    assert family_name(ONE.model_copy(update={"name": name})) == expected


# --- the demo's scripts, filled in ---------------------------------------------------------

TECH_CHECK = next((d, s) for d, s in demo_campaigns() if d.slug == "tech-check")
CAMPAIGN = Campaign(id="c1", **TECH_CHECK[0].model_dump())


def demo_script(language: str) -> Script:
    draft = next(s for s in TECH_CHECK[1] if s.language == language)
    return Script(id=f"tech-check-{language}", campaign_id=CAMPAIGN.id, **draft.model_dump())


def opening(language: str, household: Household) -> str:
    rendered = render_script(demo_script(language), household, CAMPAIGN, "Ana Reyes")
    assert rendered.missing == ()
    return rendered.sections[0].body


@pytest.mark.parametrize(
    ("language", "one", "two"),
    [
        ("en", "make sure Sam has everything", "make sure Luis and Ana have everything"),
        (
            "es",
            "de que Sam tenga todo lo que necesita",
            "de que Luis y Ana tengan todo lo que necesitan",
        ),
        ("vi", "để xem Sam đã có đủ", "để xem Luis và Ana đã có đủ"),
        ("zh-Hant", "想確認 Sam 上學", "想確認 Luis和Ana 上學"),
        ("ar", "أن لدى Sam كل ما يلزم", "أن لدى Luis وAna كل ما يلزم"),
    ],
)
def test_the_demo_opening_agrees_with_one_or_several_students(language, one, two):
    assert one in opening(language, ONE)
    assert two in opening(language, TWO)


@pytest.mark.parametrize(
    ("language", "family"),
    [
        ("en", "calling the García family"),
        ("es", "Le llamo a la familia García"),
        ("vi", "gọi đến gia đình García"),
        ("zh-Hant", "打電話給 García 家"),
        ("ar", "أتصل بعائلة García"),
    ],
)
def test_the_demo_names_the_family_with_its_article(language, family):
    rendered = render_script(demo_script(language), TWO, CAMPAIGN, "Ana Reyes")
    assert family in " ".join(section.body for section in rendered.sections)


@pytest.mark.parametrize("language", ["en", "es", "vi", "zh-Hant", "ar"])
def test_the_caller_is_introduced_by_their_organisation_not_a_students_school(language):
    text = opening(language, TWO)
    assert "Oakland Unified" in text
    assert "Fremont HS" not in text
    assert not re.search(r"\w, \w+ (have|tengan)", text)  # no "Luis, Ana have"
