"""Slowing down whoever guesses passwords or invite codes, without locking out the rightful
user: a wrong streak delays only where it comes from, and every refusal says when to try again.

- **Passwords**: exponential backoff per (address, account). After ``free`` wrong passwords
  in a row for an account from one address, that address waits 1 s, then 2 s, 4 s … (at most
  15 minutes) before it may try that account again; meanwhile its attempts are refused
  unchecked (429), even with the right password. Other addresses, and other accounts from
  the same address, are not slowed: the supervisor signs in from elsewhere, or at the same
  school, while a guesser waits.
- **Invite codes**: a valid code is always accepted, whoever got one wrong before it — a
  school's callers share one address. Past ``free`` wrong codes from an address, each
  further wrong one is answered 429 with a Retry-After that doubles (1 s … 5 minutes). The
  code space is what makes guessing hopeless (50 random bits, single use, a week's life); a
  global cap on failed attempts per minute bounds how fast anyone can draw from it: over
  the cap, an address that is itself in a wrong streak is refused without its code being
  looked at (and the refusal counts, so a guesser who keeps going keeps the cap shut for
  itself), while addresses with no recent mistakes join as usual. So at most about
  ``flood`` codes a minute are checked, plus one per address new to guessing.

State lives in this process's memory: right for one server (a restart forgets the streaks,
which gives a guesser back only a few free tries); several server processes would each keep
their own. Streaks are forgotten after a quiet spell, and at most ``max_keys`` are kept.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from app.core.errors import InvalidCredentials, InvalidInvite, TooManyAttempts

MonotonicClock = Callable[[], float]
"""Seconds on a monotonic clock (not the wall clock of app.core.clock); tests pass their own."""


def in_words(seconds: int) -> str:
    """A wait as a person says it: '1 second', '45 seconds', '3 minutes'."""
    if seconds < 90:
        return "1 second" if seconds == 1 else f"{seconds} seconds"
    return f"{math.ceil(seconds / 60)} minutes"


def try_later(what: str, wait: float) -> TooManyAttempts:
    """The 429 for a wait of ``wait`` seconds: ``what`` happened, and when to try again."""
    seconds = max(1, math.ceil(wait))
    return TooManyAttempts(f"{what}: try again in {in_words(seconds)}", retry_after=seconds)


@dataclass
class _Streak:
    failures: int = 0
    last_failure: float = 0.0
    until: float = 0.0  # no attempt before this


class Backoff:
    """Exponential backoff per key after a streak of failures.

    The first ``free`` failures in a row cost nothing; each one after makes the key wait
    twice as long as the one before (``first_wait``, then 2×, 4×… up to ``longest_wait``
    seconds). A success, or ``forget_after`` seconds without a failure, ends the streak.
    """

    def __init__(
        self,
        *,
        free: int,
        first_wait: float = 1.0,
        longest_wait: float,
        forget_after: float,
        clock: MonotonicClock = time.monotonic,
        max_keys: int = 100_000,
    ) -> None:
        self.free, self.first_wait, self.longest_wait = free, first_wait, longest_wait
        self.forget_after, self.clock, self.max_keys = forget_after, clock, max_keys
        # Ordered by last failure (a failing key moves to the end): the stale are in front.
        self._streaks: dict[Hashable, _Streak] = {}
        self._lock = threading.Lock()

    def wait(self, key: Hashable) -> float:
        """Seconds before ``key`` may try again; 0 when it may now."""
        with self._lock:
            streak = self._streaks.get(key)
            return max(0.0, streak.until - self.clock()) if streak else 0.0

    def in_streak(self, key: Hashable) -> bool:
        """Whether ``key`` failed lately (within ``forget_after``) and has not succeeded since."""
        with self._lock:
            streak = self._streaks.get(key)
            return streak is not None and self.clock() - streak.last_failure < self.forget_after

    def failed(self, key: Hashable) -> float:
        """Count a failure; the wait (seconds) it imposes, 0 while failures are still free."""
        with self._lock:
            now = self.clock()
            streak = self._streaks.pop(key, None)
            if streak is None or now - streak.last_failure >= self.forget_after:
                streak = _Streak()
            streak.failures += 1
            streak.last_failure = now
            beyond = streak.failures - self.free
            if beyond > 0:
                wait = min(self.longest_wait, self.first_wait * 2 ** min(beyond - 1, 62))
                streak.until = max(streak.until, now + wait)
            self._streaks[key] = streak
            self._forget_stale(now)
            return max(0.0, streak.until - now)

    def succeeded(self, key: Hashable) -> None:
        with self._lock:
            self._streaks.pop(key, None)

    def __len__(self) -> int:
        return len(self._streaks)

    def _forget_stale(self, now: float) -> None:
        while self._streaks:
            oldest_key = next(iter(self._streaks))
            oldest = self._streaks[oldest_key]
            stale = now - oldest.last_failure >= self.forget_after and oldest.until <= now
            if not stale and len(self._streaks) <= self.max_keys:
                return
            del self._streaks[oldest_key]


class LoginLimiter:
    """Wrong passwords back off per (address, account); see the module docstring."""

    def __init__(
        self, backoff: Backoff | None = None, *, clock: MonotonicClock = time.monotonic
    ) -> None:
        self.backoff = (
            backoff
            if backoff is not None
            else Backoff(free=5, longest_wait=15 * 60, forget_after=60 * 60, clock=clock)
        )

    @contextmanager
    def attempt(self, address: str, username: str) -> Iterator[None]:
        """Around one password check: refused (TooManyAttempts) while this address waits
        for this account; an InvalidCredentials raised inside counts as a failure, a
        normal exit as a success."""
        key = (address, username.strip())
        wait = self.backoff.wait(key)
        if wait:
            raise try_later("Too many wrong passwords for this account from your address", wait)
        try:
            yield
        except InvalidCredentials:
            self.backoff.failed(key)
            raise
        self.backoff.succeeded(key)


class InviteLimiter:
    """Wrong invite codes back off per address, a valid code always counts, and failed
    attempts across the server are capped per minute; see the module docstring."""

    def __init__(
        self,
        backoff: Backoff | None = None,
        *,
        flood: int = 600,
        clock: MonotonicClock = time.monotonic,
    ) -> None:
        self.backoff = (
            backoff
            if backoff is not None
            else Backoff(free=10, longest_wait=5 * 60, forget_after=15 * 60, clock=clock)
        )
        self.flood, self.clock = flood, clock
        self._failed: deque[float] = deque(maxlen=flood)  # when the last `flood` failed
        self._lock = threading.Lock()

    def flood_wait(self) -> float:
        """While the server saw ``flood`` failed attempts in the last minute: seconds until
        it saw fewer; else 0."""
        with self._lock:
            if len(self._failed) < self.flood:
                return 0.0
            return max(0.0, self._failed[0] + 60.0 - self.clock())

    @contextmanager
    def attempt(self, address: str) -> Iterator[None]:
        """Around one invite-code check from ``address``: an InvalidInvite raised inside
        counts against the address (and the server), answered TooManyAttempts once the
        address must wait."""
        flooded = self.flood_wait()
        if flooded and self.backoff.in_streak(address):
            self._count_failed()
            raise try_later("Too many wrong invite codes reach the server now", flooded)
        try:
            yield
        except InvalidInvite as wrong:
            self._count_failed()
            wait = self.backoff.failed(address)
            if wait:
                raise try_later(
                    "That invite code is wrong, and many wrong codes came from your network "
                    "(a right code still works at once)",
                    wait,
                ) from wrong
            raise

    def _count_failed(self) -> None:
        with self._lock:
            self._failed.append(self.clock())
