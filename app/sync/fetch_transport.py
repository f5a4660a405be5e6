"""An httpx transport for the browser: requests go through ``fetch`` via Pyodide.

Useful only under Pyodide; ``pyodide`` is imported when a request is sent, so importing
this module anywhere is safe.
"""

from __future__ import annotations

import asyncio

import httpx

# fetch sets these itself and refuses or ignores them from a script.
_FORBIDDEN_REQUEST_HEADERS = frozenset(
    {"host", "content-length", "connection", "accept-encoding", "transfer-encoding"}
)
# fetch hands over the body already decoded: these would make httpx decode it again.
_DROPPED_RESPONSE_HEADERS = frozenset({"content-encoding", "content-length", "transfer-encoding"})


class FetchTransport(httpx.AsyncBaseTransport):
    def __init__(self, timeout: float = 30.0) -> None:
        self.timeout = timeout

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        from pyodide.http import pyfetch

        body = await request.aread()
        headers = {
            name: value
            for name, value in request.headers.items()
            if name.lower() not in _FORBIDDEN_REQUEST_HEADERS
        }

        async def fetch() -> tuple[int, list[tuple[str, str]], bytes]:
            response = await pyfetch(
                str(request.url),
                method=request.method,
                headers=headers,
                body=body or None,
                cache="no-store",
            )
            return response.status, list(response.headers.items()), await response.bytes()

        try:
            status, response_headers, content = await asyncio.wait_for(fetch(), self.timeout)
        except TimeoutError as error:
            raise httpx.ReadTimeout("No answer from the server in time", request=request) from error
        except Exception as error:  # offline: "TypeError: Failed to fetch" / AbortError
            raise httpx.ConnectError(str(error), request=request) from error
        kept = [(k, v) for k, v in response_headers if k.lower() not in _DROPPED_RESPONSE_HEADERS]
        return httpx.Response(status, headers=kept, content=content, request=request)
