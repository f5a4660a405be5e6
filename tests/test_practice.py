"""Practice mode: a sample family and script that never touch the real device or server."""

from __future__ import annotations

from pathlib import Path

from app.core.outcome_draft import OutcomeDraft
from app.services import PRACTICE_CAMPAIGN_ID, PRACTICE_HOUSEHOLD_ID, practice_session
from app.store import DeviceStore


def test_practice_has_a_sample_family_with_a_script() -> None:
    session = practice_session("Ana")
    assert session.practice and session.joined and session.sync is None
    listed = session.my_list()
    assert [row.household_id for g in listed.groups for row in g.rows] == [PRACTICE_HOUSEHOLD_ID]
    sheet = session.open_household(PRACTICE_CAMPAIGN_ID, PRACTICE_HOUSEHOLD_ID)
    assert sheet.script is not None and sheet.script.language == "es"
    assert "Ana" in sheet.script.sections[0].body


def test_practice_outcomes_stay_in_a_throwaway_store(tmp_path: Path) -> None:
    real = DeviceStore.open(tmp_path / "real.db")
    session = practice_session()
    session.record_outcome(
        OutcomeDraft(PRACTICE_CAMPAIGN_ID, PRACTICE_HOUSEHOLD_ID, "reached_complete")
    )
    assert session.store is not real and session.store.pending_count() == 1
    assert real.pending_count() == 0 and real.households_for_list() == []
    again = practice_session()
    assert again.store.pending_count() == 0  # every practice starts fresh
    real.close()


def test_practice_falls_back_to_a_built_in_script(tmp_path: Path) -> None:
    session = practice_session(scripts_folder=tmp_path)  # no demo scripts there
    sheet = session.open_household(PRACTICE_CAMPAIGN_ID, PRACTICE_HOUSEHOLD_ID)
    assert sheet.script is not None and sheet.script.language == "en"
