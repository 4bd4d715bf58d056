"""Keeping the catalogs in step with the code (Babel): extract, update, check.

The code's texts are marked by `t(...)` and `ls(...)` (bot/discord/i18n/translator.py) and
`N_(...)` (the answer's frame, bot/answering/phrases.py). `update` extracts them from
``bot/`` into ``bot/locales/newsbot.pot`` and merges that template into every language's
``LC_MESSAGES/newsbot.po`` (a folder without one gets a new, untranslated catalog); `check`
reports what is out of step, without writing. ``python -m bot.locales update|check`` runs
them (``make locales``); a test runs `check`.
"""

from __future__ import annotations

import string
from collections.abc import Iterable
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from bot.locales import DOMAIN, SHIPPED, SOURCE, Language, registry

SOURCE_ROOT = SHIPPED.parent.parent  # the folder holding bot/ (paths in the catalogs)
TEMPLATE = SHIPPED / f"{DOMAIN}.pot"
KEYWORDS: dict[str, None] = {"t": None, "ls": None, "N_": None}
PROJECT = "newsbot"
_UPDATE = "run python -m bot.locales update"


def _new_catalog(locale: str | None = None) -> Catalog:
    return Catalog(
        locale=locale,
        domain=DOMAIN,
        project=PROJECT,
        copyright_holder="newsbot contributors",
        fuzzy=False,
    )


def extract() -> Catalog:
    """The texts the code marks, as a template (file names without line numbers, so that
    moving code does not change the catalogs)."""
    template = _new_catalog()
    package = SOURCE_ROOT / "bot"
    for filename, _lineno, message, comments, context in extract_from_dir(
        package,
        method_map=[("**.py", "python")],
        keywords=KEYWORDS,
        comment_tags=("TRANSLATORS:",),
        strip_comment_tags=True,
    ):
        if not isinstance(message, str):  # a keyword called with a non-literal
            continue
        where = (Path("bot") / filename).as_posix()
        # no line number: moving code does not change the catalogs
        template.add(message, None, [(where, 0)], auto_comments=comments, context=context)
    return template


def _read(path: Path) -> Catalog:
    with path.open("rb") as fh:
        return read_po(fh)


def _write(path: Path, catalog: Catalog) -> None:
    with path.open("wb") as fh:
        write_po(fh, catalog, width=100, include_lineno=False, sort_by_file=False)


def _content(catalog: Catalog) -> list[tuple[object, ...]]:
    return [
        (
            m.id,
            m.string or "",
            m.context,
            tuple(sorted({f for f, _ in m.locations})),
            m.fuzzy,
            tuple(m.auto_comments),
        )
        for m in catalog
        if m.id
    ]


def _store(path: Path, catalog: Catalog) -> bool:
    """Write `catalog` unless the file already holds the same messages; whether written."""
    if path.exists() and _content(_read(path)) == _content(catalog):
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    _write(path, catalog)
    return True


def merged(language: Language, template: Catalog) -> Catalog:
    """The language's catalog with the template's messages: new texts untranslated, texts
    no longer in the code dropped (Babel's update without fuzzy guesses)."""
    if language.catalog_path.exists():
        catalog = _read(language.catalog_path)
    else:
        catalog = _new_catalog(locale=language.code.replace("-", "_"))
    catalog.update(template, no_fuzzy_matching=True)
    catalog.obsolete.clear()
    return catalog


def update() -> list[Path]:
    """Extract the template and merge it into every language's catalog; the files written."""
    template = extract()
    written = [TEMPLATE] if _store(TEMPLATE, template) else []
    for language in registry().values():
        if language.folder.parent != SHIPPED:
            continue  # a language from another folder keeps its own catalog
        if _store(language.catalog_path, merged(language, template)):
            written.append(language.catalog_path)
    return written


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def problems(languages: Iterable[Language] | None = None) -> list[str]:
    """What is out of step: the template vs the code, each catalog vs the template, and
    translations whose {fields} differ from the English."""
    template = extract()
    found: list[str] = []
    wanted = {m.id for m in template if m.id}
    if not TEMPLATE.exists() or {m.id for m in _read(TEMPLATE) if m.id} != wanted:
        found.append(f"{TEMPLATE.name} is not what the code marks: {_UPDATE}")
    for language in languages if languages is not None else registry().values():
        path = language.catalog_path
        if language.code == SOURCE and not path.exists():
            continue
        if not path.exists():
            found.append(f"{path} is missing: {_UPDATE}")
            continue
        catalog = _read(path)
        have = {m.id for m in catalog if m.id}
        if have != wanted:
            found.append(
                f"{path}: {len(wanted - have)} text(s) missing, {len(have - wanted)} no longer "
                f"in the code: {_UPDATE}"
            )
        found.extend(_field_problems(path, catalog))
    return found


def _field_problems(path: Path, catalog: Catalog) -> list[str]:
    out = []
    for message in catalog:
        english, text = message.id, message.string
        if not (isinstance(english, str) and english and isinstance(text, str) and text):
            continue  # the header, a plural, or untranslated
        if _fields(text) != _fields(english):
            out.append(f"{path}: {text!r} must name {sorted(_fields(english))}")
    return out
