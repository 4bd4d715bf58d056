"""The bot's own words in the member's Discord language: translator.py (lookup, slash-command
translations); the words themselves are gettext catalogs in bot/locales/<code>/."""
