"""The `newsbot` command line: app.py (search, ask, repl, eval, discord), index_commands.py
(index build|status), support.py (settings, JSON output, exit codes), batch.py (--jsonl),
plain_text.py and progress.py (what the terminal shows)."""
