"""The console's outcome editor without a page: what the form makes of its flags and what
the console service saves with the campaign."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from app.core.models import DispositionPrompt
from sync_server import auth
from sync_server.console.components.disposition_editor import (
    ASKS_WITHOUT_MARKING,
    combination_problem,
    disposition_from,
    with_disposition,
)
from sync_server.console.services import ConsoleService, campaign_draft
from sync_server.db import Store
from tests.support.server_rows import new_campaign

PASSWORD = "correct horse battery"


@pytest.fixture
def service(tmp_path: Path) -> Iterator[ConsoleService]:
    store = Store(tmp_path / "phonebank.sqlite")
    with store.transaction() as db:
        auth.create_supervisor(db, "coordinator", PASSWORD)
        new_campaign(db, "tech-check")
    console = ConsoleService(store)
    console.sign_in("coordinator", PASSWORD)
    yield console
    store.close()


def _save(service: ConsoleService, flags: set[str], asks_for: DispositionPrompt | None) -> None:
    (campaign,) = service.campaigns()
    texts = {"code": "Resource Sent", "label": "Resource sent", "label_es": "Recurso enviado"}
    disposition = disposition_from(texts, frozenset(flags), asks_for)
    draft = campaign_draft(campaign).model_copy(
        update={"dispositions": with_disposition(campaign, disposition)}
    )
    service.update_campaign(campaign.id, draft)


@pytest.mark.parametrize(
    ("flags", "asks_for"),
    [
        ({"reached"}, "callback_time"),
        ({"retry"}, "language"),
        ({"retry", "marks_number_bad"}, "bad_number"),
        ({"retry", "marks_number_bad"}, None),
        ({"reached", "final", "opts_out"}, None),
    ],
)
def test_the_saved_campaign_carries_the_outcome_s_flags(
    service: ConsoleService, flags: set[str], asks_for: DispositionPrompt | None
) -> None:
    _save(service, flags, asks_for)
    (campaign,) = service.campaigns()
    (saved,) = campaign.dispositions
    assert saved.code == "resource_sent"
    assert saved.labels == {"es": "Recurso enviado"}
    assert saved.asks_for == asks_for
    assert saved.marks_number_bad == ("marks_number_bad" in flags)
    assert saved.opts_out == ("opts_out" in flags)
    assert saved.reached == ("reached" in flags)


def test_saving_again_replaces_the_outcome_of_that_code(service: ConsoleService) -> None:
    _save(service, {"reached"}, "callback_time")
    _save(service, {"retry"}, "language")
    (campaign,) = service.campaigns()
    assert [(d.code, d.asks_for, d.retry) for d in campaign.dispositions] == [
        ("resource_sent", "language", True)
    ]


def test_asking_which_number_without_marking_it_bad_is_refused_in_plain_words(
    service: ConsoleService,
) -> None:
    assert combination_problem(frozenset({"retry"}), "bad_number") == ASKS_WITHOUT_MARKING
    assert combination_problem(frozenset({"marks_number_bad"}), "bad_number") is None
    with pytest.raises(ValueError, match="must also mark the number bad"):
        _save(service, {"retry"}, "bad_number")
    (campaign,) = service.campaigns()
    assert campaign.dispositions == []


def test_an_outcome_needs_a_code_and_a_label() -> None:
    with pytest.raises(ValueError, match="needs a code and a label"):
        disposition_from({"code": " ", "label": "Sent"}, frozenset(), None)
