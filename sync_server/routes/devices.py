"""Device endpoints: join with an invite code, push events, pull changes."""

from __future__ import annotations

from fastapi import APIRouter, Request

from app.core.protocol import (
    JoinRequest,
    JoinResponse,
    PullRequest,
    PullResponse,
    PushRequest,
    PushResponse,
    SeqGap,
)

from .. import auth, push_pull
from ..clock import utcnow
from ..deps import DeviceDep, StoreDep, client_address
from ..guessing import InviteLimiter

router = APIRouter(prefix="/api/v1", tags=["sync"])


@router.post(
    "/join",
    response_model=JoinResponse,
    summary="Redeem an invite code for a device token",
    responses={
        400: {"description": "Wrong, used or expired code"},
        429: {
            "description": "Too many wrong codes from this address (a valid code is still "
            "accepted), or a flood of wrong codes at the server: wait Retry-After seconds"
        },
    },
)
def join(body: JoinRequest, request: Request, store: StoreDep) -> JoinResponse:
    """A caller's new device joins with a single-use invite code and gets its token, once.

    A valid code is accepted whatever others got wrong from the same address; only while
    the server sees a flood of wrong codes is an address with its own recent mistakes
    refused unchecked."""
    limiter: InviteLimiter = request.app.state.invite_limiter
    with limiter.attempt(client_address(request)), store.transaction() as db:
        device_id, token, caller = auth.join(db, body.code, body.device_name)
    return JoinResponse(device_id=device_id, token=token, caller=caller, server_time=utcnow())


@router.post(
    "/sync/push",
    response_model=PushResponse,
    summary="Upload the device's outbox events",
    responses={409: {"model": SeqGap, "description": "Seq gap: resend from last_acked_seq + 1"}},
)
def push(body: PushRequest, request: Request, store: StoreDep, device: DeviceDep) -> PushResponse:
    """Store events exactly once by (device_id, seq); quarantine unassigned households' events."""
    with store.transaction() as db:
        answer = push_pull.push(db, device, body)
    metrics = request.app.state.metrics
    metrics.pushes.inc()
    for result in answer.results:
        metrics.pushed_events.labels(result.status).inc()
    return answer


@router.post("/sync/pull", response_model=PullResponse, summary="Download what this device may see")
def pull(body: PullRequest, request: Request, store: StoreDep, device: DeviceDep) -> PullResponse:
    """One page of changes since the device's cursor; an unknown cursor answers a reset."""
    with store.transaction() as db:
        page = push_pull.pull(db, device, body)
    request.app.state.metrics.pulls.labels(str(page.reset).lower()).inc()
    return page
