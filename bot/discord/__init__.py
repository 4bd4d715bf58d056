"""The Discord front end: `newsbot discord` runs bot.discord.runner.run.

app.py (the bot), cogs/ (one area each: ask, messages, admin, config, info, help),
delivery.py (question → messages), views.py (answer buttons, 👎 form), pager.py, render.py
(answers within Discord's limits), limits.py (cooldown, concurrency), executors.py (thread
pools), feedback.py and guild_config.py (SQLite), i18n.py + translations.py, errors.py.
"""
