"""Bytes of an article file → text, with the encoding detected.

Order: a byte-order mark decides (UTF-8, UTF-16, UTF-32); then strict UTF-8 (most files);
then every plausible legacy encoding — GB18030, Big5, Windows-1251, KOI8-R, Windows-1252 and
charset-normalizer's own guesses — decodes the bytes and the most natural-looking result
wins. Statistical detectors alone guess wrong on short Cyrillic and Chinese text (a KOI8-R
paragraph read as Windows-1251 decodes without error but comes out in capitals; Big5 read
as GBK gives rare characters), so the choice is made by a plausibility score per letter.
"""

from __future__ import annotations

import codecs
import logging
import re
import unicodedata
from functools import lru_cache

from index.text import HAN_CHARS

log = logging.getLogger(__name__)

_BOMS: list[tuple[bytes, str]] = [
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
]
LEGACY_ENCODINGS = ["gb18030", "big5", "cp950", "big5hkscs", "cp1251", "koi8_r", "cp1252"]
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")  # Cc without \t \n \f \r
_EXTRA_MARGIN = 0.02  # a charset-normalizer guess must beat the list above by this much
MAX_CONTROL_SHARE = 0.02  # more control characters than this: not text
_SAMPLE_BYTES = 200_000  # enough bytes to judge an encoding


class DecodeError(ValueError):
    """The bytes are not text we can read; the message is the skip reason."""


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Return (text, encoding name) or raise DecodeError with a reason for the report."""
    if not data.strip():
        raise DecodeError("empty file")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(encoding.replace("-sig", ""))
            except UnicodeDecodeError as exc:
                raise DecodeError(f"invalid {encoding} after its byte-order mark: {exc}") from exc
            return _checked(text), encoding
    if b"\x00" in data:
        text, encoding = _bomless_utf16(data)
        return _checked(text), encoding
    try:
        return _checked(data.decode("utf-8")), "utf-8"
    except UnicodeDecodeError as exc:
        mostly = _mostly_utf8(data, exc)
        if mostly is not None:
            return _checked(mostly), "utf-8"
    best: tuple[float, str, str] | None = None
    for encoding in _candidates(data):
        try:
            text = data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
        score = plausibility(text[:_SAMPLE_BYTES])
        if encoding not in LEGACY_ENCODINGS:
            score -= _EXTRA_MARGIN
        log.debug("encoding %s scores %.3f", encoding, score)
        if best is None or score > best[0]:
            best = (score, text, encoding)
    if best is None or best[0] < 0.5:
        raise DecodeError("undecodable: not UTF-8 and no known encoding reads it as text")
    return _checked(best[1]), best[2]


def _mostly_utf8(data: bytes, exc: UnicodeDecodeError) -> str | None:
    """UTF-8 text with a few bad bytes — a file cut mid-character, a stray byte — is still
    UTF-8: legacy code pages would turn all of it into mojibake. The cut character is
    dropped; a stray byte becomes U+FFFD. None when the bytes are not UTF-8."""
    if exc.reason == "unexpected end of data" and exc.start >= len(data) - 3:
        try:
            return data[: exc.start].decode("utf-8")
        except UnicodeDecodeError:
            return None
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    multibyte = sum(1 for ch in text if ord(ch) > 0x7F and ch != "\ufffd")
    if bad <= max(1, len(data) // 2000) and multibyte >= 10 * bad:
        return text
    return None


def _bomless_utf16(data: bytes) -> tuple[str, str]:
    """UTF-16 without a BOM shows NUL in every other byte of ASCII text; anything else
    with NUL bytes is binary."""
    even, odd = data[0::2], data[1::2]
    for zeros, encoding in ((odd, "utf-16-le"), (even, "utf-16-be")):
        if zeros.count(0) >= 0.3 * len(zeros) and len(data) % 2 == 0:
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError:
                break
    raise DecodeError("binary file (NUL bytes)")


def _checked(text: str) -> str:
    if not text.strip():
        raise DecodeError("empty file")
    sample = text[:_SAMPLE_BYTES]
    controls = len(_CONTROL.findall(sample))
    if controls > MAX_CONTROL_SHARE * len(sample):
        raise DecodeError(f"binary file ({controls} control characters)")
    return text


def _candidates(data: bytes) -> list[str]:
    names = list(LEGACY_ENCODINGS)
    try:
        from charset_normalizer import from_bytes

        known = {codecs.lookup(n).name for n in names}
        for match in from_bytes(data[:_SAMPLE_BYTES], steps=5, threshold=0.3):
            name = codecs.lookup(match.encoding).name
            # UTF-16/32 without a BOM or NUL bytes is not a real case.
            if name not in known and not name.startswith("utf"):
                names.append(name)
                known.add(name)
    except Exception:  # noqa: BLE001 — a detector failure only means fewer candidates
        log.debug("charset-normalizer failed", exc_info=True)
    return names


def plausibility(text: str) -> float:
    """Mean per-letter likelihood that `text` is a correct decoding (about 1.0 for natural
    text, lower for mojibake). Digits, spaces and common punctuation are neutral.

    Letters are judged one by one (rare characters, private-use and box-drawing symbols
    score low) and word by word: a word mixing Cyrillic and Latin letters ("Kьnstliche"),
    or with case flipping inside it ("иГОРЬ", how KOI8-R read as Windows-1251 looks), or
    written all in capitals, is penalised.
    """
    total = 0.0
    n = 0
    for word in _WORD.findall(text):
        if _HAN_RUN.fullmatch(word):
            total += sum(w for w in map(_char_weight, word) if w is not None)
            n += len(word)
            continue
        weights = [w for w in map(_char_weight, word) if w is not None]
        factor = _word_factor(word)
        total += sum(w * factor if w > 0 else w for w in weights)
        n += len(weights)
    for ch in _NON_WORD.findall(text):
        weight = _char_weight(ch)
        if weight is not None:
            total += weight
            n += 1
    # "Mitgr黱der": an ideograph inside a lowercase Latin word is a misread byte pair.
    total -= 1.5 * len(_HAN_IN_LATIN.findall(text))
    return total / n if n else 0.0


_HAN = HAN_CHARS
_HAN_RUN = re.compile(f"[{_HAN}]+")
_HAN_IN_LATIN = re.compile(f"(?<=[a-z])[{_HAN}](?=[a-z])")
_WORD = re.compile(f"[{_HAN}]+|[^\\W\\d_{_HAN}]+")
_NON_WORD = re.compile(r"[\W\d_]")


def _word_factor(word: str) -> float:
    cyrillic = any("\u0400" <= ch <= "\u04ff" for ch in word)
    if cyrillic and any(ch.isascii() or "\u00c0" <= ch <= "\u024f" for ch in word):
        return -0.5
    if len(word) < 2 or not any(ch.isupper() or ch.islower() for ch in word):
        return 1.0  # Han, Kana, …: no case
    if word.islower() or (word[0].isupper() and word[1:].islower()):
        return 1.0
    if word.isupper():
        return 0.6 if len(word) > 3 else 1.0  # acronyms are short
    return 0.4 if cyrillic else 0.8  # "иГОРЬ" vs "iPhone", "McKinsey"


@lru_cache(maxsize=65536)
def _char_weight(ch: str) -> float | None:
    cp = ord(ch)
    if cp < 0x80:
        if ch.isalpha():
            return 1.0
        return None if ch.isprintable() or ch in "\n\r\t" else -1.0
    cat = unicodedata.category(ch)
    if 0x0400 <= cp <= 0x04FF:
        return 1.0 if ch in _CORE_CYRILLIC else 0.5
    if 0x4E00 <= cp <= 0x9FFF:
        return 1.0 if _common_han(ch) else 0.2
    if cat in ("Lu", "Ll") and cp <= 0x024F:
        # Accented Latin: real in moderation, and the stuff of Latin-1 mojibake.
        return 0.7 if cp <= 0x00FF else 0.5
    if cat.startswith("L"):
        return 0.6 if 0x3040 <= cp <= 0x30FF or 0xAC00 <= cp <= 0xD7AF else 0.3
    if cat in ("Co", "Cn", "Cc", "Cs"):
        return -1.0
    if cat in ("So", "Sc", "Sk", "Sm", "No") or 0x2500 <= cp <= 0x259F:
        return -0.5  # box drawing, currency, ©®°¤³¬√: typical of a wrong code page
    return None  # punctuation, spaces, digits


_CORE_CYRILLIC = set("абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯіїєґўІЇЄҐЎ")


@lru_cache(maxsize=65536)
def _common_han(ch: str) -> bool:
    """In the frequently used set of GB2312 (level 1) or Big5 (level 1)."""
    try:
        gb = ch.encode("gb2312")
        if 0xB0 <= gb[0] <= 0xD7:
            return True
    except UnicodeEncodeError:
        pass
    try:
        b5 = ch.encode("big5")
        return 0xA4 <= b5[0] <= 0xC6
    except UnicodeEncodeError:
        return False
