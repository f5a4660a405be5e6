"""The demo: a district tech-check phone bank and a daily attendance list, ready to try.

Campaigns, scripts and name pools come from ``assets/demo/``; households go in through the
CSV importer and callers get them through the assignment, exactly as a supervisor's would.
The demo only ever seeds an empty database, all of it in one transaction.

A campaign variable written ``{next_saturday}`` in ``campaigns.json`` becomes the date of
the coming Saturday when the demo is loaded, so the pickup it announces is never past.
"""

from __future__ import annotations

import csv
import io
import json
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

import sqlite_utils

from app.core.errors import NotFound
from app.core.models import CampaignDraft, ScriptDraft
from app.core.phones import normalise_phone

from . import auth
from .assignment import apply_plan, plan_assignment
from .campaigns import create_campaign, put_script
from .clock import utcnow
from .db import Store
from .importer import import_households

__all__ = [
    "ASSETS",
    "DEFAULT_SEED",
    "DEMO_PASSWORD",
    "DEMO_SUPERVISOR",
    "DemoCaller",
    "DemoCampaign",
    "DemoCsv",
    "DemoInvite",
    "DemoSummary",
    "demo_campaigns",
    "demo_csv",
    "fresh_invites",
    "is_empty",
    "seed_demo",
]

ASSETS = Path(__file__).resolve().parent.parent / "assets" / "demo"
DEFAULT_SEED = 2026
DEMO_SUPERVISOR = "coordinator"
# A demo only: anyone who reads the README knows it. Never seed this into real data.
DEMO_PASSWORD = "phonebank-demo"

# The CSV a district export might give: one row per student, some headers in Spanish.
CSV_HEADERS = (
    "ID de familia",
    "Household",
    "Padre/Madre/Tutor",
    "Teléfono",
    "Celular",
    "Idioma",
    "Estudiante",
    "Grado",
    "Escuela",
    "Necesidades",
    "No llamar",
)
# How many students a family has: 1, 2 or 3, weighted.
STUDENT_COUNTS = ((1, 45), (2, 35), (3, 20))
PHONE_FORMATS = (
    "({area}) 555-{line}",
    "{area}-555-{line}",
    "{area}.555.{line}",
    "+1 {area} 555 {line}",
)


@dataclass(frozen=True)
class DemoCaller:
    id: str
    name: str
    languages: tuple[str, ...]


@dataclass(frozen=True)
class DemoCampaign:
    id: str
    slug: str
    name: str
    script_languages: tuple[str, ...]
    households: int
    """Open households on the campaign's list."""
    assigned: Mapping[str, int] = field(default_factory=dict)
    """Caller name → open households assigned to them."""


@dataclass(frozen=True)
class DemoSummary:
    created: bool
    message: str
    supervisor_username: str | None
    supervisor_password: str | None
    """The demo password; when the demo was loaded earlier, as it was then."""
    callers: tuple[DemoCaller, ...] = ()
    campaigns: tuple[DemoCampaign, ...] = ()
    households: int = 0
    """Every household stored."""
    do_not_call: int = 0


class DemoInvite(NamedTuple):
    caller: str
    code: str
    link: str
    """A path (``/?invite=CODE``): the caller app's address with the code filled in."""


class DemoCsv(NamedTuple):
    households: bytes
    """Every demo household, one row per student, UTF-8 with a BOM."""
    attendance: bytes
    """Today's absence list for the attendance campaign: one row per absent student."""


# ---------------------------------------------------------------------------- assets


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise NotFound(
            f"The demo data is missing ({path}). Run Phonebank from a source checkout "
            "installed with `pip install -e .`"
        ) from error


@cache
def _people() -> dict[str, Any]:
    people: dict[str, Any] = _read_json(ASSETS / "people.json")
    return people


def _next_saturday(today: date) -> date:
    return today + timedelta(days=(5 - today.weekday()) % 7 or 7)


def demo_campaigns(today: date | None = None) -> list[tuple[CampaignDraft, list[ScriptDraft]]]:
    """Each demo campaign with its scripts: ``campaigns.json``, ``scripts/<slug>.<lang>.json``.

    ``today`` (default: the date in the campaign's time zone) dates ``{next_saturday}``.
    """
    result = []
    for raw in _read_json(ASSETS / "campaigns.json"):
        draft = CampaignDraft.model_validate(raw)
        local_today = today or utcnow().astimezone(ZoneInfo(draft.timezone)).date()
        saturday = _next_saturday(local_today).isoformat()
        variables = {
            key: value.replace("{next_saturday}", saturday)
            for key, value in draft.variables.items()
        }
        draft = draft.model_copy(update={"variables": variables})
        scripts = []
        for path in sorted((ASSETS / "scripts").glob(f"{draft.slug}.*.json")):
            script = ScriptDraft.model_validate(_read_json(path))
            language = path.name[len(draft.slug) + 1 : -len(".json")]
            if script.language != language:
                raise ValueError(f"{path.name} holds a script in {script.language!r}")
            scripts.append(script)
        result.append((draft, scripts))
    return result


# ---------------------------------------------------------------------------- households


@dataclass
class _Family:
    external_id: str
    name: str
    language: str
    written_language: str
    guardians: list[str]
    students: list[tuple[str, str, str]]  # (name, grade, school)
    phone: str
    second_phone: str
    tags: list[str]
    do_not_call: bool
    attendance: bool


def _apportion(shares: Mapping[str, float], total: int) -> dict[str, int]:
    """``total`` split by ``shares``, largest remainders first, so the counts add up exactly."""
    whole = sum(shares.values())
    exact = {key: total * share / whole for key, share in shares.items()}
    counts = {key: int(value) for key, value in exact.items()}
    by_remainder = sorted(exact, key=lambda key: exact[key] - counts[key], reverse=True)
    for key in by_remainder[: total - sum(counts.values())]:
        counts[key] += 1
    return counts


def _fictional_numbers(area_codes: Sequence[str], reserved: Sequence[str]) -> list[str]:
    """(area, line) numbers in 555-0100…0199, the range NANP keeps for fiction: no one real
    answers a demo call. 341 is Oakland's overlay of 510, so both are Oakland numbers."""
    numbers = [f"+1{area}5550{line}" for area in area_codes for line in range(100, 200)]
    return [number for number in numbers if number not in reserved]


def _checked(e164: str) -> str:
    """``e164`` once the importer's own rule agrees it is a valid number, as written."""
    if normalise_phone(e164) != e164:
        raise ValueError(f"The demo number {e164} does not normalise to itself")
    return e164


def _written(e164: str, rng: random.Random) -> str:
    """The number as a person typed it into the source system."""
    area, line = e164[2:5], e164[-4:]
    return rng.choice(PHONE_FORMATS).format(area=area, line=line)


def _families(seed: int) -> list[_Family]:
    people = _people()
    rng = random.Random(seed)
    total: int = people["households"]
    languages_spec: dict[str, Any] = people["languages"]
    schools = {grade: school["name"] for school in people["schools"] for grade in school["grades"]}
    grades = list(schools)
    high_school = [g for g, name in schools.items() if name == people["attendance_school"]]
    phones: dict[str, Any] = people["phones"]

    counts = _apportion({lang: spec["share"] for lang, spec in languages_spec.items()}, total)
    languages = [language for language, count in counts.items() for _ in range(count)]
    rng.shuffle(languages)
    primaries = _fictional_numbers(phones["primary_area_codes"], phones["reserved"])
    seconds = _fictional_numbers(phones["second_area_codes"], phones["reserved"])
    if len(primaries) < total:
        raise ValueError(f"Only {len(primaries)} fictional numbers for {total} households")
    rng.shuffle(primaries)
    rng.shuffle(seconds)
    attendance = set(rng.sample(range(total), people["attendance_households"]))
    others = [index for index in range(total) if index not in attendance]
    do_not_call = set(rng.sample(others, phones["do_not_call"]))

    families = []
    named: set[str] = set()
    for index, language in enumerate(languages):
        spec = languages_spec[language]
        guardian_count = 1 if rng.random() < 0.65 else 2
        # Two families with the same name and the same first guardian would look like a typo.
        while True:
            family = rng.choice(spec["families"])
            guardians = [
                f"{first} {family}" for first in rng.sample(spec["guardians"], guardian_count)
            ]
            if guardians[0] not in named:
                named.add(guardians[0])
                break
        in_attendance = index in attendance
        # The attendance list is Lab HS's: those families' students are all in high school.
        student_count = rng.choice((1, 1, 2)) if in_attendance else _weighted(STUDENT_COUNTS, rng)
        students = []
        for first in rng.sample(spec["students"], student_count):
            grade = rng.choice(high_school if in_attendance else grades)
            students.append((f"{first} {family}", grade, schools[grade]))
        tags = [tag for tag, share in people["tags"].items() if rng.random() < share]
        if rng.random() < people["newcomer"][language]:
            tags.append("newcomer")
        second = _checked(seconds.pop()) if rng.random() < phones["second_phone_share"] else ""
        families.append(
            _Family(
                external_id=f"F-{10001 + index}",
                name=f"{family} family",
                language=language,
                written_language=rng.choice(spec["written_as"]),
                guardians=guardians,
                students=students,
                phone=_checked(primaries[index]),
                second_phone=second,
                tags=tags,
                do_not_call=index in do_not_call,
                attendance=in_attendance,
            )
        )
    return families


def _weighted(choices: Sequence[tuple[int, int]], rng: random.Random) -> int:
    return rng.choices([value for value, _ in choices], [weight for _, weight in choices])[0]


def _rows(family: _Family, rng: random.Random, *, absent_only: bool = False) -> list[list[str]]:
    """One row per student (and per extra guardian), as a student information system exports."""
    written_phone = _written(family.phone, rng)
    count = 1 if absent_only else max(len(family.students), len(family.guardians))
    rows = []
    for position in range(count):
        student, grade, school = family.students[position % len(family.students)]
        first = position == 0
        rows.append(
            [
                family.external_id,
                family.name,
                family.guardians[position % len(family.guardians)],
                written_phone,
                _written(family.second_phone, rng) if first and family.second_phone else "",
                family.written_language,
                student,
                grade,
                school,
                "; ".join(family.tags) if first else "",
                "sí" if first and family.do_not_call else "",
            ]
        )
    return rows


def _csv(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_HEADERS)
    writer.writerows(rows)
    # The BOM is what Excel writes for "CSV UTF-8"; the importer must cope with it.
    return buffer.getvalue().encode("utf-8-sig")


def demo_csv(seed: int = DEFAULT_SEED) -> DemoCsv:
    """The demo households as the CSV files a district would hand over; same seed, same files."""
    families = _families(seed)
    rng = random.Random(seed + 1)
    everyone = [row for family in families for row in _rows(family, rng)]
    absent = [
        row
        for family in families
        if family.attendance
        for row in _rows(family, rng, absent_only=True)
    ]
    return DemoCsv(households=_csv(everyone), attendance=_csv(absent))


# ---------------------------------------------------------------------------- seeding


def is_empty(db: sqlite_utils.Database) -> bool:
    """True when no supervisor, caller, campaign or household has been stored yet."""
    return not any(
        db.execute(f"SELECT EXISTS (SELECT 1 FROM {table})").fetchone()[0]
        for table in ("supervisors", "callers", "campaigns", "households")
    )


def seed_demo(store: Store, *, seed: int = DEFAULT_SEED) -> DemoSummary:
    """Load the demo into an empty database in one transaction; on any other, do nothing.

    Either way the summary describes the demo supervisor, callers and campaigns found.
    """
    files = demo_csv(seed)
    campaigns = demo_campaigns()
    with store.transaction() as db:
        if not is_empty(db):
            return _describe(
                db,
                created=False,
                message="The database already holds data: the demo was not loaded",
            )
        auth.create_supervisor(db, DEMO_SUPERVISOR, DEMO_PASSWORD)
        for caller in _people()["callers"]:
            auth.create_caller(db, caller["name"], caller["languages"])
        by_slug = {}
        for draft, scripts in campaigns:
            campaign = create_campaign(db, draft)
            for script in scripts:
                put_script(db, campaign.id, script)
            by_slug[campaign.slug] = campaign
        imports = (
            ("tech-check", files.households, False),
            ("attendance-lab", files.attendance, True),
        )
        for slug, data, replace_open in imports:
            report = import_households(
                db,
                data,
                campaign_id=by_slug[slug].id,
                default_region="US",
                default_language="en",
                replace_open=replace_open,
            )
            if report.rejected:
                first = report.rejected[0]
                raise ValueError(
                    f"The demo CSV for {slug} has a bad line {first.line}: {first.reason}"
                )
        for campaign in by_slug.values():
            apply_plan(db, plan_assignment(db, campaign.id))
        return _describe(db, created=True, message="Loaded the demo")


def _demo_callers(db: sqlite_utils.Database) -> list[DemoCaller]:
    """The demo's callers still in the database (the first made, if a name repeats)."""
    found = []
    for caller in _people()["callers"]:
        row = db.execute(
            "SELECT id, name, languages FROM callers WHERE name = ? AND active = 1"
            " ORDER BY created_at, id LIMIT 1",
            [caller["name"]],
        ).fetchone()
        if row is not None:
            found.append(DemoCaller(id=row[0], name=row[1], languages=tuple(json.loads(row[2]))))
    return found


def _describe(db: sqlite_utils.Database, *, created: bool, message: str) -> DemoSummary:
    campaigns = []
    for draft, _ in demo_campaigns():
        row = db.execute("SELECT id, name FROM campaigns WHERE slug = ?", [draft.slug]).fetchone()
        if row is None:
            continue
        languages = tuple(
            language
            for (language,) in db.execute(
                "SELECT language FROM scripts WHERE campaign_id = ? ORDER BY language", [row[0]]
            ).fetchall()
        )
        households = db.execute(
            "SELECT count(*) FROM campaign_households WHERE campaign_id = ? AND open = 1", [row[0]]
        ).fetchone()[0]
        assigned = dict(
            db.execute(
                """SELECT c.name, count(*) FROM campaign_households ch
                   JOIN callers c ON c.id = ch.caller_id
                   WHERE ch.campaign_id = ? AND ch.open = 1
                   GROUP BY c.id ORDER BY c.name""",
                [row[0]],
            ).fetchall()
        )
        campaigns.append(
            DemoCampaign(
                id=row[0],
                slug=draft.slug,
                name=row[1],
                script_languages=languages,
                households=households,
                assigned=assigned,
            )
        )
    has_supervisor = db.execute(
        "SELECT 1 FROM supervisors WHERE username = ?", [DEMO_SUPERVISOR]
    ).fetchone()
    return DemoSummary(
        created=created,
        message=message,
        supervisor_username=DEMO_SUPERVISOR if has_supervisor else None,
        supervisor_password=DEMO_PASSWORD if has_supervisor else None,
        callers=tuple(_demo_callers(db)),
        campaigns=tuple(campaigns),
        households=db.execute("SELECT count(*) FROM households").fetchone()[0],
        do_not_call=db.execute("SELECT count(*) FROM households WHERE do_not_call = 1").fetchone()[
            0
        ],
    )


def fresh_invites(store: Store) -> list[DemoInvite]:
    """A new single-use invite code for every demo caller still in the database.

    Codes are stored only as hashes, so an earlier one can never be shown again: each start
    of the demo prints new ones, and the person at the keyboard always has codes that work.
    """
    with store.transaction() as db:
        invites = []
        for caller in _demo_callers(db):
            code, _ = auth.create_invite(db, caller.id)
            invites.append(DemoInvite(caller=caller.name, code=code, link=f"/?invite={code}"))
    return invites
