"""Short and long texts in 18 languages, written for the language tests (not from any corpus).

Each language has a short text (a question or a headline of a few words, the hard case)
and a long one (a news paragraph)."""

from __future__ import annotations

TABLE: dict[str, tuple[str, str]] = {
    "en": (
        "When does the new bridge open?",
        "The new bridge over the river will open to traffic next month, the city said on "
        "Tuesday. Construction took four years and cost more than planned. Cyclists will "
        "get a separate lane on both sides.",
    ),
    "zh-Hans": (
        "新大桥什么时候通车？",
        "市政府周二表示，横跨河流的新大桥将于下个月通车。工程历时四年，造价高于原计划。"
        "大桥两侧都将设有独立的自行车道，方便市民骑行上下班。",
    ),
    "zh-Hant": (
        "新大橋什麼時候通車？",
        "市政府週二表示，橫跨河流的新大橋將於下個月通車。工程歷時四年，造價高於原計畫。"
        "大橋兩側都將設有獨立的自行車道，方便市民騎車上下班。",
    ),
    "ja": (
        "新しい橋はいつ開通しますか？",
        "市は火曜日、川に架かる新しい橋が来月開通すると発表した。工事には四年かかり、"
        "費用は計画を上回った。橋の両側には自転車専用レーンが設けられる。",
    ),
    "ko": (
        "새 다리는 언제 개통하나요?",
        "시는 화요일 강을 가로지르는 새 다리가 다음 달 개통한다고 밝혔다. 공사는 4년이 "
        "걸렸고 비용은 계획보다 많이 들었다. 다리 양쪽에는 자전거 전용 차로가 생긴다.",
    ),
    "ru": (
        "Когда откроют новый мост?",
        "Новый мост через реку откроют для движения в следующем месяце, сообщили в мэрии "
        "во вторник. Строительство заняло четыре года и обошлось дороже, чем планировалось. "
        "С обеих сторон моста появятся отдельные велодорожки.",
    ),
    "uk": (
        "Коли відкриють новий міст?",
        "Новий міст через річку відкриють для руху наступного місяця, повідомили в міській "
        "раді у вівторок. Будівництво тривало чотири роки й коштувало більше, ніж "
        "планували. З обох боків мосту з'являться окремі велодоріжки.",
    ),
    "id": (
        "Kapan jembatan baru itu dibuka?",
        "Jembatan baru yang melintasi sungai akan dibuka untuk lalu lintas bulan depan, kata "
        "pemerintah kota pada hari Selasa. Pembangunannya memakan waktu empat tahun dan "
        "biayanya lebih besar dari rencana. Pesepeda akan mendapat jalur khusus di kedua sisi.",
    ),
    "de": (
        "Wann wird die neue Brücke eröffnet?",
        "Die neue Brücke über den Fluss wird nächsten Monat für den Verkehr freigegeben, "
        "teilte die Stadt am Dienstag mit. Der Bau dauerte vier Jahre und war teurer als "
        "geplant. Radfahrer bekommen auf beiden Seiten eine eigene Spur.",
    ),
    "fr": (
        "Quand le nouveau pont ouvrira-t-il ?",
        "Le nouveau pont sur le fleuve ouvrira à la circulation le mois prochain, a annoncé "
        "la ville mardi. Les travaux ont duré quatre ans et ont coûté plus cher que prévu. "
        "Les cyclistes auront une voie réservée des deux côtés.",
    ),
    "es": (
        "¿Cuándo se abrirá el nuevo puente?",
        "El nuevo puente sobre el río se abrirá al tráfico el próximo mes, informó el "
        "ayuntamiento el martes. Las obras duraron cuatro años y costaron más de lo previsto. "
        "Los ciclistas tendrán un carril propio en ambos lados.",
    ),
    "pt": (
        "Quando a nova ponte vai abrir?",
        "A nova ponte sobre o rio será aberta ao trânsito no próximo mês, informou a "
        "prefeitura na terça-feira. As obras levaram quatro anos e custaram mais do que o "
        "previsto. Os ciclistas terão uma faixa exclusiva dos dois lados.",
    ),
    "it": (
        "Quando aprirà il nuovo ponte?",
        "Il nuovo ponte sul fiume sarà aperto al traffico il mese prossimo, ha comunicato il "
        "comune martedì. I lavori sono durati quattro anni e sono costati più del previsto. "
        "I ciclisti avranno una corsia riservata su entrambi i lati.",
    ),
    "ar": (
        "متى سيفتتح الجسر الجديد؟",
        "أعلنت البلدية يوم الثلاثاء أن الجسر الجديد فوق النهر سيفتح أمام حركة المرور الشهر "
        "المقبل. واستغرق البناء أربع سنوات وتجاوزت تكلفته ما كان مخططا له. وسيحصل راكبو "
        "الدراجات على مسار خاص على الجانبين.",
    ),
    "hi": (
        "नया पुल कब खुलेगा?",
        "नगर निगम ने मंगलवार को बताया कि नदी पर बना नया पुल अगले महीने यातायात के लिए खोल "
        "दिया जाएगा। निर्माण में चार साल लगे और लागत योजना से अधिक रही। पुल के दोनों ओर "
        "साइकिल सवारों के लिए अलग लेन होगी।",
    ),
    "vi": (
        "Khi nào cây cầu mới thông xe?",
        "Chính quyền thành phố cho biết hôm thứ Ba rằng cây cầu mới bắc qua sông sẽ thông "
        "xe vào tháng tới. Việc xây dựng kéo dài bốn năm và tốn kém hơn dự kiến. Người đi "
        "xe đạp sẽ có làn đường riêng ở cả hai bên cầu.",
    ),
    "tr": (
        "Yeni köprü ne zaman açılacak?",
        "Belediye salı günü yaptığı açıklamada, nehir üzerindeki yeni köprünün gelecek ay "
        "trafiğe açılacağını bildirdi. İnşaat dört yıl sürdü ve planlanandan daha pahalıya "
        "mal oldu. Bisikletliler köprünün iki yanında ayrı bir şeride sahip olacak.",
    ),
    "pl": (
        "Kiedy zostanie otwarty nowy most?",
        "Nowy most na rzece zostanie otwarty dla ruchu w przyszłym miesiącu, poinformowały "
        "we wtorek władze miasta. Budowa trwała cztery lata i kosztowała więcej, niż "
        "planowano. Rowerzyści dostaną osobny pas po obu stronach mostu.",
    ),
}

# Harder short texts: headlines in kanji without kana, names, mixed scripts.
EXTRA: list[tuple[str, str]] = [
    ("東京都知事選、現職が三選", "ja"),
    ("大阪駅前再開発計画発表", "ja"),
    ("OpenAIのCEOが来日", "ja"),
    ("ソフトバンク、新型AIサーバーを発表", "ja"),
    ("北京市政府发布新规", "zh-Hans"),
    ("台北市長宣布新政策", "zh-Hant"),
    ("삼성전자, 새 반도체 공장 착공", "ko"),
    ("서울시 대중교통 요금 인상", "ko"),
    ("Ông ấy rời công ty khi nào?", "vi"),
    ("Kto wygrał wybory?", "pl"),
    ("Neden istifa etti?", "tr"),
    ("Perché si è dimesso?", "it"),
    ("Хто переміг на виборах?", "uk"),
    ("Кто победил на выборах?", "ru"),
    ("Wer hat die Wahl gewonnen?", "de"),
    ("Qui a gagné les élections ?", "fr"),
    ("¿Quién ganó las elecciones?", "es"),
    ("Quem ganhou as eleições?", "pt"),
    ("Siapa yang memenangkan pemilu?", "id"),
    ("من فاز في الانتخابات؟", "ar"),
    ("चुनाव किसने जीता?", "hi"),
    ("Who won the election?", "en"),
]
