"""Localised commands (sent to Discord at sync) and notes: complete, consistent, in limits."""

from __future__ import annotations

import string

import pytest

from bot.discord.i18n.messages import LOCALES, MESSAGES
from bot.discord.i18n.translator import lang_of, t

DISCORD_LOCALES = {"id", "ru", "zh-CN", "zh-TW", "ja", "de", "fr", "es-ES", "es-419", "pt-BR"}


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_text_exists_in_every_locale_with_the_same_fields():
    for key, texts in MESSAGES.items():
        assert set(texts) == {"en", *LOCALES}, key
        for lang, text in texts.items():
            assert text.strip(), (key, lang)
            assert fields(text) == fields(texts["en"]), (key, lang)


def test_texts_fit_discords_limits():
    for key, texts in MESSAGES.items():
        for lang, text in texts.items():
            if key.startswith("menu."):
                assert 1 <= len(text) <= 32, (key, lang)  # context-menu names
            elif key.startswith("cmd."):
                assert 1 <= len(text) <= 100, (key, lang)  # descriptions
            elif key in ("modal.title", "modal.label"):
                assert len(text) <= 45, (key, lang)


def test_discord_locales_map_to_their_language_and_unknown_ones_to_english():
    assert lang_of("es-419") == lang_of("es-ES") == "es"
    assert lang_of("zh-TW") == "zh-TW" and lang_of("pt-BR") == "pt-BR"
    assert lang_of("en-GB") == lang_of("ko") == lang_of(None) == "en"
    assert t("note.thanks", "ko") == "Thanks for the feedback!"
    assert t("note.cooldown", "fr", wait=3) == "⏳ Doucement — vous pourrez redemander dans 3 s."


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
