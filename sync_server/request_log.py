"""One log line per HTTP request, with a request id the client can quote (the
``X-Request-ID`` header, taken from the request when it carries a sane one, else made).

The line has the path without its query string: an invite link's query is a secret.
``--log-json`` writes every log line (ours and uvicorn's) as one JSON object.
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from typing import Any

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("phonebank.requests")

HEADER = "X-Request-ID"
_SANE_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")


def request_id(scope: Scope) -> str:
    for name, value in scope.get("headers", []):
        if name == b"x-request-id":
            given = value.decode("latin-1")
            if _SANE_ID.match(given):
                return given
    return uuid.uuid4().hex


class RequestLog:
    """Logs each HTTP request when its answer starts, and echoes its id in the answer."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        rid = request_id(scope)
        scope.setdefault("state", {})["request_id"] = rid
        started = time.perf_counter()
        answered = False
        path = scope.get("root_path", "") + scope["path"]  # before a mount rewrites them

        async def send_logged(message: Message) -> None:
            nonlocal answered
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message)[HEADER] = rid
                answered = True
                _log_request(scope, path, rid, message["status"], started)
            await send(message)

        try:
            await self.app(scope, receive, send_logged)
        finally:
            if not answered:
                _log_request(scope, path, rid, 500, started)


def _log_request(scope: Scope, path: str, rid: str, status: int, started: float) -> None:
    client = scope.get("client")
    milliseconds = round((time.perf_counter() - started) * 1000, 1)
    log.info(
        "%s %s %s %d %.1fms",
        rid,
        scope["method"],
        path,
        status,
        milliseconds,
        extra={
            "request_id": rid,
            "method": scope["method"],
            "path": path,
            "status": status,
            "duration_ms": milliseconds,
            "client": client[0] if client else None,
        },
    )


class JsonFormatter(logging.Formatter):
    """A log record as one JSON object per line, with the request fields when present."""

    FIELDS = ("request_id", "method", "path", "status", "duration_ms", "client")

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update({key: getattr(record, key) for key in self.FIELDS if hasattr(record, key)})
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def logging_config(*, json_lines: bool) -> dict[str, Any]:
    """A dictConfig for uvicorn.run: our request lines and uvicorn's own, on stderr."""
    formatter: dict[str, Any] = (
        {"()": JsonFormatter}
        if json_lines
        else {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}
    )
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"default": formatter},
        "handlers": {
            "stderr": {
                "class": "logging.StreamHandler",
                "formatter": "default",
                "stream": "ext://sys.stderr",
            }
        },
        "loggers": {
            "phonebank": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
            "uvicorn": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
            "uvicorn.error": {"level": "INFO"},
            "uvicorn.access": {"handlers": [], "level": "WARNING", "propagate": False},
        },
    }
