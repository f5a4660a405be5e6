"""Files the console hands to the browser: an export, a report of rejected rows.

A browser fetches a download with a plain GET, which carries no bearer token, so the
console issues a ticket instead: a long random id, valid for a few minutes, bound to the
supervisor's session (signing out or an expired session ends it too). The file is made
when it is fetched, so an export is as fresh as the click.
"""

from __future__ import annotations

import re
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

TICKET_TTL = 600.0
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True)
class Download:
    filename: str
    media_type: str
    produce: Callable[[], bytes]
    session_token: str
    expires: float


def safe_filename(name: str) -> str:
    """A file name a Content-Disposition header can carry as it is."""
    cleaned = _UNSAFE.sub("-", name).strip("-.")
    return cleaned or "download"


class Downloads:
    """Tickets for downloads, shared by every console page of one server process."""

    def __init__(self, ttl: float = TICKET_TTL, clock: Callable[[], float] = time.monotonic):
        self.ttl, self.clock = ttl, clock
        self._items: dict[str, Download] = {}
        self._lock = threading.Lock()

    def issue(
        self,
        filename: str,
        produce: Callable[[], bytes],
        *,
        session_token: str,
        media_type: str = "text/csv; charset=utf-8",
        ttl: float | None = None,
    ) -> str:
        """A new ticket for a file that ``produce`` makes when it is fetched, valid for
        ``ttl`` seconds (default: the few minutes of an export's link)."""
        ticket = secrets.token_urlsafe(24)
        expires = self.clock() + (self.ttl if ttl is None else ttl)
        item = Download(safe_filename(filename), media_type, produce, session_token, expires)
        with self._lock:
            self._forget_expired()
            self._items[ticket] = item
        return ticket

    def get(self, ticket: str) -> Download | None:
        """The download for a live ticket; None for an unknown or expired one."""
        with self._lock:
            self._forget_expired()
            return self._items.get(ticket)

    def revoke_session(self, session_token: str) -> None:
        with self._lock:
            for ticket in [
                t for t, item in self._items.items() if item.session_token == session_token
            ]:
                del self._items[ticket]

    def _forget_expired(self) -> None:
        now = self.clock()
        for ticket in [t for t, item in self._items.items() if item.expires <= now]:
            del self._items[ticket]
