"""A plain static server for the bundle, on loopback: python -m pwa.serve build/web [port].

http.server with the MIME types a module worker and WebAssembly streaming need.
"""

from __future__ import annotations

import functools
import http.server
import sys
from typing import ClassVar


class Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map: ClassVar[dict[str, str]] = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".js": "text/javascript",
        ".mjs": "text/javascript",
        ".wasm": "application/wasm",
        ".json": "application/json",
        ".whl": "application/octet-stream",
        ".gz": "application/gzip",
    }

    def log_message(self, format: str, *args: object) -> None:
        if "-q" not in sys.argv:
            super().log_message(format, *args)


def main() -> None:
    args = [a for a in sys.argv[1:] if a != "-q"]
    directory = args[0] if args else "build/web"
    port = int(args[1]) if len(args) > 1 else 8600
    handler = functools.partial(Handler, directory=directory)
    with http.server.ThreadingHTTPServer(("127.0.0.1", port), handler) as server:
        print(f"serving {directory} on http://127.0.0.1:{port}/", flush=True)
        server.serve_forever()


if __name__ == "__main__":
    main()
