"""The audit log: every supervisor action, appended (who, when, what, on which records).

One call per action, ``record(db, actor, action, ...)``, from the route or console service
that carried it out, inside the same transaction, so an action and its entry stand or fall
together. The table is append-only (triggers in migration 5 refuse UPDATE and DELETE).
Entries hold ids and counts, never a secret (password, token, invite code) and never a
family's personal data: ``detail`` keys named like a secret are refused.
Roles and device wipes (issue 14, points 2 and 5) record with new ``action`` names; an
actor's role can go into ``detail`` without a migration.
"""

from __future__ import annotations

import getpass
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

import sqlite_utils

from app.core.privacy import AuditEntry

from .auth import SupervisorIdentity
from .clock import iso, utcnow
from .export import line_writer

__all__ = [
    "ACTIONS",
    "SYSTEM",
    "Actor",
    "AuditEntry",
    "AuditFilter",
    "actors",
    "entries",
    "entries_csv",
    "entries_json_lines",
    "record",
]

ACTIONS: dict[str, str] = {
    "auth.sign_in": "Signed in",
    "auth.sign_out": "Signed out",
    "import.households": "Imported households",
    "assignment.apply": "Assigned households",
    "assignment.move": "Moved households",
    "assignment.rebalance": "Rebalanced away from quiet callers",
    "campaign.create": "Created a campaign",
    "campaign.update": "Edited a campaign",
    "script.save": "Saved a script",
    "script.delete": "Deleted a script",
    "targeting.add": "Added households to a campaign",
    "quarantine.accept": "Accepted a quarantined event",
    "quarantine.dismiss": "Dismissed a quarantined event",
    "follow_up.close": "Closed a follow-up",
    "follow_up.reassign": "Reassigned a follow-up",
    "caller.create": "Added a caller",
    "caller.update": "Edited a caller",
    "invite.create": "Issued an invite",
    "device.revoke": "Revoked a device",
    "device.wipe": "Ordered a lost device wiped",
    "household.delete": "Deleted a family's personal data",
    "household.opt_out_lift": "Opt-out lifted",
    "retention.anonymise": "Anonymised families by retention",
    "export.outcomes": "Exported outcomes",
    "export.households": "Exported households",
    "export.audit": "Exported the audit log",
    "language_queue.assign": "Gave a family waiting for a speaker to a caller",
    "announcement.post": "Posted an announcement to callers",
    "account.create": "Added a supervisor account",
    "account.update": "Changed a supervisor account's role or schools",
}
"""Every action recorded, with how the console names it. A new kind of action (a device
wipe, an opt-out lifted, a role change) adds its name here."""

_SECRET_WORDS = ("password", "token", "code", "secret")


class AuditError(ValueError):
    """An audit entry that must not be written"""


@dataclass(frozen=True)
class Actor:
    """Who did it: a supervisor, the server itself (retention), or someone at the server's
    command line (``operator``, named by their login)."""

    kind: Literal["supervisor", "system", "operator"]
    name: str
    id: str | None = None

    @classmethod
    def supervisor(cls, who: SupervisorIdentity) -> Actor:
        return cls("supervisor", who.username, who.id)

    @classmethod
    def operator(cls) -> Actor:
        try:
            name = getpass.getuser()
        except (KeyError, OSError):
            name = "unknown"
        return cls("operator", f"cli:{name}")


SYSTEM = Actor("system", "phonebank")
"""The server acting on its own: retention at start and daily."""


@dataclass(frozen=True)
class AuditFilter:
    """Which entries to read: all of them when every field is None."""

    actor: str | None = None
    action: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    limit: int | None = None


def record(
    db: sqlite_utils.Database,
    actor: Actor,
    action: str,
    *,
    target_kind: str | None = None,
    target_ids: Iterable[str] = (),
    **detail: Any,
) -> None:
    """Append one entry; call inside the transaction that carried the action out."""
    if action not in ACTIONS:
        raise AuditError(f"{action!r} is not an audited action; add it to audit.ACTIONS")
    secret = [key for key in detail if any(word in key.lower() for word in _SECRET_WORDS)]
    if secret:
        raise AuditError(f"An audit entry holds no secrets: {', '.join(secret)}")
    db.execute(
        """INSERT INTO audit_log (at, actor_kind, actor_id, actor_name, action, target_kind,
               target_ids, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
        [
            iso(utcnow()),
            actor.kind,
            actor.id,
            actor.name,
            action,
            target_kind,
            json.dumps(sorted(set(target_ids))),
            json.dumps(detail, sort_keys=True, default=str),
        ],
    )


def entries(db: sqlite_utils.Database, where: AuditFilter = AuditFilter()) -> Iterator[AuditEntry]:
    """The entries that match, oldest first (the newest ``limit`` when limited)."""
    clauses, params = [], []
    if where.actor:
        clauses.append("actor_name = ?")
        params.append(where.actor)
    if where.action:
        clauses.append("(action = ? OR action LIKE ?)")
        params += [where.action, f"{where.action}.%"]
    if where.since:
        clauses.append("at >= ?")
        params.append(iso(where.since))
    if where.until:
        clauses.append("at < ?")
        params.append(iso(where.until))
    sql = "SELECT * FROM audit_log" + (f" WHERE {' AND '.join(clauses)}" if clauses else "")
    if where.limit is not None:
        sql = f"SELECT * FROM ({sql} ORDER BY id DESC LIMIT {int(where.limit)})"
    for row in db.query(sql + " ORDER BY id", params):
        row["target_ids"] = json.loads(row["target_ids"])
        row["detail"] = json.loads(row["detail"])
        yield AuditEntry.model_validate(row)


def actors(db: sqlite_utils.Database) -> list[str]:
    """Everyone who has an entry, by name: what the console's filter offers."""
    return [row[0] for row in db.execute("SELECT DISTINCT actor_name FROM audit_log ORDER BY 1")]


COLUMNS = ["id", "at", "actor_kind", "actor_id", "actor_name", "action", "target_kind"]


def label(action: str) -> str:
    """How the console names an action."""
    return ACTIONS.get(action, action)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    return iso(value) if isinstance(value, datetime) else str(value)


def entries_json_lines(found: Iterable[AuditEntry]) -> Iterator[str]:
    for entry in found:
        yield entry.model_dump_json() + "\n"


def entries_csv(found: Iterable[AuditEntry]) -> Iterator[str]:
    """CSV lines, header first; ids and detail as JSON text."""
    line = line_writer()

    yield line([*COLUMNS, "target_ids", "detail"])
    for entry in found:
        yield line(
            [
                *(_cell(getattr(entry, column)) for column in COLUMNS),
                json.dumps(entry.target_ids),
                json.dumps(entry.detail, ensure_ascii=False, sort_keys=True),
            ]
        )
