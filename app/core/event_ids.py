"""Event ids: UUID version 7 (RFC 9562), so ids minted later sort later.

A time-ordered id lands at the end of the server's ``events`` index on ``event_id``, where
a random (version 4) one lands anywhere: a 100-event push then dirties a few index pages,
not a hundred. Ids from devices that still mint version 4 are accepted all the same; only
uniqueness matters to the protocol, and ordering still comes from ``(device_id, seq)``.
Plain Python (``time``, ``os.urandom``), so it runs in Pyodide too.
"""

from __future__ import annotations

import os
import threading
import time
from uuid import UUID

_RANDOM_BITS = 74  # rand_a (12) and rand_b (62): every bit that is neither time nor version


class Uuid7:
    """Mints UUIDv7s: 48 bits of Unix milliseconds, then 74 random bits.

    Within one millisecond, or if the clock steps back, the next id takes the last one's
    millisecond and its random tail plus one (RFC 9562 §6.2, method 2), so the ids one
    minter makes strictly increase.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._last = (0, 0)  # (unix ms, random tail) of the last id minted

    def __call__(self, unix_ms: int | None = None) -> UUID:
        ms = time.time_ns() // 1_000_000 if unix_ms is None else unix_ms
        tail = int.from_bytes(os.urandom(10)) >> (80 - _RANDOM_BITS)
        with self._lock:
            last_ms, last_tail = self._last
            if ms <= last_ms:
                ms, tail = last_ms, last_tail + 1
                if tail >> _RANDOM_BITS:  # 2**74 ids in one millisecond: borrow the next one
                    ms, tail = ms + 1, 0
            self._last = (ms, tail)
        value = (ms & 0xFFFF_FFFF_FFFF) << 80 | 0x7 << 76 | (tail >> 62) << 64
        value |= 0b10 << 62 | tail & ((1 << 62) - 1)
        return UUID(int=value)


uuid7 = Uuid7()
"""The process's minter: ``uuid7()`` is a new event id."""
