"""Texts in the member's language: `t(key, locale)` for notes, a Translator for commands.

The texts are data (bot.discord.i18n.messages). Command names and descriptions are declared
with `app_commands.locale_str(english, key=...)`; at `--sync` discord.py asks `Translator`
for each of Discord's locales and sends the localisations with the command. Notes use the
interaction's locale (the member's client language); messages without one (mentions, DMs)
use the server's preferred locale, else English.
"""

from __future__ import annotations

import logging
from typing import Any

import discord
from discord import app_commands

from bot.discord.i18n.messages import LOCALES, MESSAGES

log = logging.getLogger(__name__)
DEFAULT = "en"


def lang_of(locale: discord.Locale | str | None) -> str:
    """Our translation column for a Discord locale: 'es-419' → 'es', 'en-GB' → 'en'."""
    if locale is None:
        return DEFAULT
    value = locale.value if isinstance(locale, discord.Locale) else str(locale)
    if value in LOCALES:
        return value
    base = value.split("-")[0]
    return base if base in LOCALES else DEFAULT


def t(key: str, locale: discord.Locale | str | None = None, **fields: Any) -> str:
    """The text for `key` in `locale` (English when missing), with {fields} filled in."""
    texts = MESSAGES[key]
    text = texts.get(lang_of(locale)) or texts[DEFAULT]
    return text.format(**fields) if fields else text


def ls(key: str) -> app_commands.locale_str:
    """A command name/description to declare: English now, translated at sync."""
    return app_commands.locale_str(MESSAGES[key][DEFAULT], key=key)


def interaction_locale(interaction: discord.Interaction) -> discord.Locale | str:
    """The member's locale (their client's language)."""
    return interaction.locale


def message_locale(message: discord.Message) -> discord.Locale | str:
    """Messages carry no locale: the server's preferred one, else English."""
    guild = message.guild
    return guild.preferred_locale if guild is not None else DEFAULT


class Translator(app_commands.Translator):
    """Looks the locale_str's key up in the translation data (None = Discord shows English)."""

    async def translate(
        self,
        string: app_commands.locale_str,
        locale: discord.Locale,
        context: app_commands.TranslationContextTypes,
    ) -> str | None:
        key = string.extras.get("key")
        if key is None or key not in MESSAGES:
            return None
        lang = lang_of(locale)
        if lang == DEFAULT:
            return None
        return MESSAGES[key].get(lang)
