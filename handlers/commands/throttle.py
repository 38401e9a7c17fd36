"""Per-user flood protection: a token bucket per sender, so one user cannot swamp the bot."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(slots=True)
class _Bucket:
    tokens: float
    updated: float
    warned: bool = False


class Throttle:
    """Allows bursts of `burst` commands, refilled at `per_second`; remembers a bounded set.

    `check` answers "allow", "warn" (first refusal: tell the user once) or "drop".
    """

    def __init__(
        self,
        burst: int = 8,
        per_second: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
        max_users: int = 10_000,
    ) -> None:
        self._burst = burst
        self._rate = per_second
        self._clock = clock
        self._max_users = max_users
        self._buckets: dict[int, _Bucket] = {}

    def check(self, user_id: int) -> str:
        now = self._clock()
        bucket = self._buckets.get(user_id)
        if bucket is None:
            if len(self._buckets) >= self._max_users:
                # Full buckets carry no information; dropping them bounds memory.
                self._buckets = {
                    k: b
                    for k, b in self._buckets.items()
                    if b.tokens + (now - b.updated) * self._rate < self._burst
                }
            bucket = self._buckets[user_id] = _Bucket(float(self._burst), now)
        bucket.tokens = min(self._burst, bucket.tokens + (now - bucket.updated) * self._rate)
        bucket.updated = now
        if bucket.tokens >= 1:
            bucket.tokens -= 1
            bucket.warned = False
            return "allow"
        if bucket.warned:
            return "drop"
        bucket.warned = True
        return "warn"
