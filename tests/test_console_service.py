"""The supervisor console's service, state and download route, without a page."""

from __future__ import annotations

import asyncio
import csv
import io
import os
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError

from app.core.errors import (
    Conflict,
    InvalidCredentials,
    NotFound,
    TooManyAttempts,
    Unauthorized,
)
from app.core.imports import ColumnMapping, ImportReport, RejectedRow
from app.core.models import CampaignDraft, Script, ScriptDraft, ScriptSection, SurveyQuestion
from app.core.reports import CallerUpdate
from sync_server import auth
from sync_server.campaigns import put_script
from sync_server.clock import iso, utcnow
from sync_server.console.app import (
    console_asgi_app,
    forget_stale_uploads,
    http_base,
    origin,
    watch_changes,
)
from sync_server.console.components.campaign_form import draft_from, problem, texts_of
from sync_server.console.downloads import Downloads, safe_filename
from sync_server.console.services import (
    ConsoleService,
    rejected_rows_csv,
    sample_household,
)
from sync_server.console.state import ConsoleState, ImportState, ScriptEditor
from sync_server.db import Store
from sync_server.effects import apply_event_effects
from sync_server.guessing import Backoff, LoginLimiter
from sync_server.targeting import TargetCriteria
from tests.support.console import SignedInConsole
from tests.support.phone_bank import SUPERVISOR
from tests.support.server_rows import add_device, add_household, add_outcome

_, PASSWORD = SUPERVISOR
ROSTER = b"""Family Name,Guardian,Phone,Language,Student,School,Needs
Garcia,Maria Garcia,(510) 555-0111,Spanish,Luis Garcia,Lincoln,no-device
Nguyen,Lan Nguyen,510-555-0112,Vietnamese,Bao Nguyen,Lincoln,no-internet
Smith,John Smith,5105550113,English,Amy Smith,Fruitvale,
,,510-555-0115,English,Sam,Lincoln,
Brown,=HYPERLINK("x"),,English,Kim Brown,Lincoln,
"""


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store(tmp_path / "phonebank.sqlite")
    yield opened
    opened.close()


@pytest.fixture
def signed_in(store: Store) -> SignedInConsole:
    return SignedInConsole.seed(store)


# --- signing in ---------------------------------------------------------------------------


def test_nothing_works_before_signing_in(store: Store) -> None:
    with pytest.raises(Unauthorized):
        ConsoleService(store).campaigns()


def test_a_wrong_password_is_refused_and_rate_limited(store: Store) -> None:
    with store.transaction() as db:
        auth.create_supervisor(db, "coordinator", PASSWORD)
    service = ConsoleService(
        store,
        limiter=LoginLimiter(Backoff(free=1, first_wait=60, longest_wait=60, forget_after=600)),
    )
    for _ in range(2):
        with pytest.raises(InvalidCredentials):
            service.sign_in("coordinator", "wrong password", "10.0.0.1")
    with pytest.raises(TooManyAttempts):
        service.sign_in("coordinator", PASSWORD, "10.0.0.1")
    assert service.sign_in("coordinator", PASSWORD, "10.0.0.2") == "coordinator"


def test_a_session_resumes_after_a_reload_until_signed_out(signed_in: SignedInConsole) -> None:
    token = signed_in.service.token
    assert token is not None
    reloaded = ConsoleService(signed_in.store)
    assert reloaded.resume(token) == "coordinator"
    assert reloaded.campaigns()

    signed_in.service.sign_out()

    assert ConsoleService(signed_in.store).resume(token) is None
    with pytest.raises(Unauthorized, match="sign in again"):
        reloaded.campaigns()
    assert not reloaded.signed_in


def test_an_expired_session_stops_the_console(signed_in: SignedInConsole) -> None:
    with signed_in.store.transaction() as db:
        db.execute("UPDATE sessions SET expires_at = ?", [iso(utcnow() - timedelta(minutes=1))])
    with pytest.raises(Unauthorized):
        signed_in.service.callers()


# --- live figures -------------------------------------------------------------------------


def test_the_dashboard_follows_outcomes(signed_in: SignedInConsole) -> None:
    with signed_in.store.transaction() as db:
        phone = add_device(db, signed_in.ana)
        first = add_household(db, signed_in.campaign_id, caller_id=signed_in.ana)
        second = add_household(db, signed_in.campaign_id, caller_id=signed_in.ana)
    before = signed_in.service.dashboard(signed_in.campaign_id)
    with signed_in.store.transaction() as db:
        add_outcome(
            db, phone, signed_in.campaign_id, first, "reached_complete", received_at=utcnow()
        )
        add_outcome(db, phone, signed_in.campaign_id, second, "no_answer", received_at=utcnow())

    after = signed_in.service.dashboard(signed_in.campaign_id)

    assert (before.progress.totals.attempted, after.progress.totals.attempted) == (0, 2)
    assert (after.progress.totals.reached, after.progress.totals.completed) == (1, 1)
    (ana,) = after.progress.by_caller
    assert ana.calls_today == 2
    assert [week.active_callers for week in after.weeks] == [1]


def test_the_changes_marker_moves_with_every_change_the_console_shows(
    signed_in: SignedInConsole,
) -> None:
    marker = signed_in.service.changes_marker
    start = marker()
    assert marker() == start
    with signed_in.store.transaction() as db:
        phone = add_device(db, signed_in.ana, last_sync_at=None)
    after_device = marker()
    assert after_device != start
    with signed_in.store.transaction() as db:
        db.execute("UPDATE devices SET last_sync_at = ?", [iso(utcnow())])
    synced = marker()
    assert synced != after_device
    with signed_in.store.transaction() as db:
        household = add_household(db, signed_in.campaign_id, caller_id=signed_in.ana)
        event = add_outcome(db, phone, signed_in.campaign_id, household, quarantined=True)
    quarantined = marker()
    assert quarantined != synced
    signed_in.service.dismiss_quarantined(event)
    assert marker() != quarantined


def test_the_watch_bumps_the_revision_only_when_data_moved() -> None:
    state = ConsoleState(username="coordinator")
    markers = [1, 1, 2, 2, 3]

    class FakeService:
        def changes_marker(self) -> int:
            marker = markers.pop(0)
            state.closed = not markers  # the page goes away after the last one
            return marker

    @dataclass
    class FakeConsole:
        service: FakeService

        async def run(self, function: Any, *args: Any) -> Any:
            return function(*args)

    # In a thread of its own: Playwright's sync API may hold this thread's event loop.
    with ThreadPoolExecutor(1) as worker:
        worker.submit(
            lambda: asyncio.run(watch_changes(FakeConsole(FakeService()), state, 0))  # type: ignore[arg-type]
        ).result()

    assert markers == []
    assert state.revision == 2  # 1 → 2 and 2 → 3; the first read only sets the mark


# --- import --------------------------------------------------------------------------------


def test_preview_then_import_with_progress_and_a_report(signed_in: SignedInConsole) -> None:
    preview = signed_in.service.preview_import(ROSTER)
    assert preview.mapping.phones == ["Phone"]
    assert preview.rows_read == 5
    seen: list[tuple[int, int]] = []

    report = signed_in.service.import_households(
        ROSTER, signed_in.campaign_id, preview.mapping, progress=lambda *p: seen.append(p)
    )

    assert (report.imported, report.added_to_campaign) == (3, 3)
    assert [row.line for row in report.rejected] == [5, 6]
    assert seen[-1] == (5, 5)
    assert len(signed_in.service.campaign_list(signed_in.campaign_id, unassigned=True)) == 3


def test_a_fixed_mapping_is_used(signed_in: SignedInConsole) -> None:
    mapping = ColumnMapping(name="Guardian", phones=["Phone"])
    report = signed_in.service.import_households(ROSTER, None, mapping)
    names = {match.name for match in signed_in.service.find_households(TargetCriteria())}
    assert "Maria Garcia" in names
    assert report.campaign_id is None


def test_daily_attendance_replaces_yesterdays_open_list(signed_in: SignedInConsole) -> None:
    daily = signed_in.service.create_campaign(
        CampaignDraft(slug="daily-lab", name="Daily attendance", kind="daily_attendance")
    )
    header = b"Family Name,Phone\n"
    monday = header + b"Garcia,5105550111\nNguyen,5105550112\n"
    tuesday = header + b"Nguyen,5105550112\nSmith,5105550113\n"
    signed_in.service.import_households(monday, daily.id, replace_open=True)

    report = signed_in.service.import_households(tuesday, daily.id, replace_open=True)

    assert (report.added_to_campaign, report.closed) == (1, 1)
    listed = {row.name for row in signed_in.service.campaign_list(daily.id)}
    assert listed == {"Nguyen", "Smith"}


def test_rejected_rows_download_as_a_safe_csv(signed_in: SignedInConsole) -> None:
    report = signed_in.service.import_households(ROSTER, signed_in.campaign_id)
    ticket = signed_in.service.rejected_rows_download(report, "roster")
    item = signed_in.service.downloads.get(ticket)
    assert item is not None and item.filename == "roster-rejected-rows.csv"

    text = item.produce().decode("utf-8-sig")

    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:3] == ["line", "status", "reason"]
    assert [row[0] for row in rows[1:]] == ["5", "6"]
    assert "no phone number" in rows[2][2]
    assert "'=HYPERLINK" in text  # a formula typed into the roster never runs in Excel


def test_rejected_rows_csv_orders_rejections_and_warnings_by_line() -> None:
    report = ImportReport(
        mapping=ColumnMapping(),
        encoding="utf-8",
        delimiter=",",
        rejected=[RejectedRow(line=9, reason="bad", raw={"a": "1"})],
        warnings=[RejectedRow(line=3, reason="second phone left out", raw={"b": "@x"})],
    )
    rows = list(csv.reader(io.StringIO(rejected_rows_csv(report).decode("utf-8-sig"))))
    assert rows == [
        ["line", "status", "reason", "a", "b"],
        ["3", "warning", "second phone left out", "", "'@x"],
        ["9", "rejected", "bad", "1", ""],
    ]


# --- campaigns and scripts -----------------------------------------------------------------


def _script(signed_in: SignedInConsole, language: str = "en") -> Script:
    with signed_in.store.transaction() as db:
        return put_script(
            db,
            signed_in.campaign_id,
            ScriptDraft(
                language=language,
                title="Tech check",
                sections=[
                    ScriptSection(id="hello", title="Hello", body="Hi {guardian}, I'm {caller}."),
                    ScriptSection(
                        id="device", body="About {student}'s laptop", when_tags=["no-device"]
                    ),
                    ScriptSection(id="odd", body="Pick up on {pickup_day}"),
                ],
                questions=[SurveyQuestion(id="q1", prompt="Internet at home?", type="yes_no")],
            ),
        )


def test_copy_a_script_to_a_new_language(signed_in: SignedInConsole) -> None:
    source = _script(signed_in)

    copied = signed_in.service.copy_script(signed_in.campaign_id, "en", "es")

    assert copied.language == "es" and copied.id != source.id
    assert copied.sections == source.sections and copied.questions == source.questions
    assert [s.language for s in signed_in.service.scripts(signed_in.campaign_id)] == ["en", "es"]
    with pytest.raises(Conflict):
        signed_in.service.copy_script(signed_in.campaign_id, "en", "es")
    with pytest.raises(NotFound):
        signed_in.service.copy_script(signed_in.campaign_id, "vi", "ar")
    with pytest.raises(Conflict):
        signed_in.service.copy_script(signed_in.campaign_id, "en", " ")


def test_preview_for_the_sample_family_shows_every_section(signed_in: SignedInConsole) -> None:
    draft = ScriptDraft.model_validate(_script(signed_in).model_dump(exclude={"id", "campaign_id"}))

    preview = signed_in.service.preview_script(signed_in.campaign_id, draft, caller_name="Ana")

    assert [s.id for s in preview.script.sections] == ["hello", "device", "odd"]
    assert preview.script.sections[0].body == "Hi Maria, I'm Ana."
    assert preview.script.missing == ("pickup_day",)


def test_preview_for_a_real_household_keeps_to_its_needs(signed_in: SignedInConsole) -> None:
    draft = ScriptDraft.model_validate(_script(signed_in).model_dump(exclude={"id", "campaign_id"}))
    with signed_in.store.transaction() as db:
        household = add_household(db, signed_in.campaign_id)

    preview = signed_in.service.preview_script(signed_in.campaign_id, draft, household)

    assert [s.id for s in preview.script.sections] == ["hello", "odd"]
    assert preview.household.id == household


def test_the_sample_family_carries_every_tag_a_script_asks_about() -> None:
    draft = ScriptDraft(
        language="es",
        sections=[ScriptSection(id="a", body="", when_tags=["iep"])],
        questions=[SurveyQuestion(id="b", prompt="", when_tags=["food", "iep"])],
    )
    household = sample_household([draft], "es")
    assert household.tags == ["food", "iep"]
    assert household.language == "es"


def test_create_and_update_a_campaign(signed_in: SignedInConsole) -> None:
    made = signed_in.service.create_campaign(CampaignDraft(slug="fair", name="Resource fair"))
    draft = CampaignDraft.model_validate(made.model_dump(exclude={"id"}) | {"name": "Fair 2026"})
    signed_in.service.update_campaign(made.id, draft)
    assert signed_in.service.campaign(made.id).name == "Fair 2026"
    with pytest.raises(Conflict):
        signed_in.service.create_campaign(CampaignDraft(slug="fair", name="Again"))


# --- callers, assignment, queues -------------------------------------------------------------


def test_an_invite_has_a_code_a_link_and_a_qr_code(signed_in: SignedInConsole) -> None:
    invite = signed_in.service.invite(signed_in.ana, "https://bank.example.org/")

    assert invite.link == f"https://bank.example.org/?invite={invite.code}"
    assert invite.qr_png is not None and invite.qr_png.startswith(b"\x89PNG")
    with signed_in.store.transaction() as db:
        _, _, caller = auth.join(db, invite.code, "Ana's phone")
    assert caller.id == signed_in.ana


def test_an_inactive_caller_gets_no_invite(signed_in: SignedInConsole) -> None:
    signed_in.service.update_caller(signed_in.ben, CallerUpdate(active=False))
    with pytest.raises(Conflict, match="not active"):
        signed_in.service.invite(signed_in.ben, "http://localhost")


def test_add_a_caller_and_revoke_a_device(signed_in: SignedInConsole) -> None:
    caller = signed_in.service.add_caller("Chen", ["zh-Hant", "en"])
    assert caller.languages == ["zh-Hant", "en"]
    with signed_in.store.transaction() as db:
        device = add_device(db, caller.id)

    signed_in.service.revoke_device(device)

    (info,) = [c for c in signed_in.service.callers() if c.id == caller.id]
    assert info.devices[0].revoked


def test_assign_open_households_then_move_one_by_hand(signed_in: SignedInConsole) -> None:
    with signed_in.store.transaction() as db:
        spanish = add_household(db, signed_in.campaign_id, language="es")
        vietnamese = add_household(db, signed_in.campaign_id, language="vi")

    plan = signed_in.service.plan_assignment(signed_in.campaign_id)
    assert {m.household_id: m.caller_id for m in plan.moves} == {
        spanish: signed_in.ana,
        vietnamese: signed_in.ben,
    }
    applied = signed_in.service.apply_plan(plan)
    assert applied.applied
    with pytest.raises(Conflict):
        signed_in.service.apply_plan(plan)  # the households moved since the plan was made

    moved = signed_in.service.move_households(signed_in.campaign_id, [spanish], signed_in.ben)

    assert [m.to_caller_id for m in moved.moved] == [signed_in.ben]
    assert {
        h.id
        for h in signed_in.service.campaign_list(signed_in.campaign_id, caller_id=signed_in.ben)
    } == {
        spanish,
        vietnamese,
    }


def test_assign_open_assigns_everything_unassigned(signed_in: SignedInConsole) -> None:
    with signed_in.store.transaction() as db:
        for _ in range(4):
            add_household(db, signed_in.campaign_id)
    plan = signed_in.service.assign_open(signed_in.campaign_id)
    assert len(plan.moves) == 4 and plan.applied
    assert signed_in.service.campaign_list(signed_in.campaign_id, unassigned=True) == []


def test_follow_ups_and_quarantine_through_the_console(signed_in: SignedInConsole) -> None:
    with signed_in.store.transaction() as db:
        phone = add_device(db, signed_in.ana)
        household = add_household(db, signed_in.campaign_id, caller_id=signed_in.ana)
        callback = add_outcome(
            db, phone, signed_in.campaign_id, household, "call_back_later",
            callback_at=utcnow() + timedelta(hours=1),
        )  # fmt: skip
        row = next(iter(db.query("SELECT * FROM events WHERE event_id = ?", [callback])))
        apply_event_effects(db, row)  # as push does: the callback becomes a follow-up
        stray = add_outcome(db, phone, signed_in.campaign_id, household, quarantined=True)
    (follow_up,) = signed_in.service.follow_ups(signed_in.campaign_id)

    assert signed_in.service.reassign_follow_up(follow_up.id, signed_in.ben).caller_name == "Ben"
    assert signed_in.service.close_follow_up(follow_up.id, "called back").status == "closed"
    assert signed_in.service.follow_ups(signed_in.campaign_id) == []
    assert [e.event_id for e in signed_in.service.quarantined()] == [stray]
    assert signed_in.service.accept_quarantined(stray).status == "accepted"
    assert signed_in.service.quarantined() == []


def test_targeting_through_the_console(signed_in: SignedInConsole) -> None:
    with signed_in.store.transaction() as db:
        wanted = add_household(db, None, tags=("no-device",))
        add_household(db, None)
    found = signed_in.service.find_households(TargetCriteria(tags=("no-device",)))
    assert [match.id for match in found] == [wanted]
    result = signed_in.service.add_to_campaign(signed_in.campaign_id, [wanted])
    assert result.added == 1
    assert signed_in.service.facets().tags == [("no-device", 1)]


# --- downloads -------------------------------------------------------------------------------


def test_export_download_is_the_campaigns_outcomes(signed_in: SignedInConsole) -> None:
    with signed_in.store.transaction() as db:
        phone = add_device(db, signed_in.ana)
        household = add_household(db, signed_in.campaign_id, caller_id=signed_in.ana)
        add_outcome(db, phone, signed_in.campaign_id, household, "no_answer")
    ticket = signed_in.service.export_download(signed_in.campaign_id)
    item = signed_in.service.downloads.get(ticket)
    assert item is not None and item.filename == "tech-check-outcomes.csv"

    content = item.produce()

    assert content.startswith("\ufeff".encode())
    lines = content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("event_id,") and len(lines) == 2


def test_tickets_expire_and_end_with_the_session() -> None:
    now = [0.0]
    downloads = Downloads(ttl=10, clock=lambda: now[0])
    first = downloads.issue("a.csv", lambda: b"a", session_token="s1")
    second = downloads.issue("b.csv", lambda: b"b", session_token="s2")
    assert downloads.get(first) is not None
    downloads.revoke_session("s1")
    assert downloads.get(first) is None
    now[0] = 10
    assert downloads.get(second) is None
    assert downloads.get("made-up") is None


@pytest.mark.parametrize(
    ("name", "safe"),
    [("tech-check-outcomes.csv", "tech-check-outcomes.csv"), ('a"b\r\n.csv', "a-b-.csv"),
     ("../../etc", "etc"), ("", "download")],
)  # fmt: skip
def test_download_names_are_safe_in_a_header(name: str, safe: str) -> None:
    assert safe_filename(name) == safe


def test_the_download_route_serves_a_live_ticket_only(
    signed_in: SignedInConsole, tmp_path: Path
) -> None:
    app = console_asgi_app(signed_in.store, upload_dir=tmp_path / "uploads")
    downloads: Downloads = app.state.downloads
    signed_in.service.downloads = downloads
    ticket = signed_in.service.export_download(signed_in.campaign_id)
    with TestClient(app) as client:
        answer = client.get(f"/download/{ticket}")
        assert answer.status_code == 200
        assert answer.headers["content-disposition"] == (
            'attachment; filename="tech-check-outcomes.csv"'
        )
        assert answer.text.lstrip("\ufeff").startswith("event_id,")
        assert client.get("/download/not-a-ticket").status_code == 404

        token = signed_in.service.token
        with signed_in.store.transaction() as db:  # the session ends, the ticket with it
            auth.logout(db, token or "")
        assert client.get(f"/download/{ticket}").status_code == 401


def test_the_console_page_is_served(signed_in: SignedInConsole, tmp_path: Path) -> None:
    app = console_asgi_app(signed_in.store, upload_dir=tmp_path / "uploads")
    with TestClient(app) as client:
        page = client.get("/")
    assert page.status_code == 200
    assert "flutter" in page.text.lower()


def test_stale_uploads_are_forgotten(tmp_path: Path) -> None:
    old, fresh = tmp_path / "old.csv", tmp_path / "fresh.csv"
    for path in (old, fresh):
        path.write_text("a,b\n")
    os.utime(old, (1, 1))
    assert forget_stale_uploads(tmp_path) == 1
    assert [p.name for p in tmp_path.iterdir()] == ["fresh.csv"]


@pytest.mark.parametrize(
    ("url", "base", "root"),
    [
        ("ws://127.0.0.1:8550/console", "http://127.0.0.1:8550/console", "http://127.0.0.1:8550"),
        ("wss://bank.org/console", "https://bank.org/console", "https://bank.org"),
    ],
)
def test_addresses_from_the_page_url(url: str, base: str, root: str) -> None:
    assert http_base(url) == base
    assert origin(base) == root


# --- state -----------------------------------------------------------------------------------


def test_import_state_walks_through_an_import() -> None:
    state = ImportState()
    state.loaded("roster.csv", b"a,b\n")
    assert state.stage == "preview" and state.mapping is None
    state.mapping = ColumnMapping(name="a", phones=["b"])
    state.set_column("language", "b")
    state.toggle_column("phones", "a")
    state.toggle_column("phones", "b")
    assert (state.mapping.column_for("language"), state.mapping.phones) == ("b", ["a"])
    state.set_column("phones", None)
    assert state.mapping.phones == []
    state.started()
    state.progressed(1000, 5000)
    assert (state.stage, state.done, state.total) == ("importing", 1000, 5000)
    state.failed("locked")
    assert (state.stage, state.error) == ("preview", "locked")
    state.reset()
    assert (state.stage, state.data) == ("choose", b"")


def test_script_editor_edits_a_draft() -> None:
    editor = ScriptEditor(ScriptDraft(language="en"))
    editor.add_section()
    editor.add_section()
    editor.set_section(0, body="Hello {guardian}", when_tags="no-device; food")
    editor.move_section(0, 1)
    editor.move_section(1, 1)  # past the end: nothing moves
    editor.add_question()
    editor.set_question(0, prompt="Which?", type="choice", choices="Laptop, Tablet,")
    editor.add_template()
    editor.set_template(0, label="Address", body="{school}")
    assert [s.id for s in editor.draft.sections] == ["section-2", "section-1"]
    assert editor.draft.sections[1].when_tags == ["no-device", "food"]
    assert [(c.id, c.label) for c in editor.draft.questions[0].choices] == [
        ("laptop", "Laptop"),
        ("tablet", "Tablet"),
    ]
    assert editor.dirty
    editor.was_saved(editor.draft)
    assert not editor.dirty
    editor.remove_section(0)
    editor.remove_question(0)
    editor.remove_template(0)
    assert [s.id for s in editor.draft.sections] == ["section-1"]
    assert editor.draft.questions == [] and editor.draft.text_templates == []
    editor.add_section()
    assert editor.draft.sections[-1].id == "section-2"


def test_typing_ticks_the_preview_but_never_redraws_the_editor() -> None:
    editor = ScriptEditor(ScriptDraft(language="es"))
    redraws: list[str | None] = []

    def redrawn(_sender: object, field: str | None) -> None:
        redraws.append(field)

    editor.subscribe(redrawn)  # type: ignore[attr-defined]  # added by @ft.observable; listeners are held weakly: keep this one alive
    editor.add_section()
    assert (redraws, editor.shape, editor.preview.version) == (["shape"], 1, 1)

    editor.set_section(0, body="Hola {guardian}")
    editor.set_title("Llamada")
    editor.set_section(0, when_tags="iep")

    assert redraws == ["shape"]  # text edits are quiet: the editor is not redrawn
    assert editor.preview.version == 4
    assert editor.draft.sections[0].body == "Hola {guardian}"
    editor.preview_for("household-1")
    assert (editor.preview.household_id, editor.preview.version) == ("household-1", 5)


def test_console_state_signs_in_and_out() -> None:
    state = ConsoleState()
    state.go("callers")
    state.signed_in_as("coordinator")
    assert state.signed_in and state.screen == "dashboard"
    state.changed()
    assert state.revision == 1
    state.signed_out("Your session has ended")
    assert not state.signed_in and state.notice == "Your session has ended"


def test_a_slow_dashboard_is_looked_at_less_often() -> None:
    state = ConsoleState()
    assert state.watch_pause(2.0) == 2.0
    state.reloaded_live(0.1)
    assert state.watch_pause(2.0) == 2.0
    state.reloaded_live(1.2)
    assert state.watch_pause(2.0) == pytest.approx(6.0)  # reloading holds the lock ≤ 1/5


def test_the_console_exports_its_service_and_its_app() -> None:
    import sync_server.console

    assert sync_server.console.__all__ == ["ConsoleService", "console_asgi_app"]
    assert sync_server.console.console_asgi_app is console_asgi_app


def test_the_campaign_form_reads_back_what_it_shows(signed_in: SignedInConsole) -> None:
    campaign = signed_in.service.campaign(signed_in.campaign_id)
    texts = texts_of(campaign)
    texts.update(
        name="Tech check — spring",
        window_start="10:30",
        variables="school: Lincoln\nhotline : 510-555-0100\nnot a variable",
        kind="daily_attendance",
    )
    draft = draft_from(texts, campaign)
    assert (draft.name, draft.kind, draft.slug) == ("Tech check — spring", "daily_attendance",
                                                    "tech-check")  # fmt: skip
    assert draft.calling_window.start.isoformat() == "10:30:00"
    assert draft.variables == {"school": "Lincoln", "hotline": "510-555-0100"}


def test_the_campaign_form_names_a_wrong_field() -> None:
    texts = texts_of(None) | {"name": "Fair", "slug": "Not A Slug"}
    with pytest.raises(ValidationError) as invalid:
        draft_from(texts, None)
    assert problem(invalid.value).startswith("slug: ")
