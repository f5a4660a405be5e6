"""Targeting: finding who to call among the imported households, and adding them to a list."""

from __future__ import annotations

from typing import Any

import pytest
import sqlite_utils
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.core.errors import NotFound
from sync_server import auth, targeting
from sync_server.db import Store
from sync_server.targeting import TargetCriteria
from tests.support.server_rows import add_device, add_household, add_outcome, new_campaign


@pytest.fixture
def db() -> sqlite_utils.Database:
    return Store(":memory:").db


def _ids(matches: list[targeting.HouseholdMatch]) -> set[str]:
    return {match.id for match in matches}


def _rows(db: sqlite_utils.Database, campaign_id: str) -> list[dict[str, Any]]:
    return list(
        db.query(
            "SELECT * FROM campaign_households WHERE campaign_id = ? ORDER BY household_id",
            [campaign_id],
        )
    )


def _counter(db: sqlite_utils.Database) -> int:
    return int(db.execute("SELECT value FROM version_counter").fetchone()[0])


@pytest.mark.parametrize(
    ("criteria", "expected"),
    [
        (TargetCriteria(), {"lincoln-es", "lincoln-en", "fruitvale-mx", "fruitvale-vi"}),
        (TargetCriteria(languages=("es",)), {"lincoln-es", "fruitvale-mx"}),
        (TargetCriteria(tags=("No-Device",)), {"lincoln-en", "fruitvale-mx"}),
        (TargetCriteria(without_tags=("no-device",)), {"lincoln-es", "fruitvale-vi"}),
        (TargetCriteria(schools=("fruitvale",)), {"fruitvale-mx", "fruitvale-vi"}),
        (
            TargetCriteria(languages=("es", "vi"), schools=("Fruitvale",)),
            {"fruitvale-mx", "fruitvale-vi"},
        ),
        (
            TargetCriteria(include_do_not_call=True),
            {"lincoln-es", "lincoln-en", "fruitvale-mx", "fruitvale-vi", "dnc"},
        ),
        (TargetCriteria(search="fruitvale-v"), {"fruitvale-vi"}),
        (TargetCriteria(limit=2), {"fruitvale-mx", "fruitvale-vi"}),
    ],
)
def test_filters_by_language_tags_school_and_search(
    db: sqlite_utils.Database, criteria: TargetCriteria, expected: set[str]
) -> None:
    for key, language, school, tags in (
        ("lincoln-es", "es", "Lincoln", ()),
        ("lincoln-en", "en", "Lincoln", ("no-device",)),
        ("fruitvale-mx", "es-MX", "Fruitvale", ("food", "NO-DEVICE")),
        ("fruitvale-vi", "vi", "Fruitvale", ("food",)),
    ):
        add_household(db, None, language=language, school=school, tags=tags, household_id=key)
    add_household(db, None, do_not_call=True, household_id="dnc")
    db.execute(
        "UPDATE households SET body = json_set(body, '$.name', id)"
    )  # names that sort and search predictably

    assert _ids(targeting.find_households(db, criteria)) == expected


def test_not_reached_in_an_earlier_campaign(db: sqlite_utils.Database) -> None:
    tech = new_campaign(db, "tech-check")
    ana = auth.create_caller(db, "Ana", ["en"])
    phone = add_device(db, ana.id)
    never_called = add_household(db, tech.id, caller_id=ana.id)
    no_answer = add_household(db, tech.id, caller_id=ana.id)
    reached = add_household(db, tech.id, caller_id=ana.id)
    corrected = add_household(db, tech.id, caller_id=ana.id)
    quarantined = add_household(db, tech.id, caller_id=ana.id)
    not_in_campaign = add_household(db, None)
    add_outcome(db, phone, tech.id, no_answer, "no_answer")
    add_outcome(db, phone, tech.id, reached, "no_answer")
    add_outcome(db, phone, tech.id, reached, "reached_follow_up")
    mistake = add_outcome(db, phone, tech.id, corrected, "reached_complete")
    add_outcome(db, phone, tech.id, corrected, "no_answer", corrects=mistake)
    add_outcome(db, phone, tech.id, quarantined, "reached_complete", quarantined=True)

    def find(status: targeting.TargetStatus) -> set[str]:
        return _ids(
            targeting.find_households(db, TargetCriteria(campaign_id=tech.id, status=status))
        )

    assert find("not_reached") == {never_called, no_answer, corrected, quarantined}
    assert find("reached") == {reached}
    assert find("not_attempted") == {never_called, quarantined}
    assert find("attempted") == {no_answer, reached, corrected}
    assert find("completed") == set()
    assert find("any") == {never_called, no_answer, reached, corrected, quarantined}
    assert not_in_campaign not in find("any")


def test_leaves_out_households_already_open_on_the_target(db: sqlite_utils.Database) -> None:
    fair = new_campaign(db, "resource-fair")
    on_list = add_household(db, fair.id)
    closed = add_household(db, fair.id, open_=False)
    elsewhere = add_household(db, None)

    found = targeting.find_households(db, TargetCriteria(not_on_campaign_id=fair.id))

    assert _ids(found) == {closed, elsewhere}
    assert on_list not in _ids(found)


def test_unknown_campaign_in_criteria_is_not_found(db: sqlite_utils.Database) -> None:
    with pytest.raises(NotFound):
        targeting.find_households(db, TargetCriteria(campaign_id="nope", status="not_reached"))


def test_adds_unassigned_rows_with_fresh_versions(db: sqlite_utils.Database) -> None:
    fair = new_campaign(db, "resource-fair")
    first, second = add_household(db, None), add_household(db, None)
    before = _counter(db)

    result = targeting.add_to_campaign(db, fair.id, [first, second, first])

    assert (result.added, result.already_open, result.do_not_call) == (2, 0, [])
    rows = _rows(db, fair.id)
    assert {row["household_id"] for row in rows} == {first, second}
    assert all(row["caller_id"] is None and row["open"] == 1 for row in rows)
    assert sorted(row["version"] for row in rows) == [before + 1, before + 2]
    assert _counter(db) == before + 2


def test_adding_again_changes_nothing_devices_would_see(db: sqlite_utils.Database) -> None:
    fair = new_campaign(db, "resource-fair")
    ana = auth.create_caller(db, "Ana", ["en"])
    assigned = add_household(db, fair.id, caller_id=ana.id)
    before = _rows(db, fair.id)

    result = targeting.add_to_campaign(db, fair.id, [assigned])

    assert (result.added, result.already_open) == (0, 1)
    assert _rows(db, fair.id) == before


def test_a_closed_row_reopens_with_its_caller(db: sqlite_utils.Database) -> None:
    daily = new_campaign(db, "daily", kind="daily_attendance")
    ana = auth.create_caller(db, "Ana", ["en"])
    yesterday = add_household(db, daily.id, caller_id=ana.id, open_=False)
    version = _rows(db, daily.id)[0]["version"]

    result = targeting.add_to_campaign(db, daily.id, [yesterday])

    (row,) = _rows(db, daily.id)
    assert result.added == 1
    assert (row["open"], row["caller_id"]) == (1, ana.id)
    assert row["version"] > version


def test_do_not_call_households_are_left_out_and_named(db: sqlite_utils.Database) -> None:
    fair = new_campaign(db, "resource-fair")
    fine, refused = add_household(db, None), add_household(db, None, do_not_call=True)

    result = targeting.add_to_campaign(db, fair.id, [fine, refused])

    assert result.added == 1
    assert result.do_not_call == [refused]
    assert [row["household_id"] for row in _rows(db, fair.id)] == [fine]


def test_an_unknown_household_writes_nothing(db: sqlite_utils.Database) -> None:
    fair = new_campaign(db, "resource-fair")
    real = add_household(db, None)
    before = _counter(db)

    with pytest.raises(NotFound, match="1 household"):
        targeting.add_to_campaign(db, fair.id, [real, "no-such-household"])

    assert _rows(db, fair.id) == []
    assert _counter(db) == before


def test_an_unknown_campaign_is_not_found(db: sqlite_utils.Database) -> None:
    real = add_household(db, None)
    with pytest.raises(NotFound):
        targeting.add_to_campaign(db, "no-such-campaign", [real])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    batches=st.lists(
        st.lists(st.integers(min_value=0, max_value=7), max_size=10), min_size=1, max_size=6
    ),
    closed=st.sets(st.integers(min_value=0, max_value=7), max_size=3),
)
def test_a_household_is_never_on_a_list_twice(batches: list[list[int]], closed: set[int]) -> None:
    db = Store(":memory:").db
    fair = new_campaign(db, "resource-fair")
    ids = [add_household(db, None) for _ in range(8)]
    for index in closed:
        db.table("campaign_households").insert(
            {
                "campaign_id": fair.id,
                "household_id": ids[index],
                "added_at": "2026-01-01",
                "open": 0,
                "version": 0,
            }
        )
    added = 0
    for batch in batches:
        versions_before = _counter(db)
        result = targeting.add_to_campaign(db, fair.id, [ids[index] for index in batch])
        added += result.added
        assert result.added + result.already_open == len(set(batch))
        assert _counter(db) == versions_before + result.added

    rows = _rows(db, fair.id)
    listed = [row["household_id"] for row in rows]
    assert len(listed) == len(set(listed))
    wanted = {ids[index] for batch in batches for index in batch}
    assert {row["household_id"] for row in rows if row["open"]} == wanted
    assert added == len(wanted)
    versions = [row["version"] for row in rows if row["household_id"] in wanted]
    assert len(versions) == len(set(versions))


def test_facets_count_languages_schools_and_tags(db: sqlite_utils.Database) -> None:
    add_household(db, None, language="es", school="Lincoln", tags=("no-device", "no-device"))
    add_household(db, None, language="es", school="Lincoln", tags=("food",))
    add_household(db, None, language="vi", tags=("no-device",))

    facets = targeting.household_facets(db)

    assert facets.households == 3
    assert facets.languages == [("es", 2), ("vi", 1)]
    assert facets.schools == [("Lincoln", 2)]
    assert facets.tags == [("no-device", 2), ("food", 1)]


def test_campaign_list_shows_callers_and_calls(db: sqlite_utils.Database) -> None:
    tech = new_campaign(db, "tech-check")
    ana = auth.create_caller(db, "Ana", ["en"])
    phone = add_device(db, ana.id)
    hers = add_household(db, tech.id, caller_id=ana.id)
    nobodys = add_household(db, tech.id)
    add_household(db, tech.id, open_=False)
    add_outcome(db, phone, tech.id, hers, "no_answer")
    add_outcome(db, phone, tech.id, hers, "busy")

    listed = {row.id: row for row in targeting.campaign_list(db, tech.id)}

    assert set(listed) == {hers, nobodys}
    assert (listed[hers].caller_name, listed[hers].calls) == ("Ana", 2)
    assert listed[nobodys].caller_id is None
    assert [row.id for row in targeting.campaign_list(db, tech.id, unassigned=True)] == [nobodys]
    assert [row.id for row in targeting.campaign_list(db, tech.id, caller_id=ana.id)] == [hers]
    assert targeting.household_names(db, [hers, "nope"]) == {hers: listed[hers].name}


def test_search_finds_a_family_by_its_phone_digits(db: sqlite_utils.Database) -> None:
    wanted = add_household(db, None)
    add_household(db, None)
    db.execute(
        "UPDATE households SET body = json_set(body, '$.phones', json(?)) WHERE id = ?",
        ['[{"number": "+15105550199", "label": "mobile", "bad": false}]', wanted],
    )
    for typed in ("0199", "(510) 555-0199"):
        (match,) = targeting.find_households(db, TargetCriteria(search=typed))
        assert (match.id, match.phones) == (wanted, 1)
    assert targeting.find_households(db, TargetCriteria(search="99")) == []  # too few digits
