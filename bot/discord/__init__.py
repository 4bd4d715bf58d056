"""The Discord front end: `newsbot discord` runs bot.discord.runner.run.

app.py (the bot), cogs/ (ask, admin, info), views.py (buttons), render.py (answers within
Discord's limits), limits.py (cooldown, concurrency), feedback.py (SQLite), errors.py.
"""
