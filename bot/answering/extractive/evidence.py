"""Scoring evidence sentences: which sentence of each article answers the question.

The question becomes term groups (bot.answering.extractive.question_groups), each weighted by its rarity among
the candidate sentences (IDF): the story's subject, found everywhere, counts for little;
the word only the answer shares counts most. Overlap is measured half against the whole
question, half against what sentences of that language can match at all (English words
never occur in Chinese). A sentence that matches only the subject when the question says
more is marked down, and so is one about other people (none of the question's names).

On top of overlap, a sentence earns the most when it carries what the question asks for
(a new name for "who", a date for "when", a number for "how many", a reason marker for
"why") *next to* a matched content word; a little for the story's lead and the passage rank.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from bot.answering.extractive.cues import Span, answer_spans
from bot.answering.extractive.question_groups import Group, group_matches, question_groups, term_spans
from bot.answering.extractive.sentences import is_cjk, question_kind, sentence_stems, split_sentences
from index.types import Passage

# A group matched by at least this share of the candidate sentences is the story's subject.
SUBJECT_SHARE = 0.12
SUBJECT_ONLY_FACTOR = 0.4  # overlap kept by a sentence matching nothing but the subject
OTHER_SUBJECT_FACTOR = 0.6  # ... by one naming other people and none the question names
CUE_NEAR, CUE_FAR, CUE_ALONE = 0.45, 0.15, 0.05
NEAR_CHARS, NEAR_CHARS_CJK = 90, 30

_ENDS = (".", "!", "…", "。", "！", "」", "”")


@dataclass
class Evidence:
    passage: Passage
    sentence: str
    score: float
    content: bool = True  # matches something of the question beyond its subject
    matched: frozenset[str] = field(default_factory=frozenset)
    parts: tuple[float, float] = (0.0, 0.0)  # overlap and answer-cue shares of the score


@dataclass
class _Candidate:
    passage: Passage
    sentence: str
    index: int
    rank: int
    matched: frozenset[int]  # indexes into the question's groups


def _without_title(sentence: str, title: str) -> str:
    """Chunks glue a headline to the first sentence; quote the sentence without it."""
    if title and len(sentence) > len(title) + 20 and title in sentence:
        sentence = sentence.replace(title, " ").strip()
        sentence = " ".join(sentence.split())
    return sentence


def _closeness(sentence: str, spans: list[Span], groups: list[Group]) -> float:
    """1.0 when an answer span touches a matched question group, falling to 0 at
    NEAR_CHARS characters away (the answer sits next to what the question asks about)."""
    width = NEAR_CHARS_CJK if is_cjk(sentence) else NEAR_CHARS
    best = 0.0
    for group in groups:
        for t_start, t_end in term_spans(group, sentence):
            for start, end, _ in spans:
                gap = max(0, start - t_end, t_start - end)
                best = max(best, 1.0 - gap / width)
    return best


def _about_someone_else(sentence: str) -> bool:
    """Names people (in a Latin or Cyrillic sentence, where its subject is among them)."""
    return not is_cjk(sentence) and bool(answer_spans("who", sentence, ""))


def _specificity(kind: str, spans: list[Span]) -> float:
    """A date with digits answers "when" better than a bare weekday or month."""
    if kind == "when" and not any(any(ch.isdigit() for ch in text) for _, _, text in spans):
        return 0.7
    return 1.0


def _shape(c: _Candidate, kind: str) -> float:
    score = 0.1 / (1 + c.rank)
    if c.passage.position == 0 and c.index < 2 and kind in ("other", "why"):
        score += 0.05
    if len(c.sentence) < (10 if is_cjk(c.sentence) else 30):
        score -= 0.5
    if c.sentence.rstrip().endswith(("?", "？")):
        score -= 0.3
    if len(c.sentence) > 450:
        score -= 0.15
    if len(c.sentence) < 60 and not c.sentence.rstrip(" \"'»”’)").endswith(_ENDS):
        score -= 0.2  # a heading or a list item, not a statement
    return score


def best_sentences(
    question: str, passages: list[Passage], retrieved: set[str] | None = None
) -> dict[str, Evidence]:
    """The best evidence sentence of each article among `passages` (article id → Evidence).

    `retrieved`: the chunk ids the search returned (other chunks rank a little lower).
    """
    best: dict[str, Evidence] = {}
    for ev in scored_sentences(question, passages, retrieved):
        current = best.get(ev.passage.article_id)
        if current is None or ev.score > current.score:
            best[ev.passage.article_id] = ev
    return best


def _merge_cjk_words(
    groups: tuple[Group, ...], candidates: list[_Candidate]
) -> tuple[list[set[int]], list[bool]]:
    """Adjacent CJK bigrams found in exactly the same sentences are one word (巴布+布什+什金):
    their groups are merged into the first (candidates' matches rewritten). Returns each
    group's sentences (empty for a merged-away group) and which groups absorbed others."""
    occurs: list[set[int]] = [set() for _ in groups]
    for ci, c in enumerate(candidates):
        for j in c.matched:
            occurs[j].add(ci)
    root = list(range(len(groups)))
    merged = [False] * len(groups)
    at = {g.pos: j for j, g in enumerate(groups) if g.pos >= 0}
    for j, g in enumerate(groups):
        k = at.get(g.pos - 1) if g.pos > 0 else None
        if k is not None and occurs[j] and occurs[j] == occurs[k]:
            root[j] = root[k]
            merged[root[k]] = True
    for c in candidates:
        c.matched = frozenset(root[j] for j in c.matched)
    return [found if root[j] == j else set() for j, found in enumerate(occurs)], merged


def scored_sentences(
    question: str, passages: list[Passage], retrieved: set[str] | None = None
) -> list[Evidence]:
    """Every sentence of `passages` as scored Evidence, in passage order."""
    groups = question_groups(question)
    kind = question_kind(question)
    article_rank: dict[str, int] = {}
    for passage in passages:
        article_rank.setdefault(passage.article_id, len(article_rank))
    candidates: list[_Candidate] = []
    seen: set[tuple[str, str]] = set()
    for passage in passages:
        rank = article_rank[passage.article_id]
        if retrieved is not None and passage.chunk_id not in retrieved:
            rank += 1
        for i, raw in enumerate(split_sentences(passage.text)):
            sentence = _without_title(raw, passage.title)
            if (passage.article_id, sentence) in seen:
                continue  # chunk overlap repeats sentences
            seen.add((passage.article_id, sentence))
            keys, lowered = sentence_stems(sentence), sentence.lower()
            matched = frozenset(j for j, g in enumerate(groups) if group_matches(g, keys, lowered))
            candidates.append(_Candidate(passage, sentence, i, rank, matched))
    if not candidates:
        return []
    n = len(candidates)
    occurs, merged = _merge_cjk_words(groups, candidates)
    df = [len(found) for found in occurs]
    weight = [
        (1.0 if merged[j] else g.weight) * math.log((n + 1) / (d + 0.5)) if d else 0.0
        for j, (g, d) in enumerate(zip(groups, df, strict=True))
    ]
    # The story's subject: a name (or Chinese word) of the question found all over the text.
    # (frequent among the sentences, or present in most articles)
    articles = {c.passage.article_id for c in candidates}
    spread = [{candidates[ci].passage.article_id for ci in occurs[j]} for j in range(len(groups))]
    subject = {
        j
        for j, d in enumerate(df)
        if (groups[j].name or groups[j].pos >= 0)
        and (d / n >= SUBJECT_SHARE or (d / n >= 0.04 and 2 * len(spread[j]) > len(articles)))
    }
    content_groups = {j for j, d in enumerate(df) if d} - subject
    asked = {j for j in content_groups if not groups[j].name} or content_groups
    names = {j for j, d in enumerate(df) if d and groups[j].name}
    total = sum(weight) or 1.0
    # What a sentence can match depends on its language (English words do not occur in
    # Chinese): overlap is half against the whole question, half against what that
    # language's sentences match at all.
    reach: dict[str, set[int]] = {}
    for c in candidates:
        reach.setdefault(c.passage.language, set()).update(c.matched)
    reachable = {lang: sum(weight[j] for j in js) or 1.0 for lang, js in reach.items()}
    out: list[Evidence] = []
    for c in candidates:
        got = sum(weight[j] for j in c.matched)
        overlap = (got / total + got / reachable[c.passage.language]) / 2
        content = set(c.matched) & content_groups
        if content_groups and not content:
            overlap *= SUBJECT_ONLY_FACTOR
        elif names and not c.matched & names and kind != "who" and _about_someone_else(c.sentence):
            overlap *= OTHER_SUBJECT_FACTOR  # about someone else: "Sutskever left to found …"
        cue = 0.0
        spans = answer_spans(kind, c.sentence, question) if kind != "other" else []
        if spans and content:
            near = (set(c.matched) & asked) or set(c.matched)
            closeness = _closeness(c.sentence, spans, [groups[j] for j in near])
            cue = (CUE_FAR + (CUE_NEAR - CUE_FAR) * closeness) * _specificity(kind, spans)
        elif spans:
            cue = CUE_FAR if not content_groups else CUE_ALONE
        score = overlap + cue + _shape(c, kind)
        labels = frozenset(groups[j].label for j in c.matched)
        relevant = bool(content) or not content_groups
        out.append(Evidence(c.passage, c.sentence, score, relevant, labels, (overlap, cue)))
    return out


def near_answers(kind: str, sentence: str, question: str, least: float = 0.5) -> list[str]:
    """What the sentence gives for a question of `kind` (see bot.answering.extractive.cues.answer_spans), sitting
    within `least` closeness of a matched content word of the question (not its names)."""
    keys, lowered = sentence_stems(sentence), sentence.lower()
    groups = [g for g in question_groups(question) if group_matches(g, keys, lowered)]
    asked = [g for g in groups if not g.name] or groups
    if not asked:
        return []
    spans = answer_spans(kind, sentence, question)
    return [s[2] for s in spans if _closeness(sentence, [s], asked) >= least]
