"""Test paragraphs written for these tests (not from any corpus): news-like text in six languages other than
English, and English that is hard for a language check (names, numbers, quotes, headlines, short texts)."""

FOREIGN = {
    "fr": "Le conseil municipal a annoncé mardi que les travaux sur le pont principal de la ville dureront au "
          "moins six mois. Selon le maire, la circulation sera détournée par les quartiers du nord pendant toute "
          "la période, et les habitants recevront une lettre avec les nouveaux horaires des bus. Plusieurs "
          "commerçants se sont inquiétés de la baisse de fréquentation qui pourrait en résulter.",
    "es": "El gobierno regional aprobó ayer un nuevo plan para reducir el consumo de agua durante el verano. "
          "Según los responsables, las restricciones afectarán sobre todo al riego de jardines y a las piscinas "
          "privadas, mientras que los hospitales y las escuelas quedarán exentos. Los agricultores de la zona "
          "han pedido ayudas económicas para compensar las pérdidas de la cosecha.",
    "de": "Die Stadtverwaltung hat am Montag bekannt gegeben, dass die neue Straßenbahnlinie erst im kommenden "
          "Frühjahr in Betrieb gehen wird. Grund für die Verzögerung seien Lieferprobleme bei den Schienen und "
          "ein Mangel an Fachkräften auf der Baustelle. Die Anwohner müssen sich deshalb noch einige Monate "
          "mit Umleitungen und Lärm abfinden, teilte ein Sprecher mit.",
    "pt": "A prefeitura anunciou nesta quarta-feira que as obras de ampliação do hospital municipal devem "
          "terminar até o fim do ano. De acordo com o secretário de saúde, a nova ala terá mais de cem leitos "
          "e um centro de atendimento para crianças. Os moradores do bairro reclamam do barulho e da poeira "
          "causados pelas máquinas durante a madrugada.",
    "it": "Il sindaco ha dichiarato ieri sera che la scuola elementare del quartiere sarà chiusa per tre "
          "settimane a causa dei lavori di ristrutturazione del tetto. Gli alunni saranno ospitati in un "
          "edificio vicino, mentre le famiglie potranno usufruire di un servizio di trasporto gratuito. "
          "Secondo i tecnici comunali, i danni sono stati provocati dalle forti piogge di ottobre.",
    "id": "Pemerintah kota mengumumkan pada hari Senin bahwa pembangunan jembatan baru di atas sungai akan "
          "selesai pada akhir tahun depan. Menurut kepala dinas pekerjaan umum, proyek ini akan mengurangi "
          "kemacetan di pusat kota dan mempercepat perjalanan warga dari desa sekitar. Sejumlah pedagang "
          "berharap jalan menuju pasar tradisional juga segera diperbaiki oleh pemerintah.",
}

ENGLISH = [
    # names and numbers, few function words
    "Jean-Pierre Dubois, Ana María López, Hans Müller and Giulia Rossi met Joko Widodo in Jakarta on 3 March "
    "2024; Dubois told Le Monde the deal was worth €4.2 billion, López said 1,200 jobs, Müller 350 and Rossi 75.",
    # a headline list with figures
    "Quake toll rises to 2,310 in Ankara, Gaziantep, Kahramanmaraş and Hatay; 14,500 injured, 6,000 buildings "
    "down, AFAD says; Erdoğan, Kılıçdaroğlu, Yavaş, İmamoğlu visit Malatya, Adıyaman, Osmaniye, Kilis",
    # a quote with a foreign phrase inside English reporting
    "\"C'est la vie,\" said the mayor of Lyon, Grégory Doucet, when asked about the 12% rise in rents. He added "
    "that the city would build 4,000 homes by 2027 and that the prefecture had approved the plan on Friday.",
    # very short texts
    "Officials said 40 people died.",
    "Paris, 5 May: 300 arrested.",
    "Fire at Notre-Dame: no casualties.",
    # ordinary news
    "The council said on Tuesday that at least 72 people had been killed in the fire and that the number was "
    "expected to rise as firefighters searched the upper floors of the tower, which had burned for more than "
    "24 hours. A spokesperson for the police told reporters the search could take weeks.",
]
