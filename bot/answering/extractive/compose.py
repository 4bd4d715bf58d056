"""Extractive answers: the sentences that answer the question, quoted and cited, no LLM.

Per article (best passage first) the sentence with the highest score wins, where the score
is lexical overlap with the question (script-neutral keys, see bot.answering.extractive.sentences), whether the
sentence carries what the question asks for (a name for "who", a date for "when", a
reason cue for "why"), its position (the lead of a story) and the passage's rank. The
answer line is assembled in the question's language when the question asks for a name,
date or number that the evidence agrees on; otherwise the answer leads with the quotes.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import replace

from bot.answering.extractive.answer_line import answer_candidates, mentions
from bot.answering.citations import CitationRegistry, refs, renumber_citations, short_quote
from bot.answering.extractive.evidence import Evidence, best_sentences
from bot.answering.phrases import join_names, local_language_name, phrase
from bot.answering.extractive.sentences import question_kind
from bot.answering.types import Citation
from index.types import Passage

Related = Callable[[str, float], list[Passage]]

log = logging.getLogger(__name__)

MAX_QUOTED_ARTICLES = 4
QUOTE_CHARS = 280
# An article is quoted when its best passage scores within this margin of the top score
# (index.search scores are calibrated to 0..1) ...
SCORE_MARGIN = 0.3
# ... or within this one when its best sentence scores near the best one's.
RESCUE_MARGIN = 0.45
RESCUE_SHARE = 0.8
# Evidence order: sentence score plus this share of the passage score.
PASSAGE_WEIGHT = 0.5
# A quote whose sentence scores under this share of the best one's adds nothing.
WEAK_SHARE = 0.65
# ... and so does one whose overlap with the question is under this share of the best one's
# (for who / when / where / how-many questions, where any name or date lifts a score).
WEAK_OVERLAP = 0.6
# With an answer line, a quote that does not give the answer must score this share of the best.
KEEP_WITHOUT_ANSWER = 0.8


def _expanded(passages: list[Passage], related: Related | None) -> list[Passage]:
    """The retrieved passages, then the other chunks of their articles (the story found,
    the answering sentence may sit in a chunk the search ranked lower)."""
    if related is None:
        return passages
    out = list(passages)
    seen = {p.chunk_id for p in passages}
    for article_id in list(dict.fromkeys(p.article_id for p in passages))[:MAX_QUOTED_ARTICLES]:
        found = [p for p in passages if p.article_id == article_id]
        score = max(p.score for p in found)
        also_in = sorted({a for p in found for a in p.also_in})
        for p in related(article_id, score):
            if p.chunk_id not in seen:
                seen.add(p.chunk_id)
                out.append(replace(p, also_in=also_in) if also_in else p)
    return out


def choose_evidence(
    question: str, passages: list[Passage], related: Related | None = None
) -> list[Evidence]:
    """Evidence to quote: one sentence per article, best first, weak ones dropped.

    Order: sentence score plus a share of the passage score. Besides the best, an article
    is kept when its passage scores near the top one (or further down, when its sentence
    beats the best one), its sentence says more than the story's subject (when the best
    one does), and its sentence scores at least WEAK_SHARE of the best one's.
    """
    if not passages:
        return []
    best = best_sentences(question, _expanded(passages, related), {p.chunk_id for p in passages})
    top = max(p.score for p in passages)
    order = list(dict.fromkeys(p.article_id for p in passages))
    order.sort(key=lambda a: -(best[a].score + PASSAGE_WEIGHT * best[a].passage.score))
    lead = best[order[0]]
    answer_type = question_kind(question) not in ("why", "other")
    chosen = [lead]
    for article_id in order[1:]:
        ev = best[article_id]
        far = ev.passage.score < top - SCORE_MARGIN
        rescued = ev.score >= lead.score * RESCUE_SHARE and ev.passage.score >= top - RESCUE_MARGIN
        if far and not rescued:
            continue
        weak = ev.score < lead.score * WEAK_SHARE
        if answer_type:
            weak = weak or ev.parts[0] < lead.parts[0] * WEAK_OVERLAP
        if (lead.content and not ev.content) or weak:
            log.debug("not quoted (weak): %s %.2f %r", article_id, ev.score, ev.sentence[:60])
            continue
        chosen.append(ev)
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
    question: str,
    language: str,
    passages: list[Passage],
    related: Related | None = None,
    sources: list[Passage] | None = None,
) -> tuple[str, list[Citation]]:
    """Answer text with [n] markers and its citations (numbered in order of first use).

    `related(article_id, score)` gives the passages of a near-duplicate article that the
    search folded away (Passage.also_in), so it can be cited as "also reported in …";
    the passages quoted that are not among `passages` are appended to `sources`.
    """
    evidence = choose_evidence(question, passages, related)
    evidence += _duplicate_evidence(question, evidence, related)
    candidates = answer_candidates(question_kind(question), evidence, question, language)
    given_by: set[str] = set()
    if candidates:
        answer, given_by = candidates[0]
        given_by = {
            ev.passage.article_id
            for ev in evidence
            if ev.passage.article_id in given_by or mentions(ev.sentence, answer)
        }
        # The quotes that give the answer come first (and so are numbered first); of the
        # others, only those nearly as good as the best stay.
        best = evidence[0].score
        evidence = [
            ev
            for ev in evidence
            if ev.passage.article_id in given_by or ev.score >= best * KEEP_WITHOUT_ANSWER
        ]
        evidence.sort(key=lambda ev: ev.passage.article_id not in given_by)
    registry = CitationRegistry()
    lines: list[str] = []
    quoted: set[str] = set()
    bullets: list[tuple[Evidence, int, list[int]]] = []
    for ev in evidence:
        if ev.passage.article_id in quoted or len(bullets) >= MAX_QUOTED_ARTICLES:
            continue
        n = registry.cite(ev.passage, trim_quote(ev.sentence, QUOTE_CHARS))
        quoted.add(ev.passage.article_id)
        dupes: list[int] = []
        for other in evidence:
            if other.passage.article_id in quoted:
                continue
            if (
                other.passage.article_id in ev.passage.also_in
                or ev.passage.article_id in other.passage.also_in
            ):
                dupes.append(registry.cite(other.passage, trim_quote(other.sentence, QUOTE_CHARS)))
                quoted.add(other.passage.article_id)
        bullets.append((ev, n, dupes))
    if sources is not None:
        retrieved = {p.article_id for p in passages}
        for c in registry.citations:
            if c.article_id not in retrieved:
                retrieved.add(c.article_id)
                sources.append(
                    next(e.passage for e in evidence if e.passage.article_id == c.article_id)
                )
    if candidates:
        support = [c.n for c in registry.citations if c.article_id in given_by]
        lines.append(phrase(language, "answer", answer=answer, refs=refs(support)).strip())
        lines.append("")
    lines.append(phrase(language, "lead"))
    by_n = {c.n: c for c in registry.citations}
    for ev, n, dupes in bullets:
        line = f"• “{trim_quote(ev.sentence, QUOTE_CHARS)}” [{n}]"
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


_CLAUSE_END = re.compile(r"[,;:]\s|\s[–—-]\s|[，；：、]")


def trim_quote(sentence: str, limit: int) -> str:
    """The sentence, or when longer than `limit` its opening clauses up to a comma, dash or
    semicolon (a word boundary only when no clause ends late enough), with an ellipsis."""
    sentence = " ".join(sentence.split())
    if len(sentence) <= limit:
        return sentence
    ends = [m.start() for m in _CLAUSE_END.finditer(sentence[:limit]) if m.start() > limit * 0.5]
    if ends:
        return sentence[: ends[-1]].rstrip(" ,;:，；：、") + " …"
    return short_quote(sentence, limit)


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
