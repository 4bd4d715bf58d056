"""Language of an article or a question: a BCP-47-ish code, and its name in any language.

Two steps. The writing system decides whatever it can on its own (Hangul → ko; Kana, or
kanji forms only Japanese uses → ja; other Han → zh-Hans/zh-Hant; Thai, Greek, Hebrew, …).
Text in a script shared by several languages (Latin, Cyrillic, Arabic, Devanagari) goes to
py3langid, restricted to the common news languages of that script: restricting the
candidates is what makes short questions ("Kapan jembatan itu dibuka?") come out right.
The model loads lazily, once (≈100 MB): ≈0.5 s from an unpacked copy that the first load
writes to the cache folder (``$XDG_CACHE_HOME/newsbot``, 68 MB; unpacking py3langid's
LZMA file costs ≈1.6 s of every cold start otherwise); lingua's high-accuracy models were
measured at 4 s / 480 MB for 27 languages, too slow for `newsbot ask`'s cold start.

Traditional vs Simplified Chinese and kanji-only Japanese: OpenCC's character tables
(index/han.py). Language names: CLDR through Babel (`language_name`).
"""

from __future__ import annotations

import hashlib
import logging
import lzma
import re
import shutil
import threading
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any, BinaryIO, overload

from index.files import cache_dir, replace_atomically
from index.han import chinese_variant, japanese_kanji
from index.han import warm_up as _warm_han
from index.text import script_of

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
# Share of kana among CJK letters that makes a text Japanese: a Chinese article quoting a
# Japanese name in kana stays Chinese. Set on the language table of
# tests/index/language_table.py and checked on xquad-xling zh-Hans/zh-Hant (974 texts, none
# taken for Japanese).
KANA_SHARE = 0.02
# Share of Japanese-only kanji forms (駅, 発, 県…) in a text without kana; same data.
JAPANESE_KANJI_SHARE = 0.01
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


def language_name(code: str, in_language: str = "en") -> str:
    """Name of a language code in another language, from CLDR (Babel):
    ("zh-Hant") → "Chinese (Traditional)", ("ru", "de") → "Russisch",
    ("ja", "ja") → "日本語", ("und") → "Unknown language". An unknown code comes back as it is;
    an unknown display language falls back to English."""
    from babel import Locale, UnknownLocaleError

    display = _babel_locale(in_language) or Locale("en")
    code = (code or "").strip().replace("_", "-")
    if not code or code.lower() in (UNKNOWN, "unknown"):
        return str(display.languages.get(UNKNOWN, "Unknown"))
    if "-" not in code:
        # A bare code: CLDR's name of the language itself, never a guessed region
        # (Locale.parse("tl") would expand to "Filipino (Philippines)").
        name = display.languages.get(code.lower())
        if name:
            return str(name)
    try:
        return str(Locale.parse(code, sep="-").get_display_name(display))
    except (UnknownLocaleError, ValueError):
        base = code.split("-")[0].lower()
        return str(display.languages.get(base, code))


def _babel_locale(code: str) -> Any:
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse((code or "en").replace("_", "-"), sep="-")
    except (UnknownLocaleError, ValueError):
        return None


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
        # Chinese never writes kana (the middle dot ・ is not counted as kana), so a few
        # decide, even in a kanji-heavy headline (東京都知事選、現職が三選).
        if kana >= max(1, KANA_SHARE * cjk):
            return "ja"
        if han:
            if japanese_kanji(text) >= max(1, JAPANESE_KANJI_SHARE * han):
                return "ja"
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
        # One word says little about a language ("Paris?"); the script's default is the
        # least surprising guess for the language of an answer.
        return SCRIPT_DEFAULT[script]
    short = letters < SHORT_LETTERS
    # Short text: the words without the names vote beside the whole text (summed scores), so
    # a foreign name can no longer outvote the question's own words, and a question that is
    # mostly names still counts them.
    texts = [text, names_muted(text)] if short else [text]
    return _classify(list(dict.fromkeys(texts)), script, short=short)


@overload
def question_language(query: str) -> str | None: ...
@overload
def question_language(query: str, default: str) -> str: ...
def question_language(query: str, default: str | None = None) -> str | None:
    """A question's language code, or `default` when it cannot be told ("und", or detection
    failed: it is an aid to ranking and to the answer's frame, never a reason to fail).

    Short questions get a check by script: Han letters beside Latin names ("Nokia的CEO是谁？")
    mean Chinese, Japanese or Korean, and Cyrillic letters a Cyrillic language, whatever the
    statistics say about the Latin names."""
    try:
        code = _checked_by_script(query, detect_language(query))
    except Exception:  # detection is an aid, never a reason to fail a search or an answer
        log.warning("question language: detection failed", exc_info=True)
        return default
    log.debug("question language %s", code)
    return default if code == UNKNOWN else code


def _checked_by_script(question: str, code: str) -> str:
    scripts = script_counts(question)
    if scripts["han"] and not code.startswith("zh") and code not in ("ja", "ko"):
        # A Chinese question mentioning Latin names can be misread as another language;
        # Kana or Hangul beside the Han characters mean Japanese or Korean, not Chinese.
        if scripts["kana"] > 0:
            return "ja"
        if scripts["hangul"] > 0:
            return "ko"
        code = detect_language(re.sub(r"[A-Za-z0-9]+", "", question))
        return code if code.startswith("zh") else "zh-Hans"
    if scripts["cyrillic"] and code in (UNKNOWN, "en", "id"):
        return "ru"
    return code


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


_lock = threading.Lock()
_state: dict[str, Any] = {}


def _unpacked_model(source: Path) -> Path | None:
    """py3langid's model without its LZMA layer, in the cache directory (unpacked once:
    unpacking costs ~1.6 s of every cold start). None when the cache is not writable."""
    digest = hashlib.sha256(source.read_bytes()).hexdigest()[:16]  # ~10 ms for 4.5 MB
    target = cache_dir() / f"py3langid-{digest}.npz"
    if target.exists():
        return target

    def unpack(out: BinaryIO) -> None:
        with lzma.open(source) as src:
            shutil.copyfileobj(src, out, length=1 << 20)

    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        replace_atomically(target, unpack)
        # another py3langid version's copy, and leftovers of unpacks that were killed (two
        # versions in use at once would take turns unpacking: a cost, not an error)
        folder = target.parent
        for old in [*folder.glob("py3langid-*.npz"), *folder.glob(".py3langid-*.tmp")]:
            if old != target:
                old.unlink(missing_ok=True)
    except OSError as exc:
        log.info("language model not cached (%s); unpacking it on every start", exc)
        return None
    return target


def _load_identifier() -> Any:
    """py3langid's identifier, from the unpacked copy when there is one (the arrays
    py3langid.modelio.load_model reads, without pickle), else py3langid's own loader."""
    import numpy as np
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier
    from py3langid.modelio import _to_array

    source = Path(MODEL_FILE) if Path(MODEL_FILE).is_absolute() else MODEL_DIR / MODEL_FILE
    unpacked = _unpacked_model(source) if source.exists() else None
    if unpacked is not None:
        try:
            with np.load(unpacked, allow_pickle=False) as data:
                return LanguageIdentifier(
                    np.asarray(data["ptc"]), np.asarray(data["pc"]), data["classes"].tolist(),
                    _to_array(data["nextmove"]), data["out_feat"].tolist(),
                    norm_probs=True, tk_row=_to_array(data["nextmove_row"]),
                )  # fmt: skip
        except Exception as exc:  # a damaged copy (a truncated zip…): drop it, use py3langid's
            log.warning("cached language model unreadable (%s); loading the packaged one", exc)
            unpacked.unlink(missing_ok=True)
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def _identifier() -> Any:
    """py3langid's model, loaded once (thread-safe)."""
    with _lock:
        if "langid" not in _state:
            _state["langid"] = _load_identifier()
            log.debug("py3langid model loaded")
        return _state["langid"]


MIN_UNMUTED_WORDS = 2
_OPENING_MARKS = "¿¡\"'“‘«„(["


def names_muted(text: str) -> str:
    """A short text without its capitalised words after the first (names, mostly): in
    "Giulia Ferranti neden istifa etti?" the Italian name must not vote against the Turkish
    question. Unchanged when fewer than two words would be left."""
    words = text.split()
    capital = [w.lstrip(_OPENING_MARKS)[:1].isupper() for w in words]
    # the first word is capitalised anyway: muted only when a name runs on from it
    muted = [c and (i > 0 or (len(words) > 1 and capital[1])) for i, c in enumerate(capital)]
    kept = [w for w, m in zip(words, muted, strict=True) if not m]
    if sum(1 for w in kept if any(ch.isalpha() for ch in w)) < MIN_UNMUTED_WORDS:
        return text
    return " ".join(kept)


def _classify(texts: list[str], script: str, short: bool) -> str:
    """Most likely language among the candidates of `script` (scores of `texts` summed).

    rank() scores every language of the model; we keep the allowed ones (set_languages
    would change the shared model under other threads). The score of a close relative
    left out of the candidates folds into its neighbour (Malay into Indonesian). On short
    text the script's most common language wins unless another is 3× more likely.
    """
    candidates = SCRIPT_CANDIDATES[script]
    scores: dict[str, float] = {}
    for text in texts:
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
    _warm_han()
