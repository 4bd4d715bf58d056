"""Localised commands (sent to Discord at sync) and notes: complete, consistent, in limits."""

from __future__ import annotations

import string

import pytest

from bot.discord.i18n.translator import lang_of, t
from bot.locales import registry
from bot.locales.catalogs import extract

DISCORD_LOCALES = {"id", "ru", "zh-CN", "zh-TW", "ja", "de", "fr", "es-ES", "es-419", "pt-BR"}
# The languages whose catalogs translate every Discord text (the others show them in English).
DISCORD_LANGUAGES = ["id", "ru", "zh-Hans", "zh-Hant", "ja", "de", "fr", "es", "pt"]


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def discord_texts() -> list[str]:
    """The English of every text the bot's Discord modules mark for translation."""
    return [
        str(m.id)
        for m in extract()
        if m.id and any(where.startswith("bot/discord/") for where, _ in m.locations)
    ]


def test_every_text_exists_in_every_discord_language_with_the_same_fields():
    texts = discord_texts()
    assert len(texts) > 60
    for code in DISCORD_LANGUAGES:
        language = registry()[code]
        for english in texts:
            assert language.translates(english), (code, english)
            text = language.gettext(english)
            assert text.strip(), (code, english)
            assert fields(text) == fields(english), (code, english)


@pytest.mark.asyncio
async def test_command_texts_sent_at_sync_fit_discords_limits(newsbot):
    bot, fake = newsbot
    await bot.sync_commands()

    def options(item):
        for option in item.get("options", []):
            yield option
            yield from options(option)

    for command in fake.commands:
        for item in (command, *options(command)):
            for code, text in item.get("description_localizations", {}).items():
                assert 1 <= len(text) <= 100, (item["name"], code, text)  # descriptions
            if command["type"] == 3:  # a context menu's name
                for code, text in item.get("name_localizations", {}).items():
                    assert 1 <= len(text) <= 32, (code, text)


def test_the_feedback_form_fits_discords_limits():
    for language in registry().values():
        for english in ("What was wrong with this answer?", "Your note (optional)"):
            assert len(language.gettext(english)) <= 45, (language.code, english)


def test_discord_locales_map_to_their_language_and_unknown_ones_to_english():
    assert lang_of("es-419") == lang_of("es-ES") == "es"
    assert lang_of("zh-TW") == "zh-Hant" and lang_of("pt-BR") == "pt"
    assert lang_of("en-GB") == lang_of("sv-SE") == lang_of(None) == "en"
    assert t("Thanks for the feedback!", "ko") == "Thanks for the feedback!"  # not translated
    cooldown = "⏳ Slow down a little — you can ask again in {wait} s."
    assert t(cooldown, "fr", wait=3) == "⏳ Doucement — vous pourrez redemander dans 3 s."


@pytest.mark.asyncio
async def test_sync_sends_localised_descriptions_and_the_context_menu(newsbot):
    bot, fake = newsbot
    names = await bot.sync_commands()
    assert {"ask", "reset", "reindex", "sources", "about", "help", "config"} <= set(names)
    by_name = {c["name"]: c for c in fake.commands}
    ask = by_name["ask"]
    assert set(ask["description_localizations"]) >= DISCORD_LOCALES
    assert ask["description_localizations"]["ja"] == "ニュース記事について質問します。"
    question = ask["options"][0]
    assert question["description_localizations"]["ru"] == "Ваш вопрос на любом языке"
    menu = by_name["Ask newsbot about this message"]
    assert menu["type"] == 3  # a message context menu
    assert menu["name_localizations"]["de"] == "newsbot hierzu fragen"
    config = by_name["config"]
    assert {o["name"] for o in config["options"]} == {
        "show", "channel", "admin-role", "cooldown", "languages", "reset",
    }  # fmt: skip
    assert int(config["default_member_permissions"]) == 1 << 5  # Manage Server
