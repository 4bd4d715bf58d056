"""Slash commands and listeners, one area per module; loaded by NewsBot.setup_hook."""
