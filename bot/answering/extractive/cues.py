"""What a question asks for, and where a sentence gives it: names, places, dates, numbers,
durations, reasons — regular expressions over en / id / ru / zh text, no model.

`answer_spans(kind, sentence, question)` returns the character spans of the sentence that
could answer a question of that kind (and are not already in the question); the
evidence scorer rewards a span that sits next to what the question asks about.
"""

from __future__ import annotations

import re
from functools import lru_cache

from bot.answering.extractive.sentences import is_cjk, key_of_phrase, question_terms, term_matches

Span = tuple[int, int, str]

_NAME_LATIN = re.compile(
    r"(?<![\w.])[A-Z][a-z]+(?:[-'][A-Z]?[a-z]+)?(?:\s+(?:of\s+|de\s+|van\s+)?[A-Z][a-z]+)+"
)
_NAME_CYRILLIC = re.compile(r"(?<!^)(?<![.!?]\s)[А-ЯЁ][а-яё]+(?:\s+[А-ЯЁ][а-яё]+)+")
_LATIN_IN_CJK = re.compile(r"[A-Z][A-Za-z]+(?:\s+[A-Z][A-Za-z]+)+")
# "di Memphis", "in Memphis", "в Мемфисе", "из России"; 田納西州, 北京市
_PLACE = re.compile(
    r"(?<![^\W_])(?:di|ke|dari|in|at|from|near|в|во|из|под)\s+([A-ZА-ЯЁ][\w-]+(?:,?\s+[A-ZА-ЯЁ][\w-]+)?)"
)
_CJK_PLACE = re.compile(r"[\u3400-\u9fff]{2,4}?(?:州|市|省|縣|县|國|国|島|岛|灣|湾)")

# Names of organisations, not people (a "who" question asks for a person).
_ORGANISATION = re.compile(
    r"\b(?:Ventures|Capital|Institute|Institut|University|Universitas|Labs?|Inc|Corp|Group|"
    r"Foundation|Fund|Partners|Company|Valley|Street|City|Университет|Институт[а-я]*)\b"
)

_MONTHS = (
    r"January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Januari|Februari|Maret|Mei|Juni|Juli|Agustus|Oktober|Desember"
    r"|января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря"
    r"|январе|феврале|марте|апреле|мае|июне|июле|августе|сентябре|октябре|ноябре|декабре"
)
_WEEKDAYS = (
    r"Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
    r"|Senin|Selasa|Rabu|Kamis|Jumat|Sabtu|Minggu"
    r"|понедельник|вторник|среду|четверг|пятницу|субботу|воскресенье"
)
_DATE = re.compile(
    rf"(?<![^\W_])(?:\d{{1,2}}\s+)?(?:{_MONTHS})(?:\s+\d{{1,2}},?)?(?:\s+(?:19|20)\d\d)?(?![^\W_])"
    rf"|(?<![^\W_])(?:{_WEEKDAYS})(?![^\W_])"
    r"|(?<!\d)(?:19|20)\d\d(?:\s*年)?(?:\s*\d{1,2}\s*月)?(?:\s*\d{1,2}\s*[日号號])?(?!\d)"
    r"|(?<!\d)\d{1,2}\s*月(?:\s*\d{1,2}\s*[日号號])?"
    r"|[今去明]年(?:[春夏秋冬]季)?|[春夏秋冬]季|星期[一二三四五六日天]|週[一二三四五六日]|周[一二三四五六日]"
)
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_NUMBER_WORDS = (
    r"one|two|three|four|five|six|seven|eight|nine|ten|satu|dua|tiga|empat|lima|enam|tujuh"
    r"|delapan|sembilan|sepuluh|один|одна|два|две|три|четыре|пять|шесть|семь|восемь|девять"
    r"|десять|несколько|beberapa|several|a few"
)
_SCALE = (
    r"miliar|milyar|juta|ribu|triliun|billion|million|thousand|trillion"
    r"|млрд|млн|тыс|трлн|миллиард\w*|миллион\w*|тысяч\w*"
)
_COUNT = re.compile(
    rf"(?:US\$|\$|€|£|Rp\.?\s?)?\d+(?:[.,]\d+)*(?:\s*%|\s+(?:{_SCALE})(?![^\W_]))?"
    rf"|(?<![^\W_])(?:{_NUMBER_WORDS})(?![^\W_])"
)
_CJK_COUNT = re.compile(r"[0-9一二兩两三四五六七八九十百千萬万億亿]+\s*[個个條条位名家年月天次倍]")
_UNITS = (
    r"years?|months?|weeks?|days?|hours?|tahun|bulan|minggu|hari|jam"
    r"|год[ау]?|лет|месяц[аев]*|недел[ьюи]|дн[ейя]|день|час[аов]*"
)
_DURATION = re.compile(
    rf"(?:\d+(?:[.,]\d+)?|(?<![^\W_])(?:{_NUMBER_WORDS}))\s+(?:{_UNITS})(?![^\W_])"
    r"|[0-9一二兩两三四五六七八九十半]+\s*(?:個|个)?\s*(?:年|月|週|周|星期|天|小時|小时)"
)
_REASONS = (
    "because", "in order to", "so that", " to ", "due to", "after", "reason", "inspired",
    "untuk", "karena", "sebab", "alasan", "demi", "agar", "supaya", "setelah", "terinspirasi",
    "чтобы", "потому", "из-за", "причин", "ради", "так как", "после", "вдохнов",
    "因为", "因為", "为了", "為了", "原因", "源于", "源於", "由于", "由於", "动因", "動因",
    "以便", "之后", "之後",
)  # fmt: skip


@lru_cache(maxsize=32768)
def names_in(sentence: str) -> list[str]:
    """Multi-word proper names: 'Max Tegmark', 'Максом Тегмарком', Latin names in Chinese."""
    if is_cjk(sentence):
        return _LATIN_IN_CJK.findall(sentence)
    names = [m.group(0) for m in _NAME_LATIN.finditer(sentence) if m.start() > 0]
    names += _NAME_CYRILLIC.findall(sentence)
    return names


@lru_cache(maxsize=32768)
def dates_in(sentence: str) -> list[str]:
    """Years, day-month(-year) dates, weekdays and Chinese date expressions, longest first."""
    return [m.group(0).strip(" ,") for m in _DATE.finditer(sentence)]


def years_in(text: str) -> list[str]:
    return _YEAR.findall(text)


def numbers_in(sentence: str) -> list[str]:
    return _NUMBER.findall(sentence)


def _spans(pattern: re.Pattern[str], sentence: str, group: int = 0) -> list[Span]:
    return [(m.start(group), m.end(group), m.group(group)) for m in pattern.finditer(sentence)]


@lru_cache(maxsize=32768)
def _raw_spans(kind: str, sentence: str) -> tuple[Span, ...]:
    if kind == "who":
        found = [(m.start(), m.end(), m.group(0)) for m in _NAME_LATIN.finditer(sentence)]
        found += _spans(_NAME_CYRILLIC, sentence)
        if is_cjk(sentence):
            found = _spans(_LATIN_IN_CJK, sentence)
        return tuple(
            s for s in found if (s[0] > 0 or is_cjk(sentence)) and not _ORGANISATION.search(s[2])
        )
    if kind == "where":
        return tuple(_spans(_PLACE, sentence, 1) + _spans(_CJK_PLACE, sentence))
    if kind == "when":
        return tuple(_spans(_DATE, sentence))
    if kind == "count":
        found = _spans(_COUNT, sentence) + _spans(_CJK_COUNT, sentence)
        return tuple(s for s in found if not _YEAR.fullmatch(s[2].strip()))
    if kind == "duration":
        return tuple(_spans(_DURATION, sentence))
    if kind == "why":
        lowered = f" {sentence.lower()} "
        out = []
        for cue in _REASONS:
            at = lowered.find(cue)
            if at >= 0:
                out.append((max(0, at - 1), at - 1 + len(cue), cue.strip()))
        return tuple(out)
    return ()


def _is_new(text: str, question: str) -> bool:
    """Not already in the question (the answer is something the question does not say)."""
    if text in question:
        return False
    keys = set(key_of_phrase(text).split()) or {text}
    return not any(term_matches(t, keys) for t in question_terms(question))


def answer_spans(kind: str, sentence: str, question: str) -> list[Span]:
    """Spans of `sentence` giving what a question of `kind` asks for, new to the question."""
    spans = _raw_spans(kind, sentence)
    if kind == "why":
        return list(spans)
    return [s for s in spans if _is_new(s[2], question)]


def has_evidence_cue(kind: str, sentence: str, question: str = "") -> bool:
    """Does the sentence carry the kind of information the question asks for?"""
    return bool(answer_spans(kind, sentence, question))
