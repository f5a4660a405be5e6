"""Supervisor sign-in and accounts (roles), callers, invites and device revocation."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, status

from app.core.accounts import (
    Account,
    AccountDraft,
    AccountUpdate,
    CallerDraft,
    Invite,
    LoginRequest,
    LoginResponse,
)
from app.core.models import Caller

from .. import audited, auth, callers
from ..audit import Actor
from ..clock import utcnow
from ..deps import StoreDep, SupervisorDep, bearer_token, client_address
from ..guessing import LoginLimiter

router = APIRouter(prefix="/api/v1", tags=["accounts"])


@router.post(
    "/auth/login",
    response_model=LoginResponse,
    summary="Supervisor sign-in",
    responses={
        401: {"description": "Wrong user name or password"},
        429: {
            "description": "Too many wrong passwords for this account from this address: "
            "wait Retry-After seconds"
        },
    },
)
def login(body: LoginRequest, request: Request, store: StoreDep) -> LoginResponse:
    """Exchange a supervisor's user name and password for a session token.

    Wrong passwords slow down only the address they come from, for that account: after a
    few, it waits (1 s, doubling up to 15 minutes) and gets 429 with Retry-After."""
    limiter: LoginLimiter = request.app.state.login_limiter
    with limiter.attempt(client_address(request), body.username), store.transaction() as db:
        token = auth.login(db, body.username, body.password)
        who = Actor.supervisor(auth.supervisor_for_token(db, token))
        audited.signed(db, who, "auth.sign_in")
    return LoginResponse(token=token, expires_at=utcnow() + auth.SESSION_TTL)


@router.post("/auth/logout", status_code=status.HTTP_204_NO_CONTENT, summary="End the session")
def logout(
    store: StoreDep, supervisor: SupervisorDep, token: Annotated[str, Depends(bearer_token)]
) -> None:
    """Forget the session token used for this request."""
    with store.transaction() as db:
        audited.signed(db, Actor.supervisor(supervisor), "auth.sign_out")
        auth.logout(db, token)


@router.post(
    "/admin/callers",
    response_model=Caller,
    status_code=status.HTTP_201_CREATED,
    summary="Add a caller",
)
def create_caller(body: CallerDraft, store: StoreDep, supervisor: SupervisorDep) -> Caller:
    """Add a caller with the languages they speak, as language tags (es, en, zh-Hant, yue):
    a name such as 'Spanish' or an unknown tag is refused (422) and nothing is stored."""
    with store.transaction() as db:
        caller = callers.add_caller(db, body.name, body.languages)
        audited.caller_changed(db, Actor.supervisor(supervisor), "caller.create", caller.id)
        return caller


@router.post(
    "/admin/callers/{caller_id}/invites",
    response_model=Invite,
    status_code=status.HTTP_201_CREATED,
    summary="Invite a caller's device",
)
def create_invite(
    caller_id: str, request: Request, store: StoreDep, supervisor: SupervisorDep
) -> Invite:
    """A single-use invite code (and link) for one of the caller's devices."""
    with store.transaction() as db:
        code, expires_at = auth.create_invite(db, caller_id)
        caller = auth.load_caller(db, caller_id)
        audited.invited(db, Actor.supervisor(supervisor), caller_id, expires_at)
    link = str(request.base_url).rstrip("/") + f"/?invite={code}"
    return Invite(caller=caller, code=code, link=link, expires_at=expires_at)


@router.post(
    "/admin/devices/{device_id}/revoke",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Revoke a device",
)
def revoke_device(device_id: str, store: StoreDep, supervisor: SupervisorDep) -> None:
    """Sign the device out: its next request gets 401; what it already pushed stays, and
    its unsent work goes with the first sync after it re-joins."""
    with store.transaction() as db:
        auth.revoke_device(db, device_id)
        audited.revoked(db, Actor.supervisor(supervisor), device_id)


@router.post(
    "/admin/devices/{device_id}/wipe",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Wipe a lost device",
)
def wipe_device(device_id: str, store: StoreDep, supervisor: SupervisorDep) -> None:
    """At its next contact the device is answered 410 ``device_wiped`` and erases every
    family, script, note and unsent event on it, then shows the join screen. Its token is
    signed out at once. The caller list shows when the wipe was delivered and what the
    device reported erasing; ordering it again changes nothing."""
    with store.transaction() as db:
        first = auth.order_wipe(db, device_id)
        audited.wiped(db, Actor.supervisor(supervisor), device_id, first=first)


@router.get("/admin/accounts", response_model=list[Account], summary="Supervisor accounts")
def list_accounts(store: StoreDep, supervisor: SupervisorDep) -> list[Account]:
    """Every supervisor account with its role and, for a school coordinator, its schools."""
    with store.reading() as db:
        return auth.list_accounts(db)


@router.post(
    "/admin/accounts",
    response_model=Account,
    status_code=status.HTTP_201_CREATED,
    summary="Add a supervisor account",
)
def create_account(body: AccountDraft, store: StoreDep, supervisor: SupervisorDep) -> Account:
    """A district admin (every school) or a school coordinator (only the households whose
    ``school`` is one of ``schools``); 409 when the user name is taken."""
    with store.transaction() as db:
        account_id = auth.create_supervisor(
            db, body.username, body.password, body.role, body.schools
        )
        account = auth.find_account(db, account_id)
        audited.account_changed(db, Actor.supervisor(supervisor), "account.create", account)
        return account


@router.patch(
    "/admin/accounts/{account_id}", response_model=Account, summary="Change an account's role"
)
def update_account(
    account_id: str, body: AccountUpdate, store: StoreDep, supervisor: SupervisorDep
) -> Account:
    """Change the role and/or the schools; it applies to the account's next request. The
    last district admin cannot be made a coordinator (409)."""
    with store.transaction() as db:
        account = auth.update_account(db, account_id, body.role, body.schools)
        audited.account_changed(db, Actor.supervisor(supervisor), "account.update", account)
        return account
