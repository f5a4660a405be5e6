"""A transport that loses requests and answers, planned per API path, around the real one."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Callable
from typing import Any, Literal

import httpx

Fault = Literal["lose_request", "lose_response", "server_error", "refuse", "unauthorized"]


class FaultyTransport(httpx.AsyncBaseTransport):
    """Wraps the real transport and injects faults, per API path, in the order planned.

    ``lose_request`` never reaches the server; ``lose_response`` reaches it (and commits)
    but the answer is lost; ``server_error`` answers 503 without reaching it; ``refuse``
    answers 422, ``unauthorized`` 401. ``refuse_event`` answers 422 to any push carrying
    that event id. Every request that got through is recorded in ``sent``.
    """

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.plan: dict[str, list[Fault]] = defaultdict(list)
        self.offline = False
        self.refused_events: set[str] = set()
        self.sent: list[tuple[str, Any]] = []
        self.before_response: Callable[[str], None] | None = None

    def fail(self, path: str, *faults: Fault) -> None:
        self.plan[f"/api/v1/{path}"].extend(faults)

    def refuse_event(self, event_id: uuid.UUID | str) -> None:
        self.refused_events.add(str(event_id))

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        fault = self.plan[path].pop(0) if self.plan[path] else None
        if self.offline or fault == "lose_request":
            raise httpx.ConnectError("All connection attempts failed", request=request)
        if fault == "server_error":
            return _error(503, "unavailable", "The server is restarting")
        if fault == "unauthorized":
            return _error(401, "unauthorized", "Sign in again")
        body = await request.aread()
        if fault == "refuse" or (
            path.endswith("/push") and any(eid.encode() in body for eid in self.refused_events)
        ):
            return _error(422, "invalid_request", "Invalid request — events.0.payload: refused")
        response = await self.inner.handle_async_request(request)
        await response.aread()
        self.sent.append((path, body))
        if self.before_response is not None:
            self.before_response(path)
        if fault == "lose_response":
            raise httpx.ReadError("Connection reset by peer", request=request)
        return response


def _error(status: int, code: str, message: str) -> httpx.Response:
    return httpx.Response(status, json={"error": code, "message": message})
