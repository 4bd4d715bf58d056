"""Strip boilerplate and conversion artifacts from article text.

`clean_text` runs small named rules in order. Each rule is general — it describes a kind
of noise news sites and converters produce (read-also links, newsletter boxes, site
disclaimers, romanization glued to Chinese characters, leftover UI labels), never a
particular file — and each has its own test in tests/index/test_clean.py.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

from index.text import HAN_CHARS

Rule = Callable[[str], str]

# --- whitespace -------------------------------------------------------------------------

_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_SPACES = re.compile(r"[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def normalize_whitespace(text: str) -> str:
    """NFC, one kind of newline, no invisible or control characters, single spaces
    (NBSP and other wide spaces included), no spaces at line ends, at most one blank line
    between paragraphs."""
    text = unicodedata.normalize("NFC", text).translate(_INVISIBLE)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n")
    text = _CONTROL.sub("", text)
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


_BULLET = re.compile(r"^(?:[•◦▪▫●○■□‣⁃∙・➢➤►▸]|[*+-](?=\s))\s*", re.MULTILINE)


def strip_bullets(text: str) -> str:
    """Drop the bullet glyph at the start of a list line; the line itself stays."""
    return _BULLET.sub("", text)


_SPACE_BEFORE_PUNCT = re.compile(r"(?<=\w) +([,.])(?=\s|$)", re.MULTILINE)


def fix_space_before_punctuation(text: str) -> str:
    """`Babuschkin , co-founder` → `Babuschkin, co-founder` (HTML-to-text leftovers).
    Only commas and full stops: French puts a space before ; : ! ? on purpose."""
    return _SPACE_BEFORE_PUNCT.sub(r"\1", text)


# --- romanization glued to CJK ----------------------------------------------------------

_HAN = f"[{HAN_CHARS}]"
_ROMAN_IN_PARENS = re.compile(rf"(?<={_HAN})[(（]([a-zA-Z\u00c0-\u024f]{{1,7}}[1-6]?)[)）]")
_PINYIN_SYLLABLE = re.compile(r"^(?:zh|ch|sh|[bpmfdtnlgkhjqxrwyz])?[aeiouv]{1,3}(?:ng|n|r)?$")
_TONE_MARKED = re.compile(r"[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ]")


def _is_romanization(word: str) -> bool:
    if word != word.lower():
        return False  # "(AI)", "(Igor)": an acronym or a name, kept
    base = "".join(c for c in unicodedata.normalize("NFD", word.replace("ü", "v")) if c.isascii())
    return bool(_PINYIN_SYLLABLE.match(base.rstrip("123456")))


def remove_glued_romanization(text: str) -> str:
    """`聯(lián)合創(chuàng)始人` → `聯合創始人`.

    Converters that annotate characters with pinyin leave one syllable in parentheses right
    after a Han character. A syllable with a tone mark is removed wherever it is glued; a
    toneless or numbered one only when the text already shows the pattern three times, so
    `第(a)項` in a lone legal list stays. Names and years in parentheses
    (`巴布什金(Igor Babuschkin)`, `(2023)`) never match: capitals, spaces, digits.
    """
    matches = [m for m in _ROMAN_IN_PARENS.finditer(text) if _is_romanization(m.group(1))]
    toned = sum(1 for m in matches if _TONE_MARKED.search(m.group(1)))
    if not matches:
        return text
    drop_all = toned >= 3

    def replace(m: re.Match[str]) -> str:
        word = m.group(1)
        if _is_romanization(word) and (drop_all or _TONE_MARKED.search(word)):
            return ""
        return m.group(0)

    return _ROMAN_IN_PARENS.sub(replace, text)


# --- link, newsletter and disclaimer boxes ----------------------------------------------

_MAX_BOX_LINE = 250  # boxes are short; a long paragraph that starts alike is content

# Phrases that announce a "read also" link whatever follows them.
_READ_ALSO = re.compile(
    r"^(?:(?:MEMBACA|BACA JUGA|LIHAT JUGA|READ MORE|READ ALSO|ALSO READ|SEE ALSO|RELATED"
    r"|ЧИТАЙТЕ ТАКЖЕ|(?i:baca juga|lihat juga|baca selengkapnya|читайте также"
    r"|смотрите также|читайте по теме|lesen sie auch|lire aussi|à lire aussi|leia também"
    r"|lee también|leer también))(?!\w)"
    r"|延伸閱讀|延伸阅读|相關閱讀|相关阅读|相關新聞|相关新闻|推薦閱讀|推荐阅读|閱讀更多"
    r"|阅读更多|関連記事|관련기사)"
)
# Phrases that are a "read also" link only when a colon or dash follows.
_READ_ALSO_COLON = re.compile(
    r"^(?i:read more|read also|also read|see also|related(?: articles?| stories| news)?"
    r"|more on this|more:|по теме|mehr zum thema|voir aussi|leia mais|lea más|más info)"
    r"\s*[:：\-–—»|]"
)


def remove_read_also_lines(text: str) -> str:
    """Drop "MEMBACA …", "Baca juga: …", "Читайте также …", "延伸閱讀 …", "Read more: …"."""
    kept = [
        line
        for line in text.split("\n")
        if not (
            len(line) <= _MAX_BOX_LINE and (_READ_ALSO.match(line) or _READ_ALSO_COLON.match(line))
        )
    ]
    return "\n".join(kept)


_NEWSLETTER_HEADER = re.compile(
    r"^(?i:newsletter yang direkomendasikan|recommended newsletters?|our newsletters?"
    r"|newsletters?$|рассылк[аи]|订阅我们|訂閱我們)"
)
_SIGN_UP = re.compile(
    r"^(?i:daftar di sini|daftar sekarang|berlangganan|langganan newsletter"
    r"|sign up\b|subscribe (?:to|now|here|for)|subscribe\.?$|подпишитесь|подписывайтесь"
    r"|подписаться|立即订阅|立即訂閱|点击订阅|點擊訂閱|abonnieren sie|jetzt abonnieren"
    r"|inscrivez-vous|abonnez-vous|suscríbete|assine)"
)


_MAX_SIGN_UP_LINE = 100  # "Sign up for our daily briefing", not a paragraph about sign-ups


def remove_newsletter_lines(text: str) -> str:
    """Drop newsletter boxes: a header ("Newsletter yang direkomendasikan"), the blurb
    after it, and the sign-up line ("Daftar di sini.", "Sign up …", "Подпишитесь …")."""
    lines = text.split("\n")
    drop: set[int] = set()
    for i, line in enumerate(lines):
        if len(line) > _MAX_BOX_LINE:
            continue
        if _SIGN_UP.match(line) and len(line) <= _MAX_SIGN_UP_LINE:
            drop.add(i)
        elif _NEWSLETTER_HEADER.match(line):
            drop.add(i)
            # The blurb between header and sign-up line belongs to the box.
            seen = 0
            for j in range(i + 1, len(lines)):
                if not lines[j]:
                    continue
                seen += 1
                if seen > 3 or len(lines[j]) > _MAX_BOX_LINE:
                    break
                if _SIGN_UP.match(lines[j]):
                    drop.update(range(i, j + 1))
                    break
    return "\n".join(line for i, line in enumerate(lines) if i not in drop)


_DISCLAIMER = re.compile(
    r"^(?:免責聲明|免责声明|免責事項|(?i:disclaimer|penafian|haftungsausschluss"
    r"|avertissement|aviso legal|descargo de responsabilidad)\s*[:：]"
    r"|(?i:отказ от ответственности))"
)


def remove_disclaimer(text: str) -> str:
    """Drop a site disclaimer paragraph ("免責聲明：…", "Disclaimer: …",
    "Отказ от ответственности …"). In text whose paragraphs are separated by blank lines,
    the lines that continue the paragraph go with it."""
    lines = text.split("\n")
    blank_separated = "" in lines
    out: list[str] = []
    dropping = False
    for line in lines:
        if _DISCLAIMER.match(line):
            dropping = blank_separated
            continue
        if dropping and line:
            continue
        dropping = False
        out.append(line)
    return re.sub(r"\n{3,}", "\n\n", "\n".join(out))


# --- trailing labels ----------------------------------------------------------------------

_SOURCE_LABEL = re.compile(
    r"^(?i:sources?|sumber|referensi|references?|источники?|оригинал|original|via|credit"
    r"|quelle|fuente|fonte|来源|來源|出处|出處|資料來源|资料来源)\s*[:：]"
)
_SENTENCE_END = re.compile(r"[.!?。！？…\"'»”’)）:：]$")
_MAX_TRAILING = 5


def _is_trailing_label(line: str) -> bool:
    if _SOURCE_LABEL.match(line) and len(line) <= 300:
        return True
    # A lone word or two with no sentence punctuation after the last paragraph is a UI
    # label or tag left by the page ("Оригинал", "Уникальность", "Tags", "完").
    words = line.split()
    return 0 < len(words) <= 2 and len(line) <= 30 and not _SENTENCE_END.search(line)


def remove_trailing_labels(text: str) -> str:
    """Drop source labels ("Source: …", "Referensi: …") and lone label lines at the end."""
    lines = text.rstrip("\n").split("\n")
    removed = 0
    while len(lines) > 1 and removed < _MAX_TRAILING:
        if not lines[-1]:
            lines.pop()
            continue
        if not _is_trailing_label(lines[-1]):
            break
        lines.pop()
        removed += 1
    return "\n".join(lines)


RULES: list[Rule] = [
    normalize_whitespace,
    strip_bullets,
    fix_space_before_punctuation,
    remove_glued_romanization,
    remove_read_also_lines,
    remove_newsletter_lines,
    remove_disclaimer,
    remove_trailing_labels,
    normalize_whitespace,
]


def clean_text(text: str) -> str:
    """Apply every rule in order; the result has single spaces and paragraph breaks."""
    for rule in RULES:
        text = rule(text)
    return text
