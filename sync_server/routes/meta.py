"""Endpoints for whoever runs the server: health (for a load balancer or a monitor) and
Prometheus metrics (for a scraper; guarded, see :func:`metrics_allowed`)."""

from __future__ import annotations

import hmac
import json
import sqlite3
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from ..db import schema_version
from ..deps import StoreDep
from ..metrics import CONTENT_TYPE
from ..settings import is_loopback

router = APIRouter(prefix="/api", tags=["meta"])


@cache  # read from the installed metadata: 2 ms a request, for a value fixed at start
def server_version() -> str:
    try:
        return version("phonebank")
    except PackageNotFoundError:  # run from a checkout that was never installed
        return "unknown"


def offline_app_build(web_app: Path | None) -> str | None:
    """The label of the offline app being served (``phonebank build-web --label``)."""
    if web_app is None:
        return None
    try:
        label = json.loads((web_app / "bundle.json").read_text()).get("label")
    except (OSError, ValueError):
        return None
    return str(label) if label else None


@router.get(
    "/health",
    summary="Health: the database is reachable and writable",
    responses={503: {"description": "The database cannot be read or written"}},
)
def health(request: Request, store: StoreDep) -> JSONResponse:
    """``status`` ok (200) when the database answers and takes a write, else 503 with
    what failed. Also the schema version, the server's version and the offline app's build."""
    body: dict[str, Any] = {"status": "ok", "database": {"reachable": False, "writable": False}}
    try:
        with store.reading() as db:
            db.execute("SELECT 1").fetchone()
            body["database"]["reachable"] = True
            body["schema_version"] = schema_version(db)
            # A real write, rolled back: a full disk or a read-only file fails here.
            db.execute("BEGIN IMMEDIATE")
            try:
                db.execute(
                    "INSERT OR REPLACE INTO meta (key, value) VALUES ('health_check', "
                    "datetime('now'))"
                )
                body["database"]["writable"] = True
            finally:
                db.execute("ROLLBACK")
    except sqlite3.Error as error:
        body["status"] = "failing"
        body["database"]["error"] = str(error)
    body["version"] = server_version()
    body["build"] = offline_app_build(request.app.state.web_app)
    return JSONResponse(body, status_code=200 if body["status"] == "ok" else 503)


def metrics_allowed(request: Request) -> bool:
    """With PHONEBANK_METRICS_TOKEN set, a scraper sends it as a bearer token; without one,
    only this machine may ask (behind a proxy the client is the forwarded address)."""
    token: str | None = request.app.state.metrics_token
    if token:
        given = request.headers.get("authorization", "")
        return hmac.compare_digest(given.encode(), f"Bearer {token}".encode())
    return request.client is not None and is_loopback(request.client.host)


@router.get(
    "/metrics",
    summary="Prometheus metrics",
    response_class=Response,
    responses={
        200: {"content": {CONTENT_TYPE: {}}, "description": "Prometheus text format"},
        401: {"description": "No metrics token (PHONEBANK_METRICS_TOKEN), not from this machine"},
    },
)
def metrics(request: Request) -> Response:
    """Requests and latencies by route template, sync traffic, quarantine size and devices
    seen in the last hour. Needs the bearer token PHONEBANK_METRICS_TOKEN when set, else
    answers only requests from this machine."""
    if not metrics_allowed(request):
        return JSONResponse(
            {
                "error": "unauthorized",
                "message": "Metrics need the bearer token PHONEBANK_METRICS_TOKEN, "
                "or a request from this machine when none is set",
            },
            status_code=401,
            headers={"WWW-Authenticate": "Bearer"},
        )
    return Response(request.app.state.metrics.exposition(), media_type=CONTENT_TYPE)
