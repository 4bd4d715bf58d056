"""What a question asks for (a person, a date, a number, a place, a reason) and where a
sentence gives it.

The question side is grammar, not vocabulary of any corpus: the interrogatives of each
language ("who", "кто", "谁", "누가", "kim", …). The sentence side finds

- dates: years, and day/month forms with month names from CLDR (Babel) for every language
  Babel knows, plus the CJK 年/月/日 forms and numeric dates;
- numbers: digits with their decimal/thousand separators, an optional currency sign before
  and a percent sign or one scale word after ("€412 million", "1,5 млрд", "30%");
- names: runs of capitalised words in cased scripts (Unicode classes, so "Ferrández",
  "O'Brien", "Lin Mei-hua", "Абу-Бакр" are never cut), with lowercase particles between
  (de, van, von, al-, bin) allowed inside a run.

Spans are (start, end, text) over the sentence.
"""

from __future__ import annotations

from functools import lru_cache

import regex

from bot.locales import Registry, registry

Span = tuple[int, int, str]

KINDS = ("who", "when", "count", "duration", "where", "why")

# Interrogatives by kind, and the words of "who else …" (the question wants the others, not
# the story's subject): each language's own, from its folder (bot/locales/<code>/language.json).
# Checked longest first, so "how many" wins over "how"; "what", "which", "how" (kind "other":
# no single name, date or number asked for) are listed so that the question's first
# interrogative decides ("Что делает Доктор Кто…" asks what, not who). Latin-script entries
# match whole words (case-folded); others match as substrings.


def _asked(languages: Registry) -> dict[str, set[str]]:
    table: dict[str, set[str]] = {}
    for language in languages.values():
        for kind, words in language.interrogatives.items():
            table.setdefault(kind, set()).update(words)
    return table


# Words of scripts written without spaces (Han, kana, Hangul with its attached particles, Thai)
# match inside a run of text; every other word only as a whole word ("ще" is not in "имущество").
_SPACELESS = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}\p{Thai}]")
_NOT_WORD = r"[\p{L}\p{M}\p{N}]"


def _word_pattern(word: str) -> str:
    esc = regex.escape(word)
    return esc if _SPACELESS.search(word) else rf"(?<!{_NOT_WORD}){esc}(?!{_NOT_WORD})"


@lru_cache(maxsize=2)
def _question_patterns(languages: Registry) -> list[tuple[str, regex.Pattern[str]]]:
    out: list[tuple[str, str]] = []
    for kind, words in _asked(languages).items():
        out.extend((kind, w) for w in words)
    out.sort(key=lambda kw: (-len(kw[1]), kw))
    compiled = []
    for kind, word in out:
        compiled.append((kind, regex.compile(_word_pattern(word), regex.IGNORECASE)))
    return compiled


def question_kind(question: str) -> str:
    """One of KINDS, or "other" (what / how / yes-no questions: no single-value answer)."""
    return _question_kind(question, registry())


@lru_cache(maxsize=2048)
def _question_kind(question: str, languages: Registry) -> str:
    q = question.casefold()
    best: tuple[int, str] | None = None
    for kind, pattern in _question_patterns(languages):
        m = pattern.search(q)
        if m and (best is None or m.start() < best[0]):
            best = (m.start(), kind)
    return best[1] if best else "other"


@lru_cache(maxsize=2)
def _else_pattern(languages: Registry) -> regex.Pattern[str]:
    words = {word for language in languages.values() for word in language.others}
    parts = [_word_pattern(word) for word in sorted(words, key=len, reverse=True)]
    return regex.compile("|".join(parts), regex.IGNORECASE)


def asks_for_others(question: str) -> bool:
    """ "Who else left?", "Кто ещё ушёл?", "还有谁离开了？" — a list of the others."""
    return question_kind(question) == "who" and bool(_else_pattern(registry()).search(question))


# -- spans in sentences --------------------------------------------------------------------

_NUMBER = r"\p{N}+(?:[.,  ]\p{N}{3})*(?:[.,]\p{N}+)?"
# Locales whose number words a count may carry (CLDR compact decimal formats: "million",
# "mil millones", "млрд", "万", "억"): grammar of the languages, not of a corpus.
_SCALE_LOCALES = (
    "en", "de", "fr", "es", "pt", "it", "pl", "ru", "uk", "id", "tr", "vi", "ar", "hi", "nl",
    "sv", "cs", "ro", "hu", "fi", "da", "nb", "el", "ms", "zh", "zh_Hant", "ja", "ko",
)  # fmt: skip
_CJK_LOCALES = ("zh", "zh_Hant", "ja", "ko")
# what a number counts: the next word ("3 buses", "12 puan"); an abbreviation's full stop
# only mid-sentence ("1,5 млрд. рублей", not "17 seconds.")
_COUNTED = r"[\p{L}]{2,12}(?:\.(?=\s+\p{Ll}))?"
_DIGITS = regex.compile(r"[0#¤\s\u00a0\u202f.,'’]+")


@lru_cache(maxsize=1)
def _scale_words() -> tuple[str, str]:
    """(the scale words of cased and spaced scripts — "million", "mil millones", "млрд." —
    as one alternation; the CJK ones — 万, 亿, 억 — as a character class)."""
    from babel import Locale

    words: set[str] = set()
    cjk: set[str] = set()
    for code in _SCALE_LOCALES:
        formats = Locale.parse(code).compact_decimal_formats
        for width in ("short", "long"):
            for patterns in formats.get(width, {}).values():
                for pattern in patterns.values():
                    word = _DIGITS.sub(" ", str(getattr(pattern, "pattern", pattern))).strip()
                    if not word or any(ch.isdigit() for ch in word):
                        continue
                    if code in _CJK_LOCALES and " " not in word:
                        cjk.update(ch for ch in word if not ch.isascii())
                    elif len(word.replace(".", "")) >= 2:
                        words.add(word.casefold())
    alternation = "|".join(
        regex.escape(w).replace("\\ ", r"\s+") for w in sorted(words, key=len, reverse=True)
    )
    return alternation, "".join(sorted(cjk))


@lru_cache(maxsize=1)
def _cjk_currencies() -> str:
    """Currency names as CJK text writes them after a number (美元, 欧元, 円, ドル, 달러):
    CLDR's names and symbols in zh, zh-Hant, ja and ko."""
    from babel import Locale

    names: set[str] = set()
    for code in _CJK_LOCALES:
        loc = Locale.parse(code)
        for table in (loc.currencies, loc.currency_symbols):
            for name in table.values():
                if name and " " not in name and not name.isascii() and len(name) <= 4:
                    names.add(name)
    return "|".join(regex.escape(n) for n in sorted(names, key=len, reverse=True))


@lru_cache(maxsize=1)
def _month_pattern() -> str:
    """Month names of every CLDR locale we answer in (wide and abbreviated, both contexts),
    inflected forms allowed by a short open ending (января/январе, stycznia/styczniu)."""
    from babel import Locale

    names: set[str] = set()
    for code in (
        "en", "de", "fr", "es", "pt", "it", "pl", "ru", "uk", "id", "tr", "vi", "ar", "hi",
        "nl", "sv", "cs", "ro", "hu", "fi", "da", "nb", "el", "ms",
    ):  # fmt: skip
        loc = Locale.parse(code)
        for context in ("format", "stand-alone"):
            for width in ("wide", "abbreviated"):
                for name in loc.months[context][width].values():
                    name = name.strip(".").casefold()
                    if len(name) >= 3 and not any(ch.isdigit() for ch in name):
                        names.add(name)
    parts = []
    for name in sorted(names, key=len, reverse=True):
        stem = name[:-1] if len(name) >= 5 else name
        parts.append(regex.escape(stem) + (r"\p{L}{0,3}" if len(name) >= 5 else ""))
    return "|".join(parts)


@lru_cache(maxsize=1)
def _date_re() -> regex.Pattern[str]:
    month = _month_pattern()
    day = r"\p{N}{1,2}(?!\p{N})(?:st|nd|rd|th|\.)?"
    year = r"\p{N}{4}(?!\p{N})"
    # A month name is a date only next to a day or a year ("Mei" alone may be a name).
    return regex.compile(
        rf"(?<![\p{{L}}\p{{N}}])(?:{day}\s+(?:de\s+)?)(?:{month})\.?(?:,?\s+(?:de\s+)?{year})?(?![\p{{L}}])"
        rf"|(?<![\p{{L}}\p{{N}}])(?:{month})\.?(?:\s+{day},?)?\s+(?:de\s+)?{year}"
        rf"|(?<![\p{{L}}\p{{N}}])(?:{month})\.?\s+{day}(?![\p{{L}}\p{{N}}])"
        r"|\p{N}{4}\s*[年년]\s*(?:\p{N}{1,2}\s*[月월]\s*(?:\p{N}{1,2}\s*[日号號일])?)?"
        r"|\p{N}{1,2}\s*[月월]\s*\p{N}{1,2}\s*[日号號일]"
        r"|(?<!\p{N})\p{N}{1,2}[./-]\p{N}{1,2}[./-]\p{N}{2,4}(?!\p{N})"
        r"|(?<!\p{N})\p{N}{4}-\p{N}{2}-\p{N}{2}(?!\p{N})"
        r"|tháng\s+\p{N}{1,2}(?:\s+năm\s+\p{N}{4})?"
        r"|(?<![\p{N}.,])(?:1[0-9]|20)\p{N}{2}(?:/\p{N}{2}(?!\p{N}))?(?![\p{N}]|[.,]\p{N})",
        regex.IGNORECASE,
    )


@lru_cache(maxsize=1)
def _count_re() -> regex.Pattern[str]:
    """A number with what belongs to it: a currency before it ("US$ 5.800", "R$"), a percent,
    scale word or currency after it ("2,4 milioni", "5750美元", "4300家", "3억 원"); never
    the number after a slash of a range or season ("2025/26")."""
    scale, cjk_scale = _scale_words()
    currency = _cjk_currencies()
    cjk_scale = f"[{regex.escape(cjk_scale)}]?" if cjk_scale else ""
    single = r"(?![年月日号號时時点點분초년월일])[\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}]"
    return regex.compile(
        rf"(?<!\p{{N}}[/–-]){_NUMBER}\s*{cjk_scale}\s*(?:{currency}|{single})"
        # money: "US$ 5.800", "€412 million", "5 000 €" — a scale word, never the next word
        rf"|(?:\p{{Lu}}{{1,3}}(?=\p{{Sc}}))?\p{{Sc}}\s?{_NUMBER}(?:\s(?i:{scale})(?![\p{{L}}]))?"
        rf"|(?<!\p{{N}}[/–-]){_NUMBER}\s?\p{{Sc}}"
        # a count: the number with what it counts ("3 buses", "2,4 milioni", "40%")
        rf"|(?<!\p{{N}}[/–-]){_NUMBER}(?:\s?%|\s(?:{_COUNTED}))?"
    )


# An initial ("James O. Smith") is tried first, so the run goes on past its full stop.
_CAP = r"(?:\p{Lu}\.(?=\s)|\p{Lu}[\p{Ll}\p{Lm}\p{M}]*(?:['’\-]\p{L}[\p{Ll}\p{M}]*)*|\p{Lu}{2,})"
_PARTICLE = r"(?:de|da|del|della|di|do|dos|du|la|le|van|von|der|den|ter|bin|ibn|al|el|y)"
# Names stop at letters of cased scripts; a Han or kana neighbour is a boundary ("與Ana Lee共").
_CASED = r"\p{Latin}\p{Cyrillic}\p{Greek}\p{Armenian}\p{Georgian}"
_NAME_RE = regex.compile(
    rf"(?<![{_CASED}\p{{M}}\p{{N}}])(?:(?:al|el)-)?{_CAP}"
    rf"(?:(?:\s+|\s+{_PARTICLE}\s+|\s+(?:al|el)-)?{_CAP})+(?![{_CASED}\p{{M}}])"
)
_SINGLE_CAP = regex.compile(rf"(?<![\p{{L}}\p{{N}}]){_CAP}(?![\p{{L}}])")


def _spans(pattern: regex.Pattern[str], sentence: str) -> list[Span]:
    return [(m.start(), m.end(), m.group().strip()) for m in pattern.finditer(sentence)]


def date_spans(sentence: str) -> list[Span]:
    """Dates, without a full stop that ends the sentence ("on April 15." → "April 15")."""
    out = []
    for start, end, text in _spans(_date_re(), sentence):
        if text.endswith(".") and not sentence[end:].strip():
            text, end = text[:-1], end - 1
        out.append((start, end, text))
    return out


def count_spans(sentence: str) -> list[Span]:
    """Numbers that are not part of a date."""
    dates = date_spans(sentence)
    return [
        s for s in _spans(_count_re(), sentence)
        if not any(d[0] <= s[0] < d[1] for d in dates)
    ]  # fmt: skip


# Units a number can carry (CLDR keys, as Babel names them). Time answers "how long"; the
# others are measures: "how many lines" is not answered by "6 inches" or "8 km" unless the
# question names that unit ("how many kilometres…"). Grammar of every language, not a corpus.
_TIME_UNITS = ("second", "minute", "hour", "day", "week", "month", "year")
_MEASURE_UNITS = (
    "length-kilometer", "length-meter", "length-centimeter", "length-millimeter",
    "length-mile", "length-foot", "length-inch", "length-yard", "length-nautical-mile",
    "mass-kilogram", "mass-gram", "mass-tonne", "mass-ton", "mass-pound", "mass-ounce",
    "volume-liter", "volume-milliliter", "volume-gallon", "volume-barrel",
    "volume-cubic-meter", "area-hectare", "area-acre", "area-square-kilometer",
    "area-square-meter", "area-square-mile", "temperature-celsius",
    "temperature-fahrenheit", "speed-kilometer-per-hour", "speed-mile-per-hour",
    "power-kilowatt", "power-megawatt", "power-gigawatt", "energy-kilowatt-hour",
    "concentr-percent",
)  # fmt: skip
_UNIT_LOCALES = ("en_GB", "zh", "zh_Hant", "ja", "ko", "ar", "hi")  # en_GB: "metres"


# Languages whose nouns take case endings beyond CLDR's plural forms ("haftanın",
# "километрах"): their long unit words may carry up to _UNIT_ENDING more letters.
_INFLECTING = ("ru", "uk", "pl", "cs", "tr", "fi", "hu")
_UNIT_ENDING = 3
_VOWELS = regex.compile(r"[aeiouyàáâãäåèéêëìíîïòóôõöùúûüýаеёиоуыэюяіїєαεηιουω]")
Unit = tuple[str, str, bool]  # (word, CLDR key, may be inflected)


def _abbreviation(word: str) -> bool:
    """A short form every language writes the same way ("km", "kg", "°c", "km/h", "км"),
    not one that is also a word ("in", "mi", "pie"): it has no vowel or a non-letter."""
    return len(word) >= 2 and (not regex.fullmatch(r"\p{L}+", word) or not _VOWELS.search(word))


@lru_cache(maxsize=1)
def _unit_table() -> dict[str, list[Unit]]:
    """Unit words by language (base code; "*" = abbreviations of every language), as CLDR
    spells them next to a number (Babel: "seconds", "секунд", "秒", "個月", "километров",
    "km", "persen"), every plural category; longest first. A word belongs to the languages
    that write it: Danish "fat" (barrel) is not a unit in English text."""
    from babel.units import format_unit

    table: dict[str, dict[str, Unit]] = {}
    keys = [f"duration-{u}" for u in _TIME_UNITS] + list(_MEASURE_UNITS)
    for code in (*_CALENDAR_LOCALES, *_UNIT_LOCALES):
        lang = code.split("_")[0]
        for key in keys:
            for length in ("long", "short"):
                if key.startswith("duration-") and length == "short":
                    continue  # "5 m" is metres as often as minutes
                for count in (1, 2, 3, 5, 11, 21, 100):  # every CLDR plural category
                    text = format_unit(count, key, length=length, locale=code)
                    word = regex.sub(r"\p{Cf}", "", text.replace(str(count), "")).strip().casefold()
                    if not word or regex.search(r"\p{N}", word):
                        continue
                    if length == "short" and not _SPACELESS.search(word):
                        if _abbreviation(word):
                            table.setdefault("*", {}).setdefault(word, (word, key, False))
                        continue
                    inflects = lang in _INFLECTING and len(word) >= 5
                    table.setdefault(lang, {}).setdefault(word, (word, key, inflects))
    return {lang: sorted(units.values(), key=lambda u: -len(u[0])) for lang, units in table.items()}


@lru_cache(maxsize=1)
def _unit_names() -> dict[str, regex.Pattern[str]]:
    """Per CLDR key, one pattern for the long words of every language that name that unit
    in a question (whose language may differ from the article's): a stem for long words
    ("kilometres", "километров", "persentase"), whole words for short ones ("an" is not in
    "and"), anywhere in a run of text for spaceless scripts."""
    alternatives: dict[str, set[str]] = {}
    for lang, units in _unit_table().items():
        if lang == "*":
            continue  # short forms may be words of the question's grammar (ar "كم")
        for word, key, _ in units:
            if len(word) < 2:
                continue
            if _SPACELESS.search(word):
                pattern = regex.escape(word)
            elif len(word) >= 5:
                pattern = rf"(?<!{_NOT_WORD}){regex.escape(word[: max(4, len(word) - 2)])}"
            else:
                pattern = rf"(?<!{_NOT_WORD}){regex.escape(word)}(?!{_NOT_WORD})"
            alternatives.setdefault(key, set()).add(pattern)
    return {
        key: regex.compile("|".join(sorted(found, key=len, reverse=True)))
        for key, found in alternatives.items()
    }


_NUMBER_AT = regex.compile(rf"[\p{{Sc}}\s]*{_NUMBER}\s*")


def _unit_match(text: str, unit: Unit) -> bool:
    """Does ``text`` open with the unit (whole word; a word of an inflecting language with a
    case ending of up to _UNIT_ENDING letters)?"""
    word, _key, inflects = unit
    if not text.startswith(word):
        return False
    if _SPACELESS.search(word) or not regex.match(r"\p{L}", word[-1:]):
        return True
    extra = regex.match(r"\p{L}*", text[len(word) :])
    ending = len(extra.group()) if extra else 0
    return ending == 0 or (inflects and ending <= _UNIT_ENDING)


@lru_cache(maxsize=64)
def _units_by_initial(language: str | None) -> dict[str, tuple[Unit, ...]]:
    """The unit words a text in ``language`` may use (all languages' when None), by first
    character, longest first."""
    table = _unit_table()
    langs = list(table) if language is None else [language.split("-")[0].casefold(), "*"]
    by_initial: dict[str, list[Unit]] = {}
    for lang in langs:
        for unit in table.get(lang, []):
            by_initial.setdefault(unit[0][0], []).append(unit)
    return {i: tuple(sorted(us, key=lambda u: -len(u[0]))) for i, us in by_initial.items()}


def unit_of(sentence: str, span: Span, language: str | None = None) -> str | None:
    """The CLDR unit of the number at ``span`` ("duration-second", "length-inch",
    "concentr-percent"), or None for a bare number or a count of things. ``language``: the
    sentence's (its own unit words and the common abbreviations); None tries every one."""
    if span[2].endswith(("%", "％")):
        return "concentr-percent"
    m = _NUMBER_AT.match(sentence, span[0])
    rest = sentence[m.end() : m.end() + 40].casefold() if m else ""
    for unit in _units_by_initial(language).get(rest[:1], ()):
        if _unit_match(rest, unit):
            return unit[1]
    return None


def is_duration(sentence: str, span: Span, language: str | None = None) -> bool:
    """Is the number at ``span`` followed by a unit of time ("17 seconds", "17 秒", "3个月")?"""
    unit = unit_of(sentence, span, language)
    return unit is not None and unit.startswith("duration-")


def names_unit(question: str, key: str) -> bool:
    """Does the question name the unit ``key`` in any language ("how many kilometres",
    "сколько процентов", "berapa persen", "%")? Long forms only: a short one may be a word
    of the question's grammar (Arabic "كم" is "km" and "how many")."""
    q = question.casefold()
    if key == "concentr-percent" and ("%" in q or "％" in q):
        return True
    pattern = _unit_names().get(key)
    return pattern is not None and pattern.search(q) is not None


@lru_cache(maxsize=1)
def _calendar_words() -> frozenset[str]:
    """Weekday and month names (CLDR): capitalised in many languages, never part of a name."""
    from babel import Locale

    words: set[str] = set()
    for code in _CALENDAR_LOCALES:
        loc = Locale.parse(code)
        for table in (loc.days, loc.months):
            for context in ("format", "stand-alone"):
                words.update(n.casefold() for n in table[context]["wide"].values())
    return frozenset(words)


def _grammar_words() -> frozenset[str]:
    """Interrogatives: capitalised only because they open a question ("Почему Соколов…")."""
    return _grammar_words_of(registry())


@lru_cache(maxsize=2)
def _grammar_words_of(languages: Registry) -> frozenset[str]:
    words = [w for ws in _asked(languages).values() for w in ws]
    words += [w for language in languages.values() for w in language.others]
    return frozenset(w for w in words if " " not in w)


_CALENDAR_LOCALES = (
    "en", "de", "fr", "es", "pt", "it", "pl", "ru", "uk", "id", "tr", "vi", "nl", "sv", "cs",
    "ro", "hu", "fi", "da", "nb",
)  # fmt: skip
_WORD = regex.compile(r"\S+")


def name_spans(sentence: str) -> list[Span]:
    """Runs of capitalised words that name someone or something. A run is split at weekday
    and month names, and loses its first word when it opens the sentence and at least two
    words stay ("On Monday Lucía Ferrández" → "Lucía Ferrández")."""
    calendar = _calendar_words()
    out: list[Span] = []
    for start, _end, text in _spans(_NAME_RE, sentence):
        words = [(start + m.start(), start + m.end()) for m in _WORD.finditer(text)]
        opener = sentence[words[0][0] : words[0][1]].casefold()
        if start == 0 and (len(words) >= 3 or opener in _grammar_words()):
            words = words[1:]
        run: list[tuple[int, int]] = []
        for w in [*words, None]:
            if w is not None and sentence[w[0] : w[1]].casefold() not in calendar:
                run.append(w)
                continue
            if len(run) >= 2:
                out.append((run[0][0], run[-1][1], sentence[run[0][0] : run[-1][1]]))
            run = []
    return out


def states_count(sentence: str, span: Span, question: str, language: str | None = None) -> bool:
    """Can the number at ``span`` be stated as the answer to "how many / how much"? A bare
    number or a count of things, yes; a measure ("6 inches", "40%") only when the question
    names that unit — "how much of the road" may mean "300 metres", "how many lines" does
    not mean "6 inches", and grammar cannot tell the two apart in most languages."""
    unit = unit_of(sentence, span, language)
    return unit is None or names_unit(question, unit)


def kind_spans(kind: str, sentence: str, language: str | None = None) -> list[Span]:
    """Spans of ``sentence`` (written in ``language``, if known) that could answer a
    question of ``kind``."""
    if kind == "when":
        return date_spans(sentence)
    if kind == "count":  # "how many balls" is not answered by "17 seconds"
        return [s for s in count_spans(sentence) if not is_duration(sentence, s, language)]
    if kind == "duration":
        return count_spans(sentence)
    if kind == "who":
        return name_spans(sentence)
    if kind == "where":
        return [s for s in _spans(_SINGLE_CAP, sentence) if s[0] > 0] + name_spans(sentence)
    return []


def warm_up() -> None:
    """Build the CLDR tables (months, units, calendar words) now, not on a first question."""
    _date_re()
    _count_re()
    _units_by_initial(None)
    _unit_names()
    _calendar_words()
    _question_patterns(registry())
