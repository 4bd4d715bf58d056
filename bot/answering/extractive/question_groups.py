"""A question as weighted term groups, for matching evidence sentences (bot.answering.extractive.evidence).

A name phrase ("Igor Babuschkin") is one group; a word and the lexicon concept it expresses
("inspired" + @inspire, which also matches "terinspirasi", "Вдохновение", "源于") are one
group; each other content word is a group; a Chinese question gives one group per character
bigram (in both scripts), which the scorer merges back into words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from bot.answering.extractive.lexicon import concept_spans, concepts_in_question, has_concept
from bot.answering.extractive.sentences import (
    CARRIED_WEIGHT,
    QUESTION_CUES,
    STOPWORDS,
    affix_variants,
    both_scripts,
    is_cjk,
    question_terms,
    term_matches,
    word_key,
)

_WORD = re.compile(r"[^\W_]+(?:[-'][^\W_]+)*", re.UNICODE)
_CARRIED = re.compile(r"\s*\(([^()]*)\)\s*$")
_CJK_FUNCTION = set("的是了在和與与什麼么誰谁哪裡里嗎吗呢多少為为何怎樣样如")
_CJK_CUES = {c for cues in QUESTION_CUES.values() for c in cues if is_cjk(c)}


@dataclass(frozen=True)
class Group:
    label: str
    keys: tuple[str, ...]  # word keys or CJK bigrams; any one matching counts
    weight: float
    concept: str | None = None
    name: bool = False  # a name the question already gives (the subject, not the answer)
    pos: int = -1  # CJK bigram: its position in the question (adjacent ones may merge)


def _is_name(word: str, at_start: bool) -> bool:
    if any(c.isdigit() for c in word) or any(c.isupper() for c in word[1:]):
        return True
    return word[0].isupper() and not at_start


@lru_cache(maxsize=1024)
def question_groups(question: str) -> tuple[Group, ...]:
    """The weighted term groups of a question (see the module docstring)."""
    terms = question_terms(question)  # keys and weights, incl. CJK bigrams
    carried = _CARRIED.search(question)
    main = question[: carried.start()] if carried else question
    concepts = sorted(concepts_in_question(main))
    groups: list[Group] = []
    concept_keys: dict[str, list[str]] = {c: [] for c in concepts}
    name: list[str] = []
    last_end = -1

    def flush() -> None:
        if name:
            groups.append(Group(" ".join(name), tuple(name), 1.5, name=True))
            name.clear()

    for m in _WORD.finditer(main):
        word = m.group(0)
        if is_cjk(word) or word.lower() in STOPWORDS or len(word) < 2:
            flush()
            continue
        key = word_key(word)
        if key not in terms:
            flush()
            continue
        hit = [c for c in concepts if has_concept(c, word.lower())]
        if hit:
            flush()
            concept_keys[hit[0]].extend((key, *affix_variants(key)))
        elif _is_name(word, main[: m.start()].strip() == ""):
            if name and main[last_end : m.start()].strip():
                flush()
            name.append(key)
        else:
            flush()
            groups.append(Group(word, (key, *affix_variants(key)), terms[key]))
        last_end = m.end()
    flush()
    chars = [ch for ch in main if is_cjk(ch)]
    for i in range(len(chars) - 1):
        variants = tuple(dict.fromkeys(both_scripts(chars[i] + chars[i + 1])))
        hit = [c for c in concepts if any(has_concept(c, v) for v in variants)]
        if hit:
            concept_keys[hit[0]].extend(variants)
        elif not any(set(v) <= _CJK_FUNCTION or any(v in q for q in _CJK_CUES) for v in variants):
            groups.append(Group(variants[0], variants, 0.7, pos=i))
    # "Babuschkin Ventures" next to "Babuschkin": the longer name is matched by its new part.
    single = {g.keys[0] for g in groups if g.name and len(g.keys) == 1}
    groups = [
        Group(g.label, tuple(k for k in g.keys if k not in single), g.weight, name=True)
        if g.name and len(g.keys) > 1 and single & set(g.keys)
        else g
        for g in groups
    ]
    groups = list({g.keys: g for g in reversed(groups) if g.keys}.values())[::-1]
    for c in concepts:
        groups.append(Group(f"@{c}", tuple(concept_keys[c]), 1.5, concept=c))
    if carried:
        for word in _WORD.findall(carried.group(1)):
            key = word_key(word)
            if not is_cjk(word) and key not in {k for g in groups for k in g.keys}:
                groups.append(Group(word, (key,), CARRIED_WEIGHT, name=True))
    return tuple(groups)


def group_matches(group: Group, keys: frozenset[str], lowered: str) -> bool:
    if group.concept is not None and has_concept(group.concept, lowered):
        return True
    return any(term_matches(k, keys) for k in group.keys)


@lru_cache(maxsize=16384)
def term_spans(group: Group, sentence: str) -> list[tuple[int, int]]:
    """Where a group matches in the sentence."""
    if is_cjk(group.keys[0] if group.keys else ""):
        spans = [
            (m.start(), m.end()) for k in group.keys for m in re.finditer(re.escape(k), sentence)
        ]
    else:
        spans = []
        for m in _WORD.finditer(sentence):
            keys = frozenset((word_key(m.group(0)), *affix_variants(word_key(m.group(0)))))
            if any(term_matches(k, keys) for k in group.keys):
                spans.append(m.span())
    if group.concept is not None:
        spans += concept_spans(group.concept, sentence.lower())
    return spans
