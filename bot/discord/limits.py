"""Per-user cooldown and a global limit on answers computed at the same time.

`acquire` returns a Ticket (go ahead; hand it back to `release` when done) or a Refusal.
Cooldowns are kept per scope — each server has its own (its /config cooldown), and DMs
theirs — so a member's DM does not spend their cooldown on a server. Used from the event
loop only (no awaits between check and update), so no lock is needed.
"""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bot.discord.i18n.translator import t


@dataclass(frozen=True)
class Refusal:
    """Why a question cannot be answered now, and how long to wait."""

    reason: str  # "cooldown" or "busy"
    wait_seconds: float

    def message(self, locale: Any = None) -> str:
        wait = max(1, math.ceil(self.wait_seconds))
        return (
            t("⏳ Slow down a little — you can ask again in {wait} s.", locale, wait=wait)
            if self.reason == "cooldown"
            else t(
                "⏳ I'm answering several questions right now — please try again "
                "in about {wait} s.",
                locale,
                wait=wait,
            )
        )


@dataclass(eq=False)
class Ticket:
    """One admitted answer; its start time is its own, whatever order answers finish in."""

    started: float
    released: bool = field(default=False)


class Limiter:
    def __init__(
        self,
        cooldown_seconds: float,
        max_concurrent: int,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.cooldown_seconds = cooldown_seconds
        self.max_concurrent = max_concurrent
        self.clock = clock
        self._last_use: dict[tuple[Any, int], float] = {}
        self._durations: deque[float] = deque(maxlen=20)
        self._running: list[Ticket] = []

    @property
    def active(self) -> int:
        return len(self._running)

    def acquire(
        self, user_id: int, *, cooldown: float | None = None, scope: Any = None
    ) -> Ticket | Refusal:
        """Admit `user_id` (cooldown in seconds within `scope`, default the constructor's)."""
        now = self.clock()
        wait = self.cooldown_seconds if cooldown is None else cooldown
        key = (scope, user_id)
        last = self._last_use.get(key)
        if last is not None and now - last < wait:
            return Refusal("cooldown", wait - (now - last))
        if len(self._running) >= self.max_concurrent:
            return Refusal("busy", self._estimated_wait(now))
        self._last_use[key] = now
        ticket = Ticket(now)
        self._running.append(ticket)
        if len(self._last_use) > 10_000:  # forget users whose cooldown is long over
            cutoff = now - max(wait, self.cooldown_seconds)
            self._last_use = {k: v for k, v in self._last_use.items() if v >= cutoff}
        return ticket

    def release(self, ticket: Ticket) -> None:
        """The answer of `ticket` is done; its own duration feeds the wait estimate."""
        if ticket.released:
            return
        ticket.released = True
        self._durations.append(self.clock() - ticket.started)
        self._running.remove(ticket)

    def typical_seconds(self) -> float:
        """Median duration of recent answers (5 s before any finished)."""
        if not self._durations:
            return 5.0
        return sorted(self._durations)[len(self._durations) // 2]

    def _estimated_wait(self, now: float) -> float:
        """Time until the oldest running answer should finish, from recent durations."""
        oldest = min((t.started for t in self._running), default=now)
        return max(1.0, self.typical_seconds() - (now - oldest))
