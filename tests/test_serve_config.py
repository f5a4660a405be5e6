"""How `phonebank serve` is configured (options, PHONEBANK_* variables) and what it and
`phonebank check` say about a set-up: public URL, HTTPS, database, offline app, supervisor."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from fastapi import FastAPI

from sync_server.cli import main
from sync_server.settings import ENVIRONMENT, BadSetting, ServeSettings, findings
from tests.support.tls import self_signed


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for variable in (*ENVIRONMENT.values(), "INVOCATION_ID", "PHONEBANK_SUPERVISED"):
        monkeypatch.delenv(variable, raising=False)


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """What `serve` would hand to uvicorn, without listening anywhere."""
    options: dict[str, Any] = {}

    def fake_run(app: FastAPI, **given: Any) -> None:
        options.update(given, app=app)
        app.state.store.close()

    monkeypatch.setattr(uvicorn, "run", fake_run)
    return options


@pytest.fixture
def built_web_app(tmp_path: Path) -> Path:
    folder = tmp_path / "web"
    folder.mkdir()
    (folder / "bundle.json").write_text(json.dumps({"label": "2026-11-22.1", "files": {}}))
    return folder


def problems(settings: ServeSettings, supervised: bool = True) -> list[str]:
    return [f.text for f in findings(settings, supervised=supervised) if f.problem]


def test_a_public_host_without_public_url_or_https_is_two_problems(tmp_path: Path) -> None:
    found = problems(ServeSettings(db=tmp_path / "db.sqlite", host="0.0.0.0", web_app=None))
    assert len(found) == 2
    assert "will not work for callers" in found[0]
    assert "phones will not get the offline app" in found[1]


def test_loopback_needs_neither(tmp_path: Path) -> None:
    assert problems(ServeSettings(db=tmp_path / "db.sqlite", web_app=None)) == []


def test_an_https_public_url_behind_a_proxy_is_fine(tmp_path: Path) -> None:
    settings = ServeSettings(
        db=tmp_path / "db.sqlite", public_url="https://phonebank.example.org", web_app=None
    )
    assert settings.secure and settings.public_host
    assert settings.base_url == "https://phonebank.example.org"
    assert problems(settings) == []


@pytest.mark.parametrize(
    ("cert", "key", "message"),
    [
        ("cert.pem", None, "needs both"),
        ("missing.pem", "missing.pem", "does not exist"),
    ],
)
def test_tls_files_are_checked(tmp_path: Path, cert: str, key: str | None, message: str) -> None:
    settings = ServeSettings(
        db=tmp_path / "db.sqlite",
        tls_cert=tmp_path / cert,
        tls_key=tmp_path / key if key else None,
    )
    with pytest.raises(BadSetting, match=message):
        settings.validate()


def test_serve_with_a_missing_certificate_says_so_and_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], served: dict[str, Any]
) -> None:
    code = main(
        ["serve", "--db", str(tmp_path / "db.sqlite"), "--tls-cert", "/nope/cert.pem",
         "--tls-key", "/nope/key.pem"]
    )  # fmt: skip
    assert code == 1
    assert "The TLS certificate file /nope/cert.pem does not exist" in capsys.readouterr().err
    assert served == {}


def test_serve_refuses_a_public_url_that_is_not_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], served: dict[str, Any]
) -> None:
    assert main(["serve", "--db", str(tmp_path / "db.sqlite"), "--public-url", "phonebank"]) == 1
    assert "must look like https://phonebank.example.org" in capsys.readouterr().err


def test_serve_on_every_interface_over_http_warns_about_links_and_the_offline_app(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], served: dict[str, Any]
) -> None:
    assert main(["serve", "--db", str(tmp_path / "db.sqlite"), "--host", "0.0.0.0"]) == 0
    err = capsys.readouterr().err
    assert "WARNING: Listening on 0.0.0.0 with no public URL" in err
    assert "WARNING: No HTTPS on a public host: phones will not get the offline app" in err
    assert served["host"] == "0.0.0.0"


def test_the_public_url_and_tls_come_from_the_environment(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    served: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    certificate = self_signed(tmp_path / "tls")
    monkeypatch.setenv("PHONEBANK_DB", str(tmp_path / "db.sqlite"))
    monkeypatch.setenv("PHONEBANK_HOST", "0.0.0.0")
    monkeypatch.setenv("PHONEBANK_PORT", "8443")
    monkeypatch.setenv("PHONEBANK_PUBLIC_URL", "https://phonebank.example.org/")
    monkeypatch.setenv("PHONEBANK_TLS_CERT", str(certificate.cert))
    monkeypatch.setenv("PHONEBANK_TLS_KEY", str(certificate.key))
    monkeypatch.setenv("PHONEBANK_LOG_JSON", "1")
    assert main(["serve", "--demo", "--web-app", "none"]) == 0
    out, err = capsys.readouterr()
    assert "WARNING" not in err
    assert "https://phonebank.example.org/console/" in out
    assert "https://phonebank.example.org/?invite=" in out  # the callers' invite links
    assert (served["host"], served["port"]) == ("0.0.0.0", 8443)
    assert served["ssl_certfile"] == str(certificate.cert)
    assert served["ssl_keyfile"] == str(certificate.key)
    formatter = served["log_config"]["formatters"]["default"]
    assert "()" in formatter  # the JSON formatter


def test_invite_links_from_the_command_line_use_the_public_url(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PHONEBANK_PUBLIC_URL", "https://phonebank.example.org")
    assert main(["invite", "Marisol Reyes", "--db", str(tmp_path / "db.sqlite")]) == 0
    assert "Link:        https://phonebank.example.org/?invite=" in capsys.readouterr().out


def test_check_prints_the_configuration_and_fails_on_problems(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["check", "--db", str(tmp_path / "db.sqlite"), "--host", "0.0.0.0",
                 "--web-app", str(tmp_path / "not-built")])  # fmt: skip
    out = capsys.readouterr().out
    assert code == 1
    assert "--host           PHONEBANK_HOST           = 0.0.0.0" in out
    assert "4 problem(s):" in out
    for words in ("no public URL", "No HTTPS", "not built", "Not run by a supervisor"):
        assert words in out


def test_check_passes_a_good_set_up(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    built_web_app: Path,
) -> None:
    certificate = self_signed(tmp_path / "tls")
    monkeypatch.setenv("INVOCATION_ID", "0123")  # as systemd sets it for its services
    monkeypatch.setenv("PHONEBANK_METRICS_TOKEN", "s3cret-token")
    code = main(
        ["check", "--db", str(tmp_path / "db.sqlite"), "--host", "0.0.0.0",
         "--tls-cert", str(certificate.cert), "--tls-key", str(certificate.key),
         "--public-url", "https://phonebank.example.org", "--web-app", str(built_web_app)]
    )  # fmt: skip
    out = capsys.readouterr().out
    assert code == 0, out
    assert "No problems found." in out
    assert "s3cret-token" not in out


@pytest.mark.parametrize("kind", ["folder", "under-a-file", "not-sqlite"])
def test_check_finds_a_database_it_cannot_use(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    if kind == "folder":
        db = tmp_path / "db.sqlite"
        db.mkdir()
    elif kind == "under-a-file":
        (tmp_path / "plain-file").write_text("")
        db = tmp_path / "plain-file" / "db.sqlite"
    else:
        db = tmp_path / "db.sqlite"
        db.write_bytes(b"this is not a database, not at all" * 100)
    assert main(["check", "--db", str(db), "--web-app", "none"]) == 1
    assert f"The database {db}" in capsys.readouterr().out


def test_a_second_server_on_the_same_database_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], served: dict[str, Any]
) -> None:
    from sync_server.backup import server_lock

    db = tmp_path / "db.sqlite"
    with server_lock(db):  # as a running `phonebank serve` holds it
        assert main(["serve", "--db", str(db), "--web-app", "none"]) == 1
    assert "is running on" in capsys.readouterr().err
    assert served == {}
