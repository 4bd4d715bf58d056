"""The bot's SQLite file: feedback.py (answers, votes, conversations), guild_config.py
(per-server settings)."""
