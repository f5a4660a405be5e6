"""The ``phonebank`` command, run in-process: exit codes, messages, and that it really works."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient

from sync_server import auth
from sync_server.app import create_app
from sync_server.campaigns import campaign_by_slug
from sync_server.cli import build_parser, main
from sync_server.db import Store
from tests.support.cli import assert_documented, count, make_campaign, run, subcommands
from tests.support.events import outcome_event, push_body

CODE = re.compile(r"Invite code: (\S+)")
BAD_ROWS_CSV = (
    "Family Name,Guardian,Phone,Language,Student,Grade\n"
    "García,María García,(510) 555-0142,Spanish,Sofía,3\n"
    "López,Ana López,not a phone,es,Diego,5\n"
    "Nguyen,Lan Nguyen,(341) 555-0150,vi,Vy,7\n"
    ",,(510) 555-0160,en,Kid,1\n"
)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "phonebank.sqlite"


@pytest.fixture
def campaign_slug(db: Path) -> str:
    make_campaign(db, "tech-check", "Tech check 2026")
    return "tech-check"


def stdin(monkeypatch: pytest.MonkeyPatch, text: str, *, tty: bool = False) -> None:
    fake = io.StringIO(text)
    fake.isatty = lambda: tty  # type: ignore[method-assign]
    monkeypatch.setattr("sys.stdin", fake)


@pytest.fixture
def create_supervisor(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, db: Path
) -> Callable[[str], tuple[int, str, str]]:
    """``phonebank create-supervisor ana --password-stdin`` given ``typed`` on stdin."""

    def create(typed: str) -> tuple[int, str, str]:
        stdin(monkeypatch, typed)
        return run(capsys, "create-supervisor", "ana", "--password-stdin", "--db", str(db))

    return create


# ---------------------------------------------------------------------------- supervisors


def test_create_supervisor_reads_the_password_from_stdin_and_can_sign_in(
    create_supervisor: Callable[[str], tuple[int, str, str]], db: Path
) -> None:
    code, out, _ = create_supervisor("correct horse battery\nignored second line\n")
    assert code == 0
    assert "ana" in out
    store = Store(db)
    try:
        with store.transaction() as conn:
            assert auth.login(conn, "ana", "correct horse battery")
    finally:
        store.close()


def test_a_second_supervisor_with_the_same_name_is_refused_without_a_traceback(
    create_supervisor: Callable[[str], tuple[int, str, str]], db: Path
) -> None:
    for expected in (0, 1):
        code, _, err = create_supervisor("correct horse battery\n")
        assert code == expected
    assert "already exists" in err
    assert "Traceback" not in err
    assert count(db, "supervisors") == 1


def test_a_short_password_is_refused(
    create_supervisor: Callable[[str], tuple[int, str, str]],
) -> None:
    code, _, err = create_supervisor("short\n")
    assert code == 1
    assert "8 characters" in err


@pytest.mark.parametrize(
    ("again", "expected_code", "said", "supervisors"),
    [
        pytest.param("correct horse battery", 0, "", 1, id="the same password twice"),
        pytest.param("correct horse batterY", 1, "differ", 0, id="passwords that differ"),
    ],
)
def test_create_supervisor_prompts_twice_on_a_terminal(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    db: Path,
    again: str,
    expected_code: int,
    said: str,
    supervisors: int,
) -> None:
    """On a terminal the password is asked twice: passwords that differ create nothing."""
    answers = iter(["correct horse battery", again])
    stdin(monkeypatch, "", tty=True)
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    code, _, err = run(capsys, "create-supervisor", "ana", "--db", str(db))
    assert code == expected_code
    assert said in err
    assert count(db, "supervisors") == supervisors


def test_without_a_terminal_the_password_must_come_from_stdin(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, db: Path
) -> None:
    stdin(monkeypatch, "correct horse battery\n", tty=False)
    code, _, err = run(capsys, "create-supervisor", "ana", "--db", str(db))
    assert code == 1
    assert "--password-stdin" in err


def test_the_database_defaults_to_phonebank_db_and_its_folder_is_created(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    target = tmp_path / "nested" / "folder" / "pb.sqlite"
    monkeypatch.setenv("PHONEBANK_DB", str(target))
    stdin(monkeypatch, "correct horse battery\n")
    code, _, _ = run(capsys, "create-supervisor", "ana", "--password-stdin")
    assert code == 0
    assert count(target, "supervisors") == 1


# ---------------------------------------------------------------------------- invites


def test_invite_prints_a_code_that_joins_a_device(
    capsys: pytest.CaptureFixture[str], db: Path
) -> None:
    code, out, _ = run(capsys, "invite", "Marisol Reyes", "--languages", "es,en", "--db", str(db))
    assert code == 0
    invite = CODE.search(out)
    assert invite, out
    assert f"http://127.0.0.1:8550/?invite={invite.group(1)}" in out
    with TestClient(create_app(db)) as client:
        response = client.post("/api/v1/join", json={"code": invite.group(1), "device_name": "t"})
        assert response.status_code == 200, response.text
        assert response.json()["caller"]["name"] == "Marisol Reyes"
        assert response.json()["caller"]["languages"] == ["es", "en"]


def test_inviting_a_known_caller_again_reuses_them_with_a_new_code(
    capsys: pytest.CaptureFixture[str], db: Path
) -> None:
    _, first, _ = run(capsys, "invite", "Thanh Nguyen", "--languages", "vi,en", "--db", str(db))
    code, second, _ = run(
        capsys, "invite", "Thanh Nguyen", "--base-url", "https://pb.example.org/", "--db", str(db)
    )
    assert code == 0
    assert count(db, "callers") == 1
    assert "existing caller" in second
    codes = [CODE.search(text).group(1) for text in (first, second)]  # type: ignore[union-attr]
    assert codes[0] != codes[1]
    assert f"https://pb.example.org/?invite={codes[1]}" in second


# ---------------------------------------------------------------------------- import


def test_import_reports_each_rejected_row_by_line_and_imports_the_rest(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, db: Path, campaign_slug: str
) -> None:
    source = tmp_path / "families.csv"
    source.write_text(BAD_ROWS_CSV, encoding="utf-8")
    code, out, _ = run(
        capsys, "import-households", str(source), "--campaign", campaign_slug, "--db", str(db)
    )
    assert code == 0
    assert re.search(r"new households:\s+2\b", out), out
    assert re.search(r"rejected:\s+2\b", out), out
    rejected = out.split("Rejected rows", 1)[1]
    assert re.findall(r"^  line (\d+): ", rejected, re.MULTILINE) == ["3", "5"], out
    assert "'not a phone'" in rejected
    assert count(db, "households") == 2


def test_import_into_an_unknown_campaign_fails_clearly(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, db: Path
) -> None:
    source = tmp_path / "families.csv"
    source.write_text(BAD_ROWS_CSV, encoding="utf-8")
    code, _, err = run(
        capsys, "import-households", str(source), "--campaign", "nope", "--db", str(db)
    )
    assert code == 1
    assert "nope" in err
    assert "Traceback" not in err
    assert count(db, "households") == 0


@pytest.mark.parametrize(
    ("content", "message"),
    [(None, "Cannot read"), (b"PK\x03\x04 zipped", "Excel"), (b"", "empty")],
)
def test_a_file_that_cannot_be_read_fails_clearly(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    db: Path,
    campaign_slug: str,
    content: bytes | None,
    message: str,
) -> None:
    source = tmp_path / "families.csv"
    if content is not None:
        source.write_bytes(content)
    code, _, err = run(
        capsys, "import-households", str(source), "--campaign", campaign_slug, "--db", str(db)
    )
    assert code == 1
    assert message in err


# ---------------------------------------------------------------------------- assign, export


def test_assign_gives_households_to_callers_who_speak_their_language(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, db: Path, campaign_slug: str
) -> None:
    source = tmp_path / "families.csv"
    source.write_text(BAD_ROWS_CSV, encoding="utf-8")
    run(capsys, "import-households", str(source), "--campaign", campaign_slug, "--db", str(db))
    run(capsys, "invite", "Marisol Reyes", "--languages", "es,en", "--db", str(db))
    run(capsys, "invite", "Thanh Nguyen", "--languages", "vi,en", "--db", str(db))
    code, out, _ = run(capsys, "assign", "--campaign", campaign_slug, "--db", str(db))
    assert code == 0
    assert re.search(r"Marisol Reyes\s+1 household\s+\(\+1\)", out), out
    assert re.search(r"Thanh Nguyen\s+1 household\s+\(\+1\)", out), out
    code, out, _ = run(capsys, "assign", "--campaign", campaign_slug, "--db", str(db))
    assert code == 0
    assert "Assigned 0 households" in out


def test_export_writes_the_campaign_outcomes_as_csv(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, db: Path
) -> None:
    _, banner, _ = run(capsys, "demo", "--db", str(db))
    invite = re.search(r"Marisol Reyes\s+(\S+)", banner)
    assert invite, banner
    with TestClient(create_app(db)) as client:
        joined = client.post("/api/v1/join", json={"code": invite.group(1), "device_name": "t"})
        device = joined.json()
        store: Store = client.app.state.store  # type: ignore[attr-defined]
        with store.reading() as conn:
            campaign = campaign_by_slug(conn, "tech-check")
            household_id, household = conn.execute(
                """SELECT h.id, h.name FROM campaign_households ch
                   JOIN households h ON h.id = ch.household_id
                   WHERE ch.campaign_id = ? AND ch.caller_id = ? LIMIT 1""",
                [campaign.id, device["caller"]["id"]],
            ).fetchone()
        event = outcome_event(
            1, campaign.id, household_id, "reached_complete", notes="Necesita un hotspot"
        )
        pushed = client.post(
            "/api/v1/sync/push",
            json=push_body(device["device_id"], [event]),
            headers={"Authorization": f"Bearer {device['token']}"},
        )
        assert pushed.status_code == 200, pushed.text

    target = tmp_path / "outcomes.csv"
    code, _, _ = run(capsys, "export", "--campaign", "tech-check", str(target), "--db", str(db))
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8-sig"))))
    assert [(r["household"], r["caller"], r["disposition"], r["notes"]) for r in rows] == [
        (household, "Marisol Reyes", "reached_complete", "Necesita un hotspot")
    ]
    code, out, _ = run(capsys, "export", "--campaign", "tech-check", "-", "--db", str(db))
    assert code == 0
    assert list(csv.DictReader(io.StringIO(out))) == rows
    assert not list(tmp_path.glob(".*partial"))


def test_export_of_an_unknown_campaign_writes_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, db: Path
) -> None:
    target = tmp_path / "outcomes.csv"
    code, _, err = run(capsys, "export", "--campaign", "nope", str(target), "--db", str(db))
    assert code == 1
    assert "nope" in err
    assert not target.exists()


# ---------------------------------------------------------------------------- demo and serve


def test_demo_prints_logins_and_fresh_codes_on_every_run(
    capsys: pytest.CaptureFixture[str], db: Path
) -> None:
    code, first, _ = run(capsys, "demo", "--db", str(db))
    assert code == 0
    assert "coordinator / phonebank-demo" in first
    assert "http://127.0.0.1:8550/api/docs" in first
    codes = re.findall(r"\?invite=(\S+)", first)
    assert len(codes) == 3
    for name in ("Marisol Reyes", "Thanh Nguyen", "Layla Haddad"):
        assert name in first
    code, second, _ = run(capsys, "demo", "--db", str(db))
    assert code == 0
    assert "not loaded" in second
    assert set(re.findall(r"\?invite=(\S+)", second)).isdisjoint(codes)


def test_serve_with_demo_seeds_prints_the_banner_and_runs_the_app(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, db: Path
) -> None:
    served: dict[str, Any] = {}

    def fake_run(app: FastAPI, **options: Any) -> None:
        served.update(options, app=app)
        app.state.store.close()

    monkeypatch.setattr(uvicorn, "run", fake_run)
    code, out, _ = run(capsys, "serve", "--demo", "--port", "9123", "--db", str(db))
    assert code == 0
    assert isinstance(served["app"], FastAPI)
    assert (served["host"], served["port"]) == ("127.0.0.1", 9123)
    assert "http://127.0.0.1:9123/" in out
    assert len(re.findall(r"http://127\.0\.0\.1:9123/\?invite=", out)) == 3
    assert count(db, "campaigns") == 2


def test_the_banner_points_callers_at_the_offline_app_once_it_is_built(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    db: Path,
    tmp_path: Path,
) -> None:
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: app.state.store.close())
    web = tmp_path / "web"
    web.mkdir()
    serve = ["serve", "--demo", "--port", "9123", "--db", str(db), "--web-app", str(web)]
    _, not_built, _ = run(capsys, *serve)
    assert "Caller app:      http://127.0.0.1:9123/app/" in not_built
    assert "not built" in not_built and "phonebank build-web" in not_built
    (web / "bundle.json").write_text('{"files": {}}')
    _, built, _ = run(capsys, *serve)
    assert "Caller app:      http://127.0.0.1:9123/  (" in built
    assert "not built" not in built


def test_serve_without_demo_leaves_an_empty_database_empty(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, db: Path
) -> None:
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: app.state.store.close())
    code, out, _ = run(capsys, "serve", "--host", "0.0.0.0", "--db", str(db))
    assert code == 0
    assert "http://127.0.0.1:8550/" in out
    assert "create-supervisor" in out
    assert count(db, "campaigns") == 0


# ---------------------------------------------------------------------------- usage


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import-households"]) == 2
    assert main(["no-such-command"]) == 2
    assert main(["serve", "--port", "eighty"]) == 2
    assert main([]) == 2
    assert "usage:" in capsys.readouterr().err


def test_help_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    assert "import-households" in capsys.readouterr().out


def test_every_command_and_option_has_help() -> None:
    commands = subcommands(build_parser())
    assert set(commands.choices) == {
        "serve", "build-web", "demo", "create-supervisor", "import-households", "invite",
        "export", "assign", "check", "backup", "restore", "campaign",
        "delete-household", "retention", "audit", "export-households", "account",
    }  # fmt: skip
    assert_documented(commands)
