"""The sync wire protocol: join, push and pull bodies (see DESIGN.md, offline-first sync).

Push is exactly-once by ``(device_id, seq)``. Pull returns what the device may see now,
recomputed from its token each time; the cursor is opaque to the device.

A lost device (issue 14): once a supervisor orders a device wiped, every authenticated
sync request from its token is answered **410 Gone** with the error body
``{"error": "device_wiped", ...}`` — not a 401 (which means "signed out, keep your work")
and nothing a network fault or a proxy makes (a 410 without that code is just a refusal).
The device then reports what it erased (``POST /api/v1/sync/erased``, an ``ErasedReport``,
best effort, with the same token) and deletes its database file. A caller's own "sign out
and erase this phone" sends the same report, which also signs the token out.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal
from uuid import UUID

from pydantic import Field

from .events import Event
from .limits import Key
from .models import Caller, Model

MAX_PUSH_BATCH = 500
DEFAULT_PULL_LIMIT = 500
MAX_PULL_LIMIT = 2000


class JoinRequest(Model):
    code: str = Field(min_length=1, max_length=64, description="Invite code, spaces allowed")
    device_name: str = Field("", max_length=120)


class JoinResponse(Model):
    device_id: str
    token: str = Field(description="Bearer token for this device; shown once")
    caller: Caller
    server_time: datetime


class PushRequest(Model):
    device_id: Key
    events: list[Event] = Field(max_length=MAX_PUSH_BATCH)


EventStatus = Literal["applied", "duplicate", "quarantined"]


class EventResult(Model):
    event_id: UUID
    seq: int
    status: EventStatus


class PushResponse(Model):
    last_acked_seq: int = Field(description="Every seq up to this one is stored on the server")
    results: list[EventResult]


class SeqGap(Model):
    """The body of a 409 answer: the batch did not start right after what the server has."""

    error: Literal["seq_gap"] = "seq_gap"
    message: str
    last_acked_seq: int


class PullRequest(Model):
    device_id: Key
    cursor: Key | None = Field(None, description="From the last applied page; None at first")
    limit: int = Field(DEFAULT_PULL_LIMIT, ge=1, le=MAX_PULL_LIMIT)


EntityKind = Literal[
    "campaign", "script", "household", "assignment", "follow_up", "outcome", "announcement"
]


class Change(Model):
    op: Literal["put", "remove"]
    entity: EntityKind
    id: str
    data: dict[str, Any] | None = Field(None, description="The entity's model for a put")


class PullResponse(Model):
    cursor: str
    reset: bool = Field(description="Drop every cached entity (not the outbox) before applying")
    changes: list[Change]
    has_more: bool
    server_time: datetime


class ErasedReport(Model):
    """What a device erased: sent once, just before it deletes its database."""

    device_id: Key
    reason: Literal["wipe", "sign_out"] = Field(
        description="wipe: a supervisor ordered it; sign_out: the caller erased the phone"
    )
    unsent_events: int = Field(
        ge=0, description="Events recorded on the device the server never acknowledged"
    )
    highest_seq: int = Field(
        0, ge=0, description="The highest seq the device gave an event (0: none)"
    )


class ErrorBody(Model):
    """Every 4xx/5xx answer: a machine-readable code and a sentence for a person."""

    error: str
    message: str
    details: list[dict[str, Any]] = Field(default_factory=list)
