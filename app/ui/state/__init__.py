"""Observable UI state: what the screens show and remember between taps."""

from .app_state import AppState, Screen
from .call_state import CallState
from .sync_state import SyncState

__all__ = ["AppState", "CallState", "Screen", "SyncState"]
