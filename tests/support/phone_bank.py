"""A phone bank on the server's database, seeded and inspected as a supervisor would: the
supervisor's login, callers, invites, joined devices, and ``PhoneBank`` holding them."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from fastapi import FastAPI

from app.core.clock import Clock, utcnow
from app.core.models import Caller, Campaign, CampaignDraft, Household
from app.services import CallerSession
from app.store import DeviceStore
from app.sync import SyncClient
from sync_server import auth
from sync_server.campaigns import create_campaign
from sync_server.db import Store

from .server_rows import assign, make_household, seed_households

SUPERVISOR = ("coordinator", "correct horse battery")
"""The user name and password of the supervisor a test creates."""


def invite(store: Store, caller: Caller) -> str:
    """A fresh single-use invite code for ``caller``."""
    with store.transaction() as db:
        code, _ = auth.create_invite(db, caller.id)
    return code


@asynccontextmanager
async def joined_session(
    device_file: Path,
    server_app: FastAPI,
    store: Store,
    caller: Caller,
    clock: Clock = utcnow,
) -> AsyncIterator[CallerSession]:
    """``caller``'s phone (its database at ``device_file``) joined to the server app."""
    device = DeviceStore.open(device_file, clock=clock)
    async with SyncClient(device, transport=httpx.ASGITransport(app=server_app)) as sync:
        session = CallerSession(device, sync, "http://phonebank.test", clock=clock)
        await session.join(invite(store, caller))
        yield session
    device.close()


@dataclass(frozen=True)
class JoinedDevice:
    """A caller's device, joined with an invite: what the sync client would hold."""

    device_id: str
    token: str
    caller: Caller

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


def join_device(store: Store, caller: Caller) -> JoinedDevice:
    """``caller``'s phone joined with a fresh invite, straight in the database."""
    with store.transaction() as db:
        code, _ = auth.create_invite(db, caller.id)
        device_id, token, _ = auth.join(db, code, f"{caller.name}'s phone")
    return JoinedDevice(device_id=device_id, token=token, caller=caller)


@dataclass
class PhoneBank:
    """The server's database seen from a test: seeded and inspected as a supervisor would."""

    store: Store
    campaign: Campaign

    @classmethod
    def create(cls, store: Store, slug: str = "tech-check") -> PhoneBank:
        with store.transaction() as db:
            campaign = create_campaign(db, CampaignDraft(slug=slug, name="Tech check 2026"))
        return cls(store, campaign)

    def caller(self, name: str = "Ana", languages: tuple[str, ...] = ("en", "es")) -> Caller:
        with self.store.transaction() as db:
            return auth.create_caller(db, name, list(languages))

    def invite(self, caller: Caller) -> str:
        return invite(self.store, caller)

    def households(self, caller: Caller | None, count: int, start: int = 0) -> list[Household]:
        seeded = [make_household(start + index) for index in range(count)]
        seed_households(self.store, self.campaign.id, seeded, caller.id if caller else None)
        return seeded

    def reassign(self, household_id: str, caller: Caller | None) -> None:
        assign(self.store, self.campaign.id, household_id, caller.id if caller else None)

    def revoke(self, device_id: str) -> None:
        with self.store.transaction() as db:
            auth.revoke_device(db, device_id)

    def rows(self, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
        with self.store.reading() as db:
            return list(db.query(sql, params or []))

    def events(self) -> list[dict[str, Any]]:
        return self.rows("SELECT * FROM events ORDER BY device_id, seq")

    def assigned_to(self, caller: Caller) -> set[str]:
        rows = self.rows(
            "SELECT household_id FROM campaign_households WHERE caller_id = ? AND open = 1",
            [caller.id],
        )
        return {row["household_id"] for row in rows}
