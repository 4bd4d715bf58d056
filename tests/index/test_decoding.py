from __future__ import annotations

import pytest

from index.ingest.decoding import DecodeError, decode_bytes, plausibility

# Two or three realistic sentences, and one short question, per language.
RU = "Мэрия объявила о закрытии старого моста. Новый мост построит компания Nordbau Group."
RU_Q = "Кто такой Петров? Почему он ушёл?"
UK = "Міська рада оголосила про закриття мосту. Він потребував ремонту."
ZH_T = "市政府週二宣布，橫跨河流的新大橋將於下個月通車。工程歷時四年，造價高於原計畫。"
ZH_S = "市政府周二宣布，横跨河流的新大桥将于下个月通车。工程历时四年，造价高于原计划。"
DE = "Der Mitgründer der Firma hat das Unternehmen verlassen. Über die Gründe äußerte er sich kaum."


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
        ("新大桥什么时候通车？", "gbk"),
        (ZH_T, "big5"),
        ("新大橋什麼時候通車？", "big5"),
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
