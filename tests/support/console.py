"""The supervisor console's service over a seeded database, without a page or a server."""

from __future__ import annotations

from dataclasses import dataclass

from sync_server import auth
from sync_server.console.services import ConsoleService
from sync_server.db import Store

from .phone_bank import SUPERVISOR
from .server_rows import new_campaign


@dataclass
class SignedInConsole:
    """The console's service signed in as the supervisor, over the tech-check campaign and
    two callers (Ana: en, es; Ben: en, vi), by id."""

    store: Store
    service: ConsoleService
    campaign_id: str
    ana: str
    ben: str

    @classmethod
    def seed(cls, store: Store) -> SignedInConsole:
        with store.transaction() as db:
            auth.create_supervisor(db, *SUPERVISOR)
            campaign = new_campaign(db, "tech-check")
            ana = auth.create_caller(db, "Ana", ["en", "es"]).id
            ben = auth.create_caller(db, "Ben", ["en", "vi"]).id
        service = ConsoleService(store)
        service.sign_in(*SUPERVISOR)
        return cls(store, service, campaign.id, ana, ben)
