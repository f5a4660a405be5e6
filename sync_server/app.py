"""The FastAPI application: API routers, error handling, limits, and what is served at /."""

from __future__ import annotations

import os
import ssl
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send

from app.core.protocol import SeqGap

from . import http_errors, progress_tables
from .db import Store
from .guessing import InviteLimiter, LoginLimiter
from .metrics import RequestMetrics, ServerMetrics
from .push_pull import BatchInvalid, SeqGapError
from .pwa.serving import WebBundle
from .request_log import RequestLog
from .retention import retention_daily
from .routes import (
    accounts,
    admin,
    announcements,
    api_docs,
    campaigns,
    devices,
    families,
    imports,
    meta,
    privacy,
)
from .security import SecurityHeaders

MAX_BODY = 5_000_000
MAX_IMPORT_BODY = 200_000_000


def create_app(
    db_path: str | Path,
    *,
    caller_server_url: str | None = None,
    console: bool = False,
    web_app: Path | None = None,
    public_url: str | None = None,
    https: bool = False,
    metrics_token: str | None = None,
    caller_tls: ssl.SSLContext | None = None,
) -> FastAPI:
    """The whole server over the SQLite file at ``db_path`` (created and migrated if new).

    With ``caller_server_url`` (this server's own URL as the caller app should reach it)
    the server-driven caller app is mounted at ``/app``; its browser devices live beside
    the database. With ``console`` the supervisor console is mounted at ``/console``.
    With ``web_app`` (a folder ``phonebank build-web`` writes) the offline caller app is
    served at ``/`` once it is built there. Invite links and QR codes in the console
    point at ``public_url`` (default: the origin the supervisor's browser used).

    ``https`` says browsers reach the server over HTTPS (itself or a proxy): HSTS and
    Secure cookies. ``metrics_token`` guards ``/api/metrics`` (else loopback only).
    ``caller_tls`` is how the server-driven app trusts this server's own certificate when
    it syncs with ``caller_server_url`` over HTTPS.
    """
    store = Store(db_path)
    login_limiter = LoginLimiter()  # shared by the API and the console
    with store.transaction() as db:
        # Bring the dashboard's summary up to date now rather than on the first request.
        progress_tables.refresh_progress(db)

    # Flet is imported only when one of its apps is served: the API alone starts faster.
    caller = console_app = None
    if caller_server_url:
        from app.ui.served_app import caller_asgi_app

        caller = caller_asgi_app(caller_server_url, Path(db_path).parent, tls=caller_tls)
    if console:
        from .console import console_asgi_app

        console_app = console_asgi_app(
            store,
            upload_dir=Path(db_path).resolve().parent / "console-uploads",
            login_limiter=login_limiter,
            invite_base_url=public_url,
        )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with retention_daily(store), flet_apps():
            yield

    @asynccontextmanager
    async def flet_apps() -> AsyncIterator[None]:
        if caller is None and console_app is None:
            yield
            return
        import flet_web.fastapi as flet_fastapi

        # Mounted Flet apps get no lifespan of their own: this runs their session upkeep.
        await flet_fastapi.app_manager.start()
        try:
            yield
        finally:
            await flet_fastapi.app_manager.shutdown()
            if caller is not None:
                await caller.state.devices.aclose()

    app = FastAPI(
        lifespan=lifespan,
        title="Phonebank",
        version="1",
        summary="Offline-first community phone banking: sync API and supervisor API",
        openapi_url="/api/openapi.json",
        docs_url=None,  # routes/api_docs.py: Swagger UI from the package, not a CDN
        redoc_url=None,
    )
    app.state.store = store
    app.state.invite_limiter = InviteLimiter()
    app.state.login_limiter = login_limiter
    app.state.web_app = web_app
    app.state.metrics_token = metrics_token
    app.state.metrics = metrics = ServerMetrics(store)
    http_errors.install(app)

    @app.exception_handler(SeqGapError)
    async def seq_gap(request: Request, error: SeqGapError) -> JSONResponse:
        metrics.seq_gaps.inc()
        body = SeqGap(message=error.message, last_acked_seq=error.last_acked_seq)
        return JSONResponse(status_code=409, content=body.model_dump(mode="json"))

    @app.exception_handler(BatchInvalid)
    async def batch_invalid(request: Request, error: BatchInvalid) -> JSONResponse:
        return http_errors.error_response(422, "invalid_batch", error.message)

    routers = (devices, accounts, campaigns, imports, admin, privacy, meta, api_docs, families)
    for module in (*routers, announcements):
        app.include_router(module.router)

    bundle = WebBundle(web_app) if web_app is not None else None

    @app.get("/", include_in_schema=False)
    def home(request: Request) -> Response:
        if bundle is not None and bundle.built:  # the offline app reads ?invite= itself
            return bundle.respond(request.scope)
        code = request.query_params.get("invite")
        if code and caller is not None:  # an invite link as printed by `phonebank invite`
            return RedirectResponse(f"/app/?invite={quote(code)}", status_code=307)
        return HTMLResponse(_HOME)

    app.add_middleware(ApiGZip, minimum_size=1000)
    app.add_middleware(
        http_errors.BodySizeLimit,
        default_limit=MAX_BODY,
        large_limit=MAX_IMPORT_BODY,
        large_prefix=("/api/v1/admin/", "/console/upload"),
    )
    if caller is not None:
        app.mount("/app", caller)
    if console_app is not None:
        app.mount("/console", console_app)
    if bundle is not None:
        app.mount("/", bundle)
    # Outermost last: the log and the headers see every answer, errors included.
    app.add_middleware(RequestMetrics, metrics=metrics)
    app.add_middleware(SecurityHeaders, https=https)
    app.add_middleware(RequestLog)
    return app


class ApiGZip:
    """Gzip API answers (a pull of 500 households shrinks tenfold) but not the Flet app's
    multi-megabyte static files, which would cost seconds of CPU on every cold load."""

    def __init__(self, app: ASGIApp, minimum_size: int) -> None:
        self.app = app
        # Level 6, not Starlette's 9: half the CPU on a large pull, and 0.2 % more bytes.
        self.gzip = GZipMiddleware(app, minimum_size=minimum_size, compresslevel=6)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"].startswith("/api/"):
            await self.gzip(scope, receive, send)
        else:
            await self.app(scope, receive, send)


def app_from_env() -> FastAPI:
    """For ``uvicorn --factory sync_server.app:app_from_env``: the database in $PHONEBANK_DB."""
    return create_app(os.environ.get("PHONEBANK_DB", "data/phonebank.sqlite"))


_HOME = """<!doctype html><html lang="en"><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Phonebank</title>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto">
<h1>Phonebank</h1>
<p>The sync server is running.</p>
<ul>
<li><a href="/app/">Caller app</a> (join with an invite code)</li>
<li><a href="/console/">Supervisor console</a></li>
<li><a href="/api/docs">API documentation</a></li>
</ul>
</body></html>"""
