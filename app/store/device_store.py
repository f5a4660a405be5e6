"""The device's SQLite file: the caller's cached data, the outbox and the device identity.

Every user action is one transaction that changes the cache and appends its event to the
outbox; every pull page is one transaction that applies its changes and stores its cursor.
"""

from __future__ import annotations

import logging
import sqlite3
import sys
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from uuid import UUID

import sqlite_utils

from app.core.announcements import Announcement
from app.core.clock import Clock, utcnow
from app.core.errors import NotAssigned, NotFound
from app.core.event_ids import uuid7
from app.core.events import (
    AnnouncementRead,
    Event,
    EventPayload,
    FollowUpClosed,
    FollowUpScheduled,
    LanguageCorrected,
    NoteAdded,
    OptOutChannel,
    OptOutRecorded,
    PhoneCorrected,
)
from app.core.household_state import HouseholdState
from app.core.models import (
    Caller,
    Campaign,
    Disposition,
    FollowUp,
    FollowUpKind,
    Household,
    LanguageCode,
    OutcomeSummary,
    Script,
)
from app.core.outcome_draft import OutcomeDraft
from app.core.protocol import JoinResponse, PullResponse

from ._effects import apply_event
from ._paths import default_database_path
from ._pull import apply_change, drop_cache
from ._queries import (
    CallerStats,
    ListedHousehold,
    Note,
    ParkedEvent,
    campaigns_by_id,
    households_for_list,
    note_from_row,
    parked_from_row,
    payload_adapter,
    stats,
)
from ._rows import event_from_row, follow_up_from_row, household_from_row, iso, outbox_row
from ._rows import outcome_from_row as _outcome_from_row
from ._schema import migrate

log = logging.getLogger(__name__)

CommitHook = Callable[[], None]


@dataclass(frozen=True)
class Identity:
    """Who this device is to the server, saved at join."""

    server_url: str
    device_id: str
    token: str
    caller: Caller
    rejoin_needed: bool = False


class DeviceStore:
    """The caller's data on this device. Not thread-safe: use it from one event loop."""

    def __init__(
        self,
        db: sqlite_utils.Database,
        *,
        clock: Clock = utcnow,
        after_commit: CommitHook | None = None,
    ) -> None:
        self.db = db
        self.clock = clock
        self.path: Path | None = None
        """The database file (set by :meth:`open`): what :meth:`erase` deletes."""
        self._hooks: list[CommitHook] = [after_commit] if after_commit else []
        migrate(db)

    @classmethod
    def open(
        cls,
        path: str | Path | None = None,
        *,
        clock: Clock = utcnow,
        after_commit: CommitHook | None = None,
    ) -> DeviceStore:
        """Open (creating and migrating if needed) the device database at ``path``.

        The default path is the platform's app data folder.
        """
        path = Path(path) if path is not None else default_database_path()
        store = cls(_connect(path), clock=clock, after_commit=after_commit)
        store.path = path
        return store

    def close(self) -> None:
        self.db.close()

    def erase(self) -> None:
        """Erase this device: every household, script, note, follow-up and outbox event,
        the identity and the database file itself (with its journal). An empty database
        takes its place, ready for a join; the after-commit hooks run, which in the browser
        writes the deletion through to IndexedDB (app/ui/pyodide_app.py)."""
        if self.path is None:  # a database handed in (tests): nothing on disk to delete
            for (table,) in self.db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            ).fetchall():
                self.db.execute(f"DROP TABLE [{table}]")
            self.db.execute("PRAGMA user_version = 0")
            self.db.execute("VACUUM")
        else:
            self.db.close()
            for suffix in ("", "-journal", "-wal", "-shm"):
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)
            self.db = _connect(self.path)
        migrate(self.db)
        self._after_commit()

    # -- commits ---------------------------------------------------------------------------

    def add_after_commit(self, hook: CommitHook) -> Callable[[], None]:
        """Call ``hook`` after every committed write; returns a function that removes it."""
        self._hooks.append(hook)
        return lambda: self._hooks.remove(hook) if hook in self._hooks else None

    @contextmanager
    def _write(self) -> Iterator[sqlite_utils.Database]:
        outermost = not self.db.conn.in_transaction
        with self.db.atomic():
            yield self.db
        if outermost:
            self._after_commit()

    def _after_commit(self) -> None:
        for hook in list(self._hooks):
            try:
                hook()
            except Exception:  # the write is committed; a hook must not undo that
                log.exception("after_commit hook %r failed", hook)

    # -- identity --------------------------------------------------------------------------

    def _meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
        return None if row is None else row[0]

    def _set_meta(self, **values: str | None) -> None:
        for key, value in values.items():
            self.db.execute(
                "INSERT INTO meta (key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [key, value],
            )

    @property
    def identity(self) -> Identity | None:
        server_url, device_id, token, caller = (
            self._meta(key) for key in ("server_url", "device_id", "token", "caller")
        )
        if not (server_url and device_id and token and caller):
            return None
        return Identity(
            server_url=server_url,
            device_id=device_id,
            token=token,
            caller=Caller.model_validate_json(caller),
            rejoin_needed=self._meta("rejoin_needed") == "1",
        )

    @property
    def caller_id(self) -> str | None:
        identity = self.identity
        return identity.caller.id if identity else None

    @property
    def cursor(self) -> str | None:
        return self._meta("cursor")

    def save_identity(self, server_url: str, joined: JoinResponse) -> int:
        """Become the device the server just created; returns how many events were renumbered.

        The events the server has not acknowledged move to the new device as seq 1..n, in
        the order they were recorded; their event ids stay, which keeps them idempotent on
        the server. A different caller joining starts from an empty cache, and the earlier
        caller's unsent events are parked rather than sent in the new caller's name.
        """
        previous = self.identity
        with self._write():
            if previous is not None and previous.caller.id != joined.caller.id:
                self.db.execute(
                    "UPDATE outbox SET state = 'parked', seq = NULL, parked_reason = ? "
                    "WHERE state = 'pending'",
                    [f"Recorded by {previous.caller.name} before this device changed hands"],
                )
                drop_cache(self.db)  # not one of the new caller's households
            self.db.execute(
                "UPDATE outbox SET device_id = ?, seq = NULL WHERE state != 'acked'",
                [joined.device_id],
            )
            # The cache stays until the new device's first pull replaces it.
            renumbered = self._renumber_pending(joined.device_id, 1)
            self._set_meta(
                server_url=server_url.rstrip("/"),
                device_id=joined.device_id,
                token=joined.token,
                caller=joined.caller.model_dump_json(),
                cursor=None,
                seq_floor="0",
                rejoin_needed="0",
                last_synced_at=iso(self.clock()),
            )
        return renumbered

    @property
    def last_synced_at(self) -> datetime | None:
        """When this device last synced with the server (or joined); None before either
        (a device joined before this was kept: it never hides its families)."""
        value = self._meta("last_synced_at")
        return datetime.fromisoformat(value) if value else None

    def mark_synced(self, at: datetime) -> None:
        with self._write():
            self._set_meta(last_synced_at=iso(at))

    def unsent(self) -> tuple[int, int]:
        """(events the server never acknowledged — pending or parked, the highest seq this
        device gave an event): what erasing now would lose."""
        count = self.db.execute("SELECT count(*) FROM outbox WHERE state != 'acked'").fetchone()
        highest = self.db.execute("SELECT coalesce(max(seq), 0) FROM outbox").fetchone()
        return int(count[0]), max(int(highest[0]), self.acked_floor())

    def mark_rejoin_needed(self) -> None:
        """The server no longer knows this device's token (401): keep everything, ask."""
        with self._write():
            self._set_meta(rejoin_needed="1")

    # -- recording -------------------------------------------------------------------------

    def record_outcome(
        self,
        draft: OutcomeDraft,
        disposition: Disposition,
        *,
        closes_follow_ups: Sequence[str] = (),
        closing_note: str = "",
    ) -> Event:
        """One call or text attempt; with ``callback_at`` it also schedules the callback.

        ``disposition`` is what the draft's code means in its campaign (the caller's session
        looked it up); the event carries its effects. ``closes_follow_ups`` are callbacks
        this attempt answered: they close in the same transaction, so a crash never leaves
        the outcome without its closings.
        """
        with self._write():
            event = self._record(draft.event(disposition))
            for follow_up_id in closes_follow_ups:
                self.close_follow_up(follow_up_id, closing_note)
        return event

    def schedule_callback(
        self,
        campaign_id: str,
        household_id: str,
        due_at: datetime | None,
        *,
        detail: str = "",
        kind: FollowUpKind = "callback",
    ) -> Event:
        return self._record(
            FollowUpScheduled(
                campaign_id=campaign_id,
                household_id=household_id,
                follow_up_id=str(uuid.uuid4()),
                follow_up_kind=kind,
                due_at=due_at,
                detail=detail,
            )
        )

    def add_note(self, campaign_id: str, household_id: str, text: str) -> Event:
        note = NoteAdded(campaign_id=campaign_id, household_id=household_id, text=text)
        return self._record(note)

    def correct_phone(
        self,
        campaign_id: str,
        household_id: str,
        *,
        old_number: str | None = None,
        new_number: str | None = None,
        bad: bool = False,
    ) -> Event:
        """Replace a mistyped number, add one, or mark ``old_number`` wrong (``bad=True``)."""
        if not new_number and not (old_number and bad):
            raise ValueError("Give a new number, or an old number to mark bad")
        return self._record(
            PhoneCorrected(
                campaign_id=campaign_id,
                household_id=household_id,
                old_number=old_number,
                new_number=new_number,
                bad=bad,
            )
        )

    def correct_language(
        self, campaign_id: str, household_id: str, language: LanguageCode
    ) -> Event:
        return self._record(
            LanguageCorrected(campaign_id=campaign_id, household_id=household_id, language=language)
        )

    def record_opt_out(self, campaign_id: str, household_id: str, channel: OptOutChannel) -> Event:
        """The family asked not to be called (``call``) or texted (``text``): the cached
        household is locked for that channel in the same transaction."""
        return self._record(
            OptOutRecorded(campaign_id=campaign_id, household_id=household_id, channel=channel)
        )

    def close_follow_up(self, follow_up_id: str, resolution: str = "") -> Event:
        follow_up = self.follow_up(follow_up_id)
        if follow_up is None:
            raise NotFound(f"No follow-up {follow_up_id!r} on this device")
        return self._record(
            FollowUpClosed(
                campaign_id=follow_up.campaign_id,
                household_id=follow_up.household_id,
                follow_up_id=follow_up_id,
                resolution=resolution,
            )
        )

    def mark_announcement_read(self, announcement_id: str) -> Event:
        """The caller read an announcement: it leaves the unread list at once, and the
        server stops sending it once the event syncs."""
        announcement = next(
            (a for a in self.announcements(unread_only=False) if a.id == announcement_id), None
        )
        if announcement is None:
            raise NotFound(f"No announcement {announcement_id!r} on this device")
        return self._record(
            AnnouncementRead(campaign_id=announcement.campaign_id, announcement_id=announcement_id)
        )

    def _record(self, payload: EventPayload) -> Event:
        with self._write():
            if payload.household_id and self.household(payload.household_id) is None:
                raise NotAssigned()
            identity = self.identity
            device_id = identity.device_id if identity else None
            event = Event(
                event_id=uuid7(),
                seq=self._next_seq(device_id),
                recorded_at=self.clock(),
                payload=payload,
            )
            position = self.db.execute(
                "SELECT coalesce(max(position), 0) + 1 FROM outbox"
            ).fetchone()[0]
            self.db.table("outbox").insert(outbox_row(event, device_id, position))
            caller_id = identity.caller.id if identity else ""
            apply_event(self.db, event.event_id, event.recorded_at, payload, caller_id)
        return event

    def _next_seq(self, device_id: str | None) -> int:
        # The floor keeps a seq the server already holds from being reused, even if the
        # local rows that carried it were lost.
        row = self.db.execute(
            "SELECT max(seq) FROM outbox WHERE device_id IS ?", [device_id]
        ).fetchone()
        return max(row[0] or 0, int(self._meta("seq_floor") or 0)) + 1

    # -- outbox ----------------------------------------------------------------------------

    def pending_events(self, limit: int = 200) -> list[Event]:
        """The oldest events the server has not acknowledged, in seq order."""
        identity = self.identity
        return [
            event_from_row(row)
            for row in self.db.query(
                """SELECT * FROM outbox WHERE state = 'pending' AND device_id IS ?
                   ORDER BY seq LIMIT ?""",
                [identity.device_id if identity else None, limit],
            )
        ]

    def pending_count(self) -> int:
        return int(
            self.db.execute("SELECT count(*) FROM outbox WHERE state = 'pending'").fetchone()[0]
        )

    def parked_count(self) -> int:
        return int(
            self.db.execute("SELECT count(*) FROM outbox WHERE state = 'parked'").fetchone()[0]
        )

    def acked_floor(self) -> int:
        """The highest seq the server has acknowledged to this device."""
        return int(self._meta("seq_floor") or 0)

    def mark_acked(self, last_acked_seq: int) -> int:
        """The server holds every seq up to ``last_acked_seq``; returns how many were marked."""
        identity = self._require_identity()
        with self._write():
            marked = self.db.execute(
                """UPDATE outbox SET state = 'acked', acked_at = ?
                   WHERE state = 'pending' AND device_id = ? AND seq <= ?""",
                [iso(self.clock()), identity.device_id, last_acked_seq],
            ).rowcount
            floor = max(int(self._meta("seq_floor") or 0), last_acked_seq)
            self._set_meta(seq_floor=str(floor))
        return int(marked)

    def resend_after(self, last_acked_seq: int) -> int:
        """The server holds exactly seq 1..``last_acked_seq`` (a 409 said so).

        Everything later is pending again, renumbered to follow on without a gap: after a
        server restore this re-sends what the server lost. Returns the pending count.
        """
        identity = self._require_identity()
        with self._write():
            self.mark_acked(last_acked_seq)
            self.db.execute(
                """UPDATE outbox SET state = 'pending', acked_at = NULL
                   WHERE state = 'acked' AND device_id = ? AND seq > ?""",
                [identity.device_id, last_acked_seq],
            )
            self._renumber_pending(identity.device_id, last_acked_seq + 1)
            return self.pending_count()

    def park(self, event_id: UUID | str, reason: str) -> None:
        """Take a refused event out of the queue so the events after it can go.

        It keeps its event id and waits in the outbox for attention; the pending events
        after it close the gap in seq (the server stored none of them: it refused this one).
        """
        identity = self._require_identity()
        with self._write():
            row = self.db.execute(
                "SELECT seq FROM outbox WHERE event_id = ? AND state = 'pending'", [str(event_id)]
            ).fetchone()
            if row is None:
                raise NotFound(f"No pending event {event_id}")
            self.db.execute(
                "UPDATE outbox SET state = 'parked', seq = NULL, parked_reason = ? "
                "WHERE event_id = ?",
                [reason, str(event_id)],
            )
            self._renumber_pending(identity.device_id, row[0])

    def parked_events(self) -> list[ParkedEvent]:
        return [
            parked_from_row(row)
            for row in self.db.query(
                "SELECT * FROM outbox WHERE state = 'parked' ORDER BY position"
            )
        ]

    def retry_parked(self, event_id: UUID | str) -> Event:
        """Queue a parked event again, after everything else (e.g. once the server is fixed)."""
        identity = self._require_identity()
        with self._write():
            if not self.db.execute(
                "SELECT 1 FROM outbox WHERE event_id = ? AND state = 'parked'", [str(event_id)]
            ).fetchone():
                raise NotFound(f"No parked event {event_id}")
            position = self.db.execute("SELECT max(position) + 1 FROM outbox").fetchone()[0]
            self.db.execute(
                """UPDATE outbox SET state = 'pending', parked_reason = NULL, device_id = ?,
                   seq = ?, position = ? WHERE event_id = ?""",
                [identity.device_id, self._next_seq(identity.device_id), position, str(event_id)],
            )
            row = next(self.db.query("SELECT * FROM outbox WHERE event_id = ?", [str(event_id)]))
        return event_from_row(row)

    def outbox_events(self) -> list[Event]:
        """Every event with a seq (acknowledged or not), in the order they were recorded."""
        return [
            event_from_row(row)
            for row in self.db.query("SELECT * FROM outbox WHERE seq IS NOT NULL ORDER BY position")
        ]

    def _renumber_pending(self, device_id: str, start: int) -> int:
        """Give the device's pending events from seq ``start`` on (or without a seq yet)
        the seqs start, start+1 … in recording order; those below ``start`` stay."""
        chosen = "state = 'pending' AND device_id = ? AND (seq IS NULL OR seq >= ?)"
        ids = [
            row[0]
            for row in self.db.execute(
                f"SELECT event_id FROM outbox WHERE {chosen} ORDER BY position",
                [device_id, start],
            ).fetchall()
        ]
        # Cleared first: UNIQUE (device_id, seq) is checked row by row, and NULLs never clash.
        self.db.execute(f"UPDATE outbox SET seq = NULL WHERE {chosen}", [device_id, start])
        self.db.conn.executemany(
            "UPDATE outbox SET seq = ? WHERE event_id = ?",
            [(start + offset, event_id) for offset, event_id in enumerate(ids)],
        )
        return len(ids)

    def _require_identity(self) -> Identity:
        identity = self.identity
        if identity is None:
            raise NotFound("This device has not joined a phone bank yet")
        return identity

    # -- pull ------------------------------------------------------------------------------

    def apply_pull_page(self, page: PullResponse) -> None:
        """Apply a page and store its cursor, all or nothing.

        A reset page, or the first page a device ever gets, replaces the whole cache.
        Then the events the server has not acknowledged are applied again on top, so the
        caller's unsynced work stays visible.
        """
        with self._write():
            replace_all = page.reset or self.cursor is None
            if replace_all:
                drop_cache(self.db)
            touched = {apply_change(self.db, change) for change in page.changes}
            touched.discard(None)
            self._reapply_pending(None if replace_all else touched)
            self._set_meta(cursor=page.cursor)

    def _reapply_pending(self, households: set[str | None] | None) -> None:
        caller_id = self.caller_id or ""
        rows = self.db.query("SELECT * FROM outbox WHERE state = 'pending' ORDER BY position")
        for row in rows:
            if households is None or row["household_id"] in households:
                apply_event(
                    self.db,
                    UUID(row["event_id"]),
                    datetime.fromisoformat(row["recorded_at"]),
                    payload_adapter.validate_json(row["payload"]),
                    caller_id,
                )

    # -- queries ---------------------------------------------------------------------------

    def households_for_list(
        self, campaign_id: str | None = None, now: datetime | None = None
    ) -> list[ListedHousehold]:
        """Every assigned household (of one campaign, or all), callbacks first, then new,
        retry and done; local outcomes count at once, before they sync."""
        return households_for_list(self.db, campaign_id, now or self.clock())

    def household_state(
        self, campaign_id: str, household_id: str, now: datetime | None = None
    ) -> HouseholdState | None:
        """Where one household sits on the list (as ``households_for_list`` groups it); None
        when it is not assigned to this device in that campaign."""
        listed = households_for_list(self.db, campaign_id, now or self.clock(), household_id)
        return listed[0].state if listed else None

    def languages(self) -> set[str]:
        """Every language a household or a script on this device is in."""
        rows = self.db.query("SELECT language FROM households UNION SELECT language FROM scripts")
        return {row["language"] for row in rows}

    def household(self, household_id: str) -> Household | None:
        rows = list(self.db.query("SELECT body FROM households WHERE id = ?", [household_id]))
        return household_from_row(rows[0]) if rows else None

    def announcements(self, unread_only: bool = True) -> list[Announcement]:
        """The supervisors' announcements held for this caller, newest first; by default
        only those not yet marked read on this device."""
        unread = (
            """AND id NOT IN (SELECT json_extract(payload, '$.announcement_id') FROM outbox
                              WHERE kind = 'announcement_read')"""
            if unread_only
            else ""
        )
        rows = self.db.query(
            f"SELECT body FROM announcements WHERE 1 = 1 {unread} ORDER BY posted_at DESC, id"
        )
        return [Announcement.model_validate_json(row["body"]) for row in rows]

    def campaigns(self) -> list[Campaign]:
        return sorted(campaigns_by_id(self.db).values(), key=lambda c: c.name.casefold())

    def campaign(self, campaign_id: str) -> Campaign | None:
        rows = list(self.db.query("SELECT body FROM campaigns WHERE id = ?", [campaign_id]))
        return Campaign.model_validate_json(rows[0]["body"]) if rows else None

    def scripts_for(self, campaign_id: str) -> list[Script]:
        return [
            Script.model_validate_json(row["body"])
            for row in self.db.query(
                "SELECT body FROM scripts WHERE campaign_id = ? ORDER BY language", [campaign_id]
            )
        ]

    def follow_ups(self, open_only: bool = True) -> list[FollowUp]:
        """Follow-ups, soonest due first (those without a time last)."""
        where = "WHERE status = 'open'" if open_only else ""
        return [
            follow_up_from_row(row)
            for row in self.db.query(
                f"SELECT body FROM follow_ups {where} ORDER BY due_at IS NULL, due_at, id"
            )
        ]

    def follow_up(self, follow_up_id: str) -> FollowUp | None:
        rows = list(self.db.query("SELECT body FROM follow_ups WHERE id = ?", [follow_up_id]))
        return follow_up_from_row(rows[0]) if rows else None

    def outcomes_for(self, household_id: str) -> list[OutcomeSummary]:
        """The household's past attempts, newest first."""
        return [
            _outcome_from_row(row)
            for row in self.db.query(
                "SELECT * FROM outcomes WHERE household_id = ? "
                "ORDER BY recorded_at DESC, rowid DESC",
                [household_id],
            )
        ]

    def notes_for(self, household_id: str) -> list[Note]:
        """Notes this device added about the household, newest first."""
        return [
            note_from_row(row)
            for row in self.db.query(
                "SELECT * FROM outbox WHERE household_id = ? AND kind = 'note_added' "
                "ORDER BY position DESC",
                [household_id],
            )
        ]

    def stats(self, now: datetime | None = None) -> CallerStats:
        """Calls, conversations and completions today and this week (weeks start Monday),
        in the time zone of ``now``."""
        return stats(self.db, self.caller_id, now or self.clock())


def _connect(path: Path) -> sqlite_utils.Database:
    """The database file at ``path``, made if missing. In the browser the file sits on
    IDBFS, which cannot hold a WAL, so it uses a rollback journal there."""
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(str(path), isolation_level=None, timeout=30)
    db = sqlite_utils.Database(conn)
    journal = "DELETE" if sys.platform == "emscripten" else "WAL"
    db.execute(f"PRAGMA journal_mode={journal}")
    # FULL: an outcome the caller saw saved survives a power cut, not only a crash.
    db.execute("PRAGMA synchronous=FULL")
    return db
