"""Replacing a file so that readers see the old one or the new one, never half of one; and
the folder of what newsbot can rebuild (caches)."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO


def replace_atomically(
    path: Path, write: Callable[[BinaryIO], object], *, durable: bool = False
) -> None:
    """Write ``path`` through a temporary file in its folder (``.<name>-….tmp``), then rename
    it into place. ``durable``: fsync the file and the folder first (a commit point that must
    survive a power cut). On any failure the temporary file is removed and the error raised."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            write(fh)
            if durable:
                fh.flush()
                os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    if durable:
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def cache_dir() -> Path:
    """Where newsbot keeps what it can rebuild: ``$XDG_CACHE_HOME/newsbot`` (~/.cache)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "newsbot"
