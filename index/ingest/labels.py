"""The standard wording of page labels that survive in plain-text articles, per language.

Pages label their boxes the same way across a language's outlets ("Read also", "Baca juga",
"Читайте также", "延伸閱讀", "Sign up", "Disclaimer:", "Source:"); when a page is saved as
plain text the label stays at the start of a line, which is what index/ingest/clean.py looks for.
Each list holds the ordinary phrasing of one language — the 18 languages the answers speak
— and names no outlet. HTML pages do not need this: trafilatura drops the boxes themselves.
Phrases are matched case-insensitively at the start of a line, as whole words.
"""

from __future__ import annotations

import re

from index.text import has_cjk

# A box that links to another story: the label, then that story's headline.
READ_ALSO: dict[str, list[str]] = {
    "en": ["read also", "also read", "read more", "see also", "related", "more on this",
           "recommended"],
    "id": ["baca juga", "lihat juga", "baca selengkapnya", "artikel terkait", "berita terkait"],
    "ru": ["читайте также", "смотрите также", "читайте по теме", "читать также", "по теме"],
    "uk": ["читайте також", "дивіться також", "читайте по темі", "по темі"],
    "de": ["lesen sie auch", "mehr zum thema", "siehe auch", "auch interessant"],
    "fr": ["à lire aussi", "lire aussi", "voir aussi", "lire la suite", "à lire"],
    "es": ["lee también", "leer también", "ver también", "te puede interesar"],
    "pt": ["leia também", "leia mais", "veja também", "saiba mais"],
    "it": ["leggi anche", "vedi anche", "potrebbe interessarti"],
    "pl": ["czytaj także", "czytaj też", "czytaj również", "zobacz też", "zobacz także",
           "przeczytaj też", "przeczytaj także"],
    "tr": ["ayrıca okuyun", "bunu da okuyun", "ilgili haber", "ilginizi çekebilir"],
    "vi": ["xem thêm", "đọc thêm", "tin liên quan"],
    "ar": ["اقرأ أيضا", "اقرأ أيضاً", "اقرأ ايضا", "مواضيع ذات صلة", "أخبار ذات صلة"],
    "hi": ["यह भी पढ़ें", "ये भी पढ़ें", "संबंधित खबरें"],
    "zh-Hans": ["延伸阅读", "相关阅读", "相关新闻", "相关文章", "推荐阅读", "阅读更多"],
    "zh-Hant": ["延伸閱讀", "相關閱讀", "相關新聞", "相關文章", "推薦閱讀", "閱讀更多"],
    "ja": ["関連記事", "あわせて読みたい", "合わせて読みたい", "こちらもおすすめ"],
    "ko": ["관련기사", "관련 기사", "함께 읽기", "함께 보면 좋은 기사"],
}  # fmt: skip

# A call to sign up for a newsletter or a subscription (imperatives only, so a sentence
# about subscriptions is not one).
SIGN_UP: dict[str, list[str]] = {
    "en": ["sign up", "subscribe to", "subscribe now", "subscribe here", "subscribe for",
           "subscribe", "get our newsletter", "join our newsletter"],
    "id": ["daftar sekarang", "daftar di sini", "berlangganan sekarang", "langganan newsletter",
           "berlangganan"],
    "ru": ["подпишитесь", "подписывайтесь", "подписаться на"],
    "uk": ["підпишіться", "підписуйтесь", "підписатися на"],
    "de": ["abonnieren sie", "jetzt abonnieren", "hier anmelden", "melden sie sich"],
    "fr": ["inscrivez-vous", "abonnez-vous"],
    "es": ["suscríbete", "suscribirse", "regístrate"],
    "pt": ["assine", "inscreva-se", "cadastre-se"],
    "it": ["iscriviti", "abbonati"],
    "pl": ["zapisz się", "zasubskrybuj", "subskrybuj"],
    "tr": ["abone ol", "kaydol"],
    "vi": ["đăng ký ngay", "đăng ký nhận"],
    "ar": ["اشترك الآن", "اشترك في", "سجل الآن"],
    "hi": ["सब्सक्राइब करें", "सदस्यता लें"],
    "zh-Hans": ["立即订阅", "点击订阅", "订阅我们", "欢迎订阅"],
    "zh-Hant": ["立即訂閱", "點擊訂閱", "訂閱我們", "歡迎訂閱"],
    "ja": ["今すぐ登録", "登録はこちら", "購読はこちら"],
    "ko": ["구독하기", "지금 구독", "뉴스레터 구독"],
}  # fmt: skip

# The word "newsletter": a short line holding it, followed by a sign-up call, is a box.
NEWSLETTER: list[str] = [
    "newsletter", "рассылк", "розсилк", "boletín", "infolettre", "bülten", "bản tin",
    "biuletyn", "نشرة", "न्यूज़लेटर", "电子报", "電子報", "ニュースレター", "뉴스레터",
]  # fmt: skip

# A site's disclaimer paragraph.
DISCLAIMER: dict[str, list[str]] = {
    "en": ["disclaimer"],
    "id": ["penafian", "disclaimer"],
    "ru": ["отказ от ответственности"],
    "uk": ["відмова від відповідальності"],
    "de": ["haftungsausschluss"],
    "fr": ["avertissement", "clause de non-responsabilité"],
    "es": ["aviso legal", "descargo de responsabilidad"],
    "pt": ["aviso legal", "isenção de responsabilidade"],
    "it": ["esclusione di responsabilità", "avvertenza"],
    "pl": ["zastrzeżenie", "wyłączenie odpowiedzialności"],
    "tr": ["sorumluluk reddi", "yasal uyarı"],
    "vi": ["tuyên bố miễn trừ trách nhiệm", "miễn trừ trách nhiệm"],
    "ar": ["إخلاء المسؤولية", "إخلاء مسؤولية"],
    "hi": ["अस्वीकरण"],
    "zh-Hans": ["免责声明"],
    "zh-Hant": ["免責聲明"],
    "ja": ["免責事項"],
    "ko": ["면책 조항", "면책조항"],
}

# Where a story came from, after its last paragraph.
SOURCE: dict[str, list[str]] = {
    "en": ["sources", "source", "via", "credits", "credit", "references", "reference",
           "original"],
    "id": ["sumber", "referensi"],
    "ru": ["источники", "источник", "оригинал"],
    "uk": ["джерела", "джерело", "оригінал"],
    "de": ["quellen", "quelle"],
    "fr": ["sources", "source"],
    "es": ["fuentes", "fuente"],
    "pt": ["fontes", "fonte"],
    "it": ["fonti", "fonte"],
    "pl": ["źródła", "źródło"],
    "tr": ["kaynaklar", "kaynak"],
    "vi": ["nguồn"],
    "ar": ["المصادر", "المصدر"],
    "hi": ["स्रोत"],
    "zh-Hans": ["资料来源", "来源", "出处"],
    "zh-Hant": ["資料來源", "來源", "出處"],
    "ja": ["出典", "出所"],
    "ko": ["출처"],
}  # fmt: skip

SEPARATOR = r"\s*[:：\-–—»|›>]"


def starts_with(table: dict[str, list[str]] | list[str]) -> re.Pattern[str]:
    """A pattern matching any phrase of ``table`` at the start of a line, as whole words
    (longest phrase first), case-insensitively."""
    phrases = table if isinstance(table, list) else [p for ps in table.values() for p in ps]
    ordered = sorted(set(phrases), key=len, reverse=True)
    # CJK has no spaces between words: a CJK phrase may be followed by anything.
    alternatives = "|".join(re.escape(p) + ("" if has_cjk(p[-1]) else r"(?!\w)") for p in ordered)
    return re.compile(f"^(?:{alternatives})", re.IGNORECASE)


def contains(words: list[str]) -> re.Pattern[str]:
    return re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE)
