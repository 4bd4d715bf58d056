"""Names across scripts: the romanised keys that let "Kenji Takeda" find 武田健二, 다케다 겐지,
Кэндзи Такэда, كينجي تاكيدا or केंजी ताकेदा.

Every word that may be a name becomes a *name part*; each part is romanised and reduced to
phonetic keys. The build stores a chunk's keys with its keyword tokens (index/store/catalog.py),
the search computes the question's parts and gives a chunk the share of the question's name
weight it holds (``NameQuery.score``, fused by index/retrieval/fusion.py).

Which words may be names:

- cased scripts (Latin, Cyrillic, Greek, ...): capitalised words (a hyphenated one whole and
  in pieces: Min-seok); two adjacent ones also make
  a part of both joined, in either order ("Minghui Wang" → ``minghuiwang``/``wangminghui``),
  so a name one script writes as one word (왕밍후이, 王明辉) still matches;
- scripts without case (Hangul, Arabic, Devanagari, ...): every word; a Hangul word also
  without its last one or two syllables (the particles: 겐지는, 다케다에게), an Arabic word
  also without the article ال;
- Katakana runs (split at ・); Han runs: every 2–4 character window read in pinyin (Chinese
  names, and Chinese spellings of foreign ones), and the words pykakasi reads in the run
  with their Japanese (Hepburn) reading, alone and with their neighbour (武田健二 → takeda,
  kenji, takedakenji).

Romanisation: anyascii (every script), pypinyin (Han, Mandarin), pykakasi (Japanese) —
maintained libraries whose data ship in their wheels, loaded on first use.

Keys: the romanisation is reduced to sound classes, the idea of Soundex (Russell, 1918) and
of Editex (Zobel & Dart, 1996), with the classes chosen for the confusions that
romanisation systems make between each other rather than English spelling: voicing is
not kept (Korean 다케다 = dakeda; Arabic has no p), affricates and sibilants are one class
(Hepburn ji, Kunrei zi, Polivanov дзи, pinyin x, Arabic ج), l = r (Japanese, Korean and
Chinese do not tell them apart), m = n and ng = n (anusvara, Palladius), h is dropped (kh,
silent h, Korean/Japanese f→h), vowels fold to a / i (e, i, y) / u (o, u) and runs of one
class collapse (ou, ō, doubled letters). A *full* key keeps the vowel classes; a
*skeleton* drops them (Arabic and Hebrew write few vowels, inflection changes final
vowels: Такэды, Такэдой). A Katakana word is read also without the vowel that ends a
foreign final consonant (ミンソク minsoku → minsok). A part matches fully on its full key
and for ``SKELETON_CREDIT`` on its skeleton alone.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import regex

from index.text import script_of

# Keys live among a chunk's keyword tokens, each led by a mark that says its kind (full or
# skeleton) and the script it was read from. The marks are private-use characters: they can
# never appear in a keyword token (index/retrieval/keyword.py splits at them), and SQLite
# FTS5's unicode61 tokenizer treats them as letters, so a key is one FTS token.
SCRIPTS = (
    "latin", "cyrillic", "greek", "armenian", "georgian", "han", "kana", "hangul", "arabic",
    "hebrew", "devanagari", "bengali", "tamil", "thai", "lao", "myanmar", "khmer", "other",
)  # fmt: skip
FIRST_MARK = 0xE000
# Credit of a part matched on its skeleton only (vowels unknown: consistent with more names).
# Set on the dev half of eval/names (benchmarks/names.py --split dev).
SKELETON_CREDIT = 0.5
MIN_IDF_MASS = 3.0  # as index/retrieval/keyword.py: one common part alone gets partial weight
HAN_WINDOWS = (2, 3, 4)  # characters per pinyin window: Chinese names are 2-3, 4 for pairs
CASED = frozenset({"latin", "cyrillic", "greek", "armenian", "georgian"})

_LETTERS = r"[[\p{L}\p{M}]--[\p{Han}\p{Katakana}\p{Hangul}\p{Hiragana}]]+"
# Han, Katakana, Hangul and Hiragana runs; other words, hyphenated ones whole (Min-seok).
_RUN = regex.compile(
    rf"(?V1)\p{{Han}}+|[\p{{Katakana}}ー]+|\p{{Hangul}}+|\p{{Hiragana}}+"
    rf"|{_LETTERS}(?:[-‐]{_LETTERS})*"
)
_HYPHEN = regex.compile(r"[-‐]")
_HIRAGANA = regex.compile(r"\p{Hiragana}+")
_GAP = regex.compile(r"^[\s\-‐‑·・]*$")  # what may stand between two parts of one name
# Digraphs of the romanisations, each to one sound class letter (see the module docstring).
_DIGRAPHS = (
    ("tsch", "s"), ("sch", "s"), ("dzh", "s"), ("tch", "s"), ("ch", "s"), ("sh", "s"),
    ("zh", "s"), ("dz", "s"), ("dj", "s"), ("ts", "s"), ("tz", "s"), ("ck", "k"),
    ("kh", "h"), ("ph", "p"), ("th", "t"), ("ng", "n"),
)  # fmt: skip
_CLASSES = str.maketrans(
    {
        **dict.fromkeys("bpfvw", "p"),
        **dict.fromkeys("dt", "t"),
        **dict.fromkeys("gkqc", "k"),
        **dict.fromkeys("szjx", "s"),
        **dict.fromkeys("mn", "n"),
        **dict.fromkeys("lr", "l"),
        **dict.fromkeys("eiy", "i"),
        **dict.fromkeys("ou", "u"),
        "h": None,
    }
)
_SOFT_C = regex.compile(r"c(?=[eiy])")
_RUNS = regex.compile(r"(.)\1+")
_VOWELS = regex.compile(r"[aiu]")
# Katakana spellings of a foreign word end a final consonant with a vowel (ミンソク minsoku,
# ハンス hansu, ハッダード haddādo): read also without it.
_KANA_EPENTHESIS = regex.compile(r"(?<=[^aeiou])[uo]$")


@dataclass(frozen=True)
class NamePart:
    """One word that may be a name, as its keys (alternatives: any of them matches)."""

    full: frozenset[str]  # marked (see ``mark``)
    skeleton: frozenset[str]

    @property
    def keys(self) -> frozenset[str]:
        return self.full | self.skeleton


@lru_cache(maxsize=65536)
def keys_of(romanised: str) -> tuple[str, str] | None:
    """(full key, skeleton key) of one romanised word; "" for a skeleton with fewer than two
    consonants; None when the word is too short to say anything."""
    from anyascii import anyascii

    s = regex.sub(r"[^a-z]", "", anyascii(romanised).lower())
    for digraph, letter in _DIGRAPHS:
        s = s.replace(digraph, letter)
    s = _RUNS.sub(r"\1", _SOFT_C.sub("s", s).translate(_CLASSES))
    consonants = _VOWELS.sub("", s)
    if len(s) < 2 or not consonants:
        return None
    return s, (consonants if len(consonants) >= 2 else "")


def mark(script: str, skeleton: bool = False) -> str:
    """The mark of keys read from ``script`` (full keys, or skeletons)."""
    index = SCRIPTS.index(script) if script in SCRIPTS else len(SCRIPTS) - 1
    return chr(FIRST_MARK + 2 * index + int(skeleton))


def targets(script: str) -> tuple[str, ...]:
    """The scripts a question's part in ``script`` is looked for in: every other one. Within
    its own script the keyword tokens find a word already (index/retrieval/keyword.py), and
    the template words of look-alike stories would match there too."""
    return tuple(s for s in SCRIPTS if s != script)


def _part(readings: Iterable[str], script: str, query: bool) -> NamePart | None:
    full: set[str] = set()
    skeleton: set[str] = set()
    for reading in readings:
        keys = keys_of(reading)
        if keys is not None:
            full.add(keys[0])
            if keys[1]:
                skeleton.add(keys[1])
    if not full:
        return None
    scripts = targets(script) if query else (script,)
    return NamePart(
        frozenset(mark(t) + k for t in scripts for k in full),
        frozenset(mark(t, skeleton=True) + k for t in scripts for k in skeleton),
    )


@lru_cache(maxsize=1)
def _kakasi() -> Any:
    import pykakasi

    return pykakasi.kakasi()


def _pinyin(run: str) -> list[str]:
    from pypinyin import lazy_pinyin

    return [str(s) for s in lazy_pinyin(run)]


def _han_parts(run: str) -> list[list[str]]:
    """Readings of a Han run: pinyin windows, then pykakasi's words and neighbour pairs."""
    out: list[list[str]] = []
    syllables = _pinyin(run)
    if len(syllables) == len(run):
        for size in HAN_WINDOWS:
            out.extend(["".join(syllables[i : i + size])] for i in range(len(syllables) - size + 1))
    words = [w["hepburn"] for w in _kakasi().convert(run) if w.get("hepburn")]
    out.extend([w] for w in words)
    out.extend([a + b] for a, b in zip(words, words[1:], strict=False))
    return out


def _hangul_readings(word: str) -> list[str]:
    """A Hangul word, and without its last one or two syllables (particles) while two stay."""
    forms = [word]
    forms += [word[:-n] for n in (1, 2) if len(word) - n >= 2]
    return forms


def _kana_readings(run: str) -> list[str]:
    from anyascii import anyascii

    roman = anyascii(run).lower()
    bare = _KANA_EPENTHESIS.sub("", roman)
    return [roman, bare] if bare != roman else [roman]


# Arabic letters that write vowels (matres lectionis), which anyascii reads as consonants
# or drops: alif (also with hamza or madda, and alif maqsura) and ta marbuta as a, waw as u
# and ya as i after a word's first letter (where they are w and y).
_ARABIC_VOWELS = str.maketrans(
    dict.fromkeys("اآأإىة", "a") | dict.fromkeys("وؤ", "u") | {"ي": "i", "ی": "i"}
)


def _arabic(word: str) -> str:
    head = word[0] if word[0] not in "اآأإ" else "a"
    return head + word[1:].translate(_ARABIC_VOWELS)


def _caseless_readings(word: str, script: str | None) -> list[str]:
    if script == "hangul":
        return _hangul_readings(word)
    if script == "arabic":
        forms = [word, word[2:]] if word.startswith("ال") and len(word) > 4 else [word]
        return [_arabic(f) for f in forms]
    return [word]


def name_parts(text: str, query: bool = False) -> list[NamePart]:
    """The parts of ``text`` that may be names, in order (duplicates kept out), keyed as the
    build stores them or, with ``query``, as a question looks for them (``targets``)."""
    readings: list[tuple[list[str], str]] = []
    previous: tuple[int, str] | None = None  # end and reading of the last cased part
    for match in _RUN.finditer(text):
        run = match.group()
        script = script_of(run[0])
        if script == "han":
            readings.extend((forms, script) for forms in _han_parts(run))
        elif script == "kana":
            if not _HIRAGANA.fullmatch(run):
                readings.append((_kana_readings(run), script))
        elif script in CASED:
            if not run[0].isupper():
                previous = None
                continue
            pieces = _HYPHEN.split(run)
            run = "".join(pieces)
            if previous is not None and _GAP.match(text[previous[0] : match.start()]):
                readings.append(([previous[1] + run, run + previous[1]], script))
            readings.append(([run], script))
            if len(pieces) > 1:
                readings.extend(([piece], script) for piece in pieces)
            previous = (match.end(), run)
            continue
        elif script is not None:
            readings.append((_caseless_readings(run, script), script))
        previous = None
    parts: dict[frozenset[str], NamePart] = {}
    for forms, script in readings:
        part = _part(forms, script, query)
        if part is not None:
            parts.setdefault(part.keys, part)
    return list(parts.values())


def name_keys(text: str) -> list[str]:
    """Every key of every name part of ``text`` (what the build stores for a chunk)."""
    return list(dict.fromkeys(k for part in name_parts(text) for k in sorted(part.keys)))


def idf(df: int, n: int) -> float:
    """Lucene's BM25 idf (as index/retrieval/keyword.py)."""
    return math.log(1 + (n - df + 0.5) / (df + 0.5))


@dataclass(frozen=True)
class NameQuery:
    """A question's name parts found in the index, each with its idf weight."""

    parts: tuple[tuple[NamePart, float], ...]
    mass: float

    @classmethod
    def build(cls, parts: Iterable[NamePart], df: Mapping[str, int], n: int) -> NameQuery:
        """The question's parts (``name_parts(question, query=True)``) that the index holds,
        weighted by their rarest key's idf."""
        weighted: list[tuple[NamePart, float]] = []
        for part in parts:
            present = [df[k] for k in part.keys if df.get(k, 0) > 0]
            if present:
                weighted.append((part, idf(min(present), n)))
        mass = max(sum(w for _, w in weighted), MIN_IDF_MASS)
        return cls(tuple(weighted), mass)

    @property
    def keys(self) -> dict[str, float]:
        """Each key of the parts found -> its part's share of the weight (recall order)."""
        out: dict[str, float] = {}
        for part, w in self.parts:
            for k in part.keys:
                out[k] = max(out.get(k, 0.0), w / self.mass)
        return out

    def score(self, tokens: Iterable[str]) -> float:
        """Share (0..1) of the question's name weight that a chunk's tokens hold."""
        if not self.parts:
            return 0.0
        present = set(tokens)
        got = 0.0
        for part, w in self.parts:
            if part.full & present:
                got += w
            elif part.skeleton & present:
                got += SKELETON_CREDIT * w
        return got / self.mass
