"""Extractive answers: the sentences that answer the question, quoted and cited, no LLM.

Flow: the retrieved passages plus the other chunks of their articles (the story is found,
the answering sentence may sit in a chunk ranked lower) → every sentence scored
(evidence.py) → the best sentence of each article; articles quoted while their best
sentence scores near the best one's, plus the other reports of the lead's story (shared
exact figures) → a short answer line when the evidence supports one (answer_line.py), or
"sources differ" with each value cited → the text, Markdown, a long sentence quoted around
what answers, with the words that answer in bold so a reader who cannot read a quote's
language still sees them.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace

import regex

from bot.answering.citations import CitationRegistry, refs, renumber_citations, short_quote
from bot.answering.extractive.answer_line import ShortAnswer, short_answer, term_positions
from bot.answering.extractive.evidence import (
    Evidence,
    answers_stated,
    best_per_article,
    score_evidence,
)
from bot.answering.extractive.kinds import question_kind
from bot.answering.extractive.semantic import SentenceMeaning
from bot.answering.markdown import bold, escape, with_bold
from bot.answering.phrases import join_names, local_language_name, phrase
from bot.answering.types import Citation
from index.types import Passage

Related = Callable[[str, float], list[Passage]]

log = logging.getLogger(__name__)

MAX_QUOTED_ARTICLES = 4
QUOTE_CHARS = 280
# Another article is quoted when its best sentence scores within QUOTE_MARGIN of the best
# one (evidence.py's scale: 0.8 ≈ 0.1 of cosine) and its passage within SCORE_MARGIN of the
# top passage; an article in the asker's language goes first when within OWN_LANGUAGE_MARGIN.
QUOTE_MARGIN = 0.8
SCORE_MARGIN = 0.3
# "Equally good" (≈ 0.01 of cosine): on the xquad-xling calib split a looser 0.3 put an
# own-language article first where the answering one was in another language (first
# citation 0.77 → 0.79 zh-Hans, 0.77 → 0.78 ru, 0.80 → 0.81 id with 0.1; 0 moves gained
# 0.01 more in zh-Hans only).
OWN_LANGUAGE_MARGIN = 0.1
# Sentences quoted from the lead article. On the xquad-xling calibration split (160
# answerable questions, every candidate embedded), the quoted sentences hold the gold answer
# for 0.51 of questions with 1, 0.63 with 2 and 0.69 with 3 (4: 0.76, but a quote that long
# stops being a quote); a score margin for the third one gained nothing.
LEAD_SENTENCES = 3


@dataclass
class Extracted:
    text: str
    citations: list[Citation]
    short: str | None
    quoted: list[Passage]  # passages quoted that the search did not return
    # False: the answer model read the candidates and none gives the asked fact (the story
    # is covered, the fact is not); the text then says so and quotes the closest passages.
    stated: bool = True


def _expanded(passages: list[Passage], related: Related | None) -> list[Passage]:
    if related is None:
        return passages
    out = list(passages)
    seen = {p.chunk_id for p in passages}
    for article_id in list(dict.fromkeys(p.article_id for p in passages))[:MAX_QUOTED_ARTICLES]:
        found = [p for p in passages if p.article_id == article_id]
        score = max(p.score for p in found)
        relevance = max((p.relevance for p in found if p.relevance is not None), default=None)
        also_in = sorted({a for p in found for a in p.also_in})
        for p in related(article_id, score):
            if p.chunk_id not in seen:
                seen.add(p.chunk_id)  # the article's other chunks rank as its best one
                out.append(replace(p, also_in=also_in or p.also_in, relevance=relevance))
    return out


def reader_rank(language: str, readers: Sequence[str]) -> int:
    """Where an article's language stands among the readers' (len(readers): not read)."""
    base = language.split("-")[0]
    for i, reader in enumerate(readers):
        if reader == language or reader.split("-")[0] == base:
            return i
    return len(readers)


def choose_quotes(
    best: dict[str, Evidence], readers: Sequence[str], top_passage: float
) -> list[Evidence]:
    """The articles worth quoting, best first. ``readers``: the languages the asker reads,
    in order (the question's own first): among equally good articles, the one in the
    earliest of them goes first."""
    ranked = sorted(best.values(), key=lambda ev: -ev.score)
    if not ranked:
        return []
    lead = ranked[0]
    chosen = [lead]
    for ev in ranked[1:]:
        if ev.score >= lead.score - QUOTE_MARGIN and ev.passage.score >= top_passage - SCORE_MARGIN:
            chosen.append(ev)
    equals = [ev for ev in chosen if ev.score >= lead.score - OWN_LANGUAGE_MARGIN]
    first = min(equals, key=lambda ev: reader_rank(ev.passage.language, readers))
    if first is not lead and reader_rank(first.passage.language, readers) < reader_rank(
        lead.passage.language, readers
    ):
        chosen.remove(first)
        chosen.insert(0, first)
    return chosen[:MAX_QUOTED_ARTICLES]


# Another article reports the same story when it gives at least this much of the lead
# article's exact figures (figures / shared_figures: two significant digits or more —
# "612", "38", "1,420", not round numbers like "10" or "300" that unrelated stories share;
# years left out; a plain two-digit number counts half, as days and ages coincide). News of one
# event repeat its counts and amounts in every language, while their sentences score lower
# across languages (cross-lingual cosines run ~0.05–0.1 below same-language ones) and would
# not be quoted — nor the figures they disagree on ("1,420 evacuated" vs "1,240人").
STORY_FIGURES = 1.5
_FIGURE = regex.compile(r"\p{N}+(?:[.,  ]\p{N}+)*")
_YEAR = regex.compile(r"(?:19|20)\d\d")


def shared_figures(mine: dict[str, float], theirs: dict[str, float]) -> float:
    """How much two articles' figures say they report one story (the weights of the figures
    they share; see figures)."""
    return sum(min(mine[f], theirs[f]) for f in mine.keys() & theirs.keys())


def figures(sentences: Iterable[str]) -> dict[str, float]:
    """The exact figures of some sentences, as digits only ("1,420" and "1.420" → "1420"),
    with a weight: 1 for three or more significant digits or a figure written with a
    separator ("2,4 milioni"), ½ for a plain two-digit number (days and ages coincide)."""
    out: dict[str, float] = {}
    for sentence in sentences:
        for m in _FIGURE.finditer(sentence):
            digits = "".join(ch for ch in m.group() if ch.isdigit())
            significant = len(digits.rstrip("0"))
            if significant < 2 or _YEAR.fullmatch(digits):
                continue
            weight = 1.0 if significant >= 3 or len(digits) < len(m.group()) else 0.5
            out[digits] = max(weight, out.get(digits, 0.0))
    return out


def with_story_mates(
    quoted: list[Evidence], best: dict[str, Evidence], evidence: list[Evidence]
) -> list[Evidence]:
    """The quoted articles plus the other articles of the lead's story (STORY_FIGURES shared
    figures), best first, up to MAX_QUOTED_ARTICLES."""
    if not quoted or len(quoted) >= MAX_QUOTED_ARTICLES:
        return quoted
    by_article: dict[str, list[str]] = {}
    for ev in evidence:
        by_article.setdefault(ev.passage.article_id, []).append(ev.sentence)
    lead = figures(by_article.get(quoted[0].passage.article_id, []))
    present = {ev.passage.article_id for ev in quoted}
    out = list(quoted)
    for article_id, ev in best.items():  # best first
        if len(out) >= MAX_QUOTED_ARTICLES:
            break
        shared = shared_figures(figures(by_article[article_id]), lead)
        if article_id not in present and shared >= STORY_FIGURES:
            out.append(ev)
    return out


def _duplicates(
    question: str, language: str, quoted: list[Evidence], related: Related | None
) -> dict[str, Evidence]:
    """Evidence from near-duplicates (translations) the search folded into a quoted passage."""
    extra: dict[str, Evidence] = {}
    if related is None:
        return extra
    present = {ev.passage.article_id for ev in quoted}
    for ev in quoted:
        for dup in ev.passage.also_in:
            if dup in present or dup in extra:
                continue
            found = score_evidence(question, language, related(dup, ev.passage.score), None)
            if found:
                extra[dup] = found[0]
    return extra


_CLAUSE_END = re.compile(r"[,;:]\s|\s[–—-]\s|[，；：、]")
ELLIPSIS = "… "


def _window_start(sentence: str, kept: int, limit: int, anchors: Sequence[int]) -> int:
    """Where the quote of a sentence longer than ``limit`` starts: at its opening (which
    keeps its first ``kept`` characters), unless the words that matter (``anchors``: what
    answers, the question's words) lie beyond it; then at the clause boundary whose window
    holds most."""
    if not anchors or max(anchors) < kept:
        return 0
    width = limit - 2 * len(ELLIPSIS)

    def held(start: int) -> int:
        return sum(start <= a < (kept if start == 0 else start + width) for a in anchors)

    starts = [0] + [m.end() for m in _CLAUSE_END.finditer(sentence)]
    return max(starts, key=lambda st: (held(st), -st))


def quote_window(
    sentence: str, anchors: Sequence[int] = (), limit: int = QUOTE_CHARS
) -> tuple[str, int]:
    """The quoted part of ``sentence`` (whitespace normalised): the whole sentence, or a
    window of about ``limit`` characters around its ``anchors`` cut at clause boundaries,
    with an ellipsis where it was cut; and the shift from sentence offsets to quote offsets."""
    sentence = " ".join(sentence.split())
    if len(sentence) <= limit:
        return sentence, 0
    opening = trim_quote(sentence, limit)
    kept = len(opening) - (2 if opening.endswith(" …") else 0)  # what the opening quote keeps
    start = _window_start(sentence, kept, limit, anchors)
    if start:  # cut at a word near the window's end, as _window_start counted it
        rest = short_quote(sentence[start:], limit - len(ELLIPSIS))
        return ELLIPSIS + rest, len(ELLIPSIS) - start
    return opening, 0


def trim_quote(sentence: str, limit: int = QUOTE_CHARS) -> str:
    """The sentence, or its opening clauses up to about `limit` characters, with an ellipsis."""
    sentence = " ".join(sentence.split())
    if len(sentence) <= limit:
        return sentence
    ends = [m.start() for m in _CLAUSE_END.finditer(sentence[:limit])]
    ends = [e for e in ends if e > limit * 0.5]
    if ends:
        return sentence[: ends[-1]].rstrip(" ,;:，；：、") + " …"
    return short_quote(sentence, limit)


def _anchors(ev: Evidence, question: str) -> list[int]:
    """Offsets in the sentence that a quote should keep: each span of the asked kind (three
    times: what answers matters most), then every word of the question."""
    spans = [s[0] for s in ev.spans] * 3
    return spans + term_positions(ev.sentence, question, ev.passage.language)


def _quote_parts(ev: Evidence, evidence: list[Evidence], lead: bool) -> list[Evidence]:
    """The sentences quoted for an article: its best one, and for the lead article its
    LEAD_SENTENCES best (in text order) — the model's best match often sits next to the
    sentence that answers."""
    if not lead:
        return [ev]
    same = [e for e in evidence if e.passage.article_id == ev.passage.article_id and e is not ev]
    parts = [ev, *same[: LEAD_SENTENCES - 1]]  # evidence is sorted best first
    return sorted(parts, key=lambda e: (e.passage.position, e.index))


def _quote_markdown(
    parts: list[Evidence], value: str | None, question: str = ""
) -> tuple[str, str]:
    """The quote as Markdown — escaped, what answers in bold (kept inside the quoted
    window) — and as plain text (the citation's quote)."""
    pieces, plain = [], []
    for ev in parts:
        text, shift = quote_window(ev.sentence, _anchors(ev, question))
        plain.append(text)
        spans = [(s[0] + shift, s[1] + shift, s[2]) for s in ev.spans]
        spans = [s for s in spans if s[0] >= 0 and text[s[0] : s[1]].strip() == s[2]]
        bolded = [(s[0], s[1]) for s in spans]
        if value:  # only the short line's value, where it stands alone ("1" is not in "1954")
            bolded = [(s[0], s[1]) for s in spans if s[2] == value]
            if not bolded:
                alone = rf"(?<![\p{{L}}\p{{N}}]){regex.escape(value)}(?![\p{{N}}])"
                found = regex.search(alone, text)
                bolded = [found.span()] if found else []
        pieces.append(with_bold(text, bolded))
    return _join_quotes(pieces), _join_quotes(plain)


def _join_quotes(pieces: list[str]) -> str:
    """Sentences of one article joined by an ellipsis (one only, if a piece ends in one)."""
    out = pieces[0] if pieces else ""
    for piece in pieces[1:]:
        out += (" " if out.endswith("…") else " … ") + piece
    return out


def _short_line(
    short: ShortAnswer, language: str, number: dict[str, int], names: dict[str, str]
) -> str:
    if short.disputed:
        values = [(short.value, short.support)] + [(v, [ev]) for v, ev in short.others]
        parts = []
        for value, evs in values:
            nums = [number[e.passage.article_id] for e in evs if e.passage.article_id in number]
            langs = join_names(
                list(dict.fromkeys(names[e.passage.article_id] for e in evs)), language
            )
            parts.append(f"{bold(value)} {refs(nums)} ({langs})")
        return phrase(language, "disagree", values=phrase(language, "versus").join(parts))
    nums = [number[e.passage.article_id] for e in short.support if e.passage.article_id in number]
    return phrase(language, "answer", answer=bold(short.value), refs=refs(nums)).strip()


def extractive_answer(
    question: str,
    language: str,
    passages: list[Passage],
    related: Related | None = None,
    meaning: SentenceMeaning | None = None,
    readers: Sequence[str] = (),
) -> Extracted:
    """Answer text (Markdown) with [n] markers, its citations, and the short answer line.
    ``readers``: further languages the asker reads, in order (after ``language``)."""
    evidence = score_evidence(question, language, _expanded(passages, related), meaning)
    top = max((p.score for p in passages), default=0.0)
    best = best_per_article(evidence)
    reading = list(dict.fromkeys([language, *readers]))
    quoted = with_story_mates(choose_quotes(best, reading, top), best, evidence)
    dups = _duplicates(question, language, quoted, related)
    kind = question_kind(question)
    stated = answers_stated(evidence)
    short = short_answer(kind, question, quoted, evidence, meaning) if stated else None
    registry = CitationRegistry()
    number: dict[str, int] = {}
    names: dict[str, str] = {}
    bullets: list[str] = []
    value = short.value if short and not short.disputed else None
    for i, ev in enumerate(quoted):
        parts = _quote_parts(ev, evidence, lead=i == 0)
        quote, plain = _quote_markdown(parts, value, question)
        n = registry.cite(ev.passage, plain)
        number[ev.passage.article_id] = n
        names[ev.passage.article_id] = local_language_name(ev.passage.language, language)
        line = f"• “{quote}” [{n}]"
        also = [d for d in ev.passage.also_in if d in dups]
        if also:
            nums = [
                registry.cite(
                    dups[d].passage, quote_window(dups[d].sentence, _anchors(dups[d], question))[0]
                )
                for d in also
            ]
            langs = [local_language_name(dups[d].passage.language, language) for d in also]
            line += " — " + phrase(
                language,
                "also",
                languages=join_names(list(dict.fromkeys(langs)), language),
                refs=refs(nums),
            )
        bullets.append(line)
    lines: list[str] = []
    if short is not None:
        lines += [_short_line(short, language, number, names), ""]
    lines.append(phrase(language, "lead" if stated else "partial"))
    lines += bullets
    by_n = {c.n: c for c in registry.citations}
    text, order = renumber_citations("\n".join(lines), by_n)
    citations = [replace(by_n[old], n=new) for new, old in enumerate(order, start=1)]
    retrieved = {p.chunk_id for p in passages}
    extra = [ev.passage for ev in [*quoted, *dups.values()] if ev.passage.chunk_id not in retrieved]
    log.debug("extractive: %d quotes, short %r", len(quoted), short)
    quoted_passages = list({p.chunk_id: p for p in extra}.values())
    return Extracted(text, citations, value, quoted_passages, stated)


def refusal_text(language: str, passages: list[Passage], nearest: int = 3) -> str:
    """ "The articles do not cover this", naming the nearest articles when there are any."""
    text = phrase(language, "refusal")
    titles: list[str] = []
    for p in passages:
        title = f"“{escape(p.title)}” ({local_language_name(p.language, language)})"
        if title not in titles:
            titles.append(title)
        if len(titles) == nearest:
            break
    if titles:
        text += " " + phrase(language, "nearest", titles="; ".join(titles))
    return text
