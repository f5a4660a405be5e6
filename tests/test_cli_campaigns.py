"""`phonebank campaign create|list`, and `import-households --create` for a new campaign."""

from __future__ import annotations

from datetime import date, time
from pathlib import Path

import pytest

from app.core.models import CampaignDraft
from sync_server.campaigns import campaign_by_slug
from sync_server.cli import build_parser, main
from sync_server.db import Store
from tests.support.cli import assert_documented, count, make_campaign, subcommands
from tests.support.cli import run as run_cli

FAMILIES = (
    "Family Name,Guardian,Phone,Language\n"
    "García,María García,(510) 555-0142,Spanish\n"
    "Nguyen,Lan Nguyen,(510) 555-0150,vi\n"
    "Okafor,Ada Okafor,(510) 555-0161,en\n"
)


@pytest.fixture
def db(db_path: Path) -> Path:
    return db_path


@pytest.fixture
def families(tmp_path: Path) -> Path:
    path = tmp_path / "families.csv"
    path.write_text(FAMILIES, encoding="utf-8")
    return path


def run(capsys: pytest.CaptureFixture[str], db: Path, *argv: str) -> tuple[int, str, str]:
    return run_cli(capsys, *argv, "--db", str(db))


def import_into(
    capsys: pytest.CaptureFixture[str], db: Path, file: Path, slug: str, *more: str
) -> tuple[int, str, str]:
    """``phonebank import-households FILE --campaign SLUG *more``."""
    return run(capsys, db, "import-households", str(file), "--campaign", slug, *more)


def stored_campaign(db: Path, slug: str) -> CampaignDraft:
    store = Store(db)
    try:
        with store.reading() as conn:
            return campaign_by_slug(conn, slug)
    finally:
        store.close()


# ---------------------------------------------------------------------------- import


def test_import_into_a_missing_campaign_says_how_to_create_it_and_imports_nothing(
    capsys: pytest.CaptureFixture[str], db: Path, families: Path
) -> None:
    run(capsys, db, "campaign", "create", "tech-check", "--name", "Tech check")
    code, _, err = import_into(capsys, db, families, "new-slug")
    assert code == 1
    assert err.strip() == (
        "phonebank import-households: No campaign 'new-slug'. Create it with "
        "`phonebank campaign create new-slug --name …` or pass --create "
        "(campaigns here: tech-check)"
    )
    assert count(db, "households") == 0


def test_import_with_create_makes_the_campaign_and_puts_the_families_on_it(
    capsys: pytest.CaptureFixture[str], db: Path, families: Path
) -> None:
    code, out, err = import_into(capsys, db, families, "fall-survey", "--create")
    assert code == 0, err
    assert "Created the campaign 'fall-survey' (Fall survey)" in out
    assert "new households:     3" in out
    campaign = stored_campaign(db, "fall-survey")
    assert (campaign.name, campaign.kind, campaign.active) == ("Fall survey", "standard", True)
    assert count(db, "campaign_households") == 3


def test_import_with_create_into_an_existing_campaign_just_imports(
    capsys: pytest.CaptureFixture[str], db: Path, families: Path
) -> None:
    run(capsys, db, "campaign", "create", "tech-check", "--name", "Tech check 2026")
    code, out, _ = import_into(capsys, db, families, "tech-check", "--create")
    assert code == 0
    assert "Created" not in out
    assert count(db, "campaigns") == 1
    assert stored_campaign(db, "tech-check").name == "Tech check 2026"


def test_an_unreadable_file_with_create_leaves_no_empty_campaign(
    capsys: pytest.CaptureFixture[str], db: Path, tmp_path: Path
) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    code, out, err = import_into(capsys, db, empty, "fall-survey", "--create")
    assert code == 1
    assert "Traceback" not in err
    assert "Created" not in out
    assert count(db, "campaigns") == 0


def test_import_with_create_refuses_a_slug_that_cannot_be_one(
    capsys: pytest.CaptureFixture[str], db: Path, families: Path
) -> None:
    code, _, err = import_into(capsys, db, families, "Fall Survey", "--create")
    assert code == 1
    assert "'Fall Survey' cannot be a campaign's slug" in err
    assert count(db, "campaigns") == 0


# ---------------------------------------------------------------------------- create


def test_campaign_create_stores_what_was_typed(
    capsys: pytest.CaptureFixture[str], db: Path
) -> None:
    code, out, err = run(
        capsys, db, "campaign", "create", "lab-hs-attendance",
        "--name", "Daily attendance — Lab HS", "--kind", "daily_attendance",
        "--language", "Spanish", "--timezone", "America/Chicago",
        "--calling-hours", "08:30-19:00", "--caller-id-prefix", "*67",
        "--variable", "school=Lab HS", "--variable", "office=(510) 555-0100",
        "--starts", "2026-09-01", "--ends", "2027-06-15",
    )  # fmt: skip
    assert code == 0, err
    assert out.startswith("Created the campaign 'lab-hs-attendance': Daily attendance — Lab HS")
    campaign = stored_campaign(db, "lab-hs-attendance")
    assert campaign.kind == "daily_attendance"
    assert campaign.default_language == "es"
    assert campaign.timezone == "America/Chicago"
    assert (campaign.calling_window.start, campaign.calling_window.end) == (time(8, 30), time(19))
    assert campaign.caller_id_prefix == "*67"
    assert campaign.variables == {"school": "Lab HS", "office": "(510) 555-0100"}
    assert (campaign.starts_on, campaign.ends_on) == (date(2026, 9, 1), date(2027, 6, 15))
    assert campaign.active


@pytest.mark.parametrize(
    ("argv", "code", "message"),
    [
        (["Tech Check", "--name", "T"], 1, "'Tech Check' cannot be a campaign's slug"),
        (["tech-check", "--name", "  "], 1, "A campaign needs a name"),
        (["tech-check", "--name", "T", "--timezone", "Mars/Olympus"], 2, "unknown time zone"),
        (["tech-check", "--name", "T", "--calling-hours", "9-5pm"], 2, "is not HH:MM-HH:MM"),
        (["tech-check", "--name", "T", "--calling-hours", "20:00-09:00"], 2, "end before"),
        (["tech-check", "--name", "T", "--kind", "weekly"], 2, "invalid choice: 'weekly'"),
        (["tech-check", "--name", "T", "--variable", "school"], 2, "is not KEY=VALUE"),
        (["tech-check", "--name", "T", "--starts", "1/9/2026"], 2, "is not a date"),
        (
            ["tech-check", "--name", "T", "--starts", "2026-09-01", "--ends", "2026-08-01"],
            1,
            "--ends 2026-08-01 is before --starts 2026-09-01",
        ),
    ],
)
def test_campaign_create_refuses_what_cannot_be_a_campaign_and_stores_nothing(
    capsys: pytest.CaptureFixture[str], db: Path, argv: list[str], code: int, message: str
) -> None:
    result, _, err = run(capsys, db, "campaign", "create", *argv)
    assert result == code
    assert message in err
    assert "Traceback" not in err
    assert count(db, "campaigns") == 0


def test_campaign_create_refuses_a_slug_already_taken(
    capsys: pytest.CaptureFixture[str], db: Path
) -> None:
    assert run(capsys, db, "campaign", "create", "tech-check", "--name", "One")[0] == 0
    code, _, err = run(capsys, db, "campaign", "create", "tech-check", "--name", "Two")
    assert code == 1
    assert err.strip() == "phonebank campaign create: A campaign called 'tech-check' already exists"
    assert stored_campaign(db, "tech-check").name == "One"


# ---------------------------------------------------------------------------- list


def test_campaign_list_shows_slug_name_kind_households_and_active(
    capsys: pytest.CaptureFixture[str], db: Path, families: Path
) -> None:
    run(capsys, db, "campaign", "create", "tech-check", "--name", "Tech check 2026")
    run(capsys, db, "campaign", "create", "attendance", "--name", "Daily attendance",
        "--kind", "daily_attendance", "--inactive")  # fmt: skip
    import_into(capsys, db, families, "tech-check")
    code, out, _ = run(capsys, db, "campaign", "list")
    assert code == 0
    assert out.splitlines() == [
        "slug        name              kind              households  active",
        "----------  ----------------  ----------------  ----------  ------",
        "attendance  Daily attendance  daily_attendance           0  no",
        "tech-check  Tech check 2026   standard                   3  yes",
    ]


def test_campaign_list_on_a_fresh_database_says_how_to_create_one(
    capsys: pytest.CaptureFixture[str], db: Path
) -> None:
    code, out, _ = run(capsys, db, "campaign", "list")
    assert code == 0
    assert "No campaigns yet: create one with `phonebank campaign create SLUG --name NAME`" in out


def test_a_campaign_made_elsewhere_is_listed(capsys: pytest.CaptureFixture[str], db: Path) -> None:
    make_campaign(db, "made-by-api", "From the console")
    assert "made-by-api  From the console" in run(capsys, db, "campaign", "list")[1]


# ---------------------------------------------------------------------------- help


def test_every_campaign_action_and_option_has_help(capsys: pytest.CaptureFixture[str]) -> None:
    actions = subcommands(subcommands(build_parser()).choices["campaign"])
    assert set(actions.choices) == {"create", "list"}
    assert_documented(actions)
    assert main(["campaign", "create", "--help"]) == 0
    assert "--calling-hours" in capsys.readouterr().out
