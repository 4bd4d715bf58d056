"""The answer line of an extractive answer: the name, date or number a who / where / when /
how-many question asks for, assembled from the evidence only when it is safe.

A wrong answer line is worse than none, so a candidate must be new (not in the question),
sit next to what the question asks about, come from the best evidence sentence, and —
for names — be given by two articles (inflected Russian forms count as support).
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import TYPE_CHECKING

from bot.answering.extractive.cues import years_in
from bot.answering.extractive.evidence import near_answers
from bot.answering.extractive.sentences import is_cjk, key_of_phrase, term_matches

if TYPE_CHECKING:
    from bot.answering.extractive.evidence import Evidence


# How close (see bot.answering.extractive.evidence.near_answers) the answer must sit to what the question asks.
ADJACENT = 0.9  # a single article's name: within a few characters of the question's words
LEAST_CLOSENESS = {"who": 0.1, "where": 0.1, "when": 0.5, "count": 0.6, "duration": 0.5}


def answer_candidates(
    kind: str, evidence: list[Evidence], question: str, language: str = "en"
) -> list[tuple[str, set[str]]]:
    """The name, place, date or number the evidence gives for the question, written so it
    reads in the question's language, with the ids of the articles that give it (or [])."""
    if kind not in LEAST_CLOSENESS or not evidence:
        return []
    support: dict[str, set[str]] = defaultdict(set)
    surface: dict[str, str] = {}
    inflected: list[tuple[set[str], str]] = []  # Cyrillic names: support only
    for ev in evidence:
        for cand in near_answers(kind, ev.sentence, question, LEAST_CLOSENESS[kind]):
            if kind in ("who", "where"):
                keys = set(key_of_phrase(cand).split()) or {cand}
                if not cand.isascii() and not is_cjk(question):
                    inflected.append((keys, ev.passage.article_id))
                    continue
                key = key_of_phrase(cand) or cand
            else:
                cand = _readable(kind, cand, ev.passage.language, language) or ""
                if not cand:
                    continue
                key = _value_key(cand)
            support[key].add(ev.passage.article_id)
            surface.setdefault(key, cand)
    for keys, article_id in inflected:
        for key in support:
            if any(term_matches(part, keys) for part in key.split()):
                support[key].add(article_id)
    # Only what the best sentence says, and nothing that other articles contradict with a
    # better-supported candidate: a wrong answer line is worse than none.
    first_article = evidence[0].passage.article_id
    ranked = sorted(support, key=lambda k: -len(support[k]))
    agreed = [k for k in ranked if len(support[k]) >= 2]
    if agreed or kind in ("who", "where"):  # names: only when two articles agree ...
        found = [(surface[k], support[k]) for k in agreed if first_article in support[k]][:1]
        if found or agreed or kind != "who":
            return found
        # ... or when the best sentence puts the name right against what is asked about
        # ("chief technology officer Mira Murati").
        lead = evidence[0].sentence
        touching = [n for n in near_answers(kind, lead, question, ADJACENT) if n.isascii()]
        return [(touching[0], {first_article})] if len(touching) == 1 else []
    return [(surface[k], support[k]) for k in ranked if first_article in support[k]][:1]


_LETTERS = re.compile(r"[^\W\d_]")
_SCALES = {
    "billion": ("billion", "miliar", "млрд", "миллиард", "milyar"),
    "million": ("million", "juta", "млн", "миллион"),
    "thousand": ("thousand", "ribu", "тыс", "тысяч"),
    "trillion": ("trillion", "triliun", "трлн", "триллион"),
}
_SCALE_IN = {"en": 0, "id": 1, "ru": 2}


def _readable(kind: str, value: str, source: str, language: str) -> str | None:
    """`value` as it can be shown to a reader of `language`, or None when it cannot."""
    value = " ".join(value.split()).strip(" ,")
    same = source[:2] == language[:2]
    if not _LETTERS.search(value) or same:
        return value
    if kind == "when":
        years = years_in(value)  # "26 September 2024" for a Russian reader: 2024
        return years[0] if years and not is_cjk(value) else None
    if kind == "count" and language[:2] in _SCALE_IN and not is_cjk(value):
        lowered = value.lower()
        for forms in _SCALES.values():
            found = next((f for f in forms if f in lowered), None)
            if found:
                number = lowered.split(found)[0].strip()
                if number and not _LETTERS.search(number):
                    return f"{number} {forms[_SCALE_IN[language[:2]]]}"
    return None


def _value_key(value: str) -> str:
    """Dates agree on their year, numbers on their digits."""
    years = years_in(value)
    if years:
        return years[0]
    digits = re.sub(r"\D", "", value)
    return digits or value.lower()


def mentions(sentence: str, answer: str) -> bool:
    """Does the sentence name the answer (Latin or inflected Cyrillic spelling)?"""
    if answer in sentence:
        return True
    keys = {w for w in key_of_phrase(sentence).split()}
    last = key_of_phrase(answer).split()[-1:] or [answer]
    return term_matches(last[0], keys)
