"""Index rebuilds in a child process that this process owns and ends.

Long-running front ends (the Discord bot, the REPL) rebuild in a child so the serving
interpreter keeps its cores and GIL. The child must never outlive its owner:

- `terminate_all()` ends every running build (SIGTERM, then SIGKILL after a grace period);
  the bot calls it on shutdown, and the thread waiting for the build then returns at once;
- if the owner dies without cleaning up (SIGKILL, OOM killer), the child notices and exits:
  on Linux the kernel signals it (PR_SET_PDEATHSIG), elsewhere a watchdog thread sees its
  parent change. `docker stop`, systemd and Kubernetes signal only the main process.

The child runs `bot.indexing.build` (the same build as `newsbot index build`); the
build is crash-safe, so ending it at any moment leaves the served index unchanged.
Protocol: pickled (settings, full) on the child's stdin; pickled ("progress" | "error" |
"done", payload) events back on a pipe whose fd is the child's first argument.
"""

from __future__ import annotations

import contextlib
import logging
import os
import pickle
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, BinaryIO

from index.errors import NewsbotError

if TYPE_CHECKING:
    from index.building.report import BuildProgress, BuildReport
    from index.settings import IndexSettings

log = logging.getLogger(__name__)

PARENT_ENV = "NEWSBOT_BUILD_PARENT_PID"
WATCHDOG_SECONDS = 1.0  # how often a child checks that its parent is still there
_CHILD = "from bot.build_process import child_main; child_main()"
_live: set[subprocess.Popen[bytes]] = set()
_live_lock = threading.Lock()


def build_in_child(
    settings: IndexSettings,
    full: bool = False,
    progress: Callable[[BuildProgress], None] | None = None,
) -> BuildReport:
    """Run a build in an owned child process; blocks until it reports (or is ended)."""
    read_fd, write_fd = os.pipe()
    child = subprocess.Popen(
        [sys.executable, "-c", _CHILD, str(write_fd)],
        stdin=subprocess.PIPE,
        pass_fds=(write_fd,),
        env={**os.environ, PARENT_ENV: str(os.getpid())},
        start_new_session=True,  # a terminal's Ctrl-C reaches the owner, which ends the child
    )
    os.close(write_fd)
    with _live_lock:
        _live.add(child)
    log.info("build child %d started", child.pid)
    try:
        assert child.stdin is not None
        child.stdin.write(pickle.dumps((settings, full)))
        child.stdin.close()
        with os.fdopen(read_fd, "rb") as events:
            return _read_events(events, progress, child)
    finally:
        if child.poll() is None:
            child.kill()
        child.wait()
        with _live_lock:
            _live.discard(child)


def _read_events(
    events: BinaryIO,
    progress: Callable[[BuildProgress], None] | None,
    child: subprocess.Popen[bytes],
) -> BuildReport:
    while True:
        try:
            kind, payload = pickle.load(events)
        except EOFError:
            break
        if kind == "progress":
            if progress is not None:
                progress(payload)
        elif kind == "error":
            raise payload
        else:
            report: BuildReport = payload
            return report
    code = child.wait()
    raise NewsbotError(
        f"The build process ended before finishing (exit code {code}); the index being "
        "served is unchanged. Run the build again."
    )


def running_children() -> list[int]:
    """Process ids of the builds running now."""
    with _live_lock:
        return [c.pid for c in _live if c.poll() is None]


def terminate_all(grace_seconds: float = 5.0) -> int:
    """End every running build: SIGTERM, then SIGKILL after `grace_seconds`. Blocking.

    Returns how many children were running."""
    with _live_lock:
        children = [c for c in _live if c.poll() is None]
    for child in children:
        log.info("ending build child %d", child.pid)
        _signal(child, signal.SIGTERM)
    deadline = time.monotonic() + grace_seconds
    for child in children:
        try:
            child.wait(max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            log.warning("build child %d ignored SIGTERM; killing it", child.pid)
            _signal(child, signal.SIGKILL)
            child.wait()
    return len(children)


def _signal(child: subprocess.Popen[bytes], sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError):
        child.send_signal(sig)


# -- in the child ---------------------------------------------------------------------------
def die_with_parent() -> None:
    """Exit when the owning process is gone, even if it was SIGKILLed."""
    parent = int(os.environ.get(PARENT_ENV, "0") or 0)
    if sys.platform.startswith("linux"):
        import ctypes

        pr_set_pdeathsig = 1
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(pr_set_pdeathsig, signal.SIGKILL, 0, 0, 0)
    if parent and os.getppid() != parent:  # the owner died before the line above ran
        os._exit(1)

    def watch() -> None:
        while True:
            time.sleep(WATCHDOG_SECONDS)
            if parent and os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch, name="parent-watchdog", daemon=True).start()


def child_main() -> None:
    """Entry of the build child: settings on stdin, pickled events out on the pipe."""
    die_with_parent()
    from bot.indexing import build
    from bot.settings import configure_logging

    out = os.fdopen(int(sys.argv[1]), "wb")

    def send(kind: str, payload: Any) -> None:
        pickle.dump((kind, payload), out)
        out.flush()

    settings, full = pickle.load(sys.stdin.buffer)
    configure_logging(str(settings.log_level))
    try:
        report = build(settings, full=full, progress=lambda p: send("progress", p))
    except NewsbotError as exc:
        send("error", exc)
    except BaseException as exc:  # noqa: BLE001 - reported to the owner, then the child ends
        log.exception("build failed")
        send("error", NewsbotError(f"The build failed ({type(exc).__name__}); see the log."))
    else:
        send("done", report)
