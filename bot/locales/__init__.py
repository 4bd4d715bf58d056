"""Every language the bot speaks, one folder each: ``bot/locales/<code>/``.

A folder holds everything its language needs (docs/development.md, "Adding a language"):

- ``LC_MESSAGES/newsbot.po`` — the gettext catalog: the Discord texts and the answer's frame,
  translated from the English of the code (``python -m bot.locales update`` extracts them
  with Babel into ``newsbot.pot`` and merges that into every catalog);
- ``language.json`` — its flag and the interrogatives that tell what a question asks for
  (``{"flag": "🇩🇪", "interrogatives": {"who": [...], ...}, "others": [...]}``);
- ``offtopic.txt`` — 40 everyday questions no news answers, one a line (the refusal's
  calibration, bot/answering/refusal.py; how to write them: ``README.md`` beside this file).

The registry finds the folders at first use; nothing lists the languages anywhere else.
The catalogs are read as ``.po`` (Babel) and turned into the standard library's
``gettext.GNUTranslations`` in memory, so there is no compile step and no binary file to
keep in step with its source: a folder added is a language the bot speaks.
"""

from __future__ import annotations

import gettext
import io
import json
import logging
from collections.abc import Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import Any

from index.errors import ConfigError

log = logging.getLogger(__name__)

SHIPPED = Path(__file__).parent
# Where languages are looked for; a later folder's language replaces an earlier one's.
ROOTS: tuple[Path, ...] = (SHIPPED,)
DOMAIN = "newsbot"
SOURCE = "en"  # the language of the code's texts (the msgids)
# What a question may ask for (bot/answering/extractive/kinds.py); "other" = what/which/how.
KINDS = ("who", "when", "count", "duration", "where", "why", "other")


def N_(message: str) -> str:  # noqa: N802 - gettext's name for "translate later"
    """Marks `message` for extraction; translated later, where its language is known."""
    return message


class Language:
    """One folder: its catalog (read at first use), flag, interrogatives and off-topic
    questions."""

    def __init__(self, code: str, folder: Path) -> None:
        self.code = code
        self.folder = folder
        data = _read_json(folder / "language.json")
        self.flag: str | None = _optional_str(data, "flag", folder)
        self.interrogatives: dict[str, tuple[str, ...]] = _interrogatives(data, folder)
        self.others: tuple[str, ...] = _words(data.get("others", []), folder, "others")
        self.offtopic: tuple[str, ...] = _lines(folder / "offtopic.txt")
        self._translations: gettext.GNUTranslations | None = None
        self._translated: frozenset[str] = frozenset()

    def __repr__(self) -> str:
        return f"Language({self.code!r}, {str(self.folder)!r})"

    @property
    def catalog_path(self) -> Path:
        return self.folder / "LC_MESSAGES" / f"{DOMAIN}.po"

    def _load(self) -> gettext.GNUTranslations:
        if self._translations is None:
            self._translations, self._translated = _translations(self.catalog_path)
        return self._translations

    def gettext(self, message: str) -> str:
        """`message` (the code's English) in this language; the English when untranslated."""
        return self._load().gettext(message)

    def translates(self, message: str) -> bool:
        """Whether the catalog has a translation of `message` (English translates all)."""
        self._load()
        return self.code == SOURCE or message in self._translated


class Registry(Mapping[str, Language]):
    """The languages found under `roots`, by code (sorted)."""

    def __init__(self, roots: tuple[Path, ...]) -> None:
        found: dict[str, Language] = {}
        for root in roots:
            if not root.is_dir():
                raise ConfigError(f"no folder of languages at {root}")
            for folder in sorted(root.iterdir()):
                if folder.is_dir() and (folder / "language.json").is_file():
                    found[folder.name] = Language(folder.name, folder)
        if SOURCE not in found:
            raise ConfigError(f"no {SOURCE}/ language folder in {', '.join(map(str, roots))}")
        self._languages = dict(sorted(found.items()))

    def __getitem__(self, code: str) -> Language:
        return self._languages[code]

    def __iter__(self) -> Iterator[str]:
        return iter(self._languages)

    def __len__(self) -> int:
        return len(self._languages)

    def __hash__(self) -> int:  # cached per registry (a reload is a new one)
        return id(self)

    def __eq__(self, other: object) -> bool:
        return other is self

    def best(self, code: str | None) -> str:
        """The folder for a language tag: "zh-TW" → "zh-Hant", "pt-BR" → "pt", "es-419" →
        "es"; English when no folder speaks it."""
        from index.language import normalize_code

        if code in self._languages:
            return code
        normal = normalize_code(code) if code else SOURCE
        return normal if normal in self._languages else SOURCE


@cache
def registry() -> Registry:
    """The languages of ROOTS (read once; ``reload()`` after changing them)."""
    return Registry(ROOTS)


def reload() -> Registry:
    """Find the languages again (a test that adds a folder, an operator's new catalog)."""
    registry.cache_clear()
    return registry()


# -- reading a folder ----------------------------------------------------------------------


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ConfigError(f"{path} cannot be read as JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise ConfigError(f"{path} must hold a JSON object")
    return data


def _optional_str(data: dict[str, Any], key: str, folder: Path) -> str | None:
    value = data.get(key)
    if value is not None and not isinstance(value, str):
        raise ConfigError(f"{folder / 'language.json'}: {key!r} must be a string")
    return value


def _words(value: object, folder: Path, what: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(w, str) and w.strip() for w in value):
        raise ConfigError(f"{folder / 'language.json'}: {what} must be a list of words")
    return tuple(w.casefold() for w in value)


def _interrogatives(data: dict[str, Any], folder: Path) -> dict[str, tuple[str, ...]]:
    table = data.get("interrogatives", {})
    if not isinstance(table, dict):
        raise ConfigError(f"{folder / 'language.json'}: interrogatives must be an object")
    unknown = set(table) - set(KINDS)
    if unknown:
        raise ConfigError(
            f"{folder / 'language.json'}: unknown kind(s) {', '.join(sorted(unknown))}; "
            f"the kinds are {', '.join(KINDS)}"
        )
    return {kind: _words(table[kind], folder, f"interrogatives.{kind}") for kind in table}


def _lines(path: Path) -> tuple[str, ...]:
    if not path.exists():
        return ()
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path} cannot be read as UTF-8 text: {exc}") from exc
    return tuple(line.strip() for line in text.splitlines() if line.strip())


def _translations(path: Path) -> tuple[gettext.GNUTranslations, frozenset[str]]:
    """The .po at `path` as the standard library's translations, and the msgids it
    translates (an absent catalog translates nothing)."""
    from babel.messages.catalog import Catalog
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import PoFileError, read_po

    catalog = Catalog()
    if path.exists():
        try:
            with path.open("rb") as fh:
                catalog = read_po(fh, abort_invalid=True)
        except (OSError, PoFileError, ValueError) as exc:
            raise ConfigError(f"{path} is not a readable gettext catalog: {exc}") from exc
    translated = frozenset(
        str(m.id) for m in catalog if m.id and isinstance(m.id, str) and m.string and not m.fuzzy
    )
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer), translated
