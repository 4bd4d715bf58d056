"""Language of an article or a question: a BCP-47-ish code and its English name.

Two steps. The writing system decides whatever it can on its own (Hangul → ko, Kana → ja,
Han → zh-Hans/zh-Hant, Thai, Greek, Hebrew, …). Text in a script shared by several
languages (Latin, Cyrillic, Arabic, Devanagari) goes to py3langid, restricted to the common
news languages of that script: restricting the candidates is what makes short questions
("Mengapa Babuschkin keluar?") come out right. The model loads lazily, once (≈0.5 s,
≈100 MB); lingua's high-accuracy models were measured at 4 s / 480 MB for 27 languages,
too slow for `newsbot ask`'s cold start.

Traditional vs Simplified Chinese: OpenCC's character tables count the characters that
exist only in one of the two forms.
"""

from __future__ import annotations

import logging
import re
import threading
import unicodedata
from collections import Counter
from typing import Any

from index.text import HAN, script_of

log = logging.getLogger(__name__)

UNKNOWN = "und"

# Candidates per script: the news languages py3langid may choose from. Malay and Tagalog
# are left out on purpose: on short text py3langid labels much Indonesian as Malay
# (30 of 169 Indonesian questions of xquad-xling), and Indonesian matters more here.
SCRIPT_CANDIDATES: dict[str, list[str]] = {
    "latin": [
        "en", "id", "de", "fr", "es", "pt", "it", "nl", "pl", "tr", "vi", "cs", "sk",
        "sv", "da", "no", "fi", "ro", "hu", "hr", "sl", "lt", "lv", "et", "ca", "sw",
        "az", "uz",
    ],
    "cyrillic": ["ru", "uk", "bg", "sr", "mk", "be", "kk", "mn"],
    "arabic": ["ar", "fa", "ur", "ps"],
    "devanagari": ["hi", "mr", "ne"],
}  # fmt: skip

# The most common language of a script: the guess for one-word or ambiguous short text.
SCRIPT_DEFAULT = {"latin": "en", "cyrillic": "ru", "arabic": "ar", "devanagari": "hi"}
# Close relatives left out of the candidates: their score counts for the neighbour.
FOLD = {"ms": "id"}
SHORT_LETTERS = 40
SAMPLE_CHARS = 2000  # the start of a long article decides; detection stays ~1 ms
_WORD = re.compile(r"\w{2,}")

# Scripts that name their language outright.
SCRIPT_LANGUAGE: dict[str, str] = {
    "hangul": "ko", "kana": "ja", "thai": "th", "greek": "el", "hebrew": "he",
    "armenian": "hy", "georgian": "ka", "bengali": "bn", "tamil": "ta", "khmer": "km",
    "lao": "lo", "myanmar": "my",
}  # fmt: skip

# Letters that only some Cyrillic languages use: they outvote a statistical guess.
_CYRILLIC_MARKERS = {"uk": "іїєґ", "be": "ў", "kk": "әғқңөұһ", "sr": "ђћ", "mk": "ѓќѕ"}

LANGUAGE_NAMES: dict[str, str] = {
    "en": "English", "id": "Indonesian", "ms": "Malay", "ru": "Russian",
    "uk": "Ukrainian", "zh": "Chinese", "zh-Hans": "Chinese (Simplified)",
    "zh-Hant": "Chinese (Traditional)", "ja": "Japanese", "ko": "Korean",
    "de": "German", "fr": "French", "es": "Spanish", "pt": "Portuguese",
    "it": "Italian", "nl": "Dutch", "pl": "Polish", "tr": "Turkish",
    "vi": "Vietnamese", "cs": "Czech", "sk": "Slovak", "sv": "Swedish",
    "da": "Danish", "no": "Norwegian", "nb": "Norwegian Bokmål", "fi": "Finnish",
    "ro": "Romanian", "hu": "Hungarian", "hr": "Croatian", "sl": "Slovenian",
    "lt": "Lithuanian", "lv": "Latvian", "et": "Estonian", "ca": "Catalan",
    "sw": "Swahili", "az": "Azerbaijani", "uz": "Uzbek", "bg": "Bulgarian",
    "sr": "Serbian", "mk": "Macedonian", "be": "Belarusian", "kk": "Kazakh",
    "mn": "Mongolian", "ar": "Arabic", "fa": "Persian", "ur": "Urdu", "ps": "Pashto",
    "hi": "Hindi", "mr": "Marathi", "ne": "Nepali", "th": "Thai", "el": "Greek",
    "he": "Hebrew", "hy": "Armenian", "ka": "Georgian", "bn": "Bengali",
    "ta": "Tamil", "km": "Khmer", "lo": "Lao", "my": "Burmese", "tl": "Tagalog",
    UNKNOWN: "Unknown",
}  # fmt: skip

_RUSSIAN_LETTER = re.compile("[а-я]")
_NOISE = re.compile(r"https?://\S+|www\.\S+|\S+@\S+|[@#]\w+", re.UNICODE)


def script_counts(text: str) -> Counter[str]:
    """How many letters of each writing system the text holds."""
    counts: Counter[str] = Counter()
    for ch, n in Counter(text).items():
        script = script_of(ch)
        if script:
            counts[script] += n
    return counts


def language_name(code: str) -> str:
    """English name of a language code ("zh-Hant" → "Chinese (Traditional)")."""
    if code in LANGUAGE_NAMES:
        return LANGUAGE_NAMES[code]
    base = code.split("-")[0].lower()
    return LANGUAGE_NAMES.get(base, code)


_ALIASES = {"in": "id", "iw": "he", "ji": "yi", "jw": "jv", "nb": "no", "nn": "no"}
_HANT_REGIONS = {"tw", "hk", "mo", "hant"}
_HANS_REGIONS = {"cn", "sg", "my", "hans"}


def normalize_code(code: str | None, text: str = "") -> str:
    """A declared language tag in our form: "zh-TW" → "zh-Hant", "EN_us" → "en",
    "in" → "id". A bare "zh" gets its script from `text`; an empty tag is detected."""
    parts = (code or "").strip().replace("_", "-").lower().split("-")
    base = _ALIASES.get(parts[0], parts[0])
    if not base or base in ("und", "unknown", "none"):
        return detect_language(text) if text else UNKNOWN
    if base in ("zh", "cmn"):
        subtags = set(parts[1:])
        if subtags & _HANT_REGIONS:
            return "zh-Hant"
        if subtags & _HANS_REGIONS:
            return "zh-Hans"
        return chinese_variant(text) if text else "zh-Hans"
    return base


def detect_language(text: str) -> str:
    """Language code of `text`: "en", "id", "ru", "zh-Hans", "zh-Hant", … or "und"."""
    text = unicodedata.normalize("NFC", _NOISE.sub(" ", (text or "")[:SAMPLE_CHARS]))
    counts = script_counts(text)
    total = sum(counts.values())
    if total == 0:
        return UNKNOWN
    han, kana, hangul = counts["han"], counts["kana"], counts["hangul"]
    cjk = han + kana + hangul
    # A CJK sentence is short in characters; any real share of them decides.
    if cjk and cjk >= 0.2 * total:
        if hangul >= max(kana, 1) and hangul >= 0.3 * cjk:
            return "ko"
        if kana and kana >= 0.1 * cjk:
            return "ja"
        if han:
            return chinese_variant(text)
    script = _main_script(counts)
    if script in SCRIPT_LANGUAGE:
        return SCRIPT_LANGUAGE[script]
    if script not in SCRIPT_CANDIDATES:
        return UNKNOWN
    if script == "cyrillic":
        marked = _cyrillic_marker(text)
        if marked:
            return marked
    letters = sum(counts.values())
    if letters < 3:
        return UNKNOWN
    if len(_WORD.findall(text)) < 2:
        # One word says little about a language ("xAI?"); the script's default is the
        # least surprising guess for the language of an answer.
        return SCRIPT_DEFAULT[script]
    return _classify(text, script, short=letters < SHORT_LETTERS)


def _main_script(counts: Counter[str]) -> str:
    """The script of the text. Latin names inside Cyrillic or Arabic text ("Кто основал
    McKinsey & Company?") are common, so another script wins with a quarter of the letters."""
    others = [(n, s) for s, n in counts.items() if s not in ("han", "kana", "hangul", "latin")]
    total = sum(counts.values())
    if others:
        n, script = max(others)
        if n >= 0.25 * total or n >= counts["latin"]:
            return script
    return "latin" if counts["latin"] else "other"


def _cyrillic_marker(text: str) -> str | None:
    lowered = text.lower()
    hits = {lang: sum(lowered.count(ch) for ch in letters)
            for lang, letters in _CYRILLIC_MARKERS.items()}  # fmt: skip
    lang, n = max(hits.items(), key=lambda item: item[1])
    letters = len(_RUSSIAN_LETTER.findall(lowered))
    # One marker letter in a short question, or a steady share in a long text.
    return lang if n and n >= max(1, letters // 200) else None


def chinese_variant(text: str) -> str:
    """ "zh-Hant" or "zh-Hans": which conversion changes more of the text.

    OpenCC converts phrase by phrase (英里 stays 英里 in both directions), so the number
    of characters `t2s` changes counts Traditional forms and the number `s2t` changes counts
    Simplified ones. Simplified text is a near fixed point of `t2s`, while `s2t` also
    rewrites some Traditional text into preferred variants (秘 → 祕), so a tie goes to
    Traditional.
    """
    han = "".join(HAN.findall(text))
    if not han:
        return "zh-Hans"
    t2s, s2t = _opencc()
    trad = _changed(han, t2s.convert(han))
    simp = _changed(han, s2t.convert(han))
    return "zh-Hant" if trad and trad >= simp else "zh-Hans"


def _changed(before: str, after: str) -> int:
    if len(before) == len(after):
        return sum(a != b for a, b in zip(before, after, strict=True))
    return sum(1 for ch in set(before) if ch not in after)


_lock = threading.Lock()
_state: dict[str, Any] = {}


def _opencc() -> tuple[Any, Any]:
    with _lock:
        if "opencc" not in _state:
            from opencc import OpenCC

            _state["opencc"] = (OpenCC("t2s"), OpenCC("s2t"))
        return _state["opencc"]  # type: ignore[no-any-return]


def _identifier() -> Any:
    """py3langid's model, loaded once (thread-safe)."""
    with _lock:
        if "langid" not in _state:
            from py3langid.langid import MODEL_FILE, LanguageIdentifier

            _state["langid"] = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
            log.debug("py3langid model loaded")
        return _state["langid"]


def _classify(text: str, script: str, short: bool) -> str:
    """Most likely language among the candidates of `script`.

    rank() scores every language of the model; we keep the allowed ones (set_languages
    would change the shared model under other threads). The score of a close relative
    left out of the candidates folds into its neighbour (Malay into Indonesian). On short
    text the script's most common language wins unless another is 3× more likely.
    """
    candidates = SCRIPT_CANDIDATES[script]
    scores: dict[str, float] = {}
    for code, score in _identifier().rank(text):
        code = FOLD.get(str(code), str(code))
        if code in candidates:
            scores[code] = scores.get(code, 0.0) + float(score)
    if not scores:
        return UNKNOWN
    best = max(scores, key=lambda c: scores[c])
    default = SCRIPT_DEFAULT[script]
    if short and best != default and scores.get(default, 0.0) * 3 >= scores[best]:
        return default
    return best


def warm_up() -> None:
    """Load the detector now (e.g. at bot start) instead of on the first question."""
    _identifier()
    _opencc()
