"""Texts in the member's language: `t(english, locale)` for notes, a Translator for commands.

The texts are gettext messages: the code writes them in English, marked by `t` or `ls`
(Babel extracts them, ``python -m bot.locales update``), and each language's catalog,
``bot/locales/<code>/LC_MESSAGES/newsbot.po``, translates them. Command names and
descriptions are declared with `ls(english)` (an `app_commands.locale_str`); at `--sync`
discord.py asks `Translator` for each of Discord's locales and sends the localisations with
the command. Notes use the interaction's locale (the member's client language); messages
without one (mentions, DMs) use the server's preferred locale, else English. A text a
catalog does not translate is shown in English.
"""

from __future__ import annotations

import logging
from typing import Any

import discord
from discord import app_commands

from bot.locales import SOURCE, registry

log = logging.getLogger(__name__)
DEFAULT = SOURCE


def lang_of(locale: discord.Locale | str | None) -> str:
    """Our language folder for a Discord locale: 'es-419' → 'es', 'zh-TW' → 'zh-Hant',
    'pt-BR' → 'pt', 'en-GB' → 'en'; English for a locale no folder speaks."""
    if locale is None:
        return DEFAULT
    value = locale.value if isinstance(locale, discord.Locale) else str(locale)
    return registry().best(value)


def t(message: str, locale: discord.Locale | str | None = None, **fields: Any) -> str:
    """`message` (English) in `locale`'s language (English when untranslated), with its
    {fields} filled in."""
    text = registry()[lang_of(locale)].gettext(message)
    return text.format(**fields) if fields else text


def ls(message: str) -> app_commands.locale_str:
    """A command name/description to declare: English now, translated at sync."""
    return app_commands.locale_str(message)


def interaction_locale(interaction: discord.Interaction) -> discord.Locale | str:
    """The member's locale (their client's language)."""
    return interaction.locale


def message_locale(message: discord.Message) -> discord.Locale | str:
    """Messages carry no locale: the server's preferred one, else English."""
    guild = message.guild
    return guild.preferred_locale if guild is not None else DEFAULT


class Translator(app_commands.Translator):
    """Looks the locale_str's English up in the locale's catalog (None = Discord shows the
    English: the locale is English, or its catalog lacks this text)."""

    async def translate(
        self,
        string: app_commands.locale_str,
        locale: discord.Locale,
        context: app_commands.TranslationContextTypes,
    ) -> str | None:
        language = registry()[lang_of(locale)]
        if language.code == DEFAULT or not language.translates(string.message):
            return None
        return language.gettext(string.message)
