"""Retention: a closed campaign's families are anonymised N days after it closes — at
server start, daily, or from the CLI and the API — and a dry run counts them first."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.core.models import Campaign, CampaignDraft
from app.core.privacy import ANONYMISED_NAME
from sync_server import db as db_module
from sync_server.app import create_app
from sync_server.audit import AuditFilter
from sync_server.campaigns import create_campaign, update_campaign
from sync_server.cli import main
from sync_server.clock import iso, utcnow
from sync_server.db import Store
from sync_server.retention import closed_at, retention_daily, run_retention, run_retention_in
from tests.support.server_rows import make_household, put_household, seed_households

TODAY = datetime.now(UTC).date()


def _campaign(store: Store, slug: str, **fields: object) -> Campaign:
    with store.transaction() as db:
        return create_campaign(db, CampaignDraft(slug=slug, name=slug.title(), **fields))


def _names(store: Store) -> dict[str, str]:
    with store.reading() as db:
        return dict(db.execute("SELECT id, name FROM households").fetchall())


@pytest.fixture
def ended(store: Store) -> Campaign:
    """A campaign whose last day was 40 days ago, anonymising after 30, with 3 families."""
    campaign = _campaign(
        store, "spring-check", ends_on=TODAY - timedelta(days=40), anonymise_after_days=30
    )
    seed_households(store, campaign.id, [make_household(i) for i in range(3)], None)
    return campaign


def test_the_dry_run_counts_and_changes_nothing(store: Store, ended: Campaign) -> None:
    before = _names(store)
    with store.transaction() as db:
        report = run_retention(db, dry_run=True)
    [due] = report.campaigns
    assert (due.slug, due.households_due, due.households_kept) == ("spring-check", 3, 0)
    assert due.due_at == due.closed_at + timedelta(days=30) and due.due_at < report.ran_at
    assert report.anonymised == 0 and _names(store) == before


def test_a_run_anonymises_the_families_of_a_campaign_past_retention(
    store: Store, ended: Campaign
) -> None:
    with store.transaction() as db:
        report = run_retention(db, dry_run=False)
    assert report.anonymised == 3
    assert set(_names(store).values()) == {ANONYMISED_NAME}
    with store.reading() as db:
        entry = db.execute(
            "SELECT actor_kind, action, target_ids FROM audit_log WHERE action LIKE 'retention%'"
        ).fetchone()
        assert entry == ("system", "retention.anonymise", f'["{ended.id}"]')
        again = run_retention(db, dry_run=True)
    assert again.campaigns[0].households_due == 0  # nothing left to do


def test_a_campaign_closed_too_recently_is_counted_but_kept(store: Store) -> None:
    campaign = _campaign(
        store, "recent", ends_on=TODAY - timedelta(days=10), anonymise_after_days=30
    )
    seed_households(store, campaign.id, [make_household(i) for i in range(2)], None)
    with store.transaction() as db:
        report = run_retention(db, dry_run=False)
    assert report.campaigns[0].households_due == 2
    assert report.anonymised == 0 and ANONYMISED_NAME not in _names(store).values()


def test_a_family_still_on_an_open_campaign_is_kept(store: Store, ended: Campaign) -> None:
    still_open = _campaign(store, "fall-check")
    with store.transaction() as db:  # one of ended's families is on the open one too
        shared = db.execute(
            "SELECT household_id FROM campaign_households WHERE campaign_id = ? LIMIT 1",
            [ended.id],
        ).fetchone()[0]
        put_household(db, None, still_open.id, None, now=iso(utcnow()), household_id=shared)
    with store.transaction() as db:
        report = run_retention(db, dry_run=False)
    assert (report.campaigns[0].households_due, report.campaigns[0].households_kept) == (2, 1)
    names = _names(store)
    assert names[shared] != ANONYMISED_NAME
    assert sorted(names.values()).count(ANONYMISED_NAME) == 2


def test_no_setting_or_an_open_campaign_is_left_alone(store: Store) -> None:
    kept = _campaign(store, "no-setting", ends_on=TODAY - timedelta(days=400))
    running = _campaign(store, "running", anonymise_after_days=0)
    for index, campaign in enumerate((kept, running)):
        seed_households(store, campaign.id, [make_household(index)], None)
    with store.transaction() as db:
        report = run_retention(db, dry_run=False)
    assert report.campaigns == [] and ANONYMISED_NAME not in _names(store).values()


def test_making_a_campaign_inactive_closes_it_and_reopening_clears_that(store: Store) -> None:
    campaign = _campaign(store, "winter", anonymise_after_days=30)
    seed_households(store, campaign.id, [make_household(7)], None)
    draft = CampaignDraft.model_validate(campaign.model_dump(exclude={"id"}))

    def stamped() -> str | None:
        with store.reading() as db:
            row = db.execute("SELECT closed_at FROM campaigns WHERE id = ?", [campaign.id])
            value: str | None = row.fetchone()[0]
            return value

    with store.transaction() as db:
        update_campaign(db, campaign.id, draft.model_copy(update={"active": False}))
    closed = stamped()
    assert closed is not None
    moment = datetime.fromisoformat(closed)
    assert closed_at(campaign, closed, moment) == moment
    with store.transaction() as db:  # 31 days on, it is due
        report = run_retention(db, dry_run=False, now=moment + timedelta(days=31))
    assert report.anonymised == 1

    with store.transaction() as db:
        update_campaign(db, campaign.id, draft)  # active again
    assert stamped() is None


def test_a_campaign_ends_at_the_end_of_its_last_day_in_its_time_zone() -> None:
    campaign = Campaign(
        id="c", slug="c", name="C", ends_on=date(2026, 6, 30), timezone="America/Chicago"
    )
    end = datetime(2026, 7, 1, 5, 0, tzinfo=UTC)  # midnight in Chicago (CDT, UTC-5)
    assert closed_at(campaign, None, end - timedelta(minutes=1)) is None
    assert closed_at(campaign, None, end) == end


def test_the_server_runs_retention_when_it_starts(tmp_path: Path) -> None:
    db_path = tmp_path / "phonebank.sqlite"
    store = Store(db_path)
    campaign = _campaign(store, "old", ends_on=TODAY - timedelta(days=100), anonymise_after_days=60)
    seed_households(store, campaign.id, [make_household(1)], None)
    store.close()
    app = create_app(db_path)
    with TestClient(app):  # the lifespan: the server starts, then runs retention aside
        for _ in range(1000):  # until it has (no time limit judged)
            if ANONYMISED_NAME in _names(app.state.store).values():
                break
            time.sleep(0.01)
    assert set(_names(app.state.store).values()) == {ANONYMISED_NAME}
    app.state.store.close()


def test_the_api_dry_run_and_run(
    client: TestClient, store: Store, supervisor_headers: dict[str, str], ended: Campaign
) -> None:
    dry = client.get("/api/v1/admin/retention", headers=supervisor_headers)
    assert dry.status_code == 200 and dry.json()["campaigns"][0]["households_due"] == 3
    assert ANONYMISED_NAME not in _names(store).values()
    run = client.post("/api/v1/admin/retention/run", headers=supervisor_headers)
    assert run.status_code == 200 and run.json()["anonymised"] == 3
    log = client.get(
        "/api/v1/admin/audit", params={"action": "retention"}, headers=supervisor_headers
    ).json()
    assert [(e["actor_kind"], e["actor_name"]) for e in log] == [("supervisor", "coordinator")]


def test_the_cli_dry_run_counts_then_the_run_anonymises(
    store: Store, ended: Campaign, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["retention", "--dry-run", "--db", str(db_path)]) == 0
    out = capsys.readouterr().out
    assert "spring-check" in out and "Dry run: 3 families are due now" in out
    assert ANONYMISED_NAME not in _names(store).values()
    assert main(["retention", "--db", str(db_path)]) == 0
    assert "Anonymised 3 families." in capsys.readouterr().out
    assert set(_names(store).values()) == {ANONYMISED_NAME}


def test_the_cli_sets_retention_on_a_new_campaign(
    db_path: Path, store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["campaign", "create", "fall", "--name", "Fall", "--anonymise-after", "90"]
    assert main([*argv, "--db", str(db_path)]) == 0
    with store.reading() as db:
        body = db.execute("SELECT json_extract(body, '$.anonymise_after_days') FROM campaigns")
        assert body.fetchone()[0] == 90
    bad = ["campaign", "create", "bad", "--name", "Bad", "--anonymise-after", "-3"]
    assert main([*bad, "--db", str(db_path)]) == 1
    assert "--anonymise-after" in capsys.readouterr().err


@pytest.mark.anyio
async def test_the_server_runs_it_again_every_period(store: Store) -> None:
    async with retention_daily(store, every=0.01):
        campaign = _campaign(
            store, "later", ends_on=TODAY - timedelta(days=100), anonymise_after_days=60
        )
        seed_households(store, campaign.id, [make_household(3)], None)
        for _ in range(1000):  # until the next run has happened (no time limit judged)
            if ANONYMISED_NAME in _names(store).values():
                break
            await asyncio.sleep(0.01)
    assert set(_names(store).values()) == {ANONYMISED_NAME}


def test_an_older_database_upgrades_with_its_inactive_campaigns_closed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "old.sqlite"
    with monkeypatch.context() as patch:  # the database as the release before issue 14 left it
        patch.setattr(db_module, "MIGRATIONS", db_module.MIGRATIONS[:4])
        old = db_module.connect(path)
        for slug, active in (("paused", False), ("running", True)):
            body = CampaignDraft(slug=slug, name=slug, active=active).model_dump_json()
            old.execute(
                "INSERT INTO campaigns VALUES (?, ?, ?, 'standard', json_set(?, '$.id', ?), 1, '')",
                [slug, slug, slug, body, slug],
            )
        old.close()
    upgraded = db_module.connect(path)
    closed = dict(upgraded.execute("SELECT slug, closed_at FROM campaigns").fetchall())
    assert closed["running"] is None and closed["paused"] is not None
    assert db_module.schema_version(upgraded) == len(db_module.MIGRATIONS)
    assert upgraded.execute("SELECT count(*) FROM audit_log").fetchone()[0] == 0
    upgraded.close()


def test_the_console_shows_the_dry_run_and_sets_and_runs_retention(
    store: Store, ended: Campaign
) -> None:
    from sync_server.console.components.retention_panel import days_typed, due_text
    from sync_server.console.services import campaign_draft
    from tests.support.console import SignedInConsole

    console = SignedInConsole.seed(store)
    [due] = console.service.retention_dry_run().campaigns
    assert due_text(due).startswith("Spring-Check: closed ") and "3 families" in due_text(due)
    draft = campaign_draft(console.service.campaign(console.campaign_id))
    days = days_typed(" 45 ")
    console.service.update_campaign(
        console.campaign_id, draft.model_copy(update={"anonymise_after_days": days})
    )
    assert console.service.campaign(console.campaign_id).anonymise_after_days == 45
    assert days_typed("") is None
    for typed in ("-1", "ten", "4000"):
        with pytest.raises(ValueError, match="not a number of days"):
            days_typed(typed)
    assert console.service.run_retention().anonymised == 3
    actions = [e.action for e in console.service.audit_entries(AuditFilter())]
    assert actions == ["auth.sign_in", "campaign.update", "retention.anonymise"]


def test_a_big_run_goes_in_batches_and_counts_every_family(store: Store, ended: Campaign) -> None:
    report = run_retention_in(store, batch=2)
    assert report.anonymised == 3 and set(_names(store).values()) == {ANONYMISED_NAME}
    with store.reading() as db:
        entries = db.execute("SELECT detail FROM audit_log").fetchall()
    assert entries == [('{"households": 3}',)]  # one entry for the whole run
