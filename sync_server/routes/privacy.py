"""Families' data: delete a family, retention, the audit log, the household export (SIS)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response

from app.core.privacy import AnonymisationResult, AuditEntry, RetentionReport

from .. import audit, audited, retention
from ..campaigns import campaign_by_reference
from ..deletion import anonymise_households
from ..deps import StoreDep, SupervisorDep
from ..household_export import iter_households_csv
from ..roles import require_households
from .csv_files import CSV_FILE, csv_file

router = APIRouter(prefix="/api/v1/admin", tags=["families' data"])


@router.delete(
    "/households/{household_id}",
    response_model=AnonymisationResult,
    summary="Delete a family's personal data",
)
def delete_household(
    household_id: str, store: StoreDep, supervisor: SupervisorDep
) -> AnonymisationResult:
    """Remove the family's name, phones, members, needs, notes, answers and free text from
    the server; its outcomes keep counting in progress, anonymised. Every device holding
    it drops it at its next pull. Deleting it again changes nothing (``already``: 1)."""
    with store.transaction() as db:
        require_households(db, supervisor.scope, [household_id])
        result = anonymise_households(db, [household_id], "family_request", must_exist=True)
        audited.deleted(db, audit.Actor.supervisor(supervisor), household_id, result)
        return result


@router.get("/retention", response_model=RetentionReport, summary="Retention: dry run")
def retention_dry_run(store: StoreDep, supervisor: SupervisorDep) -> RetentionReport:
    """Each closed campaign with a retention setting: when it closed, when its families are
    due, how many would be anonymised and how many are kept for another campaign.
    Changes nothing."""
    with store.reading() as db:
        return retention.run_retention(db, dry_run=True)


@router.post("/retention/run", response_model=RetentionReport, summary="Retention: run now")
def retention_run(store: StoreDep, supervisor: SupervisorDep) -> RetentionReport:
    """Anonymise every family now due, as the server does at start and daily."""
    return retention.run_retention_in(store, actor=audit.Actor.supervisor(supervisor))


@router.get("/audit", response_model=list[AuditEntry], summary="The audit log")
def audit_log(
    store: StoreDep,
    supervisor: SupervisorDep,
    actor: Annotated[str | None, Query(description="A supervisor's user name")] = None,
    action: Annotated[
        str | None, Query(description="An action (assignment.move) or its area (assignment)")
    ] = None,
    since: Annotated[datetime | None, Query(description="From this moment (ISO 8601)")] = None,
    until: Annotated[datetime | None, Query(description="Before this moment")] = None,
    limit: Annotated[int, Query(ge=1, le=10_000)] = 500,
) -> list[AuditEntry]:
    """Supervisor actions, oldest first: the newest ``limit`` of those that match."""
    where = audit.AuditFilter(actor, action, since, until, limit)
    with store.reading() as db:
        return list(audit.entries(db, where))


@router.get(
    "/audit/export",
    summary="Export the audit log",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}, "application/x-ndjson": {}}}},
)
def export_audit_log(
    store: StoreDep,
    supervisor: SupervisorDep,
    since: Annotated[datetime | None, Query(description="From this moment (ISO 8601)")] = None,
    format: Literal["csv", "jsonl"] = "csv",
) -> Response:
    """Every entry since ``since`` as CSV or JSON lines; the export is itself recorded."""
    with store.transaction() as db:
        audit.record(db, audit.Actor.supervisor(supervisor), "export.audit", since=since)
        found = list(audit.entries(db, audit.AuditFilter(since=since)))
    lines = audit.entries_csv(found) if format == "csv" else audit.entries_json_lines(found)
    media = "text/csv; charset=utf-8" if format == "csv" else "application/x-ndjson"
    return Response(content="".join(lines), media_type=media)


@router.get(
    "/campaigns/{campaign_id}/households.csv",
    summary="Export a campaign's households for the school's records",
    response_class=Response,
    responses=CSV_FILE,
)
def export_households(campaign_id: str, store: StoreDep, supervisor: SupervisorDep) -> Response:
    """One row per family: current phones (bad ones and added ones listed apart), language,
    opt-outs, last outcome and open follow-ups; deleted families are left out. UTF-8 with
    a BOM, as the outcomes export."""
    with store.transaction() as db:
        campaign = campaign_by_reference(db, campaign_id)
        who = audit.Actor.supervisor(supervisor)
        audited.exported(db, who, "export.households", [campaign.id])
        text = "".join(iter_households_csv(db, campaign.id, supervisor.scope))
    return csv_file(text, campaign.slug, "households")
