"""Language detection and language names, on texts written for these tests."""

from __future__ import annotations

import pytest

from index.han import chinese_variant, japanese_kanji
from index.language import detect_language, language_name, normalize_code
from tests.index.language_table import EXTRA, TABLE

CASES = [(text, code) for code, pair in TABLE.items() for text in pair] + EXTRA


def test_the_table_covers_eighteen_languages() -> None:
    assert len(TABLE) >= 18 and all(short and long for short, long in TABLE.values())


@pytest.mark.parametrize(("text", "code"), CASES)
def test_table(text: str, code: str) -> None:
    assert detect_language(text) == code


@pytest.mark.parametrize(
    ("question", "code"),
    [
        ("Кто основал McKinsey & Company?", "ru"),  # Latin names inside Cyrillic
        ("Чому він пішов з компанії?", "uk"),
        ("Apa itu GPT?", "id"),
        ("Who do gurus control?", "en"),
        ("Pourquoi a-t-il quitté Paris ?", "fr"),
        ("Γιατί έφυγε;", "el"),
        ("ทำไมเขาถึงลาออก", "th"),
    ],
)
def test_short_questions(question: str, code: str) -> None:
    assert detect_language(question) == code


@pytest.mark.parametrize(
    ("question", "code"),
    [
        ("Giulia Ferranti neden istifa etti?", "tr"),
        ("Qui a remplacé Olumide Adeyemi ?", "fr"),
        ("Quanto guadagna Mariana Costa Pereira?", "it"),
        ("Ile zarabia Mariana Costa Pereira?", "pl"),
        (
            "Doğu Almanyanın son Başbakanı kimdi?",
            "tr",
        ),  # a question mostly of names still counts them
        ("Wann endete der Hafenstreik in Valencia?", "de"),  # German nouns are capitalised too
    ],
)
def test_foreign_names_do_not_outvote_the_questions_own_words(question: str, code: str) -> None:
    assert detect_language(question) == code


def test_names_muted_keeps_a_question_of_names_whole() -> None:
    from index.language import names_muted

    assert names_muted("Giulia Ferranti neden istifa etti?") == "neden istifa etti?"
    assert names_muted("Wer ist Olumide Adeyemi?") == "Wer ist"
    assert names_muted("Harvard Stadyumu nerededir?") == "Harvard Stadyumu nerededir?"


def test_japanese_is_never_taken_for_chinese() -> None:
    assert detect_language("なぜ彼は辞めたのですか？") == "ja"
    assert detect_language("東京都知事選、現職が三選") == "ja"  # one kana among kanji
    assert detect_language("大阪駅前再開発計画発表") == "ja"  # no kana: Japanese-only kanji
    assert japanese_kanji("大阪駅前再開発計画発表") == 3


def test_chinese_with_a_japanese_name_or_a_middle_dot_stays_chinese() -> None:
    long_zh = TABLE["zh-Hant"][1] * 4  # an article of ~250 characters
    assert detect_language(long_zh + "（日文：あおば）") == "zh-Hant"
    assert detect_language("伊萬・彼得羅夫宣布離開公司") == "zh-Hant"  # ・ is not kana
    assert detect_language("大阪站前重新开发计划公布") == "zh-Hans"


def test_korean_with_hanja_is_korean() -> None:
    assert detect_language("大韓民國 정부는 새 예산안을 발표했다") == "ko"


@pytest.mark.parametrize("text", ["", "   ", "123 456", "?!", "https://example.com/x"])
def test_no_letters_is_und(text: str) -> None:
    assert detect_language(text) == "und"


def test_one_latin_word_falls_back_to_english() -> None:
    assert detect_language("GPT?") == "en"


def test_urls_and_handles_do_not_decide_the_language() -> None:
    text = "Мэрия объявила о новом мосте https://x.example/status/1 @cityhall #bridge"
    assert detect_language(text) == "ru"


def test_traditional_and_simplified_chinese_told_apart() -> None:
    assert chinese_variant("這家成立僅一年的企業再次流失核心人才") == "zh-Hant"
    assert chinese_variant("这家成立仅一年的企业再次流失核心人才") == "zh-Hans"
    # 英里 and 台/布 exist in both standards: they are no evidence of Simplified.
    assert chinese_variant("從2000年到2005年，每年多少平方英里？") == "zh-Hant"
    assert chinese_variant("台北市長宣布新政策") == "zh-Hant"


@pytest.mark.parametrize(
    ("code", "in_language", "name"),
    [
        ("id", "en", "Indonesian"),
        ("zh-Hant", "en", "Chinese (Traditional)"),
        ("zh-Hans", "en", "Chinese (Simplified)"),
        ("ja", "en", "Japanese"),
        ("ru", "de", "Russisch"),
        ("ru", "fr", "russe"),
        ("en", "ru", "английский"),
        ("zh-Hant", "zh-Hant", "中文 (繁體)"),
        ("ko", "ja", "韓国語"),
        ("pt-BR", "en", "Portuguese (Brazil)"),
        ("tl", "en", "Tagalog"),
        ("und", "en", "Unknown language"),
        ("xx", "en", "xx"),
        ("uk", "not-a-language", "Ukrainian"),
    ],
)
def test_language_names_come_from_cldr(code: str, in_language: str, name: str) -> None:
    assert language_name(code, in_language) == name


def test_language_name_defaults_to_english() -> None:
    assert language_name("vi") == "Vietnamese"


@pytest.mark.parametrize(
    ("declared", "text", "code"),
    [
        ("zh-TW", "", "zh-Hant"),
        ("zh_CN", "", "zh-Hans"),
        ("zh", "這家企業", "zh-Hant"),
        ("EN-us", "", "en"),
        ("in", "", "id"),
        ("", "Кто победил на выборах?", "ru"),
        (None, "", "und"),
    ],
)
def test_declared_codes_are_normalised(declared: str | None, text: str, code: str) -> None:
    assert normalize_code(declared, text) == code


def test_question_language_is_none_when_it_cannot_be_told(monkeypatch: pytest.MonkeyPatch) -> None:
    import index.language as language

    assert language.question_language("Kapan jembatan itu dibuka?") == "id"
    assert language.question_language("12345 ???") is None  # no letters: "und"
    assert language.question_language("12345 ???", "en") == "en"  # the answer's frame

    def broken(_text: str) -> str:
        raise RuntimeError("model file missing")

    monkeypatch.setattr(language, "detect_language", broken)
    assert language.question_language("Kapan jembatan itu dibuka?") is None


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("東京で何が起きましたか？", "ja"),  # Han and Kana: Japanese, not Chinese
        ("その会社のCEOは誰ですか？", "ja"),
        ("서울에서 무슨 일이 있었나요?", "ko"),
        ("OpenAI的CEO是谁？", "zh-Hans"),
        ("這家公司的CEO是誰？", "zh-Hant"),
        ("Кто возглавил компанию?", "ru"),
    ],
)
def test_a_question_is_checked_by_script(question: str, expected: str) -> None:
    """Han beside Latin names is Chinese, Japanese or Korean; Cyrillic is not English."""
    from index.language import question_language

    assert question_language(question) == expected
    assert question_language(question, "en") == expected


def test_the_language_model_is_unpacked_once_into_the_cache(tmp_path, monkeypatch) -> None:
    from index import language

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    first = language._load_identifier()
    unpacked = list((tmp_path / "newsbot").glob("py3langid-*.npz"))
    assert len(unpacked) == 1
    again = language._load_identifier()  # from the unpacked copy
    text = "Kapan jembatan baru itu dibuka untuk umum?"
    assert first.rank(text)[:3] == again.rank(text)[:3]
    # a damaged copy (not a zip, or a truncated one) is not fatal: py3langid's own loader
    # takes over, and the copy is dropped so that the next start unpacks a good one
    for damage in (b"not a model", unpacked[0].read_bytes()[:1000]):
        unpacked[0].write_bytes(damage)
        assert language._load_identifier().rank(text)[0][0] == first.rank(text)[0][0]
        assert not unpacked[0].exists()
        language._load_identifier()  # unpacks it again


def test_an_unwritable_cache_still_loads_the_model(tmp_path, monkeypatch) -> None:
    from index import language

    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache folder would go")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    assert language._load_identifier().rank("Когда открыли новый мост?")[0][0] == "ru"


def test_one_unpacked_model_per_py3langid_version(tmp_path, monkeypatch) -> None:
    from index import language

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    stale = tmp_path / "newsbot" / "py3langid-0000000000000000.npz"
    stale.parent.mkdir(parents=True)
    stale.write_bytes(b"an older version's copy")
    language._load_identifier()
    assert len(list((tmp_path / "newsbot").glob("py3langid-*.npz"))) == 1
    assert not stale.exists()
