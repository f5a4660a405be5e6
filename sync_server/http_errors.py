"""How errors become HTTP answers: a status, a machine-readable code and a plain sentence."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.core import errors
from app.core.protocol import ErrorBody

STATUS_FOR: list[tuple[type[errors.PhonebankError], int]] = [
    (errors.DeviceWiped, 410),  # app.core.protocol: the wipe signal
    (errors.Unauthorized, 401),
    (errors.InvalidCredentials, 401),
    (errors.TooManyAttempts, 429),
    (errors.InvalidInvite, 400),
    (errors.AuthError, 403),
    (errors.NotAssigned, 403),
    (errors.NotFound, 404),
    (errors.Conflict, 409),
    (errors.InvalidPhoneNumber, 422),
    (errors.UnreadableCsv, 422),
    (errors.UnknownLanguage, 422),
]


def _code(error: Exception) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", type(error).__name__).lower()


def error_response(status: int, code: str, message: str, **extra: Any) -> JSONResponse:
    body = ErrorBody(error=code, message=message).model_dump(mode="json")
    body.update(extra)
    return JSONResponse(status_code=status, content=body)


def _field(location: tuple[Any, ...]) -> str:
    # Only the first part says where (a field may itself be called "body": a script's section)
    if location and location[0] in ("body", "query", "path", "header"):
        location = location[1:]
    return ".".join(str(part) for part in location) or "body"


def install(app: FastAPI) -> None:
    @app.exception_handler(errors.PhonebankError)
    async def phonebank_error(request: Request, error: errors.PhonebankError) -> JSONResponse:
        status = next((code for kind, code in STATUS_FOR if isinstance(error, kind)), 400)
        response = error_response(status, _code(error), error.message)
        if status == 401:
            response.headers["WWW-Authenticate"] = "Bearer"
        if isinstance(error, errors.TooManyAttempts):
            response.headers["Retry-After"] = str(error.retry_after)
        return response

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, error: RequestValidationError) -> JSONResponse:
        details = []
        for problem in error.errors():
            if problem.get("type") == "json_invalid":
                return error_response(400, "malformed_json", "The request body is not valid JSON")
            details.append(
                {"field": _field(tuple(problem.get("loc", ()))), "problem": problem.get("msg", "")}
            )
        summary = "; ".join(f"{item['field']}: {item['problem']}" for item in details[:5])
        body = ErrorBody(
            error="invalid_request", message=f"Invalid request — {summary}", details=details
        )
        return JSONResponse(status_code=422, content=body.model_dump(mode="json"))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> JSONResponse:
        return error_response(error.status_code, f"http_{error.status_code}", str(error.detail))


ASGIApp = Callable[[MutableMapping[str, Any], Any, Any], Awaitable[None]]


class BodySizeLimit:
    """Refuse request bodies over a limit with 413 before the endpoint reads them."""

    def __init__(
        self,
        app: ASGIApp,
        default_limit: int,
        large_limit: int,
        large_prefix: str | tuple[str, ...],
    ):
        self.app = app
        self.default_limit, self.large_limit, self.large_prefix = (
            default_limit,
            large_limit,
            large_prefix,
        )

    async def __call__(self, scope: MutableMapping[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope.get("path", "")
        limit = self.large_limit if path.startswith(self.large_prefix) else self.default_limit
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await self._refuse(send, limit)
            return
        received = 0
        too_large = False

        async def counting_receive() -> Any:
            nonlocal received, too_large
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    too_large = True
                    raise _TooLarge()
            return message

        async def guarded_send(message: MutableMapping[str, Any]) -> None:
            # The endpoint may turn our exception into its own error answer; a body
            # over the limit is always answered 413, whatever it says.
            if not too_large:
                await send(message)
            elif message["type"] == "http.response.start":
                await self._refuse(send, limit)

        try:
            await self.app(scope, counting_receive, guarded_send)
        except _TooLarge:
            await self._refuse(send, limit)

    @staticmethod
    async def _refuse(send: Any, limit: int) -> None:
        response = error_response(
            413, "body_too_large", f"The request body is larger than {limit // 1_000_000} MB"
        )
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [(b"content-type", b"application/json")],
            }
        )
        await send({"type": "http.response.body", "body": response.body})


class _TooLarge(Exception):
    pass
