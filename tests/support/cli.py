"""The ``phonebank`` command run in-process, and what it left in the database."""

from __future__ import annotations

from pathlib import Path

import pytest

from sync_server.cli import main
from sync_server.db import Store


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """``phonebank *argv``: the exit code, and what it printed to stdout and stderr."""
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def count(db: Path, table: str) -> int:
    store = Store(db)
    try:
        with store.reading() as conn:
            return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
    finally:
        store.close()
