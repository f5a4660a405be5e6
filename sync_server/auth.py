"""Supervisor accounts, sessions, invite codes and device tokens.

Secrets are stored only as hashes: passwords with scrypt, tokens and invite codes with
SHA-256 (they are long random values, so a fast hash is enough). An invite code is
single-use and expires. How fast anyone may guess either is guessing.py's business.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import sqlite_utils

from app.core.accounts import Account, Role
from app.core.errors import (
    Conflict,
    DeviceWiped,
    InvalidCredentials,
    InvalidInvite,
    NotFound,
    Unauthorized,
)
from app.core.models import Caller
from app.core.protocol import ErasedReport

from .clock import iso, utcnow
from .roles import EVERY_SCHOOL, Scope

SESSION_TTL = timedelta(hours=12)
INVITE_TTL = timedelta(days=7)
# Crockford's base32: no I, L, O or U, so a code read aloud over the phone survives.
INVITE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
INVITE_LENGTH = 10  # 10 × 5 bits = 50 bits of entropy
_SCRYPT = {"n": 2**14, "r": 8, "p": 1}
_LOOKALIKES = str.maketrans("OILU", "011V")


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, dklen=32, **_SCRYPT)
    encode = base64.b64encode
    return f"scrypt${_SCRYPT['n']}${encode(salt).decode()}${encode(digest).decode()}"


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n, salt_b64, digest_b64 = stored.split("$")
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    salt, expected = base64.b64decode(salt_b64), base64.b64decode(digest_b64)
    digest = hashlib.scrypt(password.encode(), salt=salt, dklen=len(expected), n=int(n), r=8, p=1)
    return hmac.compare_digest(digest, expected)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> str:
    return secrets.token_urlsafe(32)


def new_invite_code() -> str:
    raw = "".join(secrets.choice(INVITE_ALPHABET) for _ in range(INVITE_LENGTH))
    return f"{raw[:5]}-{raw[5:]}"


def canonical_invite_code(typed: str) -> str:
    """What a person typed, as the code was issued: case, spaces and dashes ignored."""
    cleaned = "".join(ch for ch in typed.upper() if ch.isalnum())
    cleaned = cleaned.translate(_LOOKALIKES)
    return f"{cleaned[:5]}-{cleaned[5:]}" if len(cleaned) == INVITE_LENGTH else cleaned


@dataclass(frozen=True)
class SupervisorIdentity:
    id: str
    username: str
    role: Role = "admin"
    scope: Scope = EVERY_SCHOOL
    """The schools whose households this supervisor sees and acts on (sync_server/roles.py)."""

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


@dataclass(frozen=True)
class DeviceIdentity:
    device_id: str
    caller_id: str


def _schools(role: Role, schools: Sequence[str]) -> list[str]:
    """A coordinator's schools, cleaned; an admin has none (every school)."""
    if role not in ("admin", "coordinator"):
        raise Conflict(f"A role is 'admin' or 'coordinator', not {role!r}")
    if role == "admin":
        return []
    cleaned = sorted({school.strip() for school in schools if school.strip()})
    if not cleaned:
        raise Conflict("A school coordinator needs at least one school")
    return cleaned


def create_supervisor(
    db: sqlite_utils.Database,
    username: str,
    password: str,
    role: Role = "admin",
    schools: Sequence[str] = (),
) -> str:
    username = username.strip()
    if not username:
        raise Conflict("A supervisor needs a user name")
    if len(password) < 8:
        raise Conflict("The password must have at least 8 characters")
    if db.execute("SELECT 1 FROM supervisors WHERE username = ?", [username]).fetchone():
        raise Conflict(f"The supervisor {username!r} already exists")
    supervisor_id = str(uuid.uuid4())
    db.table("supervisors").insert(
        {
            "id": supervisor_id,
            "username": username,
            "password_hash": hash_password(password),
            "created_at": iso(utcnow()),
            "role": role,
            "schools": json.dumps(_schools(role, schools)),
        }
    )
    return supervisor_id


def _account(row: Sequence[Any]) -> Account:
    return Account(id=row[0], username=row[1], role=row[2], schools=json.loads(row[3]))


def list_accounts(db: sqlite_utils.Database) -> list[Account]:
    rows = db.execute(
        "SELECT id, username, role, schools FROM supervisors ORDER BY username COLLATE NOCASE"
    ).fetchall()
    return [_account(row) for row in rows]


def find_account(db: sqlite_utils.Database, reference: str) -> Account:
    """A supervisor account by id or user name."""
    row = db.execute(
        "SELECT id, username, role, schools FROM supervisors WHERE id = ? OR username = ?",
        [reference, reference.strip()],
    ).fetchone()
    if row is None:
        raise NotFound(f"No supervisor account {reference!r}")
    return _account(row)


def update_account(
    db: sqlite_utils.Database,
    reference: str,
    role: Role | None = None,
    schools: Sequence[str] | None = None,
) -> Account:
    """Change an account's role and/or schools; its open sessions see it at their next call."""
    account = find_account(db, reference)
    new_role = role or account.role
    cleaned = _schools(new_role, account.schools if schools is None else schools)
    if account.role == "admin" and new_role != "admin":
        admins = db.execute("SELECT count(*) FROM supervisors WHERE role = 'admin'").fetchone()
        if admins[0] <= 1:
            raise Conflict("This is the last district admin: make another one first")
    db.execute(
        "UPDATE supervisors SET role = ?, schools = ? WHERE id = ?",
        [new_role, json.dumps(cleaned), account.id],
    )
    return find_account(db, account.id)


def login(db: sqlite_utils.Database, username: str, password: str) -> str:
    """Check a supervisor's password and open a session; return its bearer token."""
    row = db.execute(
        "SELECT id, password_hash FROM supervisors WHERE username = ?", [username.strip()]
    ).fetchone()
    if row is None or not verify_password(password, row[1]):
        raise InvalidCredentials()
    token = new_token()
    now = utcnow()
    db.table("sessions").insert(
        {
            "token_hash": token_hash(token),
            "supervisor_id": row[0],
            "created_at": iso(now),
            "expires_at": iso(now + SESSION_TTL),
        }
    )
    return token


def logout(db: sqlite_utils.Database, token: str) -> None:
    db.execute("DELETE FROM sessions WHERE token_hash = ?", [token_hash(token)])


def supervisor_for_token(db: sqlite_utils.Database, token: str) -> SupervisorIdentity:
    row = db.execute(
        """SELECT s.id, s.username, s.role, s.schools
           FROM sessions JOIN supervisors s ON s.id = supervisor_id
           WHERE token_hash = ? AND expires_at > ?""",
        [token_hash(token), iso(utcnow())],
    ).fetchone()
    if row is None:
        raise Unauthorized()
    role: Role = row[2]
    return SupervisorIdentity(
        id=row[0], username=row[1], role=role, scope=Scope.of(role, json.loads(row[3]))
    )


def create_caller(
    db: sqlite_utils.Database, name: str, languages: list[str], role: str = "caller"
) -> Caller:
    name = name.strip()
    if not name:
        raise Conflict("A caller needs a name")
    caller = Caller(
        id=str(uuid.uuid4()),
        name=name,
        languages=[lang.strip() for lang in languages if lang.strip()] or ["en"],
        role="supervisor" if role == "supervisor" else "caller",
    )
    db.table("callers").insert(
        {
            "id": caller.id,
            "name": caller.name,
            "languages": caller.languages,
            "role": caller.role,
            "active": 1,
            "created_at": iso(utcnow()),
        }
    )
    return caller


def load_caller(db: sqlite_utils.Database, caller_id: str) -> Caller:
    row = db.execute(
        "SELECT id, name, languages, role, active FROM callers WHERE id = ?", [caller_id]
    ).fetchone()
    if row is None:
        raise NotFound(f"No caller with id {caller_id!r}")
    return Caller(
        id=row[0], name=row[1], languages=json.loads(row[2]), role=row[3], active=bool(row[4])
    )


def create_invite(
    db: sqlite_utils.Database, caller_id: str, ttl: timedelta = INVITE_TTL
) -> tuple[str, str]:
    """A fresh single-use invite code for the caller; returns (code, expires_at)."""
    load_caller(db, caller_id)
    code = new_invite_code()
    now = utcnow()
    expires_at = iso(now + ttl)
    db.table("invites").insert(
        {
            "code_hash": token_hash(code),
            "caller_id": caller_id,
            "created_at": iso(now),
            "expires_at": expires_at,
        }
    )
    return code, expires_at


def join(db: sqlite_utils.Database, code: str, device_name: str = "") -> tuple[str, str, Caller]:
    """Redeem an invite code for a new device; returns (device_id, token, caller).

    Call inside a transaction: the invite is marked used in the same write that creates
    the device, so two devices racing for one code cannot both win.
    """
    now = iso(utcnow())
    row = db.execute(
        "SELECT caller_id FROM invites WHERE code_hash = ? AND used_at IS NULL AND expires_at > ?",
        [token_hash(canonical_invite_code(code)), now],
    ).fetchone()
    if row is None:
        raise InvalidInvite()
    caller = load_caller(db, row[0])
    if not caller.active:
        raise InvalidInvite()
    device_id, token = str(uuid.uuid4()), new_token()
    db.table("devices").insert(
        {
            "id": device_id,
            "caller_id": caller.id,
            "name": device_name.strip()[:120],
            "token_hash": token_hash(token),
            "created_at": now,
            "last_seen_at": now,
            "last_seq": 0,
        }
    )
    db.execute(
        "UPDATE invites SET used_at = ?, device_id = ? WHERE code_hash = ?",
        [now, device_id, token_hash(canonical_invite_code(code))],
    )
    return device_id, token, caller


def device_for_token(db: sqlite_utils.Database, token: str) -> DeviceIdentity:
    """The device a sync request comes from. Unauthorized (401) for an unknown, signed-out
    or inactive caller's token; DeviceWiped (410) for a device ordered wiped, whatever else
    is true of it: that answer must reach it (``wipe_delivered`` records that it did)."""
    row = db.execute(
        """SELECT d.id, d.caller_id, d.revoked_at, d.wipe_ordered_at, c.active
           FROM devices d JOIN callers c ON c.id = d.caller_id WHERE d.token_hash = ?""",
        [token_hash(token)],
    ).fetchone()
    if row is None:
        raise Unauthorized()
    device_id, caller_id, revoked_at, wipe_ordered_at, active = row
    if wipe_ordered_at is not None:
        raise DeviceWiped(device_id=device_id)
    if revoked_at is not None or not active:
        raise Unauthorized()
    return DeviceIdentity(device_id=device_id, caller_id=caller_id)


def revoke_device(db: sqlite_utils.Database, device_id: str) -> None:
    """Sign the device out: its token is dead (401); its unsent work stays on it and goes
    with the next sync after it re-joins."""
    _require_device(db, device_id)
    db.execute(
        "UPDATE devices SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
        [iso(utcnow()), device_id],
    )


def order_wipe(db: sqlite_utils.Database, device_id: str) -> bool:
    """A lost device: at its next contact it is told to erase its database (410).

    The token is signed out too (an erased device re-joins with a new invite). Returns
    False when a wipe was already ordered (nothing changes: the first order's time stays).
    """
    _require_device(db, device_id)
    now = iso(utcnow())
    ordered = db.execute(
        "UPDATE devices SET wipe_ordered_at = ? WHERE id = ? AND wipe_ordered_at IS NULL",
        [now, device_id],
    ).rowcount
    db.execute(
        "UPDATE devices SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", [now, device_id]
    )
    return bool(ordered)


def wipe_delivered(db: sqlite_utils.Database, device_id: str) -> None:
    """The device was answered 410 ``device_wiped``: the first time is when it learned."""
    db.execute(
        "UPDATE devices SET wipe_delivered_at = ? WHERE id = ? AND wipe_delivered_at IS NULL",
        [iso(utcnow()), device_id],
    )


def device_for_erasing(db: sqlite_utils.Database, token: str) -> str:
    """The device a token was given to, signed out or ordered wiped (that is when a device
    reports erasing itself); Unauthorized for a token no device holds."""
    row = db.execute("SELECT id FROM devices WHERE token_hash = ?", [token_hash(token)]).fetchone()
    if row is None:
        raise Unauthorized()
    return str(row[0])


def record_erased(db: sqlite_utils.Database, device_id: str, report: ErasedReport) -> None:
    """The device's report of what it erased; the first one counts, later ones change
    nothing. Its token is signed out."""
    if report.device_id != device_id:
        raise Unauthorized("That report names another device than its token")
    now = iso(utcnow())
    db.execute(
        """UPDATE devices SET erased_at = ?, erased_reason = ?, erased_unsent = ?,
               erased_seq = ?, revoked_at = coalesce(revoked_at, ?)
           WHERE id = ? AND erased_at IS NULL""",
        [now, report.reason, report.unsent_events, report.highest_seq, now, device_id],
    )


def _require_device(db: sqlite_utils.Database, device_id: str) -> None:
    if not db.execute("SELECT 1 FROM devices WHERE id = ?", [device_id]).fetchone():
        raise NotFound(f"No device with id {device_id!r}")
