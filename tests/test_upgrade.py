"""The README's upgrade procedure — stop, back up, install, start — on a database an older
release made (tests/fixtures/schema2-demo.sqlite, from main at 2684da1: the demo and a
device's synced outcomes and note): the new server starts on it, migrates it, and nothing
is lost."""

from __future__ import annotations

import json
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from app.core.models import Household
from sync_server.db import MIGRATIONS
from sync_server.records import household_from_row
from tests.support.server import ServerProcess, phonebank

FIXTURE = Path(__file__).parent / "fixtures" / "schema2-demo.sqlite"


def table_rows(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table the old release had, in a stable order."""
    with sqlite3.connect(path) as conn:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        rows = {
            t: sorted(conn.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr) for t in tables
        }
    conn.close()
    return rows


Stored = tuple[Household, str, int, str, str]


def households(path: Path, read: Callable[[dict[str, Any]], Household]) -> list[Stored]:
    """Each household as ``read`` from its row, with its key, version and times."""
    with sqlite3.connect(path) as conn:
        conn.row_factory = sqlite3.Row
        rows = [dict(row) for row in conn.execute("SELECT * FROM households ORDER BY id")]
    conn.close()
    times = ("dedupe_key", "version", "created_at", "updated_at")
    return [(read(row), *(row[key] for key in times)) for row in rows]


def household_in_columns(row: dict[str, Any]) -> Household:
    """A household of schema 2, one column a field, as that release read it."""
    lists = {key: json.loads(row[key]) for key in ("phones", "members", "tags")}
    flags = {key: bool(row[key]) for key in ("do_not_call", "text_opt_out")}
    plain = ("id", "name", "language", "school", "timezone", "address", "external_id")
    return Household(**{key: row[key] for key in plain}, **lists, **flags)


def test_a_database_from_the_previous_release_upgrades_with_nothing_lost(tmp_path: Path) -> None:
    db_path = tmp_path / "data" / "phonebank.sqlite"
    db_path.parent.mkdir()
    shutil.copy(FIXTURE, db_path)
    before = table_rows(db_path)
    assert len(before["events"]) == 5 and len(before["households"]) > 100  # the fixture's work

    # The procedure: (stop,) back up, install (this code), start.
    backed_up = phonebank("backup", str(tmp_path / "before-upgrade.sqlite"), "--db", str(db_path))
    assert backed_up.returncode == 0, backed_up.stderr
    with ServerProcess(db_path) as server:
        health = httpx.get(f"{server.url}/api/health").json()
    assert health["status"] == "ok"
    assert health["schema_version"] == len(MIGRATIONS)

    after = table_rows(db_path)
    for table, rows in before.items():
        if table in ("meta", "schema_version"):
            assert set(rows) <= set(after[table])  # kept; a new version may add its own
        elif table.startswith("progress_"):
            continue  # the dashboard's projection, rebuilt from the rows above at will
        elif table == "households":  # migration 3 stores each as the model's JSON
            assert households(db_path, household_from_row) == households(
                FIXTURE, household_in_columns
            )
        else:  # a migration may add columns: they come after the old ones
            kept = [row[: len(rows[0])] for row in after[table]] if rows else after[table]
            assert kept == rows, f"{table} changed in the upgrade"

    exported = phonebank("export", "--campaign", "tech-check", "-", "--db", str(db_path))
    assert exported.returncode == 0, exported.stderr
    assert "no_answer" in exported.stdout
