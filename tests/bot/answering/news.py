"""Invented news passages for answer-layer tests: one tram story reported in three
languages with a disagreement on the cost, and an unrelated story. Written for these tests;
no evaluation set and no sample article is used."""

from __future__ import annotations

from index.types import Passage

TEXTS = {
    "tram-es": (
        "es",
        "El nuevo tranvía de Valdemora abre el 3 de marzo de 2025",
        "El nuevo tranvía de Valdemora abrirá el 3 de marzo de 2025. La línea tendrá 9 paradas "
        "entre la estación y el hospital. El proyecto costó 412 millones de euros, según la "
        "alcaldesa Lucía Ferrández. Las obras empezaron en 2021.",
    ),
    "tram-de": (
        "de",
        "Straßenbahn in Valdemora startet im März",
        "Die neue Straßenbahn in Valdemora soll am 3. März 2025 in Betrieb gehen. Die Baukosten "
        "lagen nach Angaben der Stadt bei 430 Millionen Euro. Bürgermeisterin Lucía Ferrández "
        "sprach von einem historischen Tag.",
    ),
    "tram-en": (
        "en",
        "Valdemora tram opens in March",
        "Valdemora's new tram line opens on 3 March 2025, the city said on Monday. "
        "The line cost €412 million and has nine stops. Mayor Lucía Ferrández and the transport "
        "chief Seán O'Brien cut the ribbon. Engineers Lin Mei-hua and Abu-Bakr Haddad led the "
        "design team.",
    ),
    "bees": (
        "en",
        "Beekeepers report record honey harvest",
        "Beekeepers in the northern valleys reported a record harvest this summer. Warm weather "
        "and late rain helped the flowers, the association said.",
    ),
}


def passage(article_id: str, score: float, relevance: float | None = None, **kw) -> Passage:
    language, title, text = TEXTS[article_id]
    return Passage(
        article_id=article_id,
        chunk_id=f"{article_id}-0",
        title=title,
        language=language,
        text=text,
        source=f"articles/{article_id}.txt",
        url=None,
        score=score,
        relevance=relevance,
        **kw,
    )


def tram_passages() -> list[Passage]:
    return [passage("tram-en", 0.80), passage("tram-es", 0.78), passage("tram-de", 0.77)]
