"""Separate, sized thread pools for the bot's blocking work, so one kind never starves another.

asyncio's default pool (min(32, CPUs + 4) threads: 6 on a 2-core machine) would be shared by
answers that hold a thread for an LLM's 30 s, the rebuild that waits for its child for
minutes, and the SQLite write behind a 👍. Here each kind has its own pool:

- `answers`: engine.ask (with the conversation built in the same thread), one thread per
  answer the limiter admits;
- `lookups`: engine.articles / engine.status (may open the index on first use);
- `quick`: SQLite reads and writes behind buttons, /reset and /config — milliseconds each,
  so a button is acknowledged within a second however busy the other pools are;
- `rebuild`: the thread that waits for the build child (one rebuild at a time).

Threads are daemons: on shutdown the bot does not wait for an answer nobody will receive.
"""

from __future__ import annotations

import asyncio
import functools
import queue
import threading
from collections.abc import Callable
from concurrent.futures import Executor, Future
from typing import Any, TypeVar

T = TypeVar("T")
QUICK_THREADS = 2  # SQLite calls of a few ms; two keep one slow disk write from queueing clicks
LOOKUP_THREADS = 2


class DaemonPool(Executor):
    """A fixed thread pool whose threads are daemons (they never block interpreter exit).

    All threads start with the pool: starting a thread waits for it to run, and under load
    (dozens of answers holding the GIL) that wait would land on the event loop."""

    def __init__(self, max_workers: int, name: str) -> None:
        self.max_workers, self.name = max_workers, name
        self._work: queue.SimpleQueue[tuple[Future[Any], Callable[[], Any]] | None] = (
            queue.SimpleQueue()
        )
        self._lock = threading.Lock()
        self._shutdown = False
        self._threads = [
            threading.Thread(target=self._worker, name=f"{name}-{i + 1}", daemon=True)
            for i in range(max_workers)
        ]
        for thread in self._threads:
            thread.start()

    def submit(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> Future[T]:
        future: Future[T] = Future()
        with self._lock:
            if self._shutdown:
                raise RuntimeError(f"{self.name} pool is shut down")
            self._work.put((future, functools.partial(fn, *args, **kwargs)))
        return future

    def _worker(self) -> None:
        while True:
            item = self._work.get()
            if item is None:
                return
            future, call = item
            if future.set_running_or_notify_cancel():
                try:
                    future.set_result(call())
                except BaseException as exc:  # noqa: BLE001 - handed to whoever awaits it
                    future.set_exception(exc)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        with self._lock:
            if self._shutdown:
                return
            self._shutdown = True
            if cancel_futures:
                while True:
                    try:
                        item = self._work.get_nowait()
                    except queue.Empty:
                        break
                    if item is not None:
                        item[0].cancel()
            for _ in self._threads:
                self._work.put(None)
        if wait:
            for thread in self._threads:
                thread.join()


class Pools:
    """The bot's pools; `await pools.run(pools.quick, fn, *args)` runs fn off the loop."""

    def __init__(self, answers: int) -> None:
        self.answers = DaemonPool(answers, "answer")
        self.lookups = DaemonPool(LOOKUP_THREADS, "lookup")
        self.quick = DaemonPool(QUICK_THREADS, "quick")
        self.rebuild = DaemonPool(1, "rebuild")

    async def run(self, pool: Executor, fn: Callable[..., T], *args: Any) -> T:
        return await asyncio.get_running_loop().run_in_executor(pool, functools.partial(fn, *args))

    def shutdown(self) -> None:
        """Stop taking work; running calls finish in the background (daemon threads)."""
        for pool in (self.answers, self.lookups, self.quick, self.rebuild):
            pool.shutdown(wait=False, cancel_futures=True)
