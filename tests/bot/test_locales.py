"""Adding a language is adding one folder: a Dutch folder (a language the bot does not ship)
written under tmp_path, and the bot answers, refuses, words its Discord notes and commands,
tells question kinds and calibrates its refusal in Dutch."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import discord
import pytest
from babel.messages.pofile import read_po, write_po
from discord import app_commands

from bot import locales
from bot.locales.catalogs import TEMPLATE, problems

FRAME = {
    "The articles say (quoted in their original language):": (
        "De artikelen zeggen (geciteerd in hun oorspronkelijke taal):"
    ),
    "{answer} {refs}": "{answer} {refs}",
    "also reported in {languages} {refs}": "ook gemeld in het {languages} {refs}",
    "The articles I have do not cover this.": "De artikelen die ik heb gaan hier niet over.",
    "Nearest articles: {titles}.": "Dichtstbijzijnde artikelen: {titles}.",
    "The articles only partly cover this; closest passages:": (
        "De artikelen gaan hier maar deels over; de dichtstbijzijnde passages:"
    ),
    "Sources differ: {values}.": "De bronnen verschillen: {values}.",
    " vs ": " tegenover ",
    " and ": " en ",
    "Short answer:": "Kort gezegd:",
}
DISCORD = {
    "Thanks for the feedback!": "Bedankt voor de feedback!",
    "Ask a question about the news articles.": "Stel een vraag over de nieuwsartikelen.",
}
OFFTOPIC = ["Hoe kook ik een zacht ei?", "Hoeveel poten heeft een spin?", "Wat rijmt op kat?"]


def write_dutch(root: Path) -> Path:
    folder = root / "nl"
    (folder / "LC_MESSAGES").mkdir(parents=True)
    words = {
        "flag": "🇳🇱",
        "interrogatives": {"why": ["waarom"], "when": ["wanneer"], "where": ["waar"]},
        "others": ["nog meer"],
    }
    (folder / "language.json").write_text(json.dumps(words, ensure_ascii=False), "utf-8")
    (folder / "offtopic.txt").write_text("\n".join(OFFTOPIC) + "\n", "utf-8")
    with TEMPLATE.open("rb") as fh:
        catalog = read_po(fh, locale="nl")
    for message in catalog:
        if message.id in FRAME or message.id in DISCORD:
            message.string = FRAME.get(str(message.id)) or DISCORD[str(message.id)]
    with (folder / "LC_MESSAGES" / "newsbot.po").open("wb") as fh:
        write_po(fh, catalog)
    return folder


@pytest.fixture
def dutch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    folder = write_dutch(tmp_path)
    monkeypatch.setattr(locales, "ROOTS", (locales.SHIPPED, tmp_path))
    locales.reload()
    yield folder
    monkeypatch.undo()
    locales.reload()


def test_without_the_folder_dutch_gets_english(tmp_path: Path) -> None:
    from bot.answering.phrases import template_language
    from bot.discord.i18n.translator import t

    assert "nl" not in locales.registry()
    assert template_language("nl") == "en"
    assert t("Thanks for the feedback!", "nl") == "Thanks for the feedback!"


def test_the_answer_layer_uses_the_new_folders_frame(dutch: Path) -> None:
    from bot.answering.compose import Answerer
    from bot.answering.phrases import phrase, template_language, template_languages
    from bot.answering.refusal import NullScores
    from bot.settings import Settings
    from tests.bot.answering.news import passage

    assert "nl" in template_languages() and template_language("nl-BE") == "nl"
    assert phrase("nl", "disagree", values="x") == "De bronnen verschillen: x."

    def search(query: str, k: int) -> list:
        return [passage("bees", 0.3)]

    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    answer = Answerer(settings, nulls=NullScores(search, lambda: 1)).answer(
        "Wat zeiden de imkers over de honingoogst van dit jaar?", []
    )
    assert answer.refused and answer.language == "nl"
    assert answer.text.startswith("De artikelen die ik heb gaan hier niet over."), answer.text


def test_question_kinds_and_the_refusals_calibration_read_the_new_folder(dutch: Path) -> None:
    from bot.answering.extractive.kinds import question_kind
    from bot.answering.refusal import null_language, offtopic_questions

    assert question_kind("Waarom sloot de fabriek vorig jaar?") == "why"
    questions = offtopic_questions()
    assert questions["nl"] == OFFTOPIC and list(questions)[-1] == "nl"  # after the shipped ones
    assert null_language("nl") == "nl"


@pytest.mark.asyncio
async def test_discord_notes_and_commands_use_the_new_catalog(dutch: Path) -> None:
    from bot.discord.i18n.translator import Translator, lang_of, t
    from bot.discord.ui.formatting import language_label

    assert lang_of(discord.Locale.dutch) == "nl"
    assert t("Thanks for the feedback!", discord.Locale.dutch) == "Bedankt voor de feedback!"
    # not translated in the new catalog: English
    assert t("A rebuild is already running.", "nl") == "A rebuild is already running."
    translator = Translator()
    ask = app_commands.locale_str("Ask a question about the news articles.")
    context = app_commands.TranslationContext(
        app_commands.TranslationContextLocation.command_description, None
    )
    assert await translator.translate(ask, discord.Locale.dutch, context) == (
        "Stel een vraag over de nieuwsartikelen."
    )
    reset = app_commands.locale_str("Start a new conversation in this thread.")
    assert await translator.translate(reset, discord.Locale.dutch, context) is None
    assert language_label("nl", "Nederlands") == "🇳🇱 Nederlands"


def test_the_new_catalog_is_checked_like_the_shipped_ones(dutch: Path) -> None:
    assert problems([locales.registry()["nl"]]) == []
    po = dutch / "LC_MESSAGES" / "newsbot.po"
    po.write_text(
        po.read_text("utf-8").replace('"De bronnen verschillen: {values}."', '"{waarden}"'),
        "utf-8",
    )
    assert any("must name ['values']" in line for line in problems([locales.reload()["nl"]]))


def test_a_broken_language_file_is_a_clear_error(tmp_path: Path) -> None:
    from index.errors import ConfigError

    folder = write_dutch(tmp_path)
    (folder / "language.json").write_text('{"interrogatives": {"whom": ["wie"]}}', "utf-8")
    with pytest.raises(ConfigError, match="unknown kind"):
        locales.Registry((locales.SHIPPED, tmp_path))


def test_the_shipped_catalogs_are_in_step_with_the_code() -> None:
    assert problems() == []
