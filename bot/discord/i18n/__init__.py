"""The bot's own words in the member's Discord language: translator.py (lookup, slash-command
translations), messages.py (the one table)."""
