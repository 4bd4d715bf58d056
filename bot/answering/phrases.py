"""The frame of an answer in the asker's language: its fixed sentences, language names, lists.

The sentences live as data, one JSON file per template language in `locales/`
(`locales/de.json`, …); every file holds every key in `KEYS`. Adding a language is adding
a file. A question in a language without a file gets the English frame, and the language
names inside it are then English too, so a sentence never mixes two languages.

Language names and list conventions come from CLDR through Babel, not from a table of
ours. Templates are written so that a language name stands in the nominative (e.g. Russian
"на языках: русский", Turkish "Rusça kaynaklarda"), because CLDR gives names in that
form only.
"""

from __future__ import annotations

import json
import logging
import re
import string
from functools import cache, lru_cache
from importlib import resources

from babel import Locale
from babel.lists import format_list

log = logging.getLogger(__name__)

FALLBACK = "en"
KEYS: dict[str, frozenset[str]] = {
    # key → the named variables its template must use (and may use: no others).
    "lead": frozenset(),  # "The articles say (quoted in their original language):"
    "answer": frozenset({"answer", "refs"}),  # the answer line, then its citation marks
    "also": frozenset({"languages", "refs"}),  # "also reported in {languages} {refs}"
    "refusal": frozenset(),  # "The articles I have do not cover this."
    "nearest": frozenset({"titles"}),  # "Nearest articles: {titles}."
    "partial": frozenset(),  # "The articles only partly cover this; closest passages:"
    "disagree": frozenset({"values"}),  # "Sources differ: {values}."
    "versus": frozenset(),  # " vs ", between the values of "disagree"
    "and": frozenset(),  # a plain list joiner (`join_names` follows CLDR instead)
    "short_label": frozenset(),  # prefix of the short answer line; may be empty
}


def _load() -> dict[str, dict[str, str]]:
    folder = resources.files(__package__).joinpath("locales")
    tables: dict[str, dict[str, str]] = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".json"):
            tables[entry.name.removesuffix(".json")] = json.loads(entry.read_text("utf-8"))
    return tables


PHRASES: dict[str, dict[str, str]] = _load()
TEMPLATE_LANGUAGES: tuple[str, ...] = tuple(PHRASES)


def template_fields(template: str) -> set[str]:
    """The named variables of a template ("{answer} {refs}" → {"answer", "refs"})."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


@lru_cache(maxsize=256)
def template_language(code: str) -> str:
    """The template language for a language tag: "pt-BR" → "pt", "zh-TW" → "zh-Hant",
    "zh-CN" or "zh" → "zh-Hans", "de_AT" → "de"; English when we have no templates."""
    from index.language import normalize_code

    if code in PHRASES:
        return code
    normal = normalize_code(code) if code else FALLBACK
    return normal if normal in PHRASES else FALLBACK


def phrase(code: str, key: str, **values: str) -> str:
    """The sentence `key` in the template language for `code`, with `values` filled in.

    A variable the template names but `values` lacks is an error (KeyError naming it)."""
    language = template_language(code)
    template = PHRASES[language].get(key)
    if template is None:
        if key not in KEYS:
            raise KeyError(f"no phrase {key!r}; known phrases: {', '.join(KEYS)}")
        log.warning("phrase %r missing for %s; using English", key, language)
        template = PHRASES[FALLBACK][key]
    missing = template_fields(template) - values.keys()
    if missing:
        raise KeyError(f"phrase {key!r} needs {', '.join(sorted(missing))}")
    return template.format(**values)


@cache
def _babel_locale(template: str) -> Locale:
    return Locale.parse(template.replace("-", "_"))


@lru_cache(maxsize=1024)
def local_language_name(language: str, in_language: str) -> str:
    """Name of `language` as written inside a sentence of the frame for `in_language`
    (index.language.language_name, CLDR): ("ru", "de") → "Russisch". The frame's language
    decides, so a question in a language without templates gets English names."""
    from index.language import language_name, normalize_code

    code = normalize_code(language) if language else "und"
    return language_name(code, template_language(in_language))


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
