"""The server database: WAL, foreign keys, a schema version, forward-only migrations."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlite_utils

from sync_server import db as server_db


def test_a_new_database_is_migrated_to_the_latest_version(tmp_path: Path) -> None:
    database = server_db.connect(tmp_path / "new.sqlite")
    assert server_db.schema_version(database) == len(server_db.MIGRATIONS)
    assert database.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert database.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_reopening_runs_no_migration_twice(tmp_path: Path) -> None:
    path = tmp_path / "again.sqlite"
    server_db.connect(path).close()
    database = server_db.connect(path)
    versions = [row[0] for row in database.execute("SELECT version FROM schema_version")]
    assert versions == list(range(1, len(server_db.MIGRATIONS) + 1))


def test_a_new_migration_runs_forward_on_an_existing_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "old.sqlite"
    server_db.connect(path).execute("INSERT INTO meta VALUES ('kept', 'yes')")

    def add_column(database: sqlite_utils.Database) -> None:
        database.execute("ALTER TABLE meta ADD COLUMN note TEXT DEFAULT 'new'")

    monkeypatch.setattr(server_db, "MIGRATIONS", [*server_db.MIGRATIONS, add_column])
    database = server_db.connect(path)
    assert server_db.schema_version(database) == len(server_db.MIGRATIONS)
    assert list(database.query("SELECT * FROM meta")) == [
        {"key": "kept", "value": "yes", "note": "new"}
    ]


def test_a_failing_migration_leaves_the_database_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "safe.sqlite"
    server_db.connect(path).close()

    def broken(database: sqlite_utils.Database) -> None:
        database.execute("CREATE TABLE half_done (id INTEGER)")
        raise RuntimeError("migration bug")

    monkeypatch.setattr(server_db, "MIGRATIONS", [*server_db.MIGRATIONS, broken])
    with pytest.raises(RuntimeError, match="migration bug"):
        server_db.connect(path)
    database = sqlite_utils.Database(path)
    assert "half_done" not in database.table_names()
    assert server_db.schema_version(database) == len(server_db.MIGRATIONS) - 1


def test_foreign_keys_are_enforced(tmp_path: Path) -> None:
    database = server_db.connect(tmp_path / "fk.sqlite")
    with pytest.raises(Exception, match="FOREIGN KEY"):
        database.execute(
            "INSERT INTO devices (id, caller_id, token_hash, created_at)"
            " VALUES ('d', 'nobody', 'h', 'now')"
        )
