"""Reader languages: the languages an asker reads, in order of preference.

Of two equally good sources, the one in the earliest reader language is quoted first
(bot/answering/extractive/compose.py ``choose_quotes``). The question's own language always
comes first; then, in the Discord bot, the member's locale, the server's ``/config
languages``, the server's preferred locale; then ``NEWSBOT_READER_LANGUAGES``.
"""

from __future__ import annotations

from collections.abc import Iterable


def known_language(code: str) -> bool:
    """CLDR knows the language (Babel), so it can be named and matched."""
    from babel import Locale, UnknownLocaleError

    try:
        Locale.parse(code.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return False
    return True


def reader_languages(items: Iterable[str]) -> tuple[list[str], list[str]]:
    """(the codes in our form, in order, without repeats; the items that name no language).
    Accepts "en", "EN_us", "zh-TW", "pt-BR" (→ "en", "en", "zh-Hant", "pt")."""
    from index.language import normalize_code

    codes: list[str] = []
    unknown: list[str] = []
    for item in items:
        item = item.strip()
        if not item:
            continue
        code = normalize_code(item)
        if code in ("", "und") or not known_language(code):
            unknown.append(item)
        elif code not in codes:
            codes.append(code)
    return codes, unknown
