"""The caller app's UI logic that needs no page: the sync line, the call screen's taps,
invite links and device keys."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from app.services import PRACTICE_CAMPAIGN_ID, PRACTICE_HOUSEHOLD_ID, load_catalogues
from app.services import practice_session as make_practice
from app.ui.call_actions import open_next, record
from app.ui.components.sync_badge import sync_summary
from app.ui.context import Services
from app.ui.main import invite_in
from app.ui.served_app import ServedDevices
from app.ui.state import AppState, CallState, SyncState

CATALOGUES = load_catalogues()


async def _nothing(*_args: object) -> None:
    return None


@pytest.fixture
def services() -> Services:
    return Services(
        session=make_practice("Ana"),
        catalogues=CATALOGUES,
        make_practice=make_practice,
        open_link=_nothing,
        remember=_nothing,
    )


@pytest.mark.parametrize(
    ("state", "language", "expected"),
    [
        (SyncState(online=False, pending=2), "es", "Sin conexión · 2 pendientes"),
        (SyncState(online=False, syncing=True, pending=1), "en", "Offline · 1 pending"),
        (SyncState(syncing=True), "en", "Syncing…"),
        (SyncState(pending=3, parked=1), "en", "3 pending · 1 refused"),
        (SyncState(rejoin_needed=True, pending=4), "en", "Re-join needed"),
        (SyncState(), "en", "Not synced yet"),
        (
            SyncState(last_success_at=datetime(2026, 1, 1, 20, 5, tzinfo=UTC).astimezone()),
            "en",
            "Synced ",
        ),
    ],
)
def test_the_sync_line_says_what_matters(state: SyncState, language: str, expected: str) -> None:
    from app.services import Translator

    assert sync_summary(state, Translator(language, CATALOGUES)).startswith(expected)


def test_a_tap_saves_with_what_was_typed_and_next_opens_another(services: Services) -> None:
    app = AppState(screen="call", ui_language="es", practice=True)
    session = services.active(app)
    sheet = session.open_household(PRACTICE_CAMPAIGN_ID, PRACTICE_HOUSEHOLD_ID)
    call = CallState()
    call.answer("every-student-has-device", True)
    call.draft.typed_answers["student-count"] = "2"
    call.draft.notes = "Llamar por la tarde"
    assert record(services, app, call, sheet, "reached_complete")
    assert call.saved is not None and call.error is None
    payload = call.saved.event.payload.model_dump()
    assert payload["answers"] == {"every-student-has-device": True, "student-count": 2}
    assert payload["notes"] == "Llamar por la tarde"
    assert services.session.store.pending_count() == 0  # the real session is untouched
    assert not open_next(services, app, sheet)  # practice has one family only


def test_an_outcome_missing_its_detail_explains_and_saves_nothing(services: Services) -> None:
    app = AppState(screen="call", practice=True)
    sheet = services.active(app).open_household(PRACTICE_CAMPAIGN_ID, PRACTICE_HOUSEHOLD_ID)
    call = CallState()
    assert not record(services, app, call, sheet, "language_needed")
    assert call.saved is None and call.error is not None and "language" in call.error


def test_practice_is_made_fresh_and_thrown_away(services: Services) -> None:
    app = AppState(practice=True)
    first = services.active(app)
    assert first is services.active(app) and first is not services.session
    services.end_practice()
    assert services.active(app) is not first


@pytest.mark.parametrize(
    ("route", "expected"),
    [
        ("/?invite=ABCD-1234", "ABCD-1234"),
        ("/?invite=%20ab%20", "ab"),
        ("/", None),
        ("/?invite=", None),
        (None, None),
        ("/?other=1&invite=X", "X"),
    ],
)
def test_invite_links(route: str | None, expected: str | None) -> None:
    assert invite_in(route) == expected


@pytest.mark.parametrize("key", ["../../etc/passwd", "ABCDEF", "0" * 31, "g" * 32, ""])
def test_a_device_key_is_never_a_path(tmp_path: Path, key: str) -> None:
    with pytest.raises(ValueError):
        ServedDevices("http://127.0.0.1:1", tmp_path).open(key)
    assert not (tmp_path / "devices").exists() or not any((tmp_path / "devices").iterdir())
