"""Extractive answers: the sentences that answer the question, quoted and cited, no LLM.

Per article (best passage first) the sentence with the highest score wins, where the score
is lexical overlap with the question (script-neutral keys, see bot.sentences), whether the
sentence carries what the question asks for (a name for "who", a date for "when", a
reason cue for "why"), its position (the lead of a story) and the passage's rank. The
answer line is assembled in the question's language when the question asks for a name,
date or number that the evidence agrees on; otherwise the answer leads with the quotes.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from dataclasses import dataclass, replace

from bot.answer_line import answer_candidates, mentions
from bot.citations import CitationRegistry, refs, renumber_citations, short_quote
from bot.lexicon import concepts_in_question, has_concept
from bot.phrases import join_names, local_language_name, phrase
from bot.sentences import (
    has_evidence_cue,
    is_cjk,
    question_kind,
    question_terms,
    sentence_terms,
    split_sentences,
    term_matches,
)
from bot.types import Citation
from index.types import Passage

Related = Callable[[str, float], list[Passage]]

log = logging.getLogger(__name__)

MAX_QUOTED_ARTICLES = 4
QUOTE_CHARS = 280
# An article is quoted when its best passage scores within this margin of the top score
# (index.search scores are calibrated to 0..1) ...
SCORE_MARGIN = 0.3
# ... or within this one when its best sentence matches the question better.
RESCUE_MARGIN = 0.45


@dataclass
class Evidence:
    passage: Passage
    sentence: str
    score: float


@dataclass
class _Candidate:
    passage: Passage
    sentence: str
    index: int
    rank: int
    matched: frozenset[str]  # question terms and concepts (as "@name") found in the sentence


def _prior(c: _Candidate, kind: str, question: str) -> float:
    """Everything but the lexical overlap: cue, position, rank, shape."""
    score = 0.15 / (1 + c.rank)
    if kind != "other" and has_evidence_cue(kind, c.sentence, question):
        score += 0.35
    if c.passage.position == 0 and c.index < 2:
        score += 0.1
    if len(c.sentence) < (10 if is_cjk(c.sentence) else 30):
        score -= 0.5
    if c.sentence.rstrip().endswith(("?", "？")):
        score -= 0.3
    if len(c.sentence) > 450:
        score -= 0.15
    return score


def best_sentences(
    question: str, passages: list[Passage], retrieved: set[str] | None = None
) -> dict[str, Evidence]:
    """The best evidence sentence of each article among `passages` (article id → Evidence).

    Overlap is weighted like IDF over the candidate sentences: a name every sentence
    shares (the story's subject) counts less than the word only the answer contains.
    """
    terms = question_terms(question)
    concepts = concepts_in_question(question)
    kind = question_kind(question)
    candidates: list[_Candidate] = []
    article_rank: dict[str, int] = {}
    for passage in passages:
        article_rank.setdefault(passage.article_id, len(article_rank))
    for passage in passages:
        rank = article_rank[passage.article_id]
        if retrieved is not None and passage.chunk_id not in retrieved:
            rank += 1  # a chunk the search did not return: slightly less trusted
        for i, raw in enumerate(split_sentences(passage.text)):
            sentence = _without_title(raw, passage.title)
            keys = sentence_terms(sentence)
            lowered = sentence.lower()
            matched = {t for t in terms if term_matches(t, keys)}
            matched |= {f"@{c}" for c in concepts if has_concept(c, lowered)}
            candidates.append(_Candidate(passage, sentence, i, rank, frozenset(matched)))
    if not candidates:
        return {}
    n = len(candidates)
    df: dict[str, int] = {}
    for c in candidates:
        for t in c.matched:
            df[t] = df.get(t, 0) + 1
    base = {**terms, **{f"@{c}": 1.5 for c in concepts}}
    weight = {t: w * math.log(1 + n / (1 + df.get(t, 0))) for t, w in base.items()}
    total = sum(weight.values()) or 1.0
    best: dict[str, Evidence] = {}
    for c in candidates:
        score = sum(weight[t] for t in c.matched) / total + _prior(c, kind, question)
        current = best.get(c.passage.article_id)
        if current is None or score > current.score:
            best[c.passage.article_id] = Evidence(c.passage, c.sentence, score)
    return best


def _without_title(sentence: str, title: str) -> str:
    """Chunks glue a headline to the first sentence; quote the sentence without it."""
    if title and len(sentence) > len(title) + 20 and title in sentence:
        sentence = sentence.replace(title, " ").strip()
        sentence = " ".join(sentence.split())
    return sentence


def _expanded(passages: list[Passage], related: Related | None) -> list[Passage]:
    """The retrieved passages, then the other chunks of their articles (the story found,
    the answering sentence may sit in a chunk the search ranked lower)."""
    if related is None:
        return passages
    out = list(passages)
    seen = {p.chunk_id for p in passages}
    for article_id in list(dict.fromkeys(p.article_id for p in passages))[:MAX_QUOTED_ARTICLES]:
        score = max(p.score for p in passages if p.article_id == article_id)
        for p in related(article_id, score):
            if p.chunk_id not in seen:
                seen.add(p.chunk_id)
                out.append(p)
    return out


def choose_evidence(
    question: str, passages: list[Passage], related: Related | None = None
) -> list[Evidence]:
    """Evidence to quote: one sentence per article, best first, weak ones dropped.

    An article is kept when its passage scores near the top one, or (a little further
    down) when its sentence matches the question better than the top article's does.
    Order: sentence score plus passage score.
    """
    if not passages:
        return []
    best = best_sentences(question, _expanded(passages, related), {p.chunk_id for p in passages})
    top = max(p.score for p in passages)
    order = list(dict.fromkeys(p.article_id for p in passages))
    lead = best[order[0]].score
    chosen = []
    for article_id in order:
        ev = best[article_id]
        far = ev.passage.score < top - SCORE_MARGIN
        rescued = ev.score > lead and ev.passage.score >= top - RESCUE_MARGIN
        if chosen and far and not rescued:
            continue
        chosen.append(ev)
    chosen.sort(key=lambda ev: -(ev.score + ev.passage.score))
    return chosen[: MAX_QUOTED_ARTICLES + 2]


def _duplicate_evidence(
    question: str, evidence: list[Evidence], related: Related | None
) -> list[Evidence]:
    """Evidence from near-duplicates (translations) the search folded into a passage."""
    if related is None:
        return []
    present = {ev.passage.article_id for ev in evidence}
    extra: list[Evidence] = []
    for ev in evidence[:MAX_QUOTED_ARTICLES]:
        for dup in ev.passage.also_in:
            if dup in present:
                continue
            present.add(dup)
            found = best_sentences(question, related(dup, ev.passage.score)).get(dup)
            if found is not None:
                extra.append(found)
    return extra


def extractive_answer(
    question: str, language: str, passages: list[Passage], related: Related | None = None
) -> tuple[str, list[Citation]]:
    """Answer text with [n] markers and its citations (numbered in order of first use).

    `related(article_id, score)` gives the passages of a near-duplicate article that the
    search folded away (Passage.also_in), so it can be cited as "also reported in …".
    """
    evidence = choose_evidence(question, passages, related)
    evidence += _duplicate_evidence(question, evidence, related)
    registry = CitationRegistry()
    lines: list[str] = []
    quoted: set[str] = set()
    bullets: list[tuple[Evidence, int, list[int]]] = []
    for ev in evidence:
        if ev.passage.article_id in quoted or len(bullets) >= MAX_QUOTED_ARTICLES:
            continue
        n = registry.cite(ev.passage, ev.sentence)
        quoted.add(ev.passage.article_id)
        dupes: list[int] = []
        for other in evidence:
            if other.passage.article_id in quoted:
                continue
            if (
                other.passage.article_id in ev.passage.also_in
                or ev.passage.article_id in other.passage.also_in
            ):
                dupes.append(registry.cite(other.passage, other.sentence))
                quoted.add(other.passage.article_id)
        bullets.append((ev, n, dupes))

    kind = question_kind(question)
    candidates = answer_candidates(kind, evidence, question)
    if candidates:
        answer = candidates[0]
        by_article = {ev.passage.article_id: ev for ev in evidence}
        support = [
            c.n for c in registry.citations if mentions(by_article[c.article_id].sentence, answer)
        ]
        lines.append(phrase(language, "answer", answer=answer, refs=refs(support)).strip())
        lines.append("")
    lines.append(phrase(language, "lead"))
    by_n = {c.n: c for c in registry.citations}
    for ev, n, dupes in bullets:
        line = f"• “{short_quote(ev.sentence, QUOTE_CHARS)}” [{n}]"
        if dupes:
            names = [local_language_name(by_n[d].language, language) for d in dupes]
            also = phrase(
                language,
                "also",
                languages=join_names(list(dict.fromkeys(names)), language),
                refs=refs(dupes),
            )
            line += f" — {also}"
        lines.append(line)
    log.debug("extractive: %d quotes, answer line %r", len(bullets), candidates[:1])
    # The answer line cites before the quotes do: renumber by first use in the final text.
    text, order = renumber_citations("\n".join(lines), by_n)
    return text, [replace(by_n[old], n=new) for new, old in enumerate(order, start=1)]


def refusal_text(language: str, passages: list[Passage], nearest: int = 3) -> str:
    """ "The articles do not cover this", naming the nearest articles when there are any."""
    text = phrase(language, "refusal")
    titles: list[str] = []
    for p in passages:
        title = f"“{p.title}” ({local_language_name(p.language, language)})"
        if title not in titles:
            titles.append(title)
        if len(titles) == nearest:
            break
    if titles:
        text += " " + phrase(language, "nearest", titles="; ".join(titles))
    return text
