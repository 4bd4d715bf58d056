"""Answer text is Markdown: article text escaped, answer words bold, plain for terminals."""

from __future__ import annotations

from bot.answering.markdown import bold, escape, to_plain, with_bold


def test_article_markdown_is_made_literal() -> None:
    assert escape("*not bold* [link](x)") == r"\*not bold\* \[link\]\(x\)"


def test_spans_are_bold_and_plain_text_round_trips() -> None:
    text = "It cost €412 *million* in 2019."
    marked = with_bold(text, [(8, 12), (26, 30)])
    assert marked == r"It cost **€412** \*million\* in **2019**."
    assert to_plain(marked) == text
    assert to_plain(bold("a_b")) == "a_b"
