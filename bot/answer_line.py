"""The answer line of an extractive answer: the name, date or number a who / where / when /
how-many question asks for, assembled from the evidence only when it is safe.

A wrong answer line is worse than none, so a candidate must be new (not in the question),
sit next to what the question asks about, come from the best evidence sentence, and —
for names — be given by two articles (inflected Russian forms count as support).
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from bot.lexicon import concepts_in_question, has_concept
from bot.sentences import (
    dates_in,
    is_cjk,
    key_of_phrase,
    names_in,
    numbers_in,
    question_terms,
    sentence_terms,
    term_matches,
)

if TYPE_CHECKING:
    from bot.extractive import Evidence


def answer_candidates(kind: str, evidence: list[Evidence], question: str) -> list[str]:
    """The name, date or number the evidence gives for a who/where/when/how-many question."""
    if kind in ("who", "where"):
        extract = names_in
    elif kind == "when":
        extract = dates_in
    elif kind == "count":
        extract = _counts_in
    else:
        return []
    q_terms = question_terms(question)
    support: dict[str, set[str]] = defaultdict(set)
    surface: dict[str, str] = {}
    inflected: list[tuple[set[str], str]] = []  # Cyrillic names: support only
    for ev in evidence:
        for cand in extract(ev.sentence):
            keys = set(key_of_phrase(cand).split()) or {cand}
            if cand in question or any(term_matches(t, keys) for t in q_terms):
                continue  # already in the question: not an answer
            if kind == "count" and not _near_question_term(ev.sentence, cand, q_terms, 25, 40):
                continue  # a number must sit next to what is counted ("100.000 prosesor H100")
            names = kind in ("who", "where")
            if names and not _near_question_term(ev.sentence, cand, q_terms, 80, 80, question):
                continue  # a name must sit next to what the question asks about
            if kind in ("who", "where") and not cand.isascii() and not is_cjk(question):
                inflected.append((keys, ev.passage.article_id))
                continue
            key = key_of_phrase(cand) or cand
            support[key].add(ev.passage.article_id)
            surface.setdefault(key, cand)
    for keys, article_id in inflected:
        for key in support:
            if term_matches(key.split()[-1], keys):
                support[key].add(article_id)
    # Only what the best sentence says, and nothing that other articles contradict with a
    # better-supported candidate: a wrong answer line is worse than none.
    first_article = evidence[0].passage.article_id
    ranked = sorted(support, key=lambda k: -len(support[k]))
    agreed = [k for k in ranked if len(support[k]) >= 2]
    if agreed or kind in ("who", "where"):  # names: only when two articles agree
        return [surface[k] for k in agreed if first_article in support[k]][:1]
    return [surface[k] for k in ranked if first_article in support[k]][:1]


def _near_question_term(
    sentence: str,
    cand: str,
    q_terms: dict[str, float],
    before: int,
    after: int,
    concepts_of: str | None = None,
) -> bool:
    """Is a content word of the question (or, with `concepts_of`, one of its concepts and
    not merely a name) within `before`/`after` characters of the candidate?"""
    at = sentence.find(cand)
    window = sentence[max(0, at - before) : at + len(cand) + after]
    if concepts_of is not None:
        lowered = window.lower()
        return any(has_concept(c, lowered) for c in concepts_in_question(concepts_of))
    keys = sentence_terms(window)
    return any(w >= 1.0 and term_matches(t, keys) for t, w in q_terms.items())


def _counts_in(sentence: str) -> list[str]:
    """Numbers that are not years (a year answers "when", not "how many")."""
    return [n for n in numbers_in(sentence) if not (len(n) == 4 and n[:2] in ("19", "20"))]


def mentions(sentence: str, answer: str) -> bool:
    """Does the sentence name the answer (Latin or inflected Cyrillic spelling)?"""
    if answer in sentence:
        return True
    keys = {w for w in key_of_phrase(sentence).split()}
    last = key_of_phrase(answer).split()[-1:] or [answer]
    return term_matches(last[0], keys)
