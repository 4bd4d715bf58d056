"""Answer → Discord message parts (text with [n] markers + a sources embed), within limits.

Discord's limits: 2,000 characters of content per message; an embed's title 256,
description 4,096, at most 25 fields (name 256, value 1,024) and 6,000 characters in total
across every embed of one message. Nothing here talks to Discord: it returns plain parts.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import discord

from bot.answering.types import Answer, Citation
from bot.locales import registry

MESSAGE_LIMIT = 2000
EMBED_TITLE_LIMIT = 256
EMBED_DESCRIPTION_LIMIT = 4096
EMBED_FIELDS_LIMIT = 25
FIELD_NAME_LIMIT = 256
FIELD_VALUE_LIMIT = 1024
EMBED_TOTAL_LIMIT = 6000
MAX_TEXT_MESSAGES = 3  # longer answers are attached as a file instead of flooding the channel
SHORT_QUOTE = 200
EMBED_COLOUR = discord.Colour.blurple()
# Every message: no @everyone, role or user pings (also the bot's default, set in app.py).
NO_PINGS = discord.AllowedMentions.none()

# A flag stands for the language's best-known country: the bot's languages name theirs in
# their folder (bot/locales/<code>/language.json); these are article languages the bot does
# not speak. Codes without one show the code.
OTHER_FLAGS = {
    "zh": "🇨🇳", "nl": "🇳🇱", "th": "🇹🇭", "ms": "🇲🇾", "fa": "🇮🇷", "he": "🇮🇱", "sv": "🇸🇪",
    "cs": "🇨🇿", "el": "🇬🇷",
}  # fmt: skip


def flag(code: str) -> str | None:
    """The flag shown beside a language's name, if it has one."""
    language = registry().get(code)
    return (language.flag if language else None) or OTHER_FLAGS.get(code)


_MASKED_LINK = re.compile(r"\]\s*\(")
_MENTION = re.compile(r"@(everyone|here)\b|<(@[!&]?|#)(\d+)>")
_SAFE_URL = re.compile(r"https?://[^\s<>()\[\]`|*_~]+", re.IGNORECASE)


def safe_text(text: str) -> str:
    """Article or user text made inert for Discord: no masked links, no mention syntax.

    AllowedMentions.none() already stops pings; this also stops `@everyone`, role and user
    mentions from *looking* like pings, and `[text](url)` from hiding where a link goes.
    [n] citation markers are untouched.
    """
    text = _MASKED_LINK.sub("]\\(", text)
    return _MENTION.sub(lambda m: f"@\u200b{m[1]}" if m[1] else f"<{m[2]}\u200b{m[3]}>", text)


def safe_url(url: str | None) -> str | None:
    """The URL when it is a plain http(s) link Discord shows as-is, else None."""
    if url and _SAFE_URL.fullmatch(url.strip()):
        return url.strip()
    return None


@dataclass
class MessagePart:
    """One message to send: content, embeds and an optional attached file."""

    content: str = ""
    embeds: list[discord.Embed] = field(default_factory=list)
    file_name: str | None = None
    file_text: str | None = None

    def file(self) -> discord.File | None:
        if self.file_name is None or self.file_text is None:
            return None
        return discord.File(io.BytesIO(self.file_text.encode("utf-8")), filename=self.file_name)


def clip(text: str, limit: int) -> str:
    """Shorten to at most `limit` characters, ending with an ellipsis when cut."""
    text = text.strip()
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit * 0.6:
        cut = cut[:space]
    return cut.rstrip() + "…"


def language_label(code: str, name: str | None = None) -> str:
    """'🇮🇩 Indonesian' or, for a language without a flag, 'Swahili (sw)'."""
    name = name or code
    shown = flag(code)
    return f"{shown} {name}" if shown else f"{name} ({code})"


def split_text(text: str, limit: int = MESSAGE_LIMIT) -> list[str]:
    """Split at paragraph, line, sentence or word boundaries so each piece fits `limit`."""
    pieces: list[str] = []
    rest = text.strip()
    while len(rest) > limit:
        window = rest[:limit]
        cut = -1
        for sep in ("\n\n", "\n", ". ", "。", "! ", "? ", " "):
            pos = window.rfind(sep)
            if pos > limit // 3:
                cut = pos + len(sep)
                break
        if cut <= 0:
            cut = limit
        pieces.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest:
        pieces.append(rest)
    return pieces


def source_link(c: Citation) -> str:
    """Markdown link for a URL, or the file name in code style."""
    url = safe_url(c.url)
    if url:
        return f"[link]({url})"
    return f"`{clip(c.source.replace('`', 'ʼ'), 200)}`"


def citation_field(c: Citation, name_budget: int, value_budget: int) -> tuple[str, str]:
    """(name, value) of one embed field: '[n] title' and 'language · source' + short quote."""
    name = clip(f"[{c.n}] {safe_text(' '.join(c.title.split()))}", name_budget)
    head = f"{language_label(c.language, c.language_name)} · {source_link(c)}"
    if len(head) > value_budget:  # a long URL: fall back to the file name
        head = f"{language_label(c.language, c.language_name)} · `{clip(c.source, 60)}`"
    quote_room = min(SHORT_QUOTE, value_budget - len(head) - 3)
    quote = safe_text(discord.utils.escape_markdown(" ".join(c.quote.split())))
    value = head if quote_room < 20 else f"{head}\n> {clip(quote, quote_room)}"
    return name, clip(value, min(FIELD_VALUE_LIMIT, max(value_budget, 40)))


def sources_embed(citations: Sequence[Citation], title: str = "Sources") -> discord.Embed:
    """One embed with a field per citation (≤ 25) whose total stays under 6,000 characters.

    Each field gets an equal share of the budget, a third of it at most for the title; when
    the result is still too long (long source names), every share shrinks until it fits."""
    shown = list(citations[:EMBED_FIELDS_LIMIT])
    title = clip(title, EMBED_TITLE_LIMIT)
    budget = EMBED_TOTAL_LIMIT - len(title) - 100  # margin for a footer
    share = max(60, budget // max(1, len(shown)))
    while True:
        embed = discord.Embed(title=title, colour=EMBED_COLOUR)
        name_budget = min(FIELD_NAME_LIMIT, max(24, share // 3))
        for c in shown:
            name, value = citation_field(c, name_budget, share - name_budget)
            embed.add_field(name=name, value=value, inline=False)
        if len(embed) <= budget or share <= 60:
            return embed
        share = max(60, int(share * 0.9))


def render_answer(answer: Answer, header: str | None = None) -> list[MessagePart]:
    """Message parts for an answer: text (split or attached) and the sources embed(s).

    `header` (e.g. the quoted question) goes first; a notice such as "LLM unreachable —
    extractive answer" is shown as small text above the answer.
    """
    text = safe_text(answer.text.strip()) or "(empty answer)"
    if answer.notice:
        text = f"-# {answer.notice}\n{text}"
    if header:
        text = f"{header}\n{text}"
    chunks = split_text(text)
    parts: list[MessagePart]
    if len(chunks) <= MAX_TEXT_MESSAGES:
        parts = [MessagePart(content=c) for c in chunks]
    else:
        head = clip(text, MESSAGE_LIMIT - 80)
        parts = [
            MessagePart(
                content=f"{head}\n-# The full answer is attached (answer.md).",
                file_name="answer.md",
                file_text=f"**{answer.question}**\n\n{text}\n",
            )
        ]
    groups = [
        answer.citations[i : i + EMBED_FIELDS_LIMIT]
        for i in range(0, len(answer.citations), EMBED_FIELDS_LIMIT)
    ]
    for i, group in enumerate(groups):
        embed = sources_embed(group, "Sources" if i == 0 else "Sources (continued)")
        if i == 0:
            parts[-1].embeds.append(embed)
        else:
            parts.append(MessagePart(embeds=[embed]))
    return parts


def full_quotes(citations: Sequence[Citation]) -> list[str]:
    """The full quotes of every citation, split into ≤ 2,000-character messages."""
    if not citations:
        return ["This answer has no sources."]
    blocks = []
    for c in citations:
        title = safe_text(discord.utils.escape_markdown(" ".join(c.title.split())))
        quote = "\n".join(
            f"> {safe_text(line)}" for line in c.quote.strip().splitlines() if line.strip()
        )
        link = safe_url(c.url) or f"`{clip(c.source.replace('`', 'ʼ'), 200)}`"
        blocks.append(
            f"**[{c.n}] {title}**\n{language_label(c.language, c.language_name)} · {link}\n{quote}"
        )
    messages: list[str] = []
    current = ""
    for block in blocks:
        for piece in split_text(block):
            if current and len(current) + 2 + len(piece) > MESSAGE_LIMIT:
                messages.append(current)
                current = ""
            current = f"{current}\n\n{piece}" if current else piece
    if current:
        messages.append(current)
    return messages
