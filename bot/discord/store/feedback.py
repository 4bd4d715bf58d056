"""Answers and 👍/👎 votes in a local SQLite file.

Answers are stored by id so the buttons under a message (votes, Sources) still work after a
restart, and so a thread's earlier questions and answers can be replayed as conversation
memory. Users are stored only as sha256(salt + user id); the salt is random per database.
All methods block: the bot calls them in its `quick` or `answers` pool (bot.discord.executors).
"""

from __future__ import annotations

import hashlib
import json
import secrets
import sqlite3
import time
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from bot.answering.types import Answer, Citation

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS answers (
    answer_id TEXT PRIMARY KEY,
    created_at REAL NOT NULL,
    conversation_id INTEGER,
    question TEXT NOT NULL,
    answer TEXT NOT NULL,
    citations_json TEXT NOT NULL,
    mode TEXT NOT NULL,
    user_hash TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS answers_by_conversation ON answers (conversation_id, created_at);
CREATE TABLE IF NOT EXISTS votes (
    answer_id TEXT NOT NULL REFERENCES answers (answer_id),
    user_hash TEXT NOT NULL,
    vote INTEGER NOT NULL,
    created_at REAL NOT NULL,
    reason TEXT,
    PRIMARY KEY (answer_id, user_hash)
);
CREATE TABLE IF NOT EXISTS resets (conversation_id INTEGER NOT NULL, created_at REAL NOT NULL);
"""
VIEW = """
DROP VIEW IF EXISTS feedback;
CREATE VIEW feedback AS
    SELECT v.created_at AS voted_at, a.question, a.answer, a.citations_json, v.vote, v.reason,
           v.user_hash
    FROM votes v JOIN answers a USING (answer_id);
"""
REASON_LIMIT = 1000


@dataclass(frozen=True)
class StoredAnswer:
    answer_id: str
    question: str
    text: str
    citations: list[Citation]
    conversation_id: int | None


class FeedbackStore:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with closing(self._connect()) as db, db:
            db.executescript(SCHEMA)
            columns = {row[1] for row in db.execute("PRAGMA table_info(votes)")}
            if "reason" not in columns:  # a database from before 👎 asked for a reason
                db.execute("ALTER TABLE votes ADD COLUMN reason TEXT")
            db.executescript(VIEW)
            db.execute(
                "INSERT OR IGNORE INTO meta (key, value) VALUES ('salt', ?)",
                (secrets.token_hex(16),),
            )
            self._salt = db.execute("SELECT value FROM meta WHERE key = 'salt'").fetchone()[0]

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=10)
        db.execute("PRAGMA journal_mode=WAL")
        return db

    def user_hash(self, user_id: int) -> str:
        return hashlib.sha256(f"{self._salt}{user_id}".encode()).hexdigest()

    def save_answer(self, answer: Answer, user_id: int, conversation_id: int | None = None) -> str:
        """Store an answer; returns its new id (16 hex characters)."""
        answer_id = secrets.token_hex(8)
        citations = json.dumps([c.to_json() for c in answer.citations], ensure_ascii=False)
        with closing(self._connect()) as db, db:
            db.execute(
                "INSERT INTO answers VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    answer_id,
                    time.time(),
                    conversation_id,
                    answer.question,
                    answer.text,
                    citations,
                    answer.mode,
                    self.user_hash(user_id),
                ),
            )
        return answer_id

    def set_conversation(self, answer_id: str, conversation_id: int) -> None:
        """Attach an answer to the thread it opened."""
        with closing(self._connect()) as db, db:
            db.execute(
                "UPDATE answers SET conversation_id = ? WHERE answer_id = ?",
                (conversation_id, answer_id),
            )

    def get_answer(self, answer_id: str) -> StoredAnswer | None:
        with closing(self._connect()) as db:
            row = db.execute(
                "SELECT question, answer, citations_json, conversation_id FROM answers "
                "WHERE answer_id = ?",
                (answer_id,),
            ).fetchone()
        if row is None:
            return None
        citations = [Citation(**c) for c in json.loads(row[2])]
        return StoredAnswer(answer_id, row[0], row[1], citations, row[3])

    def vote(self, answer_id: str, user_id: int, up: bool, reason: str | None = None) -> bool:
        """Record (or change) a user's vote, with their reason when given; False when the
        answer is unknown. A 👎 without a reason keeps the one given before (the reason form
        is sent after the click is stored); a 👍 clears it."""
        reason = (reason or "").strip()[:REASON_LIMIT] or None
        with closing(self._connect()) as db, db:
            if db.execute("SELECT 1 FROM answers WHERE answer_id = ?", (answer_id,)).fetchone():
                db.execute(
                    "INSERT INTO votes VALUES (?, ?, ?, ?, ?) ON CONFLICT (answer_id, user_hash) "
                    "DO UPDATE SET vote = excluded.vote, created_at = excluded.created_at, "
                    "reason = CASE WHEN excluded.vote > 0 THEN excluded.reason "
                    "ELSE COALESCE(excluded.reason, votes.reason) END",
                    (answer_id, self.user_hash(user_id), 1 if up else -1, time.time(), reason),
                )
                return True
        return False

    def reset(self, conversation_id: int) -> None:
        """Forget a conversation's history from now on ("New conversation")."""
        with closing(self._connect()) as db, db:
            db.execute("INSERT INTO resets VALUES (?, ?)", (conversation_id, time.time()))

    def history(self, conversation_id: int, limit: int = 10) -> list[tuple[str, str]]:
        """The conversation's (question, answer) turns since its last reset, oldest first."""
        with closing(self._connect()) as db:
            rows = db.execute(
                "SELECT question, answer FROM answers WHERE conversation_id = ? AND created_at > "
                "COALESCE((SELECT MAX(created_at) FROM resets WHERE conversation_id = ?), 0) "
                "ORDER BY created_at DESC LIMIT ?",
                (conversation_id, conversation_id, limit),
            ).fetchall()
        return [(q, a) for q, a in reversed(rows)]
