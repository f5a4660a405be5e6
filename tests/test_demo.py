"""The demo seed: what it loads, that callers can use it, and that it never touches real data."""

from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.core.models import Household
from app.core.scripts import fill, placeholder_values, render_script, render_text
from sync_server import auth
from sync_server.app import create_app
from sync_server.campaigns import campaign_by_slug, list_scripts
from sync_server.db import Store
from sync_server.demo import (
    ASSETS,
    DEMO_PASSWORD,
    DEMO_SUPERVISOR,
    DemoSummary,
    demo_campaigns,
    demo_csv,
    fresh_invites,
    seed_demo,
)
from sync_server.records import household_from_row

TECH_CHECK_LANGUAGES = {"en", "es", "zh-Hant", "vi", "ar"}
CALLERS = {"Marisol Reyes": "es", "Thanh Nguyen": "vi", "Layla Haddad": "ar"}


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, DemoSummary]]:
    store = Store(tmp_path_factory.mktemp("demo") / "phonebank.sqlite")
    summary = seed_demo(store)
    yield store, summary
    store.close()


@pytest.fixture
def store(seeded: tuple[Store, DemoSummary]) -> Store:
    return seeded[0]


def households_in(store: Store, slug: str) -> list[tuple[Household, str | None]]:
    """Every open household in the campaign with the name of its caller."""
    with store.reading() as db:
        campaign = campaign_by_slug(db, slug)
        rows = list(
            db.query(
                """SELECT h.*, c.name AS caller_name FROM campaign_households ch
                   JOIN households h ON h.id = ch.household_id
                   LEFT JOIN callers c ON c.id = ch.caller_id
                   WHERE ch.campaign_id = ? AND ch.open = 1""",
                [campaign.id],
            )
        )
    return [(household_from_row(row), row["caller_name"]) for row in rows]


def count(store: Store, table: str) -> int:
    with store.reading() as db:
        return int(db.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def test_seed_loads_two_campaigns_their_scripts_and_about_200_households(
    seeded: tuple[Store, DemoSummary],
) -> None:
    store, summary = seeded
    assert summary.created
    assert (summary.supervisor_username, summary.supervisor_password) == (
        DEMO_SUPERVISOR,
        DEMO_PASSWORD,
    )
    assert [campaign.slug for campaign in summary.campaigns] == ["tech-check", "attendance-lab"]
    assert count(store, "campaigns") == 2
    assert count(store, "households") >= 190
    assert sorted(caller.name for caller in summary.callers) == sorted(CALLERS)
    with store.reading() as db:
        tech_check = campaign_by_slug(db, "tech-check")
        attendance = campaign_by_slug(db, "attendance-lab")
        assert {s.language for s in list_scripts(db, tech_check.id)} == TECH_CHECK_LANGUAGES
        assert {s.language for s in list_scripts(db, attendance.id)} == {"en", "es"}
    assert tech_check.kind == "standard" and attendance.kind == "daily_attendance"
    assert tech_check.timezone == "America/Los_Angeles"
    assert tech_check.variables["hotline"] == "(510) 555-0100"
    assert len(households_in(store, "tech-check")) == summary.households
    assert 30 <= len(households_in(store, "attendance-lab")) <= 50


def test_households_speak_the_languages_of_oakland_in_the_planned_mix(store: Store) -> None:
    languages = Counter(household.language for household, _ in households_in(store, "tech-check"))
    total = sum(languages.values())
    assert set(languages) == TECH_CHECK_LANGUAGES
    for language, share in {"es": 45, "en": 30, "zh-Hant": 10, "vi": 8, "ar": 7}.items():
        assert abs(100 * languages[language] / total - share) < 2, language


def test_households_have_guardians_students_schools_and_needs(store: Store) -> None:
    households = [household for household, _ in households_in(store, "tech-check")]
    tags = Counter(tag for household in households for tag in household.tags)
    assert set(tags) == {"no-device", "no-internet", "iep", "newcomer", "transportation"}
    schools = set()
    for household in households:
        assert 1 <= len(household.guardians) <= 2, household
        assert 1 <= len(household.students) <= 3, household
        for student in household.students:
            assert student.grade and student.school
            schools.add(student.school)
        assert household.phones and all(p.number.startswith("+1") for p in household.phones)
    assert len(schools) == 3
    assert 1 <= sum(household.do_not_call for household in households) <= 10


def test_every_callable_household_in_tech_check_has_one_of_the_three_callers(
    store: Store,
) -> None:
    households = households_in(store, "tech-check")
    for household, caller in households:
        if household.do_not_call:
            assert caller is None, "a do-not-call family must be on no one's list"
        else:
            assert caller in CALLERS, household.name
    loads = Counter(caller for _, caller in households if caller)
    assert set(loads) == set(CALLERS)


@pytest.mark.parametrize("slug", ["tech-check", "attendance-lab"])
def test_families_go_to_the_caller_who_speaks_their_language(store: Store, slug: str) -> None:
    # The assignment has no capacity limit here, so every family whose language one caller
    # speaks goes to that caller; the others (en, zh-Hant) are spread to balance the load.
    speaker = {language: name for name, language in CALLERS.items()}
    placed = 0
    for household, caller in households_in(store, slug):
        if household.language in speaker and not household.do_not_call:
            assert caller == speaker[household.language], (household.name, household.language)
            placed += 1
    assert placed > 0


def test_every_script_renders_for_every_household_with_no_missing_placeholder(
    store: Store,
) -> None:
    rendered = 0
    with store.reading() as db:
        for slug in ("tech-check", "attendance-lab"):
            campaign = campaign_by_slug(db, slug)
            scripts = list_scripts(db, campaign.id)
            for household, caller in households_in(store, slug):
                for script in scripts:
                    result = render_script(script, household, campaign, caller or "Ana")
                    assert result.missing == (), (slug, script.language, household.name)
                    values = placeholder_values(household, campaign, caller or "Ana")
                    for question in script.questions:
                        assert fill(question.prompt, values)[1] == (), question.id
                    for template in script.text_templates:
                        _, missing = render_text(template, household, campaign, "Ana")
                        assert missing == (), (slug, script.language, template.id)
                    rendered += 1
    assert rendered > 1000


def test_need_sections_show_only_to_families_with_that_need(store: Store) -> None:
    with store.reading() as db:
        campaign = campaign_by_slug(db, "tech-check")
        english = next(s for s in list_scripts(db, campaign.id) if s.language == "en")
    for household, _ in households_in(store, "tech-check")[:60]:
        sections = {s.id for s in render_script(english, household, campaign, "Ana").sections}
        assert ("no-device" in sections) == ("no-device" in household.tags)
        assert ("iep" in sections) == ("iep" in household.tags)
        assert {"opening", "purpose", "closing"} <= sections


def test_the_attendance_call_names_the_lab_high_school_student(store: Store) -> None:
    with store.reading() as db:
        campaign = campaign_by_slug(db, "attendance-lab")
        spanish = next(s for s in list_scripts(db, campaign.id) if s.language == "es")
    for household, _ in households_in(store, "attendance-lab"):
        student = household.students[0]
        assert student.school == "Lab High School"
        opening = render_script(spanish, household, campaign, "Marisol").sections[0]
        assert "de Lab High School" in opening.body
        assert student.name.split()[0] in opening.body


def test_seeding_again_changes_nothing_and_says_so(store: Store) -> None:
    tables = ("supervisors", "callers", "campaigns", "scripts", "households")
    before = {table: count(store, table) for table in tables}
    again = seed_demo(store)
    assert not again.created
    assert "not loaded" in again.message
    assert {table: count(store, table) for table in tables} == before
    # It still describes what is there, for the banner on every start.
    assert [campaign.slug for campaign in again.campaigns] == ["tech-check", "attendance-lab"]
    assert again.households == before["households"]


def test_a_database_with_anything_in_it_is_left_alone(tmp_path: Path) -> None:
    store = Store(tmp_path / "real.sqlite")
    try:
        with store.transaction() as db:
            auth.create_caller(db, "Ana", ["en"])
        summary = seed_demo(store)
        assert not summary.created
        assert summary.supervisor_username is None
        assert count(store, "campaigns") == 0
        assert count(store, "households") == 0
    finally:
        store.close()


def test_fresh_invites_let_each_demo_caller_join(
    seeded: tuple[Store, DemoSummary],
) -> None:
    store, _ = seeded
    invites = fresh_invites(store)
    assert [invite.caller for invite in invites] == list(CALLERS)
    assert len({invite.code for invite in fresh_invites(store)} | {i.code for i in invites}) == 6
    with TestClient(create_app(store.path)) as client:
        for invite in invites:
            assert invite.link == f"/?invite={invite.code}"
            response = client.post("/api/v1/join", json={"code": invite.code, "device_name": "t"})
            assert response.status_code == 200, response.text
            assert response.json()["caller"]["name"] == invite.caller
        used = client.post("/api/v1/join", json={"code": invites[0].code, "device_name": "t"})
        assert used.status_code == 400


def test_demo_csv_is_the_same_for_the_same_seed_and_exercises_the_importer() -> None:
    files = demo_csv(7)
    assert files == demo_csv(7)
    assert files != demo_csv(8)
    assert files.households.startswith(b"\xef\xbb\xbf")
    header = files.households.decode("utf-8-sig").splitlines()[0]
    assert "Teléfono" in header and "Idioma" in header and "No llamar" in header


def test_demo_phone_numbers_are_in_the_fictional_555_01xx_range() -> None:
    # Someone trying the demo will tap a number: it must never ring a real person.
    for data in demo_csv():
        rows = csv.DictReader(io.StringIO(data.decode("utf-8-sig")))
        for row in rows:
            for raw in (row["Teléfono"], row["Celular"]):
                if raw:
                    digits = re.sub(r"\D", "", raw)[-7:]
                    assert digits.startswith("55501"), raw


def test_script_files_agree_across_languages() -> None:
    # Answers are compared across languages by question id and choice position.
    for draft, scripts in demo_campaigns():
        english = next(script for script in scripts if script.language == "en")
        for script in scripts:
            assert [s.id for s in script.sections] == [s.id for s in english.sections]
            assert [s.when_tags for s in script.sections] == [s.when_tags for s in english.sections]
            assert [(q.id, q.type, len(q.choices)) for q in script.questions] == [
                (q.id, q.type, len(q.choices)) for q in english.questions
            ]
            assert [t.id for t in script.text_templates] == [
                t.id for t in english.text_templates
            ], (draft.slug, script.language)
        for path in (ASSETS / "scripts").glob(f"{draft.slug}.*.json"):
            assert json.loads(path.read_text(encoding="utf-8"))["language"] in path.name


@pytest.mark.parametrize(
    ("today", "pickup"),
    [
        (date(2026, 11, 22), "2026-11-28"),  # a Sunday
        (date(2026, 11, 27), "2026-11-28"),  # a Friday
        (date(2026, 11, 28), "2026-12-05"),  # a Saturday: the pickup is next week's
    ],
)
def test_the_pickup_the_texts_announce_is_the_coming_saturday(today: date, pickup: str) -> None:
    tech_check = next(draft for draft, _ in demo_campaigns(today) if draft.slug == "tech-check")
    assert tech_check.variables["pickup_date"] == pickup


def test_the_seeded_pickup_date_is_not_in_the_past(store: Store) -> None:
    with store.reading() as db:
        pickup = date.fromisoformat(campaign_by_slug(db, "tech-check").variables["pickup_date"])
    assert pickup.weekday() == 5
    assert pickup > date.today() or (date.today() - pickup).days < 2  # time zones
