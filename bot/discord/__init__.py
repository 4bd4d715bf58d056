"""The Discord front end: `newsbot discord` runs bot.discord.runner.run.

app.py (the bot: engine, stores, pools, limits), runner.py (start, signals, shutdown),
cogs/ (one area each: ask, messages, buttons, admin, config, info, help), ui/ (delivery,
formatting within Discord's limits, buttons, pager), i18n/ (the bot's words per locale),
store/ (SQLite: feedback, per-server config), limits.py (cooldown, concurrency),
executors.py (thread pools), checks.py (admin check), errors.py (errors → kind replies).
"""
