"""Scoring evidence sentences: which sentence of each article answers the question.

Every sentence of the candidate passages (split by ``index.text``, the splitter the index
uses) gets signals that mean the same on any corpus and in any language:

- ``lexical``: the share of the question's IDF mass the sentence holds (terms.py: stems,
  CJK bigrams, names and numbers across scripts; IDF over the candidate sentences, so the
  story's own subject counts for little);
- ``semantic``: cosine of the question with the sentence in the multilingual model
  (semantic.py), for the best few candidates; scored relative to the other candidates, as
  e5 cosines live in a narrow band;
- ``typed``: the sentence holds what the question asks for (kinds.py: a date for "when", a
  number for "how many", a name for "who") and it is not already in the question;
- the passage's retrieval score, and a little for a story's opening sentence;
- ``reading``: with the answer model (bot/answering/reader/cross.py), its logit for "this
  sentence answers the question", for the same few candidates as ``semantic``, relative to
  the others'. The model reads the question and the sentence together, so it can tell the
  sentence that gives the asked fact from one that only shares the story.

Weights below were set on the xquad-xling calibration split (160 answerable questions in
en/ru/zh-Hans/id, every candidate embedded; "does the chosen sentence hold the gold answer"):
the model's meaning decides most (top-1 sentence 0.49 of questions, 0.73 with two sentences
of the lead article and one of three more); lexical overlap alone reached 0.30–0.50 and
added nothing on this mostly cross-lingual set, so it only breaks ties (it matters for
names and numbers in news). None is keyed to a corpus.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import regex

from bot.answering.extractive.kinds import Span, kind_spans, question_kind
from bot.answering.extractive.semantic import MAX_SENTENCES, SentenceMeaning
from bot.answering.extractive.terms import fold, idf_weights, overlap, terms
from index.text import split_sentences
from index.types import Passage

W_LEXICAL = 0.15
W_SEMANTIC = 8.0  # per unit of cosine above the candidates' mean (cosines spread ~0.05)
W_TYPED = 0.8  # flat from 0 to 1.2 on the calibration split (typed questions); news needs it
W_PASSAGE = 0.2
# The search's language-bias-corrected relevance of the passage (centered cosine): on the
# calibration split it puts the gold article first for 0.74 of questions (raw score: 0.55);
# weighted in, the first citation is right 0.62 → 0.76 and the chosen sentence holds the gold
# answer 0.45 → 0.48.
W_RELEVANCE = 20.0
W_LEAD = 0.0
# The answer model (bot/answering/reader/cross.py) reads within a language far better than
# across: on xquad-xling dev questions its pick of the answering sentence is right 0.86 vs
# the cosine's 0.76 when the question is in the passage's language, but 0.55 vs 0.70 when
# it is not (training/evaluate_cross.py; training/README.md). So its logit weighs in the
# ranking (per unit above the read candidates' mean) only for a sentence in the question's
# own language; across languages the cosine keeps deciding.
W_READING_SAME = 0.4
W_READING_CROSS = 0.0
# "Stated": the model's logit fused with the cosine (read_score: logit + READ_ALPHA ×
# cosine) reaches STATED_AT_SAME (sentence in the question's language) or STATED_AT_CROSS.
# When no sentence it read does, the story is covered but the asked fact is not. Set on the
# xquad-xling calib split by training/evaluate_cross.py's near-miss simulation (the gold
# passage with and without its answering sentences): each threshold keeps 0.95 of the
# answerable questions of its kind answered; the refusal's ALPHA of 40 (0 refuses a few more
# near-misses on calib but kept only 0.90 answered on holdout).
READ_ALPHA = 40.0
STATED_AT_SAME = 32.7
STATED_AT_CROSS = 26.9
# A short line from a single source needs its sentence to read as stated with this margin
# (read_score units) and to be the best read.
SHORT_MARGIN = 0.0
# The answer model reads the best READ_FIRST of the embedded candidates, and up to
# READ_SENTENCES only when none of those reads as stating the fact (a pair costs ~50 ms on
# two cores): the "covered but not stated" decision sees READ_SENTENCES, while a question
# the first sentences answer pays for READ_FIRST (latency: docs/performance.md).
READ_FIRST = 4
READ_SENTENCES = 8
LEAD_ARTICLE_SENTENCES = 8  # sentences of the best passage's article always embedded
OTHER_ARTICLES = 3  # ... plus the best cheap candidate of this many further articles
MIN_CHARS, MIN_CHARS_SPACELESS = 25, 8
MAX_CHARS = 600


@dataclass
class Evidence:
    passage: Passage
    sentence: str
    index: int  # position of the sentence within its passage
    score: float = 0.0
    lexical: float = 0.0
    semantic: float | None = None
    reading: float | None = None  # the answer model's logit, when it read this sentence
    same_language: bool = False  # the sentence is in the question's language
    spans: list[Span] = field(default_factory=list)  # what answers the question's kind


def _without_title(sentence: str, title: str) -> str:
    """Chunks glue a headline to the first sentence; quote the sentence without it."""
    if title and len(sentence) > len(title) + 20 and sentence.startswith(title):
        sentence = sentence[len(title) :].strip(" \n:—-")
    return " ".join(sentence.split())


def _spaceless(text: str) -> bool:
    return sum(1 for ch in text if ch.isspace()) < len(text) / 20


def candidates(passages: list[Passage]) -> list[Evidence]:
    """Every sentence of the passages once (chunk overlap repeats sentences)."""
    out: list[Evidence] = []
    seen: set[tuple[str, str]] = set()
    for passage in passages:
        lines = passage.text.splitlines()  # a line break ends a sentence (headings, lists)
        raws = [s for line in lines for s in split_sentences(line, passage.language)]
        for i, raw in enumerate(raws):
            sentence = _without_title(raw, passage.title if passage.position == 0 else "")
            key = (passage.article_id, sentence)
            least = MIN_CHARS_SPACELESS if _spaceless(sentence) else MIN_CHARS
            if key in seen or len(sentence) < least or sentence.endswith(("?", "？")):
                continue
            seen.add(key)
            out.append(Evidence(passage, sentence[:MAX_CHARS], i))
    return out


_NUMBER = regex.compile(r"\p{Nd}+")


def numbers(text: str) -> set[int]:
    """The whole numbers written in ``text``, in any script's digits."""
    return {int(n) for n in _NUMBER.findall(text)}


def _in_question(span: Span, question_folded: str, question_numbers: set[int]) -> bool:
    """Is the span something the question already says: its text, or all of its numbers
    ("1978年" for a question saying "năm 1978")?"""
    mine = numbers(span[2])
    return fold(span[2]) in question_folded or bool(mine) and mine <= question_numbers


def score_evidence(
    question: str,
    language: str,
    passages: list[Passage],
    meaning: SentenceMeaning | None = None,
) -> list[Evidence]:
    """The candidate sentences of ``passages``, scored, best first."""
    pool = candidates(passages)
    if not pool:
        return []
    kind = question_kind(question)
    q_terms = terms(question, language)
    keys = [set(terms(ev.sentence, ev.passage.language)) for ev in pool]
    idf = idf_weights(keys)
    q_folded = fold(question)
    q_numbers = numbers(question)
    reach: dict[str, set[str]] = {}
    for ev, k in zip(pool, keys, strict=True):
        reach.setdefault(ev.passage.language, set()).update(k)
    for ev, k in zip(pool, keys, strict=True):
        ev.lexical = overlap(q_terms, k, idf, reach[ev.passage.language])
        spans = kind_spans(kind, ev.sentence, ev.passage.language)
        ev.spans = [s for s in spans if not _in_question(s, q_folded, q_numbers)]
        ev.score = (
            W_LEXICAL * ev.lexical
            + W_TYPED * bool(ev.spans)
            + W_PASSAGE * ev.passage.score
            + W_RELEVANCE * (ev.passage.relevance or 0.0)
            + W_LEAD * (ev.passage.position == 0 and ev.index == 0)
        )
    if meaning is not None:
        _add_meaning(question, language, pool, meaning)
    pool.sort(key=lambda ev: -ev.score)
    return pool


def _rank(ev: Evidence) -> tuple[float, float]:
    """How the search ranks the sentence's passage: bias-corrected relevance, then score."""
    p = ev.passage
    return (p.relevance if p.relevance is not None else p.score, p.score)


def _add_meaning(
    question: str, language: str, pool: list[Evidence], meaning: SentenceMeaning
) -> None:
    """Embed the sentences of the best passage's article (up to LEAD_ARTICLE_SENTENCES) and
    the best cheap candidate of OTHER_ARTICLES more articles; add their cosine relative to
    the others' (the rest get the lowest: they were not worth embedding)."""
    ranked = sorted(pool, key=lambda ev: -ev.score)
    lead_article = max(pool, key=_rank).passage.article_id
    chosen = [ev for ev in pool if ev.passage.article_id == lead_article]
    chosen = sorted(chosen, key=lambda ev: -ev.score)[:LEAD_ARTICLE_SENTENCES]
    others: list[str] = []
    for ev in ranked:
        art = ev.passage.article_id
        if art != lead_article and art not in others and len(others) < OTHER_ARTICLES:
            others.append(art)
            chosen.append(ev)
    chosen = chosen[:MAX_SENTENCES]
    sims = meaning.similarities(question, [ev.sentence for ev in chosen])
    mean = sum(sims) / len(sims)
    floor = min(sims) - mean
    embedded = {id(ev) for ev in chosen}
    for ev, sim in zip(chosen, sims, strict=True):
        ev.semantic = sim
        ev.score += W_SEMANTIC * (sim - mean)
    for ev in pool:
        if id(ev) not in embedded:
            ev.score += W_SEMANTIC * floor
    read = sorted(chosen, key=lambda ev: -ev.score)[:READ_SENTENCES]
    for ev in pool:
        ev.same_language = ev.passage.language == language
    read = _first_batch(read)
    reads = meaning.readings(question, [ev.sentence for ev in read[:READ_FIRST]])
    for ev, logit in zip(read, reads or (), strict=False):
        ev.reading = logit
    if reads and len(read) > READ_FIRST and not answers_stated(read[:READ_FIRST]):
        more = meaning.readings(question, [ev.sentence for ev in read[READ_FIRST:]])
        for ev, logit in zip(read[READ_FIRST:], more or (), strict=False):
            ev.reading = logit
        reads += more or []  # the rest may yet state it
    read = read[: len(reads or ())]
    if reads:
        mean = sum(reads) / len(reads)
        floor = min(reads) - mean
        done = {id(ev) for ev in read}
        for ev, logit in zip(read, reads, strict=True):
            ev.score += _reading_weight(ev) * (logit - mean)
        for ev in pool:
            if id(ev) not in done:
                ev.score += _reading_weight(ev) * floor


def _first_batch(read: list[Evidence]) -> list[Evidence]:
    """``read`` (best first) reordered so that the first READ_FIRST hold the best sentence
    in the question's language, if any is to be read: the model's logit re-ranks only those
    (W_READING_SAME), and a sentence it does not read ranks as its worst read."""
    if any(ev.same_language for ev in read[:READ_FIRST]):
        return read
    own = next((ev for ev in read if ev.same_language), None)
    if own is None:
        return read
    rest = [ev for ev in read if ev is not own]
    return [*rest[: READ_FIRST - 1], own, *rest[READ_FIRST - 1 :]]


def _reading_weight(ev: Evidence) -> float:
    return W_READING_SAME if ev.same_language else W_READING_CROSS


def stated_at(ev: Evidence) -> float:
    """The read_score at which ``ev`` gives the asked fact (by its language pair)."""
    return STATED_AT_SAME if ev.same_language else STATED_AT_CROSS


def read_score(ev: Evidence) -> float:
    """The answer model's logit fused with the bi-encoder's cosine (absolute, comparable
    across questions; -inf for a sentence the model did not read)."""
    if ev.reading is None:
        return float("-inf")
    return ev.reading + READ_ALPHA * (ev.semantic or 0.0)


def answers_stated(evidence: list[Evidence]) -> bool:
    """Does a sentence the answer model read give what the question asks (True without the
    model)? False means the story is covered but the asked fact is not."""
    read = [ev for ev in evidence if ev.reading is not None]
    return not read or any(read_score(ev) >= stated_at(ev) for ev in read)


def best_per_article(evidence: list[Evidence]) -> dict[str, Evidence]:
    """The best sentence of each article (evidence is sorted best first)."""
    best: dict[str, Evidence] = {}
    for ev in evidence:
        best.setdefault(ev.passage.article_id, ev)
    return best
