"""Who may do what: supervisor roles, the schools a coordinator sees, and every route's rule.

A district admin does everything. A school coordinator sees and acts only on the
households of their schools (``Household.school``): the data functions take a ``Scope``
and filter by it, and a household, event or follow-up of another school reads as not
found (404, never its data). ``ROUTE_ACCESS`` is the one table saying which routes a
coordinator may use at all; ``deps.current_supervisor`` enforces it for every route, and
tests/test_roles.py fails for a route the table does not name.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

import sqlite_utils
from starlette.routing import compile_path

from app.core.accounts import Role
from app.core.errors import AuthError, NotFound

__all__ = [
    "EVERY_SCHOOL",
    "ROUTE_ACCESS",
    "Access",
    "AdminOnly",
    "Role",
    "Scope",
    "require_event",
    "require_follow_up",
    "require_households",
    "route_access",
    "rule",
]


class AdminOnly(AuthError):
    """Only a district admin can do that; a school coordinator cannot"""

    key = "error.admin_only"


@dataclass(frozen=True)
class Scope:
    """The schools whose households a supervisor sees: every school (``schools is None``)
    or these (a coordinator with no school sees no household)."""

    schools: frozenset[str] | None = None

    @classmethod
    def of(cls, role: Role, schools: Iterable[str]) -> Scope:
        return cls(None) if role == "admin" else cls(frozenset(schools))

    @property
    def everything(self) -> bool:
        return self.schools is None

    def allows(self, school: str | None) -> bool:
        return self.schools is None or (school or "") in self.schools

    def clause(self, column: str) -> str:
        """An SQL condition true for the rows whose ``column`` (a school) is in scope; its
        parameter is ``:scope_schools`` (``params``)."""
        return (
            f"(:scope_schools IS NULL OR coalesce({column}, '') IN "
            "(SELECT value FROM json_each(:scope_schools)))"
        )

    @property
    def params(self) -> dict[str, Any]:
        return {"scope_schools": None if self.schools is None else json.dumps(sorted(self.schools))}

    def household_clause(self, column: str) -> str:
        """True for the rows whose ``column`` is the id of a household in scope."""
        return (
            f"(:scope_schools IS NULL OR {column} IN (SELECT id FROM households "
            "WHERE coalesce(school, '') IN (SELECT value FROM json_each(:scope_schools))))"
        )


EVERY_SCHOOL = Scope(None)


def require_households(
    db: sqlite_utils.Database, scope: Scope, household_ids: Iterable[str]
) -> None:
    """NotFound for the first household outside the scope, as for one that does not exist."""
    if scope.everything:
        return
    for household_id in household_ids:
        row = db.execute("SELECT school FROM households WHERE id = ?", [household_id]).fetchone()
        if row is not None and not scope.allows(row[0]):
            raise NotFound(f"No household with id {household_id!r}")


def require_event(db: sqlite_utils.Database, scope: Scope, event_id: str) -> None:
    """NotFound for an event (quarantined, queued for a speaker) of another school's family."""
    row = db.execute("SELECT household_id FROM events WHERE event_id = ?", [event_id]).fetchone()
    if row is not None and row[0] is not None and not _in_scope(db, scope, row[0]):
        raise NotFound(f"No event with id {event_id!r}")


def require_follow_up(db: sqlite_utils.Database, scope: Scope, follow_up_id: str) -> None:
    row = db.execute("SELECT household_id FROM follow_ups WHERE id = ?", [follow_up_id]).fetchone()
    if row is not None and not _in_scope(db, scope, row[0]):
        raise NotFound(f"No follow-up with id {follow_up_id!r}")


def _in_scope(db: sqlite_utils.Database, scope: Scope, household_id: str) -> bool:
    if scope.everything:
        return True
    row = db.execute("SELECT school FROM households WHERE id = ?", [household_id]).fetchone()
    return row is None or scope.allows(row[0])


Access = Literal["open", "device", "supervisor", "school", "admin"]
"""open: no sign-in (health, join); device: a caller's device token; supervisor: any
signed-in supervisor, nothing school-specific (sign-out, reading campaigns and scripts);
school: a coordinator too, on their schools' households only; admin: district admins only."""

ROUTE_ACCESS: dict[tuple[str, str], Access] = {
    # meta, docs and the caller's device
    ("GET", "/api/health"): "open",
    ("GET", "/api/metrics"): "open",
    ("POST", "/api/v1/join"): "open",
    ("POST", "/api/v1/sync/push"): "device",
    ("POST", "/api/v1/sync/pull"): "device",
    ("POST", "/api/v1/sync/erased"): "device",  # also a signed-out or wiped device's token
    # accounts
    ("POST", "/api/v1/auth/login"): "open",
    ("POST", "/api/v1/auth/logout"): "supervisor",
    ("GET", "/api/v1/admin/accounts"): "admin",
    ("POST", "/api/v1/admin/accounts"): "admin",
    ("PATCH", "/api/v1/admin/accounts/{account_id}"): "admin",
    # callers are the district's volunteers, shared by every school
    ("POST", "/api/v1/admin/callers"): "admin",
    ("GET", "/api/v1/admin/callers"): "school",
    ("PATCH", "/api/v1/admin/callers/{caller_id}"): "admin",
    ("POST", "/api/v1/admin/callers/{caller_id}/invites"): "admin",
    ("POST", "/api/v1/admin/devices/{device_id}/revoke"): "admin",
    ("POST", "/api/v1/admin/devices/{device_id}/wipe"): "admin",
    # campaigns and scripts: read by all, set up by admins (campaign-wide settings)
    ("GET", "/api/v1/admin/campaigns"): "supervisor",
    ("POST", "/api/v1/admin/campaigns"): "admin",
    ("GET", "/api/v1/admin/campaigns/{campaign_id}"): "supervisor",
    ("PUT", "/api/v1/admin/campaigns/{campaign_id}"): "admin",
    ("GET", "/api/v1/admin/campaigns/{campaign_id}/scripts"): "supervisor",
    ("PUT", "/api/v1/admin/campaigns/{campaign_id}/scripts/{language}"): "admin",
    ("DELETE", "/api/v1/admin/campaigns/{campaign_id}/scripts/{language}"): "admin",
    ("POST", "/api/v1/admin/campaigns/{campaign_id}/announcements"): "admin",
    ("GET", "/api/v1/admin/campaigns/{campaign_id}/announcements"): "admin",
    # imports may merge into any school's families: admins only
    ("POST", "/api/v1/admin/campaigns/{campaign_id}/households/import"): "admin",
    ("POST", "/api/v1/admin/households/import"): "admin",
    ("POST", "/api/v1/admin/households/import/preview"): "admin",
    # assignment, progress and exports: the coordinator's schools only
    ("POST", "/api/v1/admin/campaigns/{campaign_id}/assignment/plan"): "school",
    ("POST", "/api/v1/admin/campaigns/{campaign_id}/assignment/apply"): "school",
    ("POST", "/api/v1/admin/campaigns/{campaign_id}/assignment/move"): "school",
    ("POST", "/api/v1/admin/campaigns/{campaign_id}/assignment/rebalance"): "admin",
    ("GET", "/api/v1/admin/campaigns/{campaign_id}/progress"): "school",
    ("GET", "/api/v1/admin/campaigns/{campaign_id}/progress/weeks"): "admin",
    ("GET", "/api/v1/admin/campaigns/{campaign_id}/quiet-callers"): "admin",
    ("GET", "/api/v1/admin/campaigns/{campaign_id}/export.csv"): "school",
    ("GET", "/api/v1/admin/campaigns/{campaign_id}/households.csv"): "school",
    ("GET", "/api/v1/admin/follow-ups"): "school",
    ("POST", "/api/v1/admin/follow-ups/{follow_up_id}/close"): "school",
    ("POST", "/api/v1/admin/follow-ups/{follow_up_id}/reassign"): "school",
    ("GET", "/api/v1/admin/quarantine"): "school",
    ("POST", "/api/v1/admin/quarantine/{event_id}/accept"): "school",
    ("POST", "/api/v1/admin/quarantine/{event_id}/dismiss"): "school",
    ("GET", "/api/v1/admin/language-queue"): "school",
    ("POST", "/api/v1/admin/language-queue/{event_id}/assign"): "school",
    ("GET", "/api/v1/admin/households/{household_id}/record"): "school",
    ("DELETE", "/api/v1/admin/households/{household_id}"): "school",
    ("POST", "/api/v1/admin/households/{household_id}/opt-outs/lift"): "school",
    # district-wide privacy settings and the record of everyone's actions
    ("GET", "/api/v1/admin/retention"): "admin",
    ("POST", "/api/v1/admin/retention/run"): "admin",
    ("GET", "/api/v1/admin/audit"): "admin",
    ("GET", "/api/v1/admin/audit/export"): "admin",
}


_PATTERNS = [
    (method, compile_path(path)[0], access) for (method, path), access in ROUTE_ACCESS.items()
]


def rule(method: str, path: str) -> Access:
    """The rule for an API operation by its path template; an unnamed one is for admins."""
    return ROUTE_ACCESS.get((method, path), "admin")


def route_access(method: str, url_path: str) -> Access:
    """The rule for a request (its method and concrete path); a route the table does not
    name is for admins only."""
    for known_method, pattern, access in _PATTERNS:
        if known_method == method and pattern.fullmatch(url_path):
            return access
    return "admin"
