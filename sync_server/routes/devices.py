"""Device endpoints: join with an invite code, push events, pull changes."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Coroutine
from typing import Annotated, Any, cast

from fastapi import APIRouter, Request, Response
from fastapi.routing import APIRoute
from pydantic import ValidatorFunctionWrapHandler, WrapValidator

from app.core.protocol import (
    ErasedReport,
    ErrorBody,
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
from ..deps import DeviceDep, ErasingDeviceDep, StoreDep, client_address
from ..guessing import InviteLimiter

router = APIRouter(prefix="/api/v1", tags=["sync"])

WIPED: dict[int | str, dict[str, Any]] = {
    410: {
        "model": ErrorBody,
        "description": "error ``device_wiped``: a supervisor ordered this device wiped; "
        "report what it erases (POST /sync/erased), then delete the device database",
    }
}


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


class _RawBody:
    """A request body's bytes, handed to its validator unparsed."""

    __slots__ = ("data",)

    def __init__(self, data: bytes) -> None:
        self.data = data


class _RawBodyRequest(Request):
    async def json(self) -> Any:
        return _RawBody(await self.body())


class _BodyFromBytes(APIRoute):
    """A route whose JSON body pydantic validates straight from its bytes
    (``model_validate_json``), where FastAPI would ``json.loads`` it to dicts and validate
    those: for a 100-event push, the larger part of the server's time outside SQL. The
    documented schema and the errors (a body that is not JSON, a field that is wrong)
    stay as FastAPI makes them."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def from_bytes(request: Request) -> Response:
            return await handler(_RawBodyRequest(request.scope, request.receive))

        return from_bytes


def _push_from_bytes(value: Any, handler: ValidatorFunctionWrapHandler) -> PushRequest:
    if isinstance(value, _RawBody):
        return PushRequest.model_validate_json(value.data)
    return cast(PushRequest, handler(value))


PushBody = Annotated[PushRequest, WrapValidator(_push_from_bytes)]


async def push(body: PushBody, request: Request, store: StoreDep, device: DeviceDep) -> Response:
    """Store events exactly once by (device_id, seq); quarantine unassigned households' events."""
    answer = await store.sync_transaction(lambda db: push_pull.push(db, device, body))
    metrics = request.app.state.metrics
    metrics.pushes.inc()
    for status, count in Counter(result.status for result in answer.results).items():
        metrics.pushed_events.labels(status).inc(count)
    return _json(answer)


router.add_api_route(
    "/sync/push",
    push,
    methods=["POST"],
    response_model=PushResponse,
    summary="Upload the device's outbox events",
    responses={
        409: {"model": SeqGap, "description": "Seq gap: resend from last_acked_seq + 1"},
        **WIPED,
    },
    route_class_override=_BodyFromBytes,
)


@router.post(
    "/sync/pull",
    response_model=PullResponse,
    summary="Download what this device may see",
    responses=WIPED,
)
async def pull(body: PullRequest, request: Request, store: StoreDep, device: DeviceDep) -> Response:
    """One page of changes since the device's cursor; an unknown cursor answers a reset."""
    page = await store.sync_transaction(lambda db: push_pull.pull(db, device, body))
    request.app.state.metrics.pulls.labels(str(page.reset).lower()).inc()
    return _json(page)


def _json(answer: PushResponse | PullResponse) -> Response:
    """An answer made of validated parts, serialised once: FastAPI would validate it again
    against its ``response_model`` and dump it twice (to dicts, then to JSON)."""
    return Response(answer.model_dump_json(), media_type="application/json")


@router.post(
    "/sync/erased",
    status_code=204,
    summary="Report what this device erased",
    responses={401: {"description": "Not a token this server gave that device"}},
)
def erased(body: ErasedReport, store: StoreDep, device_id: ErasingDeviceDep) -> None:
    """Sent by a device just before it deletes its database: after a 410 ``device_wiped``
    answer, or when its caller signs out and erases the phone. Accepted with a signed-out
    or wiped device's token (that is when it is sent), once; the token is signed out.
    The console shows the unsent events it reports as lost."""
    with store.transaction() as db:
        auth.record_erased(db, device_id, body)
