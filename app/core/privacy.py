"""Families' data (issue 14): what deleting, retention and the audit log answer on the wire.

The server computes them (sync_server/deletion.py, retention.py, audit.py); the API and
the console show them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import Field

from .limits import Key
from .models import Model

AnonymiseReason = Literal["family_request", "retention"]

ANONYMISED_NAME = "Anonymised family"
"""The name an anonymised household keeps: it still counts in progress, as nobody."""


class AnonymisationResult(Model):
    """What removing families' personal data changed."""

    households: int = Field(description="Households anonymised now")
    already: int = Field(0, description="Asked for, but anonymised before: nothing changed")
    events: int = Field(0, description="Events whose notes, answers and numbers were removed")
    follow_ups: int = Field(0, description="Follow-ups emptied (and closed when open)")
    assignments_closed: int = Field(
        0, description="Open places on campaign lists closed: devices drop them at next pull"
    )


class RetentionDue(Model):
    """One closed campaign with a retention setting, and what retention does to it."""

    campaign_id: Key
    slug: str
    name: str
    anonymise_after_days: int
    closed_at: datetime = Field(description="When it closed: made inactive, or ends_on ended")
    due_at: datetime = Field(description="closed_at + anonymise_after_days")
    households_due: int = Field(description="Families anonymised when due (or now, if past)")
    households_kept: int = Field(
        0, description="Families also on a campaign still open or not yet due: kept for now"
    )


class RetentionReport(Model):
    """A retention run, or its dry run (``dry_run``: nothing changed)."""

    dry_run: bool
    ran_at: datetime
    campaigns: list[RetentionDue] = Field(default_factory=list)
    anonymised: int = Field(0, description="Families anonymised by this run")


class AuditEntry(Model):
    """One supervisor action, as appended to the audit log."""

    id: int
    at: datetime
    actor_kind: Literal["supervisor", "system", "operator"]
    actor_id: str | None = None
    actor_name: str
    action: str = Field(description="e.g. household.delete, assignment.move, export.outcomes")
    target_kind: str | None = None
    target_ids: list[str] = Field(default_factory=list)
    detail: dict[str, Any] = Field(default_factory=dict)
