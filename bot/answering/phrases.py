"""The few fixed sentences an answer is built from, in the languages we have templates for.

English is the fallback for any other question language. Language names inside these
sentences are localised for the template languages; `index.language.language_name` gives
the English name used in citations.
"""

from __future__ import annotations

import logging
import re

log = logging.getLogger(__name__)

PHRASES: dict[str, dict[str, str]] = {
    "en": {
        "disagree": "Sources differ: {values}.",
        "versus": " vs ",
        "lead": "The articles say (quoted in their original language):",
        "answer": "{answer} {refs}",
        "also": "also reported in {languages} {refs}",
        "refusal": "The articles I have do not cover this.",
        "nearest": "Nearest articles: {titles}.",
        "and": " and ",
    },
    "id": {
        "disagree": "Sumber berbeda: {values}.",
        "versus": " vs ",
        "lead": "Menurut artikel (dikutip dalam bahasa aslinya):",
        "answer": "{answer} {refs}",
        "also": "juga diberitakan dalam bahasa {languages} {refs}",
        "refusal": "Artikel yang saya miliki tidak membahas hal ini.",
        "nearest": "Artikel terdekat: {titles}.",
        "and": " dan ",
    },
    "ru": {
        "disagree": "Источники расходятся: {values}.",
        "versus": " против ",
        "lead": "В статьях сказано (цитаты на языке оригинала):",
        "answer": "{answer} {refs}",
        "also": "также сообщается на {languages} {refs}",
        "refusal": "В моих статьях об этом не говорится.",
        "nearest": "Ближайшие статьи: {titles}.",
        "and": " и ",
    },
    "zh-Hans": {
        "disagree": "各来源说法不一：{values}。",
        "versus": "；",
        "lead": "文章中写道（引用原文）：",
        "answer": "{answer} {refs}",
        "also": "另有{languages}报道 {refs}",
        "refusal": "我所有的文章没有涉及这个问题。",
        "nearest": "最相关的文章：{titles}。",
        "and": "、",
    },
    "zh-Hant": {
        "disagree": "各來源說法不一：{values}。",
        "versus": "；",
        "lead": "文章中寫道（引用原文）：",
        "answer": "{answer} {refs}",
        "also": "另有{languages}報導 {refs}",
        "refusal": "我所有的文章沒有涉及這個問題。",
        "nearest": "最相關的文章：{titles}。",
        "and": "、",
    },
}

# Language names as they read inside a sentence of the template language.
LOCAL_LANGUAGE_NAMES: dict[str, dict[str, str]] = {
    "id": {
        "en": "Inggris",
        "id": "Indonesia",
        "ru": "Rusia",
        "zh-Hans": "Tionghoa (Sederhana)",
        "zh-Hant": "Tionghoa (Tradisional)",
    },
    "ru": {
        "en": "английском",
        "id": "индонезийском",
        "ru": "русском",
        "zh-Hans": "китайском (упрощённом)",
        "zh-Hant": "китайском (традиционном)",
    },
    "zh-Hans": {
        "en": "英文",
        "id": "印尼文",
        "ru": "俄文",
        "zh-Hans": "简体中文",
        "zh-Hant": "繁体中文",
    },
    "zh-Hant": {
        "en": "英文",
        "id": "印尼文",
        "ru": "俄文",
        "zh-Hans": "簡體中文",
        "zh-Hant": "繁體中文",
    },
}

_CJK = re.compile(r"[\u3400-\u9fff]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")


def template_language(code: str) -> str:
    """The template language used for a question language (English when we have none)."""
    if code in PHRASES:
        return code
    if code.startswith("zh"):
        return "zh-Hans"
    return "en"


def phrase(code: str, key: str, **values: str) -> str:
    """A fixed sentence in the template language for `code`, with `values` filled in."""
    return PHRASES[template_language(code)][key].format(**values)


def local_language_name(language: str, in_language: str) -> str:
    """Name of `language` as written in a sentence of `in_language`."""
    from index.language import language_name

    table = LOCAL_LANGUAGE_NAMES.get(template_language(in_language), {})
    return table.get(language) or language_name(language)


def join_names(names: list[str], in_language: str) -> str:
    sep = PHRASES[template_language(in_language)]["and"]
    if len(names) <= 2:
        return sep.join(names)
    if sep.strip():
        return ", ".join(names[:-1]) + sep + names[-1]
    return sep.join(names)


def question_language(question: str) -> str:
    """Language code of a question; short questions get a script-based sanity check."""
    from index.language import detect_language

    code = detect_language(question)
    if _CJK.search(question) and not code.startswith("zh"):
        # A Chinese question mentioning Latin names can be misread as another language.
        code = detect_language(re.sub(r"[A-Za-z0-9]+", "", question)) or "zh-Hans"
        if not code.startswith("zh"):
            code = "zh-Hans"
    elif _CYRILLIC.search(question) and code in ("und", "en", "id"):
        code = "ru"
    if code == "und":
        code = "en"
    log.debug("question language %s", code)
    return code
