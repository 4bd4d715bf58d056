from __future__ import annotations

import pytest

from index.decoding import DecodeError, decode_bytes, plausibility

# Two or three realistic sentences, and one short question, per language.
RU = "Игорь Бабушкин объявил о своём уходе из xAI. Он основал венчурную фирму Babuschkin Ventures."
RU_Q = "Кто такой Бабушкин? Почему он ушёл?"
UK = "Ігор Бабушкін оголосив про свій відхід з компанії. Він очолював інженерні команди."
ZH_T = "公司聯合創始人伊戈爾·巴布什金在社交平臺上宣布離職。這家企業再次流失核心人才。"
ZH_S = "公司联合创始人伊戈尔·巴布什金在社交平台上宣布离职。这家企业再次流失核心人才。"
DE = "Der Mitgründer von xAI hat das Unternehmen verlassen. Über die Gründe äußerte er sich kaum."


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        (RU, "cp1251"),
        (RU, "koi8_r"),
        (RU_Q, "cp1251"),
        (RU_Q, "koi8_r"),
        (UK, "cp1251"),
        (ZH_S, "gbk"),
        (ZH_S, "gb18030"),
        ("巴布什金为什么离职？", "gbk"),
        (ZH_T, "big5"),
        ("巴布什金為什麼離職？", "big5"),
        ("Galor和Zeria什麼時候展示了新資訊?", "big5"),
        (DE, "cp1252"),
        (RU, "utf-8"),
        (ZH_T, "utf-8-sig"),
        (ZH_T, "utf-16"),
        (RU, "utf-32"),
    ],
)
def test_round_trip(text: str, encoding: str) -> None:
    decoded, _name = decode_bytes(text.encode(encoding))
    assert decoded == text


def test_utf16_without_bom_is_recognised() -> None:
    decoded, name = decode_bytes(("Title\n" + RU).encode("utf-16-le"))
    assert decoded.endswith(RU) and name == "utf-16-le"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty file"),
        (b" \r\n\t ", "empty file"),
        (b"\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00" * 20, "binary file"),
        (b"text with bells \x07\x07\x07\x07\x01\x02\x03\x04\x05\x06", "binary file"),
    ],
)
def test_rejections(data: bytes, reason: str) -> None:
    with pytest.raises(DecodeError, match=reason):
        decode_bytes(data)


def test_mojibake_scores_below_the_right_reading() -> None:
    raw = RU.encode("koi8_r")
    assert plausibility(raw.decode("koi8_r")) > plausibility(raw.decode("cp1251")) + 0.2
    raw = ZH_T.encode("big5")
    assert plausibility(raw.decode("big5")) > plausibility(raw.decode("gb18030")) + 0.2
