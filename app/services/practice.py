"""Practice mode: a sample household and script in a throwaway in-memory device store.

Nothing here can reach the real store or the server: the store is a fresh SQLite
database in memory, and the session has no sync client.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from pathlib import Path

import sqlite_utils

from app.core.clock import Clock, utcnow
from app.core.models import (
    Assignment,
    Campaign,
    Household,
    Member,
    PhoneNumber,
    Script,
    ScriptDraft,
    ScriptSection,
    SurveyQuestion,
    TextTemplate,
)
from app.core.protocol import Change, PullResponse
from app.store import DeviceStore

from .caller_session import CallerSession

log = logging.getLogger(__name__)

PRACTICE_CAMPAIGN_ID = "practice"
PRACTICE_HOUSEHOLD_ID = "practice-household"
DEMO_SCRIPTS = Path(__file__).resolve().parents[2] / "assets" / "demo" / "scripts"

PRACTICE_CAMPAIGN = Campaign(
    id=PRACTICE_CAMPAIGN_ID,
    slug="practice",
    name="Practice call",
    default_language="en",
    timezone="America/Los_Angeles",
    variables={
        "school": "Oakland Unified",
        "resource_address": "1000 Broadway, Oakland",
        "hotline": "(510) 555-0100",
        "pickup_date": "2026-03-14",
        "pickup_hours": "10:00–14:00",
    },
)

PRACTICE_HOUSEHOLD = Household(
    id=PRACTICE_HOUSEHOLD_ID,
    name="Practice family (Rivera)",
    # 555-01xx numbers are reserved for fiction: a practice tap never rings anyone.
    phones=[
        PhoneNumber(number="+15105550199", label="mobile"),
        PhoneNumber(number="+15105550198", label="home"),
    ],
    language="es",
    members=[
        Member(name="Lucía Rivera", role="guardian"),
        Member(name="Mateo Rivera", role="student", grade="4", school="Garfield Elementary"),
        Member(name="Sofía Rivera", role="student", grade="9", school="Oakland High"),
    ],
    tags=["no-device", "no-internet"],
    timezone="America/Los_Angeles",
)

_BUILT_IN_SCRIPT = ScriptDraft(
    language="en",
    title="Practice call",
    sections=[
        ScriptSection(
            id="opening",
            title="Hello",
            body="Hi, this is {caller} from {school}. May I speak with {guardian}? "
            "I'm calling to check that {students} have what they need for school.",
        ),
        ScriptSection(
            id="no-device",
            title="Getting a Chromebook",
            body="Every student can borrow a Chromebook for free at {resource_address}.",
            when_tags=["no-device"],
        ),
        ScriptSection(id="closing", title="Goodbye", body="Thank you, {guardian}!"),
    ],
    questions=[
        SurveyQuestion(
            id="every-student-has-device",
            prompt="Does every student have a working computer?",
            type="yes_no",
        ),
        SurveyQuestion(id="student-count", prompt="How many students?", type="number"),
    ],
    text_templates=[
        TextTemplate(id="hotline", label="Family support line", body="Questions? Call {hotline}.")
    ],
)


def practice_scripts(folder: Path = DEMO_SCRIPTS) -> list[Script]:
    """The demo's tech-check scripts (every language it has), else a small built-in one."""
    drafts = []
    for path in sorted(folder.glob("tech-check.*.json")):
        try:
            drafts.append(ScriptDraft.model_validate(json.loads(path.read_text("utf-8"))))
        except (OSError, ValueError) as error:
            log.warning("practice script %s unreadable: %s", path, error)
    drafts = drafts or [_BUILT_IN_SCRIPT]
    return [
        Script(
            id=f"practice-{draft.language}", campaign_id=PRACTICE_CAMPAIGN_ID, **draft.model_dump()
        )
        for draft in drafts
    ]


def practice_store(clock: Clock = utcnow, scripts_folder: Path = DEMO_SCRIPTS) -> DeviceStore:
    """A new in-memory store holding only the practice campaign and household."""
    store = DeviceStore(sqlite_utils.Database(memory=True), clock=clock)
    changes = [
        Change(
            op="put",
            entity="campaign",
            id=PRACTICE_CAMPAIGN_ID,
            data=PRACTICE_CAMPAIGN.model_dump(mode="json"),
        ),
        *(
            Change(op="put", entity="script", id=script.id, data=script.model_dump(mode="json"))
            for script in practice_scripts(scripts_folder)
        ),
        Change(
            op="put",
            entity="household",
            id=PRACTICE_HOUSEHOLD_ID,
            data=PRACTICE_HOUSEHOLD.model_dump(mode="json"),
        ),
        Change(
            op="put",
            entity="assignment",
            id="practice-assignment",
            data=Assignment(
                campaign_id=PRACTICE_CAMPAIGN_ID, household_id=PRACTICE_HOUSEHOLD_ID, caller_id=None
            ).model_dump(mode="json"),
        ),
    ]
    store.apply_pull_page(
        PullResponse(
            cursor="practice",
            reset=True,
            changes=changes,
            has_more=False,
            server_time=datetime.now(UTC),
        )
    )
    return store


def practice_session(
    caller_name: str = "", clock: Clock = utcnow, scripts_folder: Path = DEMO_SCRIPTS
) -> CallerSession:
    """A caller session over a fresh practice store, with no sync: nothing ever leaves."""
    return CallerSession(
        practice_store(clock, scripts_folder),
        None,
        clock=clock,
        practice=True,
        caller_name=caller_name or "Practice caller",
    )
