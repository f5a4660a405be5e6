"""FastAPI dependencies: the store and who is asking (a device or a supervisor)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from app.core.errors import DeviceWiped, Unauthorized

from . import auth
from .db import Store
from .roles import AdminOnly, route_access

_bearer = HTTPBearer(auto_error=False, description="A device token or a supervisor session")


def get_store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def client_address(request: Request) -> str:
    """Where a request comes from (behind a proxy on this machine, the forwarded address)."""
    return request.client.host if request.client else "unknown"


def bearer_token(
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> str:
    if credentials is None or not credentials.credentials:
        raise Unauthorized("Missing bearer token")
    return credentials.credentials


def current_device(
    store: Annotated[Store, Depends(get_store)], token: Annotated[str, Depends(bearer_token)]
) -> auth.DeviceIdentity:
    try:
        with store.reading() as db:
            return auth.device_for_token(db, token)
    except DeviceWiped as wiped:
        with store.transaction() as db:
            auth.wipe_delivered(db, wiped.device_id)
        raise


def erasing_device(
    store: Annotated[Store, Depends(get_store)], token: Annotated[str, Depends(bearer_token)]
) -> str:
    with store.reading() as db:
        return auth.device_for_erasing(db, token)


def current_supervisor(
    request: Request,
    store: Annotated[Store, Depends(get_store)],
    token: Annotated[str, Depends(bearer_token)],
) -> auth.SupervisorIdentity:
    """Who is asking, refused (403) when their role may not use this route at all
    (roles.ROUTE_ACCESS); which households they see is the route's data functions' business,
    by ``supervisor.scope``."""
    with store.reading() as db:
        supervisor = auth.supervisor_for_token(db, token)
    if not supervisor.is_admin and route_access(request.method, request.url.path) == "admin":
        raise AdminOnly()
    return supervisor


StoreDep = Annotated[Store, Depends(get_store)]
ErasingDeviceDep = Annotated[str, Depends(erasing_device)]
"""The id of the device a token belongs to, even signed out or wiped: only for its report
of what it erased."""
DeviceDep = Annotated[auth.DeviceIdentity, Depends(current_device)]
SupervisorDep = Annotated[auth.SupervisorIdentity, Depends(current_supervisor)]
