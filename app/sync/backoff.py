"""How long to wait before retrying after a network error or a server error."""

from __future__ import annotations

import random
from dataclasses import dataclass


@dataclass(frozen=True)
class Backoff:
    """Exponential backoff with "equal jitter" and a cap.

    The n-th consecutive failure waits between half and all of ``min(cap, base ·
    factor^(n-1))`` seconds: the jitter spreads a crowd of devices that lost the server at
    the same moment, the lower half-bound keeps one device from hammering it.
    """

    base: float = 2.0
    factor: float = 2.0
    cap: float = 300.0

    def ceiling(self, failures: int) -> float:
        if failures < 1:
            return 0.0
        # Capped before exponentiating would overflow after a long outage.
        exponent = min(failures - 1, 64)
        return float(min(self.cap, self.base * self.factor**exponent))

    def delay(self, failures: int, rng: random.Random | None = None) -> float:
        ceiling = self.ceiling(failures)
        return ceiling / 2 + (rng or random).uniform(0, ceiling / 2)
