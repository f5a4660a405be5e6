"""Serve the built web app at ``/``: only the files ``bundle.json`` lists, with the headers
an offline PWA needs.

- Names carrying a content hash (``main.dart.<hash>.js``, ``pyodide.<hash>/…``) never
  change: ``immutable``, kept for a year.
- Everything else (``index.html``, ``sw.js``, the manifest, …) is ``no-cache`` with an
  ETag, so a new deploy is seen at once and an unchanged file costs a 304.
- The ``.br`` (or ``.gz``) copy the build wrote is sent when the browser accepts brotli
  (or gzip).
- A rebuild (a new ``bundle.json``) is picked up without restarting the server.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.responses import FileResponse, Response
from starlette.types import Receive, Scope, Send

from .build import BUNDLE_MANIFEST
from .precache import COPIES

_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".wasm": "application/wasm",
    ".json": "application/json",
    ".png": "image/png",
    ".otf": "font/otf",
    ".ttf": "font/ttf",
    ".whl": "application/zip",
    ".zip": "application/zip",
    ".gz": "application/gzip",
    ".tar": "application/x-tar",
    ".bin": "application/octet-stream",
    ".frag": "text/plain; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
}
_HASHED = re.compile(r"(^|/)[^/]*\.[0-9a-f]{12}(\.|/)")
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"


def media_type(path: str) -> str:
    if path.endswith(".tar.gz"):
        return "application/gzip"
    suffix = Path(path).suffix
    if path.startswith("assets/NOTICES"):
        return "text/plain; charset=utf-8"
    return _TYPES.get(suffix, "application/octet-stream")


class WebBundle:
    """An ASGI app over a built bundle folder (see ``sync_server.pwa.build``)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._manifest: dict[str, Any] = {}
        self._manifest_mtime: float | None = None

    @property
    def built(self) -> bool:
        return bool(self._files())

    def _files(self) -> dict[str, str]:
        path = self.folder / BUNDLE_MANIFEST
        try:
            mtime = path.stat().st_mtime
        except OSError:
            return {}
        if mtime != self._manifest_mtime:
            try:
                self._manifest = json.loads(path.read_text())
            except (OSError, ValueError):
                return {}
            self._manifest_mtime = mtime
        files = self._manifest.get("files", {})
        return files if isinstance(files, dict) else {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        assert scope["type"] == "http"
        response = self.respond(scope)
        await response(scope, receive, send)

    def respond(self, scope: Scope) -> Response:
        # Raised, not answered: the server's error handlers word every 404 and 405 alike
        # (JSON), whether for /api/… or for a file.
        if scope["method"] not in ("GET", "HEAD"):
            raise HTTPException(405, "Method not allowed")
        relative = scope["path"].lstrip("/") or "index.html"
        files = self._files()
        content_hash = files.get(relative)
        if content_hash is None:
            raise HTTPException(404, f"Not found: /{relative}")
        request_headers = Headers(scope=scope)
        etag = f'"{content_hash}"'
        cache = IMMUTABLE if _HASHED.search(relative) else REVALIDATE
        headers = {"Cache-Control": cache, "ETag": etag, "Vary": "Accept-Encoding"}
        if etag in request_headers.get("if-none-match", ""):
            return Response(status_code=304, headers=headers)
        path = self.folder / relative
        accepted = request_headers.get("accept-encoding", "")
        for encoding, suffix in COPIES.items():
            copy = path.with_name(path.name + suffix)
            if encoding in accepted and copy.is_file():
                headers["Content-Encoding"] = encoding
                path = copy
                break
        return FileResponse(path, media_type=media_type(relative), headers=headers)
