"""Per-user cooldown and a global limit on answers computed at the same time.

Used from the event loop only (no awaits between check and update), so no lock is needed.
"""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Refusal:
    """Why a question cannot be answered now, and how long to wait."""

    reason: str  # "cooldown" or "busy"
    wait_seconds: float

    def message(self) -> str:
        wait = max(1, math.ceil(self.wait_seconds))
        if self.reason == "cooldown":
            return f"⏳ Slow down a little — you can ask again in {wait} s."
        return f"⏳ I'm answering several questions right now — please try again in about {wait} s."


class Limiter:
    """`acquire(user_id)` returns None (go ahead; call `release()` when done) or a Refusal."""

    def __init__(
        self,
        cooldown_seconds: float,
        max_concurrent: int,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.cooldown_seconds = cooldown_seconds
        self.max_concurrent = max_concurrent
        self.clock = clock
        self.active = 0
        self._last_use: dict[int, float] = {}
        self._durations: deque[float] = deque(maxlen=20)
        self._started: list[float] = []

    def acquire(self, user_id: int) -> Refusal | None:
        now = self.clock()
        last = self._last_use.get(user_id)
        if last is not None and now - last < self.cooldown_seconds:
            return Refusal("cooldown", self.cooldown_seconds - (now - last))
        if self.active >= self.max_concurrent:
            return Refusal("busy", self._estimated_wait(now))
        self._last_use[user_id] = now
        self.active += 1
        self._started.append(now)
        if len(self._last_use) > 10_000:  # forget users whose cooldown is long over
            cutoff = now - self.cooldown_seconds
            self._last_use = {u: t for u, t in self._last_use.items() if t >= cutoff}
        return None

    def release(self) -> None:
        now = self.clock()
        if self._started:
            self._durations.append(now - self._started.pop(0))
        self.active = max(0, self.active - 1)

    def _estimated_wait(self, now: float) -> float:
        """Time until the oldest running answer should finish, from recent durations."""
        typical = sorted(self._durations)[len(self._durations) // 2] if self._durations else 5.0
        oldest = self._started[0] if self._started else now
        return max(1.0, typical - (now - oldest))
