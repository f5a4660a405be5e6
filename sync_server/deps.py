"""FastAPI dependencies: the store and who is asking (a device or a supervisor).

They are ``async``: FastAPI runs a plain ``def`` dependency in a worker thread, and on the
small requests a device syncs with, each hop there and back cost more server CPU than the
work itself. Who is asking is looked up on the event loop while the store is free (one
indexed read, ``Store.read_soon``).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool

from app.core.errors import DeviceWiped, Unauthorized

from . import auth
from .db import Store
from .roles import AdminOnly, route_access

_bearer = HTTPBearer(auto_error=False, description="A device token or a supervisor session")


async def get_store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def client_address(request: Request) -> str:
    """Where a request comes from (behind a proxy on this machine, the forwarded address)."""
    return request.client.host if request.client else "unknown"


async def bearer_token(
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> str:
    if credentials is None or not credentials.credentials:
        raise Unauthorized("Missing bearer token")
    return credentials.credentials


async def current_device(
    store: Annotated[Store, Depends(get_store)], token: Annotated[str, Depends(bearer_token)]
) -> auth.DeviceIdentity:
    try:
        return await store.read_soon(lambda db: auth.device_for_token(db, token))
    except DeviceWiped as wiped:
        await run_in_threadpool(_wipe_delivered, store, wiped.device_id)
        raise


def _wipe_delivered(store: Store, device_id: str) -> None:
    with store.transaction() as db:
        auth.wipe_delivered(db, device_id)


async def erasing_device(
    store: Annotated[Store, Depends(get_store)], token: Annotated[str, Depends(bearer_token)]
) -> str:
    return await store.read_soon(lambda db: auth.device_for_erasing(db, token))


async def current_supervisor(
    request: Request,
    store: Annotated[Store, Depends(get_store)],
    token: Annotated[str, Depends(bearer_token)],
) -> auth.SupervisorIdentity:
    """Who is asking, refused (403) when their role may not use this route at all
    (roles.ROUTE_ACCESS); which households they see is the route's data functions' business,
    by ``supervisor.scope``."""
    supervisor = await store.read_soon(lambda db: auth.supervisor_for_token(db, token))
    if not supervisor.is_admin and route_access(request.method, request.url.path) == "admin":
        raise AdminOnly()
    return supervisor


StoreDep = Annotated[Store, Depends(get_store)]
ErasingDeviceDep = Annotated[str, Depends(erasing_device)]
"""The id of the device a token belongs to, even signed out or wiped: only for its report
of what it erased."""
DeviceDep = Annotated[auth.DeviceIdentity, Depends(current_device)]
SupervisorDep = Annotated[auth.SupervisorIdentity, Depends(current_supervisor)]
