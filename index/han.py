"""Which language and which standard a text in Chinese characters is written in.

Both questions are answered from OpenCC's character tables (the dictionaries inside the
``opencc`` package), not from a list of our own:

- Traditional vs Simplified: a character is evidence of Traditional when OpenCC's
  Traditional→Simplified table maps it only to other characters (長 → 长), and evidence of
  Simplified in the other direction (长 → 長). Characters both standards share — including
  those with several readings such as 台 (台/臺) or 布 (布/佈) — count for neither, so a
  short Taiwanese headline (台北市長宣布…) is not outvoted by variant preferences.
- Japanese without kana (kanji-only headlines): Japanese shinjitai forms from OpenCC's
  ``JPVariants`` table that neither Chinese standard uses and that GB2312 and Big5 cannot
  even encode (駅, 発, 県, 浜, 塁, …).
"""

from __future__ import annotations

import threading
from functools import lru_cache
from pathlib import Path

from index.text import HAN

_lock = threading.Lock()


def _pairs(name: str) -> list[tuple[str, list[str]]]:
    import opencc

    path = Path(opencc.__file__).parent / "dictionary" / name
    out = []
    for line in path.read_text("utf-8").splitlines():
        key, _, values = line.partition("\t")
        if key and values:
            out.append((key, values.split()))
    return out


@lru_cache(maxsize=1)
def _tables() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """(Traditional-only, Simplified-only, Japanese-only) single characters."""
    with _lock:
        traditional = frozenset(
            k for k, v in _pairs("TSCharacters.txt") if len(k) == 1 and k not in v
        )
        simplified = frozenset(
            k for k, v in _pairs("STCharacters.txt") if len(k) == 1 and k not in v
        )
        chinese = set(traditional | simplified)
        for name in ("TSCharacters.txt", "STCharacters.txt"):
            for key, values in _pairs(name):
                chinese.add(key)
                chinese.update(values)
        japanese = frozenset(
            c
            for key, values in _pairs("JPVariants.txt")
            for c in values
            if c != key and c not in chinese and not _chinese_codepage(c)
        )
        return traditional, simplified, japanese


def _chinese_codepage(ch: str) -> bool:
    """True when GB2312 or Big5 can encode the character (Chinese text may use it)."""
    for codec in ("gb2312", "big5"):
        try:
            ch.encode(codec)
            return True
        except UnicodeEncodeError:
            continue
    return False


def chinese_variant(text: str) -> str:
    """ "zh-Hant" or "zh-Hans": which standard's own characters the text holds more of.
    A tie with evidence on both sides goes to Traditional (Traditional text quotes
    Simplified names more often than the reverse); no evidence at all → "zh-Hans"."""
    traditional, simplified, _ = _tables()
    trad = simp = 0
    for ch in HAN.findall(text):
        if ch in traditional:
            trad += 1
        elif ch in simplified:
            simp += 1
    return "zh-Hant" if trad and trad >= simp else "zh-Hans"


def japanese_kanji(text: str) -> int:
    """How many characters of the text are Japanese-only kanji forms."""
    japanese = _tables()[2]
    return sum(1 for ch in HAN.findall(text) if ch in japanese)


def warm_up() -> None:
    _tables()
