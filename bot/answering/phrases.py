"""The frame of an answer in the asker's language: its fixed sentences, language names, lists.

The sentences are gettext messages: `FRAMES` below holds them in English (Babel extracts them
with the Discord texts, ``python -m bot.locales update``), and each language's catalog,
``bot/locales/<code>/LC_MESSAGES/newsbot.po``, translates them. A language is a template
language when its catalog translates every sentence of the frame; a question in any other
language gets the English frame, and the language names inside it are then English too, so
a sentence never mixes two languages.

Language names and list conventions come from CLDR through Babel, not from a table of
ours. Templates are written so that a language name stands in the nominative (e.g. Russian
"на языках: русский", Turkish "Rusça kaynaklarda"), because CLDR gives names in that
form only.
"""

from __future__ import annotations

import logging
import re
import string
from functools import cache, lru_cache

from babel import Locale, UnknownLocaleError
from babel.lists import format_list

from bot.locales import N_, SOURCE, Language, Registry, registry

log = logging.getLogger(__name__)

FALLBACK = SOURCE
# key → its English template (the msgid). The named variables of the English template are
# the ones every translation must use (and may use: no others).
FRAMES: dict[str, str] = {
    "lead": N_("The articles say (quoted in their original language):"),
    "answer": N_("{answer} {refs}"),  # the answer line, then its citation marks
    "also": N_("also reported in {languages} {refs}"),
    "refusal": N_("The articles I have do not cover this."),
    "nearest": N_("Nearest articles: {titles}."),
    "partial": N_("The articles only partly cover this; closest passages:"),
    "disagree": N_("Sources differ: {values}."),
    "versus": N_(" vs "),  # between the values of "disagree"
    "and": N_(" and "),  # a plain list joiner (`join_names` follows CLDR instead)
    "short_label": N_("Short answer:"),  # prefix of the short answer line
}


def template_fields(template: str) -> set[str]:
    """The named variables of a template ("{answer} {refs}" → {"answer", "refs"})."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


KEYS: dict[str, frozenset[str]] = {
    key: frozenset(template_fields(english)) for key, english in FRAMES.items()
}


def has_frame(language: Language) -> bool:
    """Whether the language's catalog translates every sentence of the frame."""
    return all(language.translates(english) for english in FRAMES.values())


def template_languages() -> tuple[str, ...]:
    """The languages whose catalogs hold the whole frame (English among them)."""
    return _template_languages(registry())


@lru_cache(maxsize=4)
def _template_languages(languages: Registry) -> tuple[str, ...]:
    return tuple(code for code, language in languages.items() if has_frame(language))


def frame(language: str) -> dict[str, str]:
    """Every template of the frame in the template language for `language`."""
    chosen = registry()[template_language(language)]
    return {key: chosen.gettext(english) for key, english in FRAMES.items()}


def template_language(code: str) -> str:
    """The template language for a language tag: "pt-BR" → "pt", "zh-TW" → "zh-Hant",
    "zh-CN" or "zh" → "zh-Hans", "de_AT" → "de"; English when we have no templates."""
    return _template_language(registry(), code)


@lru_cache(maxsize=512)
def _template_language(languages: Registry, code: str) -> str:
    best = languages.best(code)
    return best if has_frame(languages[best]) else FALLBACK


def phrase(code: str, key: str, **values: str) -> str:
    """The sentence `key` in the template language for `code`, with `values` filled in.

    A variable the template names but `values` lacks is an error (KeyError naming it)."""
    english = FRAMES.get(key)
    if english is None:
        raise KeyError(f"no phrase {key!r}; known phrases: {', '.join(FRAMES)}")
    template = registry()[template_language(code)].gettext(english)
    missing = template_fields(template) - values.keys()
    if missing:
        raise KeyError(f"phrase {key!r} needs {', '.join(sorted(missing))}")
    return template.format(**values)


@cache
def _babel_locale(template: str) -> Locale:
    """CLDR's data for a template language (English's for a code CLDR does not know)."""
    try:
        return Locale.parse(template.replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        log.warning("CLDR has no locale %r; its lists follow English", template)
        return Locale.parse(FALLBACK)


def local_language_name(language: str, in_language: str) -> str:
    """Name of `language` as written inside a sentence of the frame for `in_language`
    (index.language.language_name, CLDR): ("ru", "de") → "Russisch". The frame's language
    decides, so a question in a language without templates gets English names."""
    return _local_language_name(language, template_language(in_language))


@lru_cache(maxsize=1024)
def _local_language_name(language: str, template: str) -> str:
    from index.language import language_name, normalize_code

    code = normalize_code(language) if language else "und"
    return language_name(code, template)


# Spanish writes "e" for "y" before a word that starts with the sound /i/ ("ruso e
# indonesio", "francés e hindi") but not before a diphthong ("cobre y hierro"). CLDR's
# list patterns do not carry this rule.
_SPANISH_Y = re.compile(r"(?<=\s)y(?=\s+(?:h?[iíIÍ])(?![aeouáéóú]))")


def join_names(names: list[str], in_language: str) -> str:
    """`names` as a list in the frame's language, following CLDR's list patterns:
    "Russian, Indonesian, and German"; "俄语、印度尼西亚语和德语"; "الروسية والإندونيسية"."""
    language = template_language(in_language)
    if not names:
        return ""
    text = format_list(list(names), style="standard", locale=_babel_locale(language))
    if language == "es":
        text = _SPANISH_Y.sub("e", text)
    return text
