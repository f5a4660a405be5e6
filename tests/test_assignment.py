"""Automatic assignment, manual moves and rebalancing."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest
import sqlite_utils
from hypothesis import given
from hypothesis import strategies as st

from app.core.errors import Conflict, NotFound
from sync_server import auth
from sync_server.assignment import (
    CallerSlot,
    Choice,
    HouseholdToPlace,
    apply_plan,
    choose_callers,
    move_households,
    plan_assignment,
    rebalance_quiet,
    speaks,
)
from sync_server.db import Store
from tests.support.server_rows import NOON, add_device, add_household, add_outcome, new_campaign

# --- the pure choice --------------------------------------------------------------------------

SPOKEN = ["en", "es", "vi", "es-MX", "ar"]
ASKED = ["en", "es", "es-MX", "vi", "zh", "ar"]
Case = tuple[list[CallerSlot], list[HouseholdToPlace]]


@st.composite
def callers_and_households(
    draw: st.DrawFn,
) -> tuple[list[CallerSlot], list[HouseholdToPlace]]:
    callers = [
        CallerSlot(
            id=f"c{n}",
            languages=tuple(draw(st.lists(st.sampled_from(SPOKEN), min_size=1, max_size=3))),
            load=draw(st.integers(0, 5)),
            capacity=draw(st.none() | st.integers(0, 8)),
        )
        for n in range(draw(st.integers(0, 6)))
    ]
    continuity = st.none() | st.sampled_from([c.id for c in callers] + ["inactive"])
    households = [
        HouseholdToPlace(
            id=f"h{n}",
            language=draw(st.sampled_from(ASKED)),
            do_not_call=draw(st.booleans()),
            continuity_caller_id=draw(continuity),
        )
        for n in range(draw(st.integers(0, 40)))
    ]
    return callers, households


def chosen(case: Case) -> tuple[list[CallerSlot], list[HouseholdToPlace], Choice]:
    """The callers and households drawn, and who ``choose_callers`` gives each to."""
    callers, households = case
    return callers, households, choose_callers(households, callers)


def _full(caller: CallerSlot, loads: dict[str, int]) -> bool:
    return caller.capacity is not None and loads[caller.id] >= caller.capacity


@given(callers_and_households())
def test_every_household_is_placed_once_or_said_why_not(case: Case) -> None:
    _, households, choice = chosen(case)
    moved = [move.household_id for move in choice.moves]
    assert len(moved) == len(set(moved))
    outcome = Counter(moved + choice.unplaced + choice.do_not_call)
    assert outcome == Counter(household.id for household in households)
    assert set(choice.do_not_call) == {h.id for h in households if h.do_not_call}


@given(callers_and_households())
def test_capacity_is_respected(case: Case) -> None:
    callers, _, choice = chosen(case)
    gained = Counter(move.caller_id for move in choice.moves)
    for caller in callers:
        assert choice.loads[caller.id] == caller.load + gained[caller.id]
        if gained[caller.id] and caller.capacity is not None:
            assert choice.loads[caller.id] <= caller.capacity


@given(callers_and_households())
def test_a_speaker_with_room_always_wins(case: Case) -> None:
    callers, households, choice = chosen(case)
    by_id = {caller.id: caller for caller in callers}
    language = {household.id: household.language for household in households}
    for move in choice.moves:
        if not speaks(by_id[move.caller_id].languages, language[move.household_id]):
            assert not any(speaks(c.languages, language[move.household_id]) for c in callers)
    for household_id in choice.unplaced:
        speakers = [c for c in callers if speaks(c.languages, language[household_id])]
        # Loads only grow, so whoever was full when it was refused is full at the end.
        assert all(_full(c, choice.loads) for c in speakers or callers)


@given(callers_and_households())
def test_continuity_is_honoured(case: Case) -> None:
    callers, households, choice = chosen(case)
    by_id = {caller.id: caller for caller in callers}
    placed = {move.household_id: move for move in choice.moves}
    for household in households:
        move = placed.get(household.id)
        previous = by_id.get(household.continuity_caller_id or "")
        if move is None or previous is None:
            continue
        assert (move.reason == "continuity") == (move.caller_id == previous.id)
        language_ok = speaks(previous.languages, household.language) or not any(
            speaks(c.languages, household.language) for c in callers
        )
        if language_ok and move.caller_id != previous.id:
            assert _full(previous, choice.loads)


@given(
    st.lists(st.integers(0, 6), min_size=1, max_size=6),
    st.lists(st.sampled_from(["en", "es", "es-MX", "vi"]), max_size=60),
)
def test_equally_eligible_callers_end_within_one_household(
    loads: list[int], languages: list[str]
) -> None:
    callers = [
        CallerSlot(id=f"c{n}", languages=("en", "es"), load=load) for n, load in enumerate(loads)
    ]
    households = [HouseholdToPlace(id=f"h{n}", language=lang) for n, lang in enumerate(languages)]
    choice = choose_callers(households, callers)
    least = min(choice.loads.values())
    for move in choice.moves:
        assert move.reason == "balance"
        assert choice.loads[move.caller_id] <= least + 1


@pytest.mark.parametrize(
    ("spoken", "asked", "match"),
    [
        (["es"], "es-MX", True),
        (["es-MX"], "es", True),
        (["EN"], "en_US", True),
        (["zh-Hant"], "zh-Hans", True),
        (["en"], "es", False),
        (["pt"], "pt-BR", True),
    ],
)
def test_base_language_match(spoken: list[str], asked: str, match: bool) -> None:
    assert speaks(spoken, asked) is match


def test_the_most_constrained_household_is_placed_first() -> None:
    # Only Vu speaks Vietnamese; the English family must not take his last slot.
    callers = [
        CallerSlot(id="ana", languages=("en",), load=1, capacity=2),
        CallerSlot(id="vu", languages=("en", "vi"), load=0, capacity=1),
    ]
    households = [HouseholdToPlace(id="a", language="en"), HouseholdToPlace(id="b", language="vi")]
    choice = choose_callers(households, callers)
    assert {(m.household_id, m.caller_id, m.reason) for m in choice.moves} == {
        ("b", "vu", "language"),
        ("a", "ana", "balance"),  # by then only Ana has room
    }


# --- against the database ---------------------------------------------------------------------


@pytest.fixture
def db() -> sqlite_utils.Database:
    return Store(":memory:").db


def _caller_of(db: sqlite_utils.Database, campaign_id: str, household_id: str) -> str | None:
    row = db.execute(
        "SELECT caller_id FROM campaign_households WHERE campaign_id = ? AND household_id = ?",
        [campaign_id, household_id],
    ).fetchone()
    return row[0]


def test_plan_matches_languages_and_skips_who_must_not_be_called(db: sqlite_utils.Database) -> None:
    campaign = new_campaign(db)
    ana = auth.create_caller(db, "Ana", ["en"])
    sofia = auth.create_caller(db, "Sofía", ["es", "en"])
    gone = auth.create_caller(db, "Gone", ["es"])
    db.execute("UPDATE callers SET active = 0 WHERE id = ?", [gone.id])
    spanish = add_household(db, campaign.id, language="es-MX")
    english = [add_household(db, campaign.id) for _ in range(2)]
    refused = add_household(db, campaign.id, do_not_call=True)
    add_household(db, campaign.id, caller_id=ana.id)  # already someone's
    add_household(db, campaign.id, open_=False)  # yesterday's list

    plan = plan_assignment(db, campaign.id)

    placed = {move.household_id: move.caller_id for move in plan.moves}
    assert placed[spanish] == sofia.id
    assert set(placed) == {spanish, *english}
    assert gone.id not in placed.values()
    assert plan.do_not_call == [refused]
    loads = {load.name: (load.before, load.after) for load in plan.loads}
    assert loads == {"Ana": (1, 2), "Sofía": (0, 2)}
    assert _caller_of(db, campaign.id, spanish) is None  # a plan changes nothing


def test_continuity_comes_from_a_conversation_in_any_campaign(db: sqlite_utils.Database) -> None:
    last_year = new_campaign(db, "last-year")
    campaign = new_campaign(db)
    ana = auth.create_caller(db, "Ana", ["en"])
    bea = auth.create_caller(db, "Bea", ["en"])
    reached = add_household(db, last_year.id, caller_id=bea.id)
    unanswered = add_household(db, last_year.id, caller_id=bea.id)
    bea_phone = add_device(db, bea.id)
    add_outcome(db, bea_phone, last_year.id, reached, "reached_complete")
    add_outcome(db, bea_phone, last_year.id, unanswered, "no_answer")
    # Ana has fewer households, so only continuity sends `reached` to Bea.
    for household_id in (reached, unanswered):
        add_household(db, campaign.id, household_id=household_id)
    add_household(db, campaign.id, caller_id=bea.id)

    plan = plan_assignment(db, campaign.id)

    moves = {move.household_id: (move.caller_id, move.reason) for move in plan.moves}
    assert moves[reached] == (bea.id, "continuity")
    assert moves[unanswered] == (ana.id, "balance")


def test_apply_assigns_with_new_versions(db: sqlite_utils.Database) -> None:
    campaign = new_campaign(db)
    ana = auth.create_caller(db, "Ana", ["en"])
    household = add_household(db, campaign.id)
    before = db.execute("SELECT version FROM campaign_households").fetchone()[0]

    plan = apply_plan(db, plan_assignment(db, campaign.id))

    assert plan.applied
    row = db.execute("SELECT caller_id, assigned_at, version FROM campaign_households").fetchone()
    assert row[0] == ana.id and row[1] is not None and row[2] > before
    assert plan_assignment(db, campaign.id).moves == []  # nothing left to place
    assert _caller_of(db, campaign.id, household) == ana.id


def test_a_stale_plan_changes_nothing(db: sqlite_utils.Database) -> None:
    campaign = new_campaign(db)
    ana = auth.create_caller(db, "Ana", ["en"])
    bea = auth.create_caller(db, "Bea", ["en"])
    first, second = (add_household(db, campaign.id) for _ in range(2))
    plan = plan_assignment(db, campaign.id)
    move_households(db, campaign.id, [second], bea.id)  # someone else was quicker

    with pytest.raises(Conflict):
        apply_plan(db, plan)

    assert _caller_of(db, campaign.id, first) is None
    assert _caller_of(db, campaign.id, second) == bea.id
    assert ana.id


def test_given_households_are_planned_afresh(db: sqlite_utils.Database) -> None:
    campaign = new_campaign(db)
    ana = auth.create_caller(db, "Ana", ["en"])
    bea = auth.create_caller(db, "Bea", ["en"])
    households = [add_household(db, campaign.id, caller_id=ana.id) for _ in range(4)]

    plan = plan_assignment(db, campaign.id, household_ids=households)

    assert Counter(move.caller_id for move in plan.moves) == {bea.id: 2}
    assert all(move.from_caller_id == ana.id for move in plan.moves)
    with pytest.raises(NotFound, match="not open"):
        plan_assignment(db, campaign.id, household_ids=["nobody"])


def test_move_takes_open_callbacks_along(db: sqlite_utils.Database) -> None:
    campaign = new_campaign(db)
    ana = auth.create_caller(db, "Ana", ["en"])
    bea = auth.create_caller(db, "Bea", ["en"])
    household = add_household(db, campaign.id, caller_id=ana.id)
    add_outcome(
        db, add_device(db, ana.id), campaign.id, household, "call_back_later", callback_at=NOON
    )
    # What push's effects would have made of it:
    db.execute(
        """INSERT INTO follow_ups (id, campaign_id, household_id, caller_id, kind, status,
               created_at, version) VALUES ('f1', ?, ?, ?, 'callback', 'open', '', 1)""",
        [campaign.id, household, ana.id],
    )

    result = move_households(db, campaign.id, [household], bea.id)

    assert [(m.from_caller_id, m.to_caller_id) for m in result.moved] == [(ana.id, bea.id)]
    follow_up = db.execute("SELECT caller_id, version FROM follow_ups").fetchone()
    assert follow_up[0] == bea.id and follow_up[1] > 1
    again = move_households(db, campaign.id, [household], bea.id)
    assert again.unchanged == [household] and again.moved == []
    move_households(db, campaign.id, [household], None)
    assert _caller_of(db, campaign.id, household) is None


@pytest.mark.parametrize(
    ("problem", "error"),
    [("unknown caller", NotFound), ("inactive caller", Conflict), ("do not call", Conflict)],
)
def test_refused_moves(db: sqlite_utils.Database, problem: str, error: type[Exception]) -> None:
    campaign = new_campaign(db)
    caller = auth.create_caller(db, "Ana", ["en"])
    household = add_household(db, campaign.id, do_not_call=problem == "do not call")
    if problem == "inactive caller":
        db.execute("UPDATE callers SET active = 0")
    to = "nobody" if problem == "unknown caller" else caller.id
    with pytest.raises(error):
        move_households(db, campaign.id, [household], to)
    assert _caller_of(db, campaign.id, household) is None


def test_rebalance_moves_untouched_households_from_quiet_callers(db: sqlite_utils.Database) -> None:
    campaign = new_campaign(db)
    now = NOON + timedelta(days=10)
    quiet = auth.create_caller(db, "Quiet", ["en"])
    active = auth.create_caller(db, "Active", ["en"])
    never_joined = auth.create_caller(db, "Never joined", ["en"])
    quiet_phone = add_device(db, quiet.id, last_sync_at=now - timedelta(days=5))
    add_device(db, active.id, last_sync_at=now - timedelta(hours=1))
    called = add_household(db, campaign.id, caller_id=quiet.id)
    add_outcome(db, quiet_phone, campaign.id, called, received_at=now - timedelta(days=6))
    untouched = [add_household(db, campaign.id, caller_id=quiet.id) for _ in range(2)]
    fresh = add_household(db, campaign.id, caller_id=quiet.id)
    db.execute(
        "UPDATE campaign_households SET assigned_at = ? WHERE household_id = ?",
        [(now - timedelta(hours=2)).isoformat(), fresh],
    )

    dry = rebalance_quiet(db, campaign.id, 3, now=now, dry_run=True)
    assert [c.name for c in dry.quiet_callers] == ["Quiet"]
    assert not dry.plan.applied and _caller_of(db, campaign.id, untouched[0]) == quiet.id

    result = rebalance_quiet(db, campaign.id, 3, now=now)

    assert result.plan.applied
    assert {move.household_id for move in result.plan.moves} == set(untouched)
    assert {_caller_of(db, campaign.id, h) for h in untouched} == {active.id}
    assert _caller_of(db, campaign.id, called) == quiet.id  # continuity
    assert _caller_of(db, campaign.id, fresh) == quiet.id  # assigned after the quiet spell
    assert never_joined.id not in {move.caller_id for move in result.plan.moves}
