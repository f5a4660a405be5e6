"""The device's SQLite cache and outbox (see DESIGN.md, offline-first sync)."""

from ._paths import data_folder, default_database_path
from ._queries import CallerStats, ListedHousehold, Note, ParkedEvent, Tally
from ._schema import SCHEMA_VERSION
from .device_store import DeviceStore, Identity

__all__ = [
    "SCHEMA_VERSION",
    "CallerStats",
    "DeviceStore",
    "Identity",
    "ListedHousehold",
    "Note",
    "ParkedEvent",
    "Tally",
    "data_folder",
    "default_database_path",
]
