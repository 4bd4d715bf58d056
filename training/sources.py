"""Every file the answer model is trained from: repository, commit, path, sha256, licence.

`fetch_data.py` downloads exactly these files (or reads them from a local bare mirror) and
refuses any whose sha256 differs. Nothing here is SQuAD, XQuAD or a translation of them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Source:
    name: str  # short name used in file names and tables
    repo: str  # GitHub owner/name
    commit: str
    licence: str
    language: str  # BCP-47 tag of its passages and questions; "mul" for parallel text
    files: tuple[tuple[str, str], ...]  # (path in the repository, sha256)


QA_SOURCES = (
    Source(
        "cmrc2018",
        "ymcui/cmrc2018",
        "c0eb1b6ba219847457e6af3180da722bbeb656af",
        "CC BY-SA 4.0",
        "zh-Hans",
        (
            (
                "squad-style-data/cmrc2018_dev.json",
                "e9ff74231f05c230c6fa88b84441ee334d97234cbb610991cd94b82db00c7f1f",
            ),
            (
                "squad-style-data/cmrc2018_trial.json",
                "f3fae95b57da8e03afb2b57467dd221417060ef4d82db13bf22fc88589f3a6f3",
            ),
        ),
    ),
    Source(
        "drcd",
        "DRCKnowledgeTeam/DRCD",
        "b944790de5af02c5fbb7cd9cb1473d27d169eebf",
        "CC BY-SA 3.0",
        "zh-Hant",
        (
            ("DRCD_dev.json", "e236df03861ba241bd7b29628cd48b3b8e339c60137e041a4358b5320ed61928"),
            ("DRCD_test.json", "d9de0b4d247a8391ac8daee6c02c2c8272b75562a1e2377b50ae04ecc09a7438"),
        ),
    ),
    Source(
        "jsquad",
        "yahoojapan/JGLUE",
        "6f071c09316baae89c3d083a90985b4b1cb9968c",
        "CC BY-SA 4.0",
        "ja",
        (
            (
                "datasets/jsquad-v1.3/valid-v1.3.json",
                "fb0a57a35281ff03bbe7f0e878cff5b577985fbe6fcb242e7e8ddb63d1c0ab11",
            ),
            (
                "datasets/jsquad-v1.3/test-v1.3.json",
                "0078f3f2e1604a201700c24139e198344fa689e02282fc00adaa31687cce2aff",
            ),
        ),
    ),
    Source(
        "arcd",
        "husseinmozannar/SOQAL",
        "1229d34aa2b7a0b9a2e4858c9268e68f45d7e3c4",
        "MIT (repository licence; ARCD paragraphs are from Arabic Wikipedia, CC BY-SA)",
        "ar",
        (("data/arcd.json", "9d17bd7a4830dbcc12d4b042974138650cc69ee576c6e991050120448cd07633"),),
    ),
)

# Tatoeba test sets as packaged by LASER: 1,000 sentences per language with their English
# translation. Used only to measure each language's mean offset in the embedding space (the
# cross-lingual augmentation in train.py), never as question/answer pairs.
TATOEBA = Source(
    "tatoeba",
    "facebookresearch/LASER",
    "74bc6ae7ffb7cba670fe0f428d0ede9f666fb821",
    "CC BY 2.0 FR (Tatoeba corpus, tatoeba.org/eng/terms_of_use)",
    "mul",
    (
        (
            "data/tatoeba/v1/tatoeba.ara-eng.ara",
            "e67a0ae072b79cd9e8eb09f166c3bc0b23488d39f5720f2ee0a8350ae17b719f",
        ),
        (
            "data/tatoeba/v1/tatoeba.ara-eng.eng",
            "3c11838c963f598a52dcf2f452b666353538257001db5c59c3a5f54a999b336b",
        ),
        (
            "data/tatoeba/v1/tatoeba.ben-eng.ben",
            "ac3385695d6a6c7e5d18e38ad4b8b7d3780f3df23dd0ff3f539071b8269a8613",
        ),
        (
            "data/tatoeba/v1/tatoeba.ben-eng.eng",
            "67fbe75fec549d436c3356b6d6f8dd53179b6a908661b5d507d28c7fee83350e",
        ),
        (
            "data/tatoeba/v1/tatoeba.bul-eng.bul",
            "f9fa90cf3599d8c87f7a6ed22f5d648e3ce6687c705656a8c8ea088d891f79d5",
        ),
        (
            "data/tatoeba/v1/tatoeba.bul-eng.eng",
            "4b03b3b52ffb7cf4286e0c4453c90910a3021546f160bdf0e4d39d1f45bfbc0b",
        ),
        (
            "data/tatoeba/v1/tatoeba.ces-eng.ces",
            "0ca1f07a72f547df79288f0c6a1642176009d0b878a75534ed018fe715946f6b",
        ),
        (
            "data/tatoeba/v1/tatoeba.ces-eng.eng",
            "ac195f54f697faaae84e9ea3e395c5c20c46d5b5bf97f4a9840fdfd2a6b183f0",
        ),
        (
            "data/tatoeba/v1/tatoeba.cmn-eng.cmn",
            "965d033966fcd186c89741ad49ab4b0a0b2bbd33e02666635ff3b2be23c1ac1f",
        ),
        (
            "data/tatoeba/v1/tatoeba.cmn-eng.eng",
            "29ba36232488f5806aceccac57c59c5e750ddd08edb40eef417e3ada9ff9a239",
        ),
        (
            "data/tatoeba/v1/tatoeba.deu-eng.deu",
            "edfa6f75a42554df388f45891735d5e4214158a99def4b73b5908af4a3054551",
        ),
        (
            "data/tatoeba/v1/tatoeba.deu-eng.eng",
            "eb9cc83a42f2c4b22f310d05311207e41abb56c2a084666cac3ee0f84d2d0b84",
        ),
        (
            "data/tatoeba/v1/tatoeba.ell-eng.ell",
            "4fb3d3d30bdafd15100dfad5c4680f8f2ed5ca87ed0a6122e2fe2aa21fee65e8",
        ),
        (
            "data/tatoeba/v1/tatoeba.ell-eng.eng",
            "1f630710e718e2f85a4e757d3c7f3d6e78ded0b25c99653b4c552138318d9ffe",
        ),
        (
            "data/tatoeba/v1/tatoeba.fin-eng.fin",
            "8db3c734f755d578445947f1182f40faf2a9a0eca37561dd248717c088802d60",
        ),
        (
            "data/tatoeba/v1/tatoeba.fin-eng.eng",
            "322e610359f4d24852e673bbe4524d52c26dbf980aca0760e95c66dc21ecd504",
        ),
        (
            "data/tatoeba/v1/tatoeba.fra-eng.fra",
            "644172ff9642fefa9e41c29b7d6f44196518e84350dc44d4992e943c0cca92b6",
        ),
        (
            "data/tatoeba/v1/tatoeba.fra-eng.eng",
            "5634220f8a26a9a23b84753a9aec0b0832e6bdaa9da3f83e0bd84c928c3f46e3",
        ),
        (
            "data/tatoeba/v1/tatoeba.heb-eng.heb",
            "4a07ca4b8a6fb7ab499791573a2454730f47acbe209359d7b9372a9f6094a102",
        ),
        (
            "data/tatoeba/v1/tatoeba.heb-eng.eng",
            "73c27ed0f76c1d2da199230f05489749e10bb67ab879c6dfee8ca9807d6bd99c",
        ),
        (
            "data/tatoeba/v1/tatoeba.hin-eng.hin",
            "15e4fb0a394be4438319f1d6955d1aea226e2a8c5ad38798b23b76ae43d742ed",
        ),
        (
            "data/tatoeba/v1/tatoeba.hin-eng.eng",
            "adfce2269a55dbac69b25c0f4f6eb89e0f9383165485925a2e042e61b9480562",
        ),
        (
            "data/tatoeba/v1/tatoeba.hun-eng.hun",
            "56bd0682be8c1db6568313650b3310d641cc8d0019d12dd7caf201302350eeac",
        ),
        (
            "data/tatoeba/v1/tatoeba.hun-eng.eng",
            "5323266e91ddee67ed1ae00d6bbac0cdf3d37749d1b2da3459bf0d424bc71383",
        ),
        (
            "data/tatoeba/v1/tatoeba.ind-eng.ind",
            "4f03cd70cba071f746eacd3ebf6b60fd5a8377ce18b4cc52edec6721f05f352a",
        ),
        (
            "data/tatoeba/v1/tatoeba.ind-eng.eng",
            "62a3f5127b60eb3526b8fa3994a68fa1a1f114f3a395307a8808a3517c05ffc5",
        ),
        (
            "data/tatoeba/v1/tatoeba.ita-eng.ita",
            "9b3f369d0ed92273b46dd3b983721636e3d15024ce7125f5103229249c386d26",
        ),
        (
            "data/tatoeba/v1/tatoeba.ita-eng.eng",
            "738bf8f981e42d285f4f08bc09238782d285b02050e6e95287aa4e998bb7b24b",
        ),
        (
            "data/tatoeba/v1/tatoeba.jpn-eng.jpn",
            "56040bd6949170a631039d9f8f4c6440db8761b0065c9686feba55c99a320d46",
        ),
        (
            "data/tatoeba/v1/tatoeba.jpn-eng.eng",
            "b42129b34e1bf225ccc25fc00e532a6113af98adbc6605b93021bd8aadeb68b6",
        ),
        (
            "data/tatoeba/v1/tatoeba.kor-eng.kor",
            "e550c84184ec35b1a0dab3154284719511a21746e53c40f46eb6ab08179e9188",
        ),
        (
            "data/tatoeba/v1/tatoeba.kor-eng.eng",
            "f900cf3c9b72ed5a400e1804702863ff3df00be58eb060902e02285d0e68fab3",
        ),
        (
            "data/tatoeba/v1/tatoeba.nld-eng.nld",
            "d564d4ce1c621ccaefdbe9f5cb08eacccc7bf2a0b58666303e84ca9c7973bdb7",
        ),
        (
            "data/tatoeba/v1/tatoeba.nld-eng.eng",
            "3b8836749df573a53235b85ed6771f31bf2de428f520d2d6a1dd94b61b4ef057",
        ),
        (
            "data/tatoeba/v1/tatoeba.pes-eng.pes",
            "f1553713723491fe5876e1060b18fb4abf0c77be3ba06db2e3307e83aedbbb32",
        ),
        (
            "data/tatoeba/v1/tatoeba.pes-eng.eng",
            "b5c6cf8c8d93ff8f2fe26b53f3ee29b62db9c6f7dcddcb086ba48953f4ce926b",
        ),
        (
            "data/tatoeba/v1/tatoeba.pol-eng.pol",
            "93e1378a66dfc83fcab4cf115f3eaa2635b42648e4746478f83f71cc6291cbfd",
        ),
        (
            "data/tatoeba/v1/tatoeba.pol-eng.eng",
            "d21cca6c6c28a9df7e8ecdc923672311ca3395241b58a5749b34854d6c65df8f",
        ),
        (
            "data/tatoeba/v1/tatoeba.por-eng.por",
            "b0c926a232c9889a87a1a970f9399c5618c2d95baf204321e9da794c0aec16f5",
        ),
        (
            "data/tatoeba/v1/tatoeba.por-eng.eng",
            "deb4568cfb7b7cbbc060a7fe97c4639fb4680842f4fcd28df791ffdbb753855a",
        ),
        (
            "data/tatoeba/v1/tatoeba.ron-eng.ron",
            "ad5c4a9f4920718203534d1f8271e27021b9af54b2c908dec66851d4dc681fd4",
        ),
        (
            "data/tatoeba/v1/tatoeba.ron-eng.eng",
            "1064c638220dc9de0868baee327e091ae815214674295b62b13448ef442c448d",
        ),
        (
            "data/tatoeba/v1/tatoeba.rus-eng.rus",
            "446ff2cae66053c2277d9735b2c2df6b786cae258385f7ade7bed68d8835c6a0",
        ),
        (
            "data/tatoeba/v1/tatoeba.rus-eng.eng",
            "7b26f52d6085b7c4944d6f5f6f5b6e1932085b42112f1444db515ce59e878fb8",
        ),
        (
            "data/tatoeba/v1/tatoeba.spa-eng.spa",
            "f9628cea40481e8251f0999718bd893cff0f261752f5e526b3bc20284e2ca018",
        ),
        (
            "data/tatoeba/v1/tatoeba.spa-eng.eng",
            "89e4470f4572040b1ca94b3edad97dcd8bd2f0141f072e12933b8659dadf917d",
        ),
        (
            "data/tatoeba/v1/tatoeba.swe-eng.swe",
            "9b2a15609f8c35b054f3b575c4e2a06812fee1c55e3ad96cdd03df85edc9bc9f",
        ),
        (
            "data/tatoeba/v1/tatoeba.swe-eng.eng",
            "50fdff247854beaafdd5726ff6bb634278ea791abc4c68ca6072149da14dbf58",
        ),
        (
            "data/tatoeba/v1/tatoeba.tha-eng.tha",
            "65c7b3c01a56a1ac8971e72e0ea8e74a027718dc84044d8802c0ab36395a3156",
        ),
        (
            "data/tatoeba/v1/tatoeba.tha-eng.eng",
            "2881c82d2c5fa59cf0a68bc9e012f5e0b0a716f7357cbecf77c247efc2fd7294",
        ),
        (
            "data/tatoeba/v1/tatoeba.tur-eng.tur",
            "1ffa0acc006018b3105abda41a4d4ca42f3c122964a49b71793546367b079a86",
        ),
        (
            "data/tatoeba/v1/tatoeba.tur-eng.eng",
            "a768df7dd3d1344f872a458b32c3a65e24f8381826ccb16ba6677426176c8121",
        ),
        (
            "data/tatoeba/v1/tatoeba.ukr-eng.ukr",
            "7d11ce1654600e3a3a2a84ce06aff213e22903d9e75f9f5eec09f85ce85abf2a",
        ),
        (
            "data/tatoeba/v1/tatoeba.ukr-eng.eng",
            "f0df48c6911ca71b315a5df5a78438bda23129f375fe50dc7ebf6a0f66bd05e0",
        ),
        (
            "data/tatoeba/v1/tatoeba.urd-eng.urd",
            "2efc22dc61885a9454aeeee68c8b841c7f9138d53ba644a82308bd210140450b",
        ),
        (
            "data/tatoeba/v1/tatoeba.urd-eng.eng",
            "dab35fda3f73b3fd86b6b9f9f9f6242430961aa5d1ac247adbc646867df79cec",
        ),
        (
            "data/tatoeba/v1/tatoeba.vie-eng.vie",
            "6dbb02d778b0bfc8678cd85f87db76de55dd7e409a26fe32ad42d50e0f1fff77",
        ),
        (
            "data/tatoeba/v1/tatoeba.vie-eng.eng",
            "a1f60bd8ae6c42224a4c050d2aa1ff4242d14827d64d7831e96ecf2b2c367f5f",
        ),
    ),
)

ALL_SOURCES = (*QA_SOURCES, TATOEBA)
