"""Cheap text analysis for extractive answers: sentences, matching keys, question kinds, names.

Everything here is regular expressions and small tables — no model — so an answer costs a
few milliseconds. Matching works across scripts where news text shares material: Latin
names and numbers inside Chinese or Russian text, Cyrillic names transliterated to Latin
(Бабушкин ~ Babuschkin, Тегмарком ~ Tegmark), loanwords (inspired ~ terinspirasi).
"""

from __future__ import annotations

import re
from functools import lru_cache

_SENTENCE_END = re.compile(
    r"(?<=[.!?…])[\"'»”’)\]]*\s+(?=[\"'«“‘(\[*]*[A-ZА-ЯЁ0-9\u3400-\u9fff])"  # Latin/Cyrillic
    r"|(?<=[。！？；])[」』”’\"']*"  # CJK: no space needed
)
_BULLET = re.compile(r"^\s*(?:[•·\-–—*]|\d+[.)])\s+")
_CJK = re.compile(r"[\u3400-\u9fff]")
_WORD = re.compile(r"[^\W_]+(?:[-'][^\W_]+)*", re.UNICODE)
_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:[-'][A-Za-z0-9]+)*")

_TRANSLIT = str.maketrans(
    {
        "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh",
        "з": "z", "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
        "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
        "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu",
        "я": "ya",
    }
)  # fmt: skip

STOPWORDS = frozenset(
    """
    a an the of to in on at for from by with and or but is are was were be been being do
    does did has have had what which who whom whose why when where how that this these those
    it its he him his she her they them their there about as into after before than then so
    not no yes will would can could should may might must any some all more most many much
    also just only very own same other such said says say tell told according article
    articles news yang dan di ke dari untuk dengan pada dalam adalah itu ini apa siapa
    mengapa kenapa kapan bagaimana berapa mana ia dia mereka nya tersebut oleh akan telah
    sudah juga atau tidak sebagai bahwa karena saat bisa dapat lebih para sang si и в во не
    на что с со как а то все она он оно они его её ее их к у же за бы по от из о об для до
    при это этот эта эти был была были быть ли почему кто когда где какой какая какие каков
    сколько чем чего зачем который которая которые также ещё еще
    """.split()  # noqa: SIM905
)

QUESTION_CUES: dict[str, tuple[str, ...]] = {
    "why": ("why", "reason", "mengapa", "kenapa", "alasan", "почему", "зачем", "причин",
            "为什么", "為什麼", "为何", "為何", "原因", "何故"),
    "who": ("who", "whom", "whose", "siapa", "кто", "кого", "кому", "кем", "谁", "誰", "哪位"),
    "when": ("when", "what year", "which year", "what date", "kapan", "tahun berapa",
             "tanggal berapa", "когда", "в каком году", "何时", "何時", "什么时候",
             "什麼時候", "哪一年", "哪年", "几月", "幾月"),
    "duration": ("how long", "berapa lama", "как долго", "сколько времени", "сколько лет",
                 "多久", "多长时间", "多長時間"),
    "count": ("how many", "how much", "berapa", "сколько", "多少", "几个", "幾個"),
    "where": ("where", "di mana", "dimana", "ke mana", "где", "куда", "откуда", "哪里",
              "哪裡", "在哪", "何处", "何處"),
}  # fmt: skip


@lru_cache(maxsize=4096)
def split_sentences(text: str) -> tuple[str, ...]:
    """Sentences of `text` (lines first, then . ! ? … and 。！？), stripped, bullets removed."""
    out: list[str] = []
    for line in text.splitlines():
        line = _BULLET.sub("", line).strip()
        if not line:
            continue
        for piece in _SENTENCE_END.split(line):
            piece = piece.strip()
            if piece:
                out.append(piece)
    return tuple(out)


def is_cjk(text: str) -> bool:
    return bool(_CJK.search(text))


@lru_cache(maxsize=4096)
def word_key(word: str) -> str:
    """Script-neutral key of a word: Cyrillic transliterated, spelling variants folded."""
    w = word.lower().translate(_TRANSLIT)
    w = w.replace("sch", "sh").replace("x", "ks").replace("ph", "f").replace("w", "v")
    w = w.replace("c", "k").replace("y", "i").replace("j", "i")
    w = re.sub(r"(.)\1+", r"\1", w)
    return w


def _cjk_bigrams(text: str) -> set[str]:
    chars = [c for c in text if _CJK.match(c)]
    grams = {a + b for a, b in zip(chars, chars[1:], strict=False)}
    return grams


@lru_cache(maxsize=1)
def _converters() -> tuple[object, object]:
    import opencc

    return opencc.OpenCC("t2s"), opencc.OpenCC("s2t")


@lru_cache(maxsize=4096)
def both_scripts(text: str) -> tuple[str, str, str]:
    """`text` as written, in Simplified and in Traditional characters."""
    t2s, s2t = _converters()
    return text, t2s.convert(text), s2t.convert(text)  # type: ignore[attr-defined]


@lru_cache(maxsize=256)
def _both_scripts(text: str) -> str:
    """Chinese text in Simplified and Traditional forms (questions only: they are short)."""
    t2s, s2t = _converters()
    return text + t2s.convert(text) + s2t.convert(text)  # type: ignore[attr-defined]


_CARRIED = re.compile(r"\s*\(([^()]*)\)\s*$")
CARRIED_WEIGHT = 0.3


@lru_cache(maxsize=1024)
def question_terms(question: str) -> dict[str, float]:
    """Weighted matching terms of a question: word keys, numbers, CJK bigrams (cached:
    do not modify the returned dict). Entities a follow-up carried in a trailing
    "(…)" (see bot.answering.conversation) are context for retrieval: they weigh little here."""
    terms: dict[str, float] = {}
    carried = _CARRIED.search(question)
    if carried:
        for word in _WORD.findall(carried.group(1)):
            if not is_cjk(word):
                terms[word_key(word)] = CARRIED_WEIGHT
        question = question[: carried.start()]
    for word in _WORD.findall(question):
        if is_cjk(word) or word.lower() in STOPWORDS or len(word) < 2:
            continue
        key = word_key(word)
        weight = 1.0
        if word[0].isupper() or any(c.isdigit() for c in word) or _LATIN_WORD.fullmatch(word):
            weight = 1.5 if (word[0].isupper() or word[0].isdigit()) else 1.0
        terms[key] = max(terms.get(key, 0.0), weight)
    if is_cjk(question):
        for gram in _cjk_bigrams(_both_scripts(question)):
            terms.setdefault(gram, 0.7)
    return terms


_QUESTION_NAME = re.compile(
    r"(?<![A-Za-z0-9])(?:[A-Z][A-Za-z0-9-]+|[a-z]+[A-Z][A-Za-z0-9-]*|[A-Za-z]+\d[A-Za-z0-9]*)"
    r"|(?<![А-Яа-яЁё])[А-ЯЁ][а-яё]{2,}"
)


def question_names(question: str) -> list[str]:
    """Distinctive names in a question: capitalised words past the first, Latin words in
    Chinese or Russian text, letter-digit codes (H100). Numbers alone do not count."""
    names = []
    for m in _QUESTION_NAME.finditer(question):
        word = m.group(0)
        first = question[: m.start()].strip() == ""
        foreign = is_cjk(question) or bool(re.search(r"[а-яё]", question))
        latin = word.isascii()
        if len(word) < 3 or word.lower() in STOPWORDS:
            continue
        if first and not (latin and foreign) and not any(c.isupper() for c in word[1:]):
            continue
        names.append(word)
    return names


@lru_cache(maxsize=32768)
def sentence_terms(sentence: str) -> frozenset[str]:
    """Keys present in a sentence, comparable with `question_terms`."""
    keys = {word_key(w) for w in _WORD.findall(sentence) if not is_cjk(w)}
    keys.update(word_key(w) for w in _LATIN_WORD.findall(sentence))
    keys.update(_cjk_bigrams(sentence))
    return frozenset(keys)


@lru_cache(maxsize=65536)
def _stem_match(term: str, keys: frozenset[str]) -> bool:
    if is_cjk(term) or len(term) < 4:
        return False
    if len(term) == 4:
        return any(k.startswith(term) and len(k) <= 6 for k in keys)
    stem = term[:6] if len(term) >= 7 else term[:5]
    return any(len(k) >= 5 and (k.startswith(stem) or (len(stem) >= 6 and stem in k)) for k in keys)


_PREFIXES = ("memper", "meng", "mem", "men", "me", "ber", "be", "ter", "di", "ke", "peng",
             "pem", "pen", "per", "pe", "se")  # fmt: skip
_SUFFIXES = ("ania", "nia", "kan", "an", "i", "lah")  # keys: "nya" is "nia", "annya" "ania"


@lru_cache(maxsize=32768)
def affix_variants(key: str) -> tuple[str, ...]:
    """Indonesian-style affixes stripped from a key (bekerja → kerja, kepergiannya →
    pergi, menginspirasi → inspirasi): extra keys, matched exactly, never by stem."""
    if len(key) < 6 or not key.isalpha():
        return ()
    out = {key}
    rest = key
    for suffix in _SUFFIXES:
        if rest.endswith(suffix) and len(rest) - len(suffix) >= 4:
            rest = rest[: -len(suffix)]
            out.add(rest)
    for base in list(out):
        for p in _PREFIXES:
            if base.startswith(p) and len(base) - len(p) >= 4:
                out.add(base[len(p) :])
                break
    out.discard(key)
    return tuple(sorted(out))


@lru_cache(maxsize=32768)
def sentence_stems(sentence: str) -> frozenset[str]:
    """`sentence_terms` plus the affix variants of its Latin words."""
    keys = set(sentence_terms(sentence))
    for w in _LATIN_WORD.findall(sentence):
        keys.update(affix_variants(word_key(w)))
    return frozenset(keys)


def term_matches(term: str, keys: set[str] | frozenset[str]) -> bool:
    """Exact key match, or a shared stem of ≥5 letters (Tegmarkom ~ tegmark, inspir…)."""
    if term in keys:
        return True
    return _stem_match(term, keys if isinstance(keys, frozenset) else frozenset(keys))


# "Which chief technology officer …?", "Какой директор …?": a question about a person.
_WHICH_PERSON = re.compile(
    r"(?<![^\W_])(?:which|what|manakah|какой|какая|который|которая)\s(?:[^\W\d_]+\s){0,4}?"
    r"(?:officer|scientist|president|executive|founder|co-founder|ceo|cto|researcher|engineer"
    r"|director|leader|investor|person|ilmuwan|pendiri|presiden|директор|учён\w*|основател\w*"
    r"|президент\w*|руководител\w*)(?![^\W_])"
)


def question_kind(question: str) -> str:
    """why | who | when | duration | count | where | other."""
    lowered = f" {question.lower()} "
    for kind in ("duration", "count", "when", "why", "who", "where"):
        for cue in QUESTION_CUES[kind]:
            if is_cjk(cue) or " " in cue:
                if cue in lowered:
                    return kind
            elif re.search(rf"(?<![^\W_]){re.escape(cue)}(?![^\W_])", lowered):
                return kind
    return "who" if _WHICH_PERSON.search(lowered) else "other"


def key_of_phrase(phrase: str) -> str:
    return " ".join(word_key(w) for w in _WORD.findall(phrase))
