"""Short stories written for the answer model's tests (never in training or evaluation data):
each a handful of sentences about one invented event, in one language."""

STORY_EN = [
    "The city council of Northbridge voted on Tuesday to build a tram line along the river.",
    "The line will cost 240 million euros and is due to open in 2029.",
    "Mayor Ellen Park called the vote the most important decision of her term.",
    "Opponents argued that more buses would serve the eastern districts better.",
    "The council also approved a new public library in the old harbour warehouse.",
]
STORY_ID = [  # Indonesian: a ferry company and its new boats
    "Perusahaan feri Samudra Jaya membeli enam kapal baru dari galangan di Batam.",
    "Kapal-kapal itu akan melayani rute antara Surabaya dan Makassar mulai bulan Juni.",
    "Direktur utama perusahaan, Rina Hartono, mengatakan tiket tidak akan naik tahun ini.",
    "Serikat pekerja pelabuhan menyambut baik rencana tersebut.",
]
STORY_ES = [  # Spanish: a bakery chain closes shops
    "La cadena de panaderías Horno Dorado cerrará doce tiendas en Andalucía este verano.",
    "La empresa atribuye los cierres al aumento del precio de la harina y de la energía.",
    "Unos 140 trabajadores serán trasladados a otras tiendas de la cadena.",
    "Horno Dorado fue fundada en Sevilla en 1962 por los hermanos Ruiz.",
]
