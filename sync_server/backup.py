"""Backups of the server database while it runs, restoring one while it does not, and the
lock that tells the two situations apart.

`phonebank serve` holds an exclusive ``flock`` on ``<db>.serve.lock`` for as long as it
runs; the kernel drops it when the process ends, even on ``kill -9``, so a stale lock
file never blocks a restore. ``restore`` takes the same lock first and refuses without it.
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from app.core.errors import PhonebankError

from .db import MIGRATIONS


class ServerRunning(PhonebankError):
    """A server is running on this database: stop it first"""


class NotABackup(PhonebankError):
    """That file is not a Phonebank database"""


def lock_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".serve.lock")


@contextmanager
def server_lock(db_path: Path) -> Iterator[None]:
    """Hold the database's server lock, or raise :class:`ServerRunning` naming the holder."""
    path = lock_path(db_path)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode(errors="replace").strip() or "unknown"
            raise ServerRunning(
                f"A Phonebank server (process {holder}) is running on {db_path}: stop it first "
                "(e.g. `systemctl stop phonebank`)"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def backup(db_path: Path, target: Path) -> int:
    """A consistent copy of the live database in ``target`` (SQLite's online backup: the
    server keeps writing meanwhile); returns its schema version. Written aside, then
    renamed, so ``target`` is never half a backup."""
    if not db_path.is_file():
        raise PhonebankError(f"There is no database at {db_path}")
    if target.resolve() == db_path.resolve():
        raise PhonebankError("The backup cannot be the database itself")
    if not target.parent.is_dir():
        raise PhonebankError(f"Cannot write {target}: the folder {target.parent} does not exist")
    if not os.access(target.parent, os.W_OK):
        raise PhonebankError(f"Cannot write {target}: the folder {target.parent} is not writable")
    partial = target.with_name(f".{target.name}.partial")
    partial.unlink(missing_ok=True)
    try:
        source = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=30)
        try:
            with sqlite3.connect(partial) as copy:
                source.backup(copy, pages=1024)
                # A backup is one file: no -wal beside it to forget when it is moved.
                copy.execute("PRAGMA journal_mode=DELETE")
            copy.close()
        finally:
            source.close()
        version = check_backup(partial)
        partial.replace(target)
    except OSError as error:
        partial.unlink(missing_ok=True)
        raise PhonebankError(f"Cannot write {target}: {error.strerror or error}") from error
    except sqlite3.Error as error:
        partial.unlink(missing_ok=True)
        raise PhonebankError(f"The backup failed: {error}") from error
    return version


def check_backup(path: Path) -> int:
    """The schema version of the Phonebank database in ``path``, after an integrity check."""
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
            ok = conn.execute("PRAGMA quick_check").fetchone()[0]
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
            version = (
                conn.execute("SELECT max(version) FROM schema_version").fetchone()[0]
                if "schema_version" in tables
                else None
            )
        conn.close()
    except sqlite3.DatabaseError as error:
        raise NotABackup(f"{path} is not a Phonebank database: {error}") from error
    if ok != "ok":
        raise NotABackup(f"{path} is damaged: {ok}")
    if not version or "events" not in tables:
        raise NotABackup(f"{path} is not a Phonebank database (no schema version or events)")
    if int(version) > len(MIGRATIONS):
        raise NotABackup(
            f"{path} was made by a newer Phonebank (schema {version}, this one knows "
            f"{len(MIGRATIONS)}): install that version to restore it"
        )
    return int(version)


def restore(source: Path, db_path: Path) -> int:
    """Put the backup ``source`` in place of the database; refuses while a server runs on
    it. The database being replaced is kept beside it as ``<db>.before-restore``."""
    if not source.is_file():
        raise PhonebankError(f"There is no backup file at {source}")
    version = check_backup(source)
    with server_lock(db_path):
        partial = db_path.with_name(f".{db_path.name}.restoring")
        try:
            with (
                sqlite3.connect(f"file:{source}?mode=ro", uri=True) as src,
                sqlite3.connect(partial) as copy,
            ):
                src.backup(copy)
            src.close()
            copy.close()
            if db_path.exists():
                _keep_previous(db_path)
            partial.replace(db_path)
        except OSError as error:
            partial.unlink(missing_ok=True)
            raise PhonebankError(
                f"Cannot restore into {db_path}: {error.strerror or error}"
            ) from error
        # The old database's journal must not be replayed onto the restored file.
        for suffix in ("-wal", "-shm"):
            Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    return version


def _keep_previous(db_path: Path) -> None:
    """Fold the current database's WAL into one file and keep it as ``.before-restore``."""
    kept = db_path.with_name(db_path.name + ".before-restore")
    with sqlite3.connect(db_path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    db_path.replace(kept)


def describe(path: Path) -> str:
    """A one-line summary of a backup: schema version and counts a person can check."""
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
        events = conn.execute("SELECT count(*) FROM events").fetchone()[0]
        households = conn.execute("SELECT count(*) FROM households").fetchone()[0]
        version = conn.execute("SELECT max(version) FROM schema_version").fetchone()[0]
    conn.close()
    return f"schema {version}, {households} households, {events} events"
