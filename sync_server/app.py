"""The FastAPI application: API routers, error handling, limits, and what is served at /."""

from __future__ import annotations

import os
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.responses import HTMLResponse, JSONResponse

from app.core.protocol import SeqGap

from . import auth, http_errors, progress
from .db import Store
from .routes import accounts, admin, campaigns, imports, sync
from .sync import BatchInvalid, SeqGapError

MAX_BODY = 5_000_000
MAX_IMPORT_BODY = 200_000_000


def create_app(db_path: str | Path) -> FastAPI:
    """The whole server over the SQLite file at ``db_path`` (created and migrated if new)."""
    store = Store(db_path)
    with store.transaction() as db:
        # Bring the dashboard's summary up to date now rather than on the first request.
        progress.refresh_progress(db)

    app = FastAPI(
        title="Phonebank",
        version="1",
        summary="Offline-first community phone banking: sync API and supervisor API",
        openapi_url="/api/openapi.json",
        docs_url="/api/docs",
        redoc_url=None,
    )
    app.state.store = store
    app.state.invite_limiter = auth.AttemptLimiter(limit=10, window=600)
    app.state.login_limiter = auth.AttemptLimiter(limit=10, window=600)
    http_errors.install(app)

    @app.exception_handler(SeqGapError)
    async def seq_gap(request: Request, error: SeqGapError) -> JSONResponse:
        body = SeqGap(message=error.message, last_acked_seq=error.last_acked_seq)
        return JSONResponse(status_code=409, content=body.model_dump(mode="json"))

    @app.exception_handler(BatchInvalid)
    async def batch_invalid(request: Request, error: BatchInvalid) -> JSONResponse:
        return http_errors.error_response(422, "invalid_batch", error.message)

    for module in (sync, accounts, campaigns, imports, admin):
        app.include_router(module.router)

    @app.get("/api/health", summary="Liveness check", tags=["meta"])
    def health() -> dict[str, str]:
        """Answers ok while the server and its database are up."""
        with store.reading() as db:
            db.execute("SELECT 1").fetchone()
        return {"status": "ok"}

    @app.get("/", include_in_schema=False)
    def home() -> HTMLResponse:
        return HTMLResponse(_HOME)

    app.add_middleware(GZipMiddleware, minimum_size=1000)
    app.add_middleware(
        http_errors.BodySizeLimit,
        default_limit=MAX_BODY,
        large_limit=MAX_IMPORT_BODY,
        large_prefix="/api/v1/admin/",
    )
    return app


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
<li><a href="/api/docs">API documentation</a></li>
</ul>
</body></html>"""
