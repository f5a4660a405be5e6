"""The sync client: push the outbox, pull the caller's data, report how it went."""

from .backoff import Backoff
from .client import SyncClient, SyncReport
from .fetch_transport import FetchTransport
from .status import SyncStatus

__all__ = ["Backoff", "FetchTransport", "SyncClient", "SyncReport", "SyncStatus"]
