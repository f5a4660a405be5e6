"""Security headers on every answer: a content security policy the three apps run under,
HSTS and Secure cookies over HTTPS, and no referrer (invite links carry their code).

The policy is strict about origins (only this one) and lenient inside it, because of what
the apps are made of, checked in Chromium (tests/browser/test_https.py):
- Flutter's CanvasKit and Pyodide compile WebAssembly ('wasm-unsafe-eval'); Pyodide also
  builds functions from strings at start ('unsafe-eval');
- Flet's index.html and flutter_bootstrap, and the API docs page (Swagger UI, served from
  this origin: routes/api_docs.py), carry inline scripts and styles ('unsafe-inline');
- the offline app runs Python in a worker and CanvasKit makes blob: URLs (worker-src blob:);
- images and fonts come as data: and blob: URLs drawn by Flutter;
- Flet apps talk over a same-origin WebSocket ('self' covers ws/wss of this origin).
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self' 'unsafe-inline' 'unsafe-eval' 'wasm-unsafe-eval' blob:",
        "worker-src 'self' blob:",
        "child-src 'self' blob:",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data: blob:",
        "media-src 'self' data: blob:",
        "connect-src 'self' data: blob:",
        "manifest-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'self'",
    )
)

HSTS = "max-age=31536000"  # a year; no includeSubDomains: the district's other hosts are theirs

BASE_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "SAMEORIGIN",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}


class SecurityHeaders:
    """Adds the headers to every HTTP answer that does not set its own.

    ``https`` says browsers reach the server over HTTPS even when this process speaks
    plain HTTP (a reverse proxy in front); a request that arrived over TLS counts too.
    """

    def __init__(self, app: ASGIApp, *, https: bool = False) -> None:
        self.app = app
        self.https = https

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        secure = self.https or scope.get("scheme") == "https"

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in BASE_HEADERS.items():
                    headers.setdefault(name, value)
                headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                if secure:
                    headers.setdefault("Strict-Transport-Security", HSTS)
                    _secure_cookies(headers)
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _secure_cookies(headers: MutableHeaders) -> None:
    """Mark every cookie Secure: over HTTPS none may ever travel in clear."""
    cookies = headers.getlist("set-cookie")
    if not cookies:
        return
    del headers["set-cookie"]
    for cookie in cookies:
        if "secure" not in {part.strip().lower() for part in cookie.split(";")}:
            cookie += "; Secure"
        headers.append("set-cookie", cookie)
