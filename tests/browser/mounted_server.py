"""The sync server with the caller app mounted under /app, as `phonebank serve` would run it.

``python -m tests.browser.mounted_server DB_PATH PORT DATA_DIR``
"""

from __future__ import annotations

import sys
from pathlib import Path


def main() -> None:
    import uvicorn

    from app.ui.web import caller_asgi_app
    from sync_server.app import create_app

    db_path, port, data_dir = sys.argv[1], int(sys.argv[2]), Path(sys.argv[3])
    server = create_app(db_path)
    server.mount("/app", caller_asgi_app(f"http://127.0.0.1:{port}", data_dir))
    uvicorn.run(server, host="127.0.0.1", port=port, log_level="warning")


if __name__ == "__main__":
    main()
