"""A small cross-lingual lexicon of news concepts (en / id / ru / zh) for sentence matching.

Lets "Why did he leave?" meet "meninggalkan", "покидает" and "離職" without embedding
every sentence. Stems match the start of a word (Latin, Cyrillic) or anywhere (Chinese);
a stem ending in "$" matches a whole word only.
Extend it with the verbs your articles and questions use most.
"""

from __future__ import annotations

import re
from functools import lru_cache

CONCEPTS: dict[str, tuple[str, ...]] = {
    "leave": ("leave", "leaving", "left", "quit", "resign", "depart", "exit", "step down",
              "meninggalkan", "tinggalkan", "keluar", "mundur", "kepergian", "hengkang", "уход",
              "ушёл", "ушел", "уйти", "покида", "покину", "увол", "离开", "離開", "离职",
              "離職", "出走", "辞职", "辭職", "退出", "卸任"),
    "found": ("found", "co-found", "establish", "creat", "launch", "mendirikan", "didirikan",
              "dirikan", "pendiri", "meluncurkan", "основа", "основ", "созда", "запуст", "创立",
              "創立", "创办", "創辦", "成立", "创始", "創始", "创建", "創建"),
    "start": ("start", "begin", "memulai", "mulai", "начал", "начина", "开始", "開始", "启动",
              "啟動"),
    "inspire": ("inspir", "terinspirasi", "menginspirasi", "inspirasi", "вдохнов", "启发",
                "啟發", "灵感", "靈感", "源于", "源於", "激励", "激勵"),
    "invest": ("invest", "fund", "venture", "capital", "investasi", "modal", "ventura", "dana",
               "pendanaan", "инвест", "венчур", "фонд", "финанс", "投资", "投資", "基金",
               "融资", "融資"),
    "safety": ("safe", "safety", "secur", "keamanan", "aman", "безопасн", "安全"),
    "build": ("build", "built", "construct", "membangun", "dibangun", "постро", "строит",
              "建设", "建設", "建造", "打造"),
    "say": ("say$", "says", "said", "announc", "wrote", "post", "mengatakan", "mengumumkan",
            "menulis", "postingan", "заяв", "объяв", "написал", "посте", "постом", "宣布", "表示",
            "透露", "声明", "聲明"),
    "learn": ("learn", "lesson", "belajar", "pelajaran", "урок", "узнал", "学到", "學到",
              "经验", "經驗"),
    "parents": ("parent", "family", "orang tua", "keluarga", "родител", "семь", "父母",
                "家庭"),
    "immigrate": ("immigr", "emigr", "berimigrasi", "imigrasi", "иммигр", "эмигр", "移民"),
    "scandal": ("scandal", "controvers", "skandal", "kontroversi", "скандал", "丑闻", "醜聞",
                "争议", "爭議"),
    "environment": ("environment", "pollut", "emission", "turbine", "lingkungan", "emisi",
                    "turbin", "эколог", "выброс", "турбин", "环保", "環保", "污染", "涡轮",
                    "渦輪"),
    "money": ("valu", "billion", "million", "valuasi", "miliar", "juta", "оцен", "миллиард",
              "миллион", "估值", "亿", "億"),
    "acquire": ("acquir", "buy", "bought", "purchas", "akuisisi", "membeli", "купи", "приобр",
                "收购", "收購", "购买", "購買"),
    "processor": ("processor", "chip", "gpu", "prosesor", "процессор", "处理器", "處理器",
                  "芯片"),
    "research": ("research", "riset", "penelitian", "peneliti", "исследов", "研究"),
    "lead": ("lead", "head", "chief", "memimpin", "pemimpin", "kepala", "возглав", "руковод",
             "负责人", "負責人", "领导", "領導", "主导", "主導"),
    "win": ("beat", "defeat", "win", "won", "mengalahkan", "menang", "побежд", "побед",
            "обыгр", "击败", "擊敗", "战胜", "戰勝"),
    "game": ("game", "player", "permainan", "pemain", "игр", "游戏", "遊戲", "选手", "選手"),
    "chatbot": ("chatbot", "чат-бот", "聊天机器人", "聊天機器人"),
    "tired": ("exhaust", "tired", "melelahkan", "lelah", "утомит", "устал", "疲惫", "疲憊"),
    "cto": ("chief technology officer", "cto", "首席技术官", "首席技術官", "技术长", "技術長",
            "технический директор", "технического директора"),
    "ceo": ("chief executive", "ceo", "首席执行官", "首席執行官", "执行长", "執行長",
            "генеральный директор", "гендиректор"),
    "staff": ("staff", "employee", "team", "staf", "karyawan", "tim", "сотрудник", "команд",
              "员工", "員工", "团队", "團隊"),
    "computer": ("comput", "superkomputer", "komputer", "компьютер", "суперкомпьютер", "计算机",
                 "計算機", "电脑", "電腦", "算力"),
    "meet": ("dinner", "lunch", "meeting", "makan malam", "bertemu", "pertemuan", "ужин", "обед",
             "встреч", "встрет", "晚餐", "晚宴", "午餐", "会面", "會面", "见面", "見面"),
    "work": ("work", "employ", "bekerja", "kerja", "работа", "работал", "трудил", "工作", "任职",
             "任職", "效力"),
    "raise": ("raise", "raising", "funding", "mengumpulkan", "menggalang", "pendanaan",
              "привлек", "привлёк", "собрал", "финансирован", "募集", "募资", "募資", "融资",
              "融資"),
    "report": ("report", "according to", "dilaporkan", "laporan", "menurut", "сообща", "по данным",
               "据报道", "據報導", "據報道", "据称", "據稱"),
    "stake": ("stake", "shares", "equity", "saham", "ekuitas", "доля", "долю", "доли", "акци",
              "股份", "股权", "股權"),
    "president": ("president", "presiden", "президент", "总裁", "總裁", "总统", "總統"),
    "scientist": ("scientist", "ilmuwan", "учён", "учен", "科学家", "科學家"),
    "system": ("system", "sistem", "систем", "系统", "系統"),
    "support": ("support", "back ", "mendukung", "dukungan", "поддерж", "支持", "扶持"),
    "focus": ("focus", "fokus", "concentrat", "сосредоточ", "专注", "專注", "聚焦"),
}  # fmt: skip

_CJK = re.compile(r"[\u3400-\u9fff]")


def _pattern(stems: tuple[str, ...]) -> re.Pattern[str]:
    """One regex per concept: Chinese stems anywhere, others at the start of a word."""
    cjk = [re.escape(x) for x in stems if _CJK.search(x)]
    words = [re.escape(x) for x in stems if not _CJK.search(x)]
    parts = []
    if words:  # "say$": the whole word only ("saya" is Indonesian for "I")
        words = [w[:-2] + r"(?![^\W_])" if w.endswith(r"\$") else w for w in words]
        parts.append(rf"(?<![^\W_])(?:{'|'.join(words)})")
    if cjk:
        parts.append("|".join(cjk))
    return re.compile("|".join(parts))


_PATTERNS = {concept: _pattern(stems) for concept, stems in CONCEPTS.items()}


@lru_cache(maxsize=512)
def concepts_in_question(question: str) -> frozenset[str]:
    lowered = question.lower()
    return frozenset(c for c, pattern in _PATTERNS.items() if pattern.search(lowered))


def concept_spans(concept: str, lowered_sentence: str) -> list[tuple[int, int]]:
    """Where the concept occurs in a lower-cased sentence (start, end)."""
    return [m.span() for m in _PATTERNS[concept].finditer(lowered_sentence)]


@lru_cache(maxsize=65536)
def has_concept(concept: str, lowered_sentence: str) -> bool:
    return _PATTERNS[concept].search(lowered_sentence) is not None
