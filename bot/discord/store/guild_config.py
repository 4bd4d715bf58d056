"""Per-server settings an admin changes with /config, stored in SQLite; defaults from `.env`.

A server's row holds only what its admins changed (NULL = the operator's default from
NEWSBOT_DISCORD_*). All rows are read once at start-up into memory, so a check on the event
loop is a dict lookup; writes go to SQLite first (in a worker thread), then to memory.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from contextlib import closing
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

SCHEMA = """
CREATE TABLE IF NOT EXISTS guild_settings (
    guild_id INTEGER PRIMARY KEY,
    allowed_channels_json TEXT,
    admin_role_id INTEGER,
    cooldown_seconds REAL,
    updated_at REAL NOT NULL,
    reader_languages_json TEXT
);
"""
# Columns added after the first release: (name, type), added to an older database on open.
ADDED_COLUMNS = (("reader_languages_json", "TEXT"),)
NO_ROLE = 0  # stored when an admin removed the role (NULL means "the operator's default")


@dataclass(frozen=True)
class GuildConfig:
    allowed_channels: frozenset[int] = frozenset()  # empty = every channel
    admin_role_id: int | None = None
    cooldown_seconds: float = 10.0
    reader_languages: tuple[str, ...] = ()  # the server's readers' languages, in order

    def channel_allowed(self, channel: Any) -> bool:
        """A thread counts as its parent channel."""
        if not self.allowed_channels:
            return True
        ids = {getattr(channel, "id", None), getattr(channel, "parent_id", None)}
        return any(i in self.allowed_channels for i in ids if i is not None)


class GuildConfigStore:
    def __init__(self, path: Path, defaults: GuildConfig) -> None:
        self.path = Path(path)
        self.defaults = defaults
        self._rows: dict[int, dict[str, Any]] = {}
        self._lock = threading.Lock()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with closing(self._connect()) as db, db:
            db.executescript(SCHEMA)
            have = {row[1] for row in db.execute("PRAGMA table_info(guild_settings)")}
            for name, kind in ADDED_COLUMNS:
                if name not in have:  # a database of an older version
                    db.execute(f"ALTER TABLE guild_settings ADD COLUMN {name} {kind}")

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=10)
        db.execute("PRAGMA journal_mode=WAL")
        return db

    def load(self) -> int:
        """Read every server's overrides into memory (blocking); returns how many."""
        with closing(self._connect()) as db:
            rows = db.execute(
                "SELECT guild_id, allowed_channels_json, admin_role_id, cooldown_seconds, "
                "reader_languages_json FROM guild_settings"
            ).fetchall()
        with self._lock:
            self._rows = {
                gid: {"channels": ch, "role": role, "cooldown": cd, "languages": langs}
                for gid, ch, role, cd, langs in rows
            }
        return len(rows)

    def get(self, guild_id: int | None) -> GuildConfig:
        """The effective settings of a server (non-blocking; DMs get the defaults)."""
        row = self._rows.get(guild_id) if guild_id is not None else None
        if row is None:
            return self.defaults
        config = self.defaults
        if row["channels"] is not None:
            config = replace(config, allowed_channels=frozenset(json.loads(row["channels"])))
        if row["role"] is not None:
            config = replace(config, admin_role_id=row["role"] or None)
        if row["cooldown"] is not None:
            config = replace(config, cooldown_seconds=float(row["cooldown"]))
        if row.get("languages") is not None:
            config = replace(config, reader_languages=tuple(json.loads(row["languages"])))
        return config

    def set_channel(self, guild_id: int, channel_id: int, allow: bool) -> GuildConfig:
        channels = set(self.get(guild_id).allowed_channels)
        if allow:
            channels.add(channel_id)
        else:
            channels.discard(channel_id)
        return self._write(guild_id, channels=json.dumps(sorted(channels)))

    def set_admin_role(self, guild_id: int, role_id: int | None) -> GuildConfig:
        return self._write(guild_id, role=role_id or NO_ROLE)

    def set_cooldown(self, guild_id: int, seconds: float) -> GuildConfig:
        return self._write(guild_id, cooldown=float(seconds))

    def set_reader_languages(self, guild_id: int, codes: list[str]) -> GuildConfig:
        """The server's readers' languages, in order ([] = none beyond each member's own)."""
        return self._write(guild_id, languages=json.dumps(codes) if codes else None)

    def reset(self, guild_id: int) -> GuildConfig:
        with closing(self._connect()) as db, db:
            db.execute("DELETE FROM guild_settings WHERE guild_id = ?", (guild_id,))
        with self._lock:
            self._rows.pop(guild_id, None)
        return self.defaults

    def _write(self, guild_id: int, **change: Any) -> GuildConfig:
        with self._lock:
            row = {"channels": None, "role": None, "cooldown": None, "languages": None}
            row.update(self._rows.get(guild_id, {}))
            row.update(change)
            with closing(self._connect()) as db, db:
                db.execute(
                    "INSERT INTO guild_settings (guild_id, allowed_channels_json, admin_role_id, "
                    "cooldown_seconds, updated_at, reader_languages_json) "
                    "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (guild_id) DO "
                    "UPDATE SET allowed_channels_json = excluded.allowed_channels_json, "
                    "admin_role_id = excluded.admin_role_id, "
                    "cooldown_seconds = excluded.cooldown_seconds, "
                    "updated_at = excluded.updated_at, "
                    "reader_languages_json = excluded.reader_languages_json",
                    (guild_id, row["channels"], row["role"], row["cooldown"], time.time(),
                     row["languages"]),
                )  # fmt: skip
            self._rows[guild_id] = row
        return self.get(guild_id)
