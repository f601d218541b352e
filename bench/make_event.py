"""Write a synthetic but realistic event in the content format, for benchmarks and tests.

    python bench/make_event.py --talks 600 --rooms 8 --days 5 --attendees 2000 --seed 1 \\
        --out build/synthetic

writes `event.yaml`, `people.yaml`, `programme.yaml`, `abstracts/*.md` and `attendees.csv`
(referenced from event.yaml as `badges.attendees`) into the output folder. Every day has a
keynote, coffee breaks and a lunch across all rooms, and up to four blocks of parallel sessions
of about four talks of 20 to 30 minutes in the rooms (up to six 20-minute talks when the rooms
are full); there is an opening on the first day, a closing on the last, a welcome reception and
a conference dinner. Some talks have 2 to 4 speakers, some speakers give several talks, never
two at once. `--talks` counts the contributed talks; the keynotes (one a day) come on top.
Each block of talks in a room is a session of one of eight tracks (defined with their colours
in event.yaml), chaired by one or two people who are free at that time; the first day ends
with a poster session of numbered boards, before the reception.

Names come from many countries and scripts: speakers, who appear in the booklet, are written in
Latin (with diacritics), Greek or Cyrillic, which the booklet's fonts cover; some attendees on
the badge list are written in Arabic or Hebrew (bundled Noto fonts), and in Chinese or Japanese
with `--cjk` (drawn only where a system CJK font is installed, see booklet/fonts.py).
Titles and abstracts are assembled from word lists and sentence templates.

The same arguments always give byte-identical files. Only the standard library and PyYAML are
used, so the script runs without installing booklet. As a module:
`from bench.make_event import make_event; make_event(path, talks=40, seed=3)`.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import math
import random
import re
import sys
import textwrap
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import yaml

DEFAULT_START = dt.date(2027, 6, 7)  # a Monday
MAX_BLOCKS = 4  # session blocks a day; beyond that, sessions get more talks
TALKS_PER_SESSION = 4
# Up to six 20-minute talks a session: four blocks of two hours still end the day by 21:30.
MAX_TALKS_PER_SESSION = 6
ABSTRACT_WORDS = (80, 250)
POSTER_MINUTES = 60
# The tracks of TRACKS: (id, name, colour).
TRACK_NAMES = [
    ("compilers", "Compilers", "#1f5f9e"),
    ("languages", "Languages and types", "#2f7d4a"),
    ("verification", "Verification", "#7a1f3d"),
    ("systems", "Systems", "#8a5a14"),
    ("ml-systems", "Machine learning systems", "#6a3d9a"),
    ("security", "Security", "#b03a2e"),
    ("engineering", "Software engineering", "#2e6f73"),
    ("hpc", "High-performance computing", "#44546a"),
]
TITLE_WORDS = (3, 20)


def _split(text: str, sep: str = ",") -> list[str]:
    """'a, b, c' -> ['a', 'b', 'c']: keeps the word lists below compact."""
    return [unicodedata.normalize("NFC", part.strip()) for part in text.split(sep) if part.strip()]


# -- names --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Locale:
    """Names of one language or country: given names by gender, family names, affiliations.

    A family name written "Male|Female" has a feminine form (Polish, Czech, Greek, Russian,
    Icelandic patronymics...).
    """

    female: list[str]
    male: list[str]
    family: list[str]
    affiliations: list[str]
    second_given: float = 0.15  # how often a person has two given names
    given_joiner: str = " "
    second_family: float = 0.0  # Spanish and Portuguese double family names
    family_first: bool = False  # CJK names in their own script: family name, then given


def _locale(female: str, male: str, family: str, affiliations: str, **kw) -> Locale:
    return Locale(_split(female), _split(male), _split(family), _split(affiliations, ";"), **kw)


# Written in scripts the booklet fonts (Source Serif 4, Source Sans 3) cover.
SPEAKER_LOCALES: dict[str, tuple[int, Locale]] = {
    "en": (9, _locale(
        "Emily, Sarah, Jessica, Hannah, Abigail, Rachel, Megan",
        "Michael, David, Christopher, Matthew, Benjamin, Samuel, Nathan",
        "Johnson, Williams, Brown, Miller, Davis, Anderson, Thompson, Garcia, Whitfield",
        "Massachusetts Institute of Technology; Carnegie Mellon University; University of "
        "California, Berkeley; University of Illinois Urbana-Champaign; University of Washington;"
        " University of Toronto; Google; Microsoft Research; NVIDIA")),
    "ie": (2, _locale(
        "Siobhán, Aoife, Niamh, Róisín, Eimear, Catherine",
        "Seán, Oisín, Ciarán, Pádraig, Thomas, Oliver",
        "O'Brien, Ó Súilleabháin, McCarthy, Murphy, Walsh, Fitzgerald, Hughes, Evans",
        "Trinity College Dublin; University College Cork; University of Edinburgh; "
        "University of Cambridge; Imperial College London")),
    "fr": (6, _locale(
        "Hélène, Zoé, Anaïs, Cécile, Élodie, Maëlle, Noémie, Léa, Clémence, Solène",
        "François, Loïc, Jérôme, Noël, Théo, Grégoire, Benoît, Rémi, Hervé, Gaël",
        "Lefèvre, Béranger, Dupré, Lécuyer, Rivière, Mérieux, Chevalier, Giraud, Lemaître, "
        "Fontaine, Bérard, Duchêne",
        "Université Paris-Saclay; Inria; CNRS; École normale supérieure de Lyon; Université "
        "Grenoble Alpes; Laboratoire d'Informatique de Grenoble, Université Grenoble Alpes & "
        "CNRS; Université de Montréal; EPFL", given_joiner="-")),
    "de": (6, _locale(
        "Käthe, Lena, Anja, Jördis, Sünje, Ute, Friederike, Mareike, Birgit, Hanna",
        "Jürgen, Björn, Günther, Jörg, Maximilian, Lukas, Matthias, Florian, Henrik, Tobias",
        "Müller, Schäfer, Weiß, Groß, Böhm, Krüger, Hoffmann, Schröder, Köhler, Wüstenberg, "
        "von Hagen, Meißner",
        "Technische Universität München; Universität des Saarlandes; ETH Zürich; Karlsruher "
        "Institut für Technologie; Max-Planck-Institut für Softwaresysteme; Universität Wien; "
        "Technische Universität Dresden; Fraunhofer-Institut für Integrierte Schaltungen IIS")),
    "es": (5, _locale(
        "María, Lucía, Begoña, Sofía, Itziar, Nuria, Ainhoa, Pilar, Rocío, Ximena",
        "José, Iñaki, Ángel, Andrés, Joaquín, Sergio, Rubén, Álvaro, Íñigo, Raúl",
        "Núñez, Pérez, Ibáñez, Muñoz, Martínez, García, Fernández, Gutiérrez, Sáez, Domínguez, "
        "de la Fuente, Echeverría",
        "Universidad Politécnica de Madrid; Universitat Politècnica de Catalunya; Universidad "
        "de Granada; Barcelona Supercomputing Center; IMDEA Software Institute; Universidad de "
        "Chile; Universidad Nacional Autónoma de México", second_family=0.5)),
    "pt": (4, _locale(
        "Inês, Beatriz, Leonor, Conceição, Mariana, Luísa, Margarida, Joana, Carolina, Rita",
        "João, Gonçalo, Tomás, Sebastião, Rui, Vítor, Afonso, Duarte, Tiago, Martim",
        "Gonçalves, Magalhães, Araújo, Simões, Brandão, Guimarães, da Silva, dos Santos, "
        "Assunção, Ferreira, Lopes",
        "Universidade de Lisboa; Universidade do Porto; INESC-ID Lisboa; Universidade de "
        "Coimbra; Universidade de São Paulo; Universidade Federal de Minas Gerais; Universidade "
        "Nova de Lisboa", second_given=0.3, second_family=0.3)),
    "it": (4, _locale(
        "Chiara, Giulia, Lucia, Francesca, Benedetta, Ilaria",
        "Niccolò, Matteo, Andrea, Lorenzo, Pietro, Gianluca",
        "Esposito, Bianchi, De Luca, Ferrari, Galli, Mancini, D'Angelo, Rinaldi, Caruso, Lombardi",
        "Politecnico di Milano; Università di Pisa; Sapienza Università di Roma; Università degli "
        "Studi di Torino; Scuola Superiore Sant'Anna")),
    "nl": (3, _locale(
        "Anneke, Femke, Maartje, Sanne, Ilse, Mieke",
        "Pieter, Joost, Sjoerd, Bram, Daan, Gijs",
        "van der Berg, de Vries, Jansen, van Dijk, Bakker, Visser, van den Heuvel, Smit, de Groot, "
        "Verhoeven",
        "Technische Universiteit Delft; Universiteit van Amsterdam; Centrum Wiskunde & "
        "Informatica; Radboud Universiteit; KU Leuven; Universiteit Gent")),
    "nordic": (4, _locale(
        "Åsa, Ingrid, Sigrún, Þórunn, Karin, Signe, Astrid, Guðrún, Maja, Liv",
        "Søren, Øystein, Anders, Björn, Sigurður, Mikkel, Håkon, Jóhann, Niels, Lasse",
        "Ødegaard, Sørensen, Åberg, Lindqvist, Sigurðsson|Sigurðardóttir, Jóhannsson|Jóhannsdóttir"
        ", Halvorsen, Kjærgaard, Bergström, Nyström",
        "Aarhus Universitet; Norges teknisk-naturvitenskapelige universitet; Kungliga Tekniska "
        "högskolan; Háskóli Íslands; Chalmers tekniska högskola; Københavns Universitet; "
        "Aalto-yliopisto")),
    "pl": (3, _locale(
        "Małgorzata, Zofia, Agnieszka, Katarzyna, Józefa, Łucja, Grażyna, Wiktoria",
        "Łukasz, Wojciech, Paweł, Michał, Grzegorz, Jędrzej, Bartłomiej, Krzysztof",
        "Wiśniewski|Wiśniewska, Kowalczyk, Wójcik, Zieliński|Zielińska, Dąbrowski|Dąbrowska, "
        "Gołębiowski|Gołębiowska, Szymański|Szymańska, Król, Woźniak, Jabłoński|Jabłońska",
        "Uniwersytet Warszawski; Politechnika Wrocławska; AGH University of Kraków; Uniwersytet "
        "Jagielloński; Politechnika Gdańska")),
    "cs": (2, _locale(
        "Kateřina, Zuzana, Lucie, Tereza, Markéta, Šárka",
        "Jiří, Tomáš, Lukáš, Petr, Ondřej, Vojtěch",
        "Dvořák|Dvořáková, Novák|Nováková, Černý|Černá, Procházka|Procházková, Kučera|Kučerová, "
        "Horák|Horáková, Růžička|Růžičková, Svoboda|Svobodová",
        "Univerzita Karlova; České vysoké učení technické v Praze; Masarykova univerzita; "
        "Vysoké učení technické v Brně")),
    "hu": (2, _locale(
        "Zsófia, Réka, Anikó, Boglárka, Eszter, Tünde",
        "Ádám, Gergő, Bálint, Levente, Zoltán, Örs",
        "Szabó, Kovács, Tóth, Horváth, Varga, Lőrincz, Fülöp, Győri, Pásztor",
        "Eötvös Loránd Tudományegyetem; Budapesti Műszaki és Gazdaságtudományi Egyetem; Szegedi "
        "Tudományegyetem; HUN-REN SZTAKI")),
    "ro": (2, _locale(
        "Ioana, Bianca, Mădălina, Oana, Alexandra, Ștefania",
        "Ștefan, Răzvan, Andrei, Mihai, Tudor, Radu",
        "Popescu, Ionescu, Țurcanu, Dumitrescu, Stănescu, Mureșan, Constantinescu, Niță",
        "Universitatea Politehnica din București; Universitatea Babeș-Bolyai; Universitatea "
        "„Alexandru Ioan Cuza” din Iași")),
    "lt": (1, _locale(
        "Ieva, Rūta, Austėja, Gabija", "Mindaugas, Žygimantas, Linas, Tomas",
        "Kazlauskas|Kazlauskaitė, Šimkus|Šimkutė, Petrauskas|Petrauskaitė, Žukauskas|Žukauskaitė",
        "Vilniaus universitetas; Kauno technologijos universitetas")),
    "lv": (1, _locale(
        "Līga, Dace, Ilze, Zane", "Jānis, Kārlis, Andris, Edgars",
        "Bērziņš|Bērziņa, Kalniņš|Kalniņa, Ozols|Ozola, Liepiņš|Liepiņa",
        "Latvijas Universitāte; Rīgas Tehniskā universitāte")),
    "mt": (1, _locale(
        "Marija, Ġużeppina, Rita, Doris", "Ġorġ, Ċensu, Karmenu, Mattew",
        "Borġ, Camilleri, Żammit, Farrugia, Grech, Vella",
        "L-Università ta' Malta; MCAST")),
    "tr": (3, _locale(
        "Çağla, Şule, Özge, Ayşe, Gülşen, Elif, İrem, Büşra",
        "Gökhan, Barış, İbrahim, Emre, Uğur, Çağrı, Onur, Kerem",
        "Yılmaz, Şahin, Öztürk, Çelik, Doğan, Güneş, Aydın, Kılıç, Yıldız",
        "Boğaziçi Üniversitesi; Orta Doğu Teknik Üniversitesi; Koç University; Bilkent "
        "Üniversitesi; İstanbul Teknik Üniversitesi")),
    "vi": (2, _locale(
        "Thu Hương, Bảo Ngọc, Minh Thư, Quỳnh Anh, Thị Hồng, Ngọc Ánh",
        "Đức Anh, Minh Khôi, Thành Đạt, Quốc Bảo, Văn Hải, Hoàng Long",
        "Nguyễn, Trần, Lê, Phạm, Hoàng, Đặng, Vũ, Bùi, Đỗ, Huỳnh",
        "Đại học Bách khoa Hà Nội; VNU University of Engineering and Technology; Đại học Quốc "
        "gia Thành phố Hồ Chí Minh; FPT Software AI Center", second_given=0.0)),
    "el": (5, _locale(
        "Ελένη, Κατερίνα, Δήμητρα, Σοφία, Μαρία, Αικατερίνη, Βασιλική, Ιωάννα",
        "Γιώργος, Νίκος, Αλέξανδρος, Παναγιώτης, Δημήτρης, Κωνσταντίνος, Σπύρος, Θανάσης",
        "Παπαδόπουλος|Παπαδοπούλου, Γεωργίου, Νικολάου, Οικονόμου, Καραγιάννης|Καραγιάννη, "
        "Βασιλείου, Αντωνίου, Μαυρίδης|Μαυρίδου, Ζαχαρίου, Παπαναστασίου",
        "Εθνικό Μετσόβιο Πολυτεχνείο; Αριστοτέλειο Πανεπιστήμιο Θεσσαλονίκης; Πανεπιστήμιο "
        "Κρήτης; ITE-FORTH; National and Kapodistrian University of Athens", second_given=0.0)),
    "ru": (4, _locale(
        "Анна, Екатерина, Ольга, Юлия, Наталья, Мария, Ксения, Татьяна",
        "Дмитрий, Сергей, Алексей, Михаил, Иван, Николай, Андрей, Павел",
        "Иванов|Иванова, Смирнов|Смирнова, Кузнецов|Кузнецова, Попов|Попова, Соколов|Соколова, "
        "Лебедев|Лебедева, Волков|Волкова, Фёдоров|Фёдорова, Морозов|Морозова",
        "Московский государственный университет; Санкт-Петербургский государственный "
        "университет; Высшая школа экономики; ИСП РАН; JetBrains Research", second_given=0.0)),
    "uk": (3, _locale(
        "Ірина, Оксана, Наталія, Олена, Соломія, Ганна",
        "Олександр, Андрій, Юрій, Тарас, Богдан, Євген",
        "Шевченко, Коваленко, Бондаренко, Ткаченко, Мельник, Кравчук, Бойко, Грищенко, Литвиненко",
        "Київський політехнічний інститут; Національний університет «Львівська політехніка»; "
        "Харківський національний університет; Grammarly", second_given=0.0)),
    "sr": (2, _locale(
        "Јована, Љубица, Милица, Јелена, Невена, Тијана",
        "Милош, Драган, Ђорђе, Никола, Вук, Стефан",
        "Петровић, Јовановић, Николић, Ђорђевић, Стојановић, Марковић, Љубичић",
        "Универзитет у Београду; Универзитет у Новом Саду; Institut Mihajlo Pupin",
        second_given=0.0)),
    "bg": (1, _locale(
        "Десислава, Цветелина, Мария", "Георги, Христо, Калоян",
        "Димитров|Димитрова, Георгиев|Георгиева, Стоянов|Стоянова, Христов|Христова",
        "Софийски университет „Св. Климент Охридски“; INSAIT", second_given=0.0)),
    "ng": (2, _locale(
        "Chidimma, Ngozi, Folásadé, Adaeze, Ifeoma, Yetunde",
        "Chukwuemeka, Adébáyọ, Olúwatóbi, Ikenna, Babatunde, Obinna",
        "Okonkwo, Adéyẹmí, Eze, Okafor, Balógun, Nwosu, Ọlálékan",
        "University of Lagos; Obafemi Awolowo University; University of Nigeria, Nsukka; "
        "Andela")),
    "in": (5, _locale(
        "Priya, Ananya, Lakshmi, Kavya, Meera, Divya",
        "Arjun, Rohan, Siddharth, Vikram, Aditya, Karthik",
        "Raghavan, Iyer, Chatterjee, Venkataraman, Subramanian, Banerjee, Reddy, Deshpande, "
        "Krishnamurthy",
        "Indian Institute of Science; IIT Bombay; IIIT Hyderabad; Department of Computer "
        "Science and Engineering, Indian Institute of Technology Madras; TCS Research",
        second_given=0.0)),
    "zh": (6, _locale(
        "Xiaoyu, Yiqing, Mei, Jing, Wenjing, Ruoxi", "Wei, Zhiyuan, Hao, Jun, Yifan, Zihan",
        "Wang, Zhang, Liu, Chen, Yang, Zhao, Huang, Xu",
        "Tsinghua University; Peking University; Shanghai Jiao Tong University; The Chinese "
        "University of Hong Kong; Huawei Zurich Research Center", second_given=0.0)),
    "ja": (3, _locale(
        "Yūko, Haruka, Yui, Aoi, Sakura, Mayu", "Haruto, Kōji, Ryōta, Takumi, Yūki, Shōhei",
        "Tanaka, Satō, Suzuki, Takahashi, Itō, Watanabe, Kōno, Ōta",
        "The University of Tokyo; Kyoto University; Institute of Science Tokyo; RIKEN Center "
        "for Computational Science; Preferred Networks", second_given=0.0)),
    "ko": (3, _locale(
        "Seo-yeon, Ji-woo, Min-ji, Ha-eun, Soo-ah", "Min-jun, Ji-ho, Hyun-woo, Do-yoon, Seung-hoon",
        "Kim, Lee, Park, Choi, Jung, Kang, Yoon",
        "KAIST; Seoul National University; POSTECH; Samsung Advanced Institute of Technology",
        second_given=0.0)),
    "ar": (3, _locale(
        "Yasmine, Layla, Fatima, Nour, Amira, Salma", "Omar, Karim, Youssef, Hamza, Tarek, Mehdi",
        "El-Amrani, Haddad, Benali, Al-Khatib, Mansour, Bouzid, Khalil, Saleh",
        "Mohammed V University in Rabat; American University of Beirut; Cairo University; "
        "KAUST; Université des Sciences et de la Technologie Houari Boumediene",
        second_given=0.0)),
    "he": (2, _locale(
        "Noa, Yael, Tamar, Shira, Maya", "Itai, Amit, David, Yonatan, Eitan",
        "Cohen, Levi, Mizrahi, Friedman, Ben-David, Shapiro",
        "Technion – Israel Institute of Technology; Weizmann Institute of Science; Tel Aviv "
        "University; The Hebrew University of Jerusalem", second_given=0.0)),
}  # fmt: skip

# Only on badges: the bundled Noto fonts draw Arabic and Hebrew (booklet/fonts.py).
BADGE_LOCALES: dict[str, tuple[int, Locale]] = {
    "ar-script": (3, _locale(
        "ليلى, ياسمين, فاطمة, نور, سلمى, أميرة", "عمر, كريم, يوسف, حمزة, طارق, مهدي",
        "حداد, العمراني, الخطيب, منصور, خليل, صالح",
        "جامعة القاهرة; الجامعة الأمريكية في بيروت; جامعة محمد الخامس; KAUST",
        second_given=0.0)),
    "he-script": (2, _locale(
        "נועה, יעל, תמר, שירה, מאיה", "איתי, עמית, דוד, יונתן, איתן",
        "כהן, לוי, מזרחי, פרידמן, שפירא",
        "הטכניון; מכון ויצמן למדע; אוניברסיטת תל אביב; האוניברסיטה העברית בירושלים",
        second_given=0.0)),
}  # fmt: skip

# With --cjk only: these need a system CJK font, which not every machine has (Hangul is left
# out: the usual fallback, Droid Sans Fallback, lacks it).
CJK_LOCALES: dict[str, tuple[int, Locale]] = {
    "zh-script": (2, _locale("娜, 静, 敏, 雨涵", "伟, 磊, 洋, 子轩", "王, 李, 张, 刘, 陈",
                             "清华大学; 北京大学; 浙江大学", second_given=0.0, family_first=True)),
    "ja-script": (1, _locale("花子, 結衣, 陽菜", "翔太, 陽翔, 蓮", "佐藤, 鈴木, 高橋, 田中",
                             "東京大学; 京都大学", second_given=0.0, family_first=True)),
}  # fmt: skip

INDUSTRY = _split(
    "Google DeepMind; Microsoft Research; IBM Research Europe – Zürich; Huawei Paris Research "
    "Center; Nokia Bell Labs; Arm Ltd.; Siemens AG; Red Hat; Mozilla; Intel Labs; AMD; SAP SE; "
    "Ericsson Research; Independent researcher",
    ";",
)
PARTICLES = ("de la ", "van der ", "van den ", "van ", "von ", "de ", "da ", "dos ")

# Letters NFKD does not reduce to ASCII, and Greek and Cyrillic, for readable ids and slugs.
_TRANSLITERATE = str.maketrans(
    {"ß": "ss", "æ": "ae", "ø": "o", "œ": "oe", "ł": "l", "đ": "d", "þ": "th", "ð": "d",
     "ı": "i", "ħ": "h",
     "α": "a", "β": "v", "γ": "g", "δ": "d", "ε": "e", "ζ": "z", "η": "i", "θ": "th", "ι": "i",
     "κ": "k", "λ": "l", "μ": "m", "ν": "n", "ξ": "x", "ο": "o", "π": "p", "ρ": "r", "σ": "s",
     "ς": "s", "τ": "t", "υ": "y", "φ": "f", "χ": "ch", "ψ": "ps", "ω": "o",
     "а": "a", "б": "b", "в": "v", "г": "g", "ґ": "g", "д": "d", "ђ": "dj", "е": "e", "є": "ye",
     "ж": "zh", "з": "z", "и": "i", "і": "i", "ј": "j", "к": "k", "л": "l", "љ": "lj", "м": "m",
     "н": "n", "њ": "nj", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "ћ": "c", "у": "u",
     "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "џ": "dz", "ш": "sh", "щ": "shch", "ъ": "",
     "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya"}
)  # fmt: skip


def slugify(text: str, max_length: int = 60) -> str:
    """'Ελένη Παπαδοπούλου' -> 'eleni-papadopoulou': lowercase ASCII words joined by '-'."""
    text = unicodedata.normalize("NFKD", text.lower())
    text = "".join(c for c in text if not unicodedata.combining(c)).translate(_TRANSLITERATE)
    slug = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    if len(slug) > max_length:
        slug = slug[:max_length].rsplit("-", 1)[0]
    return slug


@dataclass
class Person:
    id: str
    name: str
    sort_name: str
    affiliation: str | None
    role: str = "speaker"
    locale: str = "en"
    female: bool = False


class NameMaker:
    """Draws people with names unique across the event (so badges are never listed twice)."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.used_names: set[str] = set()
        self.used_ids: set[str] = set()

    def person(
        self,
        locales: dict[str, tuple[int, Locale]],
        role: str = "speaker",
        like: Person | None = None,
    ) -> Person:
        """A new person; `like` gives a colleague: same locale and, often, affiliation."""
        rng = self.rng
        if like is not None and like.locale in locales:
            key = like.locale
        else:
            keys = list(locales)
            key = rng.choices(keys, weights=[locales[k][0] for k in keys])[0]
        loc = locales[key][1]
        for attempt in range(200):
            given, family, female = self._parts(loc, extra=attempt >= 100)
            name = family + given if loc.family_first else f"{given} {family}"
            if name.casefold() not in self.used_names:
                break
        self.used_names.add(name.casefold())
        sort_name = _sort_name(given, family)
        if like is not None and like.affiliation and rng.random() < 0.6:
            affiliation: str | None = like.affiliation
        else:
            affiliation = self.affiliation(loc)
        pid, n = slugify(name) or f"person-{len(self.used_ids) + 1}", 2
        base = pid
        while pid in self.used_ids:
            pid, n = f"{base}-{n}", n + 1
        self.used_ids.add(pid)
        return Person(pid, name, sort_name, affiliation, role, key, female)

    def affiliation(self, loc: Locale) -> str | None:
        roll = self.rng.random()
        if roll < 0.03:
            return None
        if roll < 0.2:
            return self.rng.choice(INDUSTRY)
        return self.rng.choice(loc.affiliations)

    def _parts(self, loc: Locale, extra: bool) -> tuple[str, str, bool]:
        rng = self.rng
        female = rng.random() < 0.5
        given = rng.choice(loc.female if female else loc.male)
        if rng.random() < loc.second_given or extra:
            other = rng.choice(loc.female if female else loc.male)
            if other != given:
                given += loc.given_joiner + other
        if extra:  # the lists are exhausted for this locale: a middle initial makes it unique
            given += f" {rng.choice('ABCDEFGHIJKLMNOPRSTVW')}."
        family = _gendered(rng.choice(loc.family), female)
        if rng.random() < loc.second_family:
            other = _gendered(rng.choice(loc.family), female)
            if other != family and not other.startswith(PARTICLES):
                family = f"{family} {other}"
        return given, family, female


def _gendered(family: str, female: bool) -> str:
    male_form, _, female_form = family.partition("|")
    return female_form if female and female_form else male_form


def _sort_name(given: str, family: str) -> str:
    """'Family, Given' for the index; lowercase particles go after the given name."""
    for particle in PARTICLES:
        if family.startswith(particle):
            return f"{family[len(particle) :]}, {given} {particle.strip()}"
    return f"{family}, {given}"


# -- titles and abstracts -----------------------------------------------------------------


@dataclass(frozen=True)
class Track:
    topics: list[str]
    artifacts: list[str]


TRACKS = [
    Track(
        _split("loop tiling, polyhedral scheduling, register allocation, vectorisation, tensor "
               "compilation, intermediate representations, just-in-time compilation, link-time "
               "optimisation, instruction selection"),
        _split("optimising compilers, MLIR dialects, domain-specific languages, code generators, "
               "GPU kernels, compiler pipelines"),
    ),
    Track(
        _split("type inference, effect handlers, gradual typing, ownership types, refinement "
               "types, pattern matching, macro systems, incremental computation"),
        _split("functional programs, Rust libraries, language runtimes, type checkers, "
               "interpreters, notebook environments"),
    ),
    Track(
        _split("separation logic, model checking, SMT solving, proof repair, symbolic execution, "
               "abstract interpretation, refinement proofs"),
        _split("verified compilers, concurrent data structures, smart contracts, operating system "
               "kernels, cryptographic libraries"),
    ),
    Track(
        _split("memory disaggregation, persistent memory, kernel bypass, thread scheduling, "
               "garbage collection, serverless cold starts, energy accounting"),
        _split("distributed storage systems, virtual machines, container runtimes, network "
               "stacks, key-value stores"),
    ),
    Track(
        _split("mixed-precision training, model quantisation, pipeline parallelism, sparse "
               "attention, kernel fusion, autotuning, federated learning"),
        _split("large language models, inference servers, recommendation models, edge "
               "accelerators, training clusters"),
    ),
    Track(
        _split("side-channel analysis, fuzzing, memory tagging, control-flow integrity, "
               "sandboxing, constant-time programming"),
        _split("browser engines, firmware images, trusted execution environments, package "
               "registries, WebAssembly runtimes"),
    ),
    Track(
        _split("regression testing, program repair, code review, continuous integration, "
               "dependency management, mutation testing"),
        _split("open-source projects, build systems, scientific software, legacy codebases, "
               "microservice architectures"),
    ),
    Track(
        _split("stencil computations, checkpointing, collective communication, load balancing, "
               "mixed-precision solvers, performance portability"),
        _split("climate models, sparse linear solvers, exascale applications, molecular dynamics "
               "codes, particle simulations"),
    ),
]  # fmt: skip

PROPERTIES = _split(
    "performance, memory safety, energy efficiency, portability, scalability, predictability, "
    "correctness, tail latency, reproducibility, maintainability"
)
METRICS = _split(
    "end-to-end latency, throughput, peak memory usage, energy consumption, compile time, "
    "code size, developer effort, the false-positive rate"
)
ADJECTIVES = _split(
    "scalable, verified, incremental, portable, adaptive, lightweight, compositional, "
    "principled, practical, automatic, modular, robust, sound, efficient, explainable"
)
METHODS = _split(
    "equality saturation, reinforcement learning, integer linear programming, program "
    "synthesis, profile-guided heuristics, Bayesian optimisation, static analysis, dynamic "
    "instrumentation, staged compilation, e-graphs, differential testing, constraint solving"
)
DOMAINS = _split(
    "embedded systems, scientific computing, cloud services, mobile devices, autonomous "
    "vehicles, genomics pipelines, financial services, robotics, edge devices, data centres, "
    "high-energy physics"
)
BENCHMARKS = _split(
    "SPEC CPU 2017; PolyBench; the NAS Parallel Benchmarks; MLPerf Inference; the TPC-C "
    "workload; the Renaissance suite; a corpus of 1,200 open-source packages; the DaCapo suite; "
    "Rodinia",
    ";",
)
BASELINES = _split(
    "the state of the art, LLVM at -O3, hand-tuned vendor libraries, the previous release, "
    "existing tools, expert-written schedules"
)
SYSTEMS = _split(
    "Tessera, Kestrel, Marrow, Quill, Halyard, Lumen, Cinder, Fathom, Osprey, Tamarind, Wren, "
    "Basalt, Larch, Meridian, Sable, Juniper, Corvid, Ptarmigan, Gannet, Sorrel, Vireo, Alder"
)

TITLES = [
    "{System}: {adj} {topic} for {artifact}",
    "towards {adj} {topic}",
    "{topic} in practice",
    "on the {property} of {artifact}",
    "{method} for {topic}",
    "{adj} {topic} with {method}",
    "scaling {topic} to {artifact}",
    "what can {method} tell us about {artifact}?",
    "lessons learned from a decade of {topic} in {domain}",
    "{System}: making {artifact} {adj} by construction",
    "rethinking {topic} for {domain}",
    "{topic} considered harmful?",
    "a case for {adj} {artifact}",
    "{topic} meets {topic2}",
    "{System}: {topic} and {topic2} for {domain}",
]
LONG_TITLES = [
    "{System}: a {adj}, {adj2} and {adj3} framework for {topic} and {topic2} in {artifact} "
    "for {domain}, with an application to {domain2}",
    "bridging the gap between {topic} and {topic2}: an empirical study of {artifact} in "
    "{domain} over ten years",
    "from {topic} to {topic2} and back again: what we learned while building {adj} {artifact} "
    "for {domain}",
]
KEYNOTE_TITLES = [
    "the next twenty years of {topic}",
    "why {property} matters more than ever",
    "{artifact} we can trust",
    "what {domain} taught me about {topic}",
]
SMALL_WORDS = frozenset(
    _split("a, an, and, as, at, but, by, for, from, in, into, of, on, or, over, the, to, via, with")
)

CONTEXT = [
    "{Artifact} are increasingly deployed in {domain}, where {property} is a first-class concern.",
    "Over the last decade, {topic} has become a central technique for building {artifact}.",
    "Many {artifact} still depend on {topic}, yet its behaviour in {domain} is poorly understood.",
    "{Topic} promises large gains in {property}, but applying it to {artifact} remains difficult "
    "in practice.",
    "Engineers who build {artifact} for {domain} face a recurring tension between {property} and "
    "{property2}.",
    "The growing diversity of hardware has made {topic} both more important and considerably "
    "harder to get right.",
    "Research on {topic} has produced impressive prototypes, but few of them have made their way "
    "into {artifact} used in {domain}.",
    "Modern {artifact} are assembled from many independently developed components, each with its "
    "own assumptions about {property}.",
]
PROBLEM = [
    "Existing approaches either require extensive manual annotation or trade {property} for "
    "{property2}.",
    "Current tools treat {topic} as a black box, which makes their decisions hard to explain and "
    "even harder to reproduce.",
    "In our experience, the main obstacle is not the algorithm itself but the lack of a shared "
    "representation between {artifact} and the people who maintain them.",
    "Unfortunately, most heuristics in use today were tuned for hardware that is more than ten "
    "years old.",
    "As a result, developers spend a large share of their time working around the limitations "
    "of {artifact} instead of improving them.",
    "Worse, small changes to the input can cause large and unpredictable changes in {metric}.",
    "These problems are usually addressed case by case, and the resulting fixes rarely compose.",
    "Measuring progress is itself difficult, because published results are seldom comparable "
    "across {artifact2}.",
]
APPROACH = [
    "In this talk, we present {System}, a {adj} framework that combines {topic} with {method}.",
    "We introduce {System}, which formulates {topic} as a search problem solved with {method} "
    "over a compact intermediate representation.",
    "Our key insight is that {topic} can be decomposed into small, independent decisions, each "
    "of which is cheap to check.",
    "{System} is implemented as a set of reusable components on top of an existing toolchain "
    "and requires no changes to the programs it analyses.",
    "We describe the design of {System} and the trade-offs we made to keep it {adj} as well as "
    "{adj2}.",
    "The approach relies on {method} to explore the space of candidate transformations and on "
    "{method2} to prune it.",
    "A lightweight cost model guides the search and can be recalibrated for new hardware in a "
    "matter of minutes.",
    "Unlike previous work, {System} keeps a precise record of every decision, so that its "
    "results can be audited and replayed.",
    "We also show how the same ideas carry over to {artifact2} and to {domain2}.",
]
EVALUATION = [
    "On {benchmark}, {System} improves {metric} by {pct}% on average compared with {baseline}.",
    "Our evaluation on {benchmark} shows a median speedup of {speedup}× over {baseline}, with no "
    "loss of {property}.",
    "Across {count} real-world programs, it reduces {metric} by up to {pct}% while keeping "
    "{metric2} within {small}% of {baseline}.",
    "A user study with {people} participants suggests that the resulting {artifact} are easier "
    "to understand and to maintain.",
    "Along the way, we found and reported {bugs} previously unknown bugs, {fixed} of which have "
    "since been fixed upstream.",
    "The analysis scales to programs of several million lines and finishes in under {small} "
    "minutes on a laptop.",
]
CONCLUSION = [
    "We conclude with open problems and invite the community to build on our open-source "
    "implementation.",
    "The talk ends with lessons learned from two years of running {System} in production.",
    "These results suggest that {topic} deserves a place in the standard toolbox of anyone "
    "building {artifact}.",
    "We believe that this line of work opens the door to {adj} {artifact} for {domain}.",
    "All artefacts, including the benchmarks and the analysis scripts, are publicly available.",
    "We close by discussing what remains to be done before such techniques can be used "
    "routinely in {domain}.",
]

SECTIONS = {
    "context": CONTEXT,
    "problem": PROBLEM,
    "approach": APPROACH,
    "evaluation": EVALUATION,
    "conclusion": CONCLUSION,
}
# Sentences that can stand first in their section ("Worse, ..." cannot); the approach opens
# with one of its two introductions of the system.
OPENERS = {
    "context": range(len(CONTEXT)),
    "problem": range(5),
    "approach": range(2),
    "evaluation": range(2),
    "conclusion": range(len(CONCLUSION)),
}


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _articles(text: str) -> str:
    """'a adaptive' -> 'an adaptive' (no template puts 'a' before a word starting with 'u')."""
    return re.sub(r"\b([Aa]) (?=[*]?[aeioAEIO])", r"\1n ", text)


def _title_case(text: str) -> str:
    words = text.split(" ")
    out = []
    for i, word in enumerate(words):
        small = word in SMALL_WORDS and i and not out[-1].endswith(":")
        out.append(word if small else _cap(word))
    return " ".join(out)


class Writer:
    """Titles and abstracts from the word lists, drawn with one random generator."""

    def __init__(self, rng: random.Random):
        self.rng = rng

    def fields(self, track: Track) -> dict[str, str]:
        rng = self.rng
        other = rng.choice(TRACKS)
        topic, topic2 = rng.sample(track.topics, 2)
        artifact, artifact2 = rng.choice(track.artifacts), rng.choice(other.artifacts)
        prop, prop2 = rng.sample(PROPERTIES, 2)
        metric, metric2 = rng.sample(METRICS, 2)
        method, method2 = rng.sample(METHODS, 2)
        domain, domain2 = rng.sample(DOMAINS, 2)
        adj, adj2, adj3 = rng.sample(ADJECTIVES, 3)
        bugs = rng.randint(9, 140)
        return {
            "topic": topic, "topic2": topic2, "Topic": _cap(topic),
            "artifact": artifact, "artifact2": artifact2, "Artifact": _cap(artifact),
            "property": prop, "property2": prop2, "metric": metric, "metric2": metric2,
            "method": method, "method2": method2, "domain": domain, "domain2": domain2,
            "adj": adj, "adj2": adj2, "adj3": adj3, "System": rng.choice(SYSTEMS),
            "benchmark": rng.choice(BENCHMARKS), "baseline": rng.choice(BASELINES),
            "pct": str(rng.randint(8, 63)), "speedup": f"{rng.uniform(1.2, 4.8):.1f}",
            "count": str(rng.randint(12, 480)), "small": str(rng.randint(2, 9)),
            "people": str(rng.randint(12, 40)), "bugs": str(bugs),
            "fixed": str(rng.randint(bugs // 3, bugs - 1)),
        }  # fmt: skip

    def title(self, f: dict[str, str], keynote: bool = False) -> str:
        rng = self.rng
        for _ in range(20):
            if keynote:
                template = rng.choice(KEYNOTE_TITLES)
            elif rng.random() < 0.05:  # a few very long titles, as real programmes have
                template = rng.choice(LONG_TITLES)
            else:
                template = rng.choice(TITLES)
            text = _articles(template.format(**f))
            text = _title_case(text) if rng.random() < 0.6 else _cap(text)
            if TITLE_WORDS[0] <= len(text.split()) <= TITLE_WORDS[1]:
                return text
        return _cap(f"{f['topic']} for {f['artifact']}")

    def abstract(self, f: dict[str, str], keynote: bool = False) -> str:
        """Markdown paragraphs of 80 to 250 words (counted as whitespace-separated words)."""
        rng = self.rng
        f = dict(f)
        if rng.random() < 0.3:  # some authors set their system's name in italics
            f["System"] = f"*{f['System']}*"
        low, high = ABSTRACT_WORDS
        target = rng.randint(low, high)
        # (template index, sentence): sentences are printed in template order, which is the
        # order of an argument (the system is introduced before it is evaluated).
        left = {
            name: [(i, self._sentence(t, f, keynote)) for i, t in enumerate(pool)]
            for name, pool in SECTIONS.items()
        }
        chosen: dict[str, list[tuple[int, str]]] = {}
        for name, openers in OPENERS.items():
            pick = rng.choice(openers)
            chosen[name] = [left[name][pick]]
            left[name] = [s for s in left[name] if s[0] != pick]
        # The other introduction of the system would repeat it.
        left["approach"] = [s for s in left["approach"] if s[0] >= len(OPENERS["approach"])]
        words = sum(len(s.split()) for sentences in chosen.values() for _, s in sentences)
        # Then sentences for the middle sections until the target is reached: those that fit
        # first, then (if still under the minimum) any that keep the abstract under the maximum.
        extras = [(n, s) for n in ("problem", "approach", "evaluation") for s in left[n]]
        rng.shuffle(extras)
        for limit in (target, high):
            for name, sentence in list(extras):
                if limit == high and words >= low:
                    break
                if words + len(sentence[1].split()) <= limit:
                    chosen[name].append(sentence)
                    words += len(sentence[1].split())
                    extras.remove((name, sentence))

        def text(*names: str) -> str:
            return " ".join(s for name in names for _, s in sorted(chosen[name]))

        paragraphs = [text("context", "problem"), text("approach", "evaluation")]
        if rng.random() < 0.5:  # the conclusion often closes the second paragraph
            paragraphs[1] += " " + text("conclusion")
        else:
            paragraphs.append(text("conclusion"))
        return "\n\n".join(_wrap(p) for p in paragraphs)

    def _sentence(self, template: str, f: dict[str, str], keynote: bool) -> str:
        text = _cap(_articles(template.format(**f)))
        if keynote:
            text = text.replace("this talk", "this keynote").replace("The talk", "The keynote")
        return text


def _wrap(text: str, width: int = 88) -> str:
    # No breaks at hyphens, so no line can start with '-' and turn into a Markdown list.
    return textwrap.fill(text, width, break_on_hyphens=False, break_long_words=False)


def word_count(text: str) -> int:
    """The words of an abstract, as the generator counts them."""
    return len(text.split())


# -- the event ----------------------------------------------------------------------------

CITIES = [
    ("Lisbon", "Europe/Lisbon", "Centro de Congressos de Lisboa", "Praça das Indústrias 1, Lisboa"),
    ("Thessaloniki", "Europe/Athens", "Thessaloniki Concert Hall", "25is Martiou 1, Thessaloniki"),
    ("Kraków", "Europe/Warsaw", "ICE Kraków Congress Centre", "ul. Marii Konopnickiej 17, Kraków"),
    ("Valencia", "Europe/Madrid", "Palau de Congressos", "Avinguda de les Corts Valencianes 60"),
    ("Trondheim", "Europe/Oslo", "Trondheim Spektrum", "Klostergata 90, Trondheim"),
    ("Ljubljana", "Europe/Ljubljana", "Cankarjev dom", "Prešernova cesta 10, Ljubljana"),
    ("Montréal", "America/Toronto", "Palais des congrès", "1001 Place Jean-Paul-Riopelle"),
    ("Reykjavík", "Atlantic/Reykjavik", "Harpa", "Austurbakki 2, Reykjavík"),
]
CONFERENCES = [
    ("European Conference on Programming Systems", "ECPS"),
    ("International Symposium on Compilers, Runtimes and Tools", "CRT"),
    ("Conference on Verified and Efficient Software", "VESS"),
    ("Joint Meeting on Systems, Languages and Machine Learning", "SysLaML"),
]
ROOM_NAMES = _split(
    "Grand Auditorium; Ada Lovelace Room; Alan Turing Room; Grace Hopper Room; Emmy Noether "
    "Room; Sofia Kovalevskaya Room; Srinivasa Ramanujan Room; Maryam Mirzakhani Room; Kurt Gödel "
    "Room; Évariste Galois Room; Hypatia Room; Katherine Johnson Room",
    ";",
)
EXTRAS = _split(
    "vegetarian; vegan; gluten-free; halal; kosher; no lactose; workshop day only; student; "
    "needs step-free access; arrives on day 2; remote presenter; T-shirt size M; T-shirt size XL",
    ";",
)
STAFF_TASKS = _split("registration desk; audio-visual support; session rooms; catering; press", ";")
PRONOUNS = {True: ("she/her", "she/her", "she/they"), False: ("he/him", "he/him", "he/they")}


@dataclass
class Item:
    day: int
    start: int  # minutes after midnight
    end: int | None
    kind: str
    title: str
    room: str | None = None  # room id; None spans every room
    speakers: list[str] = field(default_factory=list)
    abstract: str | None = None
    abstract_file: str | None = None  # relative path; else the abstract is inline
    links: list[tuple[str, str]] = field(default_factory=list)
    track: Track | None = None
    board: str | None = None


@dataclass
class Session:
    day: int
    start: int
    end: int
    room: str
    title: str
    items: list[Item]
    track: int | None = None  # index in TRACKS
    chairs: list[str] = field(default_factory=list)


@dataclass
class Summary:
    """What `make_event` wrote, for tests and benchmarks."""

    talks: int
    keynotes: int
    rooms_used: int
    days: int
    speakers: int
    attendees: int
    files: list[str]
    sessions: int = 0
    posters: int = 0


class Generator:
    def __init__(
        self,
        talks: int,
        rooms: int,
        days: int,
        attendees: int,
        seed: int,
        start: dt.date,
        cjk: bool,
        quirks: bool = False,
    ):
        if talks < 1 or rooms < 1 or days < 1 or attendees < 0:
            raise ValueError("need at least one talk, room and day, and no negative attendees")
        most = rooms * days * MAX_BLOCKS * MAX_TALKS_PER_SESSION
        if talks > most:
            raise ValueError(
                f"at most {most} talks fit in {rooms} rooms over {days} days; add rooms or days"
            )
        self.n_talks, self.n_rooms, self.n_days = talks, rooms, days
        self.n_attendees, self.seed, self.start, self.cjk = attendees, seed, start, cjk
        self.quirks = quirks
        self.rng = random.Random(seed)
        self.names = NameMaker(self.rng)
        self.writer = Writer(self.rng)
        self.people: list[Person] = []
        self.items: list[Item] = []
        self.busy: dict[str, list[tuple[int, int, int]]] = {}  # person -> (day, start, end)
        self.talk_count: dict[str, int] = {}
        self.sessions: list[Session] = []

    # -- the frame --------------------------------------------------------------------------
    def event_frame(self) -> None:
        rng = self.rng
        self.city, self.timezone, self.venue, self.address = rng.choice(CITIES)
        name, acronym = rng.choice(CONFERENCES)
        self.year = self.start.year
        self.title = f"{name} {self.year}"
        self.acronym = f"{acronym} {self.year}"
        self.edition = rng.randint(3, 31)
        self.rooms = []
        for i in range(self.n_rooms):
            room = ROOM_NAMES[i] if i < len(ROOM_NAMES) else f"Room {i + 1}"
            capacity = rng.randrange(400, 1201, 50) if i == 0 else rng.randrange(40, 260, 10)
            self.rooms.append(
                {
                    "id": slugify(room.removesuffix(" Room")),
                    "name": room,
                    "capacity": capacity,
                    "floor": str(i // 4),
                    "building": "AB"[i % 2],
                }
            )
        n_org = min(6, 3 + self.n_attendees // 500)
        self.organizers = [self.new_person("organizer") for _ in range(n_org)]

    def new_person(self, role: str = "speaker", like: Person | None = None) -> Person:
        person = self.names.person(SPEAKER_LOCALES, role, like)
        self.people.append(person)
        return person

    # -- the schedule -----------------------------------------------------------------------
    def session_sizes(self) -> list[int]:
        cells = self.n_days * self.n_rooms * MAX_BLOCKS
        # At least one session a room when there are enough talks, so that every room is used.
        wanted = max(math.ceil(self.n_talks / TALKS_PER_SESSION), min(self.n_rooms, self.n_talks))
        n = min(wanted, cells)
        sizes = [self.n_talks // n + (1 if i < self.n_talks % n else 0) for i in range(n)]
        for _ in range(n // 3):  # some sessions of 3 and 5 talks, as real programmes have
            i, j = self.rng.randrange(n), self.rng.randrange(n)
            if i != j and sizes[i] > 3 and sizes[j] < 5:
                sizes[i], sizes[j] = sizes[i] - 1, sizes[j] + 1
        return sizes

    def schedule(self) -> None:
        rng = self.rng
        sizes = self.session_sizes()
        n = len(sizes)
        per_day = [n // self.n_days + (d < n % self.n_days) for d in range(self.n_days)]
        rng.shuffle(per_day)
        offset = 0  # rooms rotate, so that small events still use every room
        for day, quota in enumerate(per_day):
            # Fewest blocks that fit the rooms, but sessions before and after lunch when there
            # are two or more: a day of one block would be over by noon.
            n_blocks = max(math.ceil(quota / self.n_rooms), min(quota, 2))
            blocks = []
            for b in range(n_blocks):
                count = quota // n_blocks + (b < quota % n_blocks)
                rooms = sorted((offset + i) % self.n_rooms for i in range(count))
                offset = (offset + count) % self.n_rooms
                sessions = []
                for room in rooms:
                    size = sizes.pop()
                    # Talks are shorter in longer sessions, so that a block stays under 2 h.
                    lengths = (20,) if size >= 5 else (20, 25, 25) if size == 4 else (20, 25, 30)
                    minutes = rng.choice(lengths)
                    sessions.append((room, size, minutes))
                blocks.append(sessions)
            self.day(day, blocks)

    def day(self, day: int, blocks: list[list[tuple[int, int, int]]]) -> None:
        """One day's items: keynote, blocks of sessions, breaks and lunch between them."""
        rng = self.rng
        t = 9 * 60 if len(blocks) <= 3 else 8 * 60 + 30
        if not blocks:
            t = 11 * 60  # keynote only: lunch follows it
        if day == 0:
            self.plenary(day, t, 15, "other", "Opening and welcome", self.organizers[:2])
            t += 15
        keynote_speaker = self.new_person()
        self.plenary(day, t, 60, "keynote", None, [keynote_speaker])
        t += 60
        lengths = [max(size * minutes for _, size, minutes in b) for b in blocks]
        # Lunch goes to the pause (after the keynote or after a block, the last one included)
        # nearest to 12:30, timed as if every pause were a 30-minute coffee break.
        pauses = [t + sum(30 + n for n in lengths[:i]) for i in range(len(blocks) + 1)]
        lunch = min(range(len(pauses)), key=lambda i: abs(pauses[i] - 12 * 60 - 30))
        lunch_minutes = rng.choice((60, 75, 90))
        for i in range(len(blocks) + 1):
            if i == lunch:
                self.plenary(day, t, lunch_minutes, "meal", "Lunch")
                t += lunch_minutes
            elif i < len(blocks):
                self.plenary(day, t, 30, "break", "Coffee break")
                t += 30
            if i < len(blocks):
                for room, size, minutes in blocks[i]:
                    index = (room + i) % len(TRACKS)
                    track = TRACKS[index]
                    room_id = self.rooms[room]["id"]
                    talks = []
                    for k in range(size):
                        start = t + k * minutes
                        talks.append(
                            Item(day, start, start + minutes, "talk", "", room_id, track=track)
                        )
                    self.items.extend(talks)
                    span = (day, t, t + size * minutes)
                    self.sessions.append(Session(*span, room_id, "", talks, track=index))
                t += lengths[i]
        if day == self.n_days - 1:
            closers = [self.organizers[0], self.organizers[-1]]  # there are at least three
            self.plenary(day, t, 30, "other", "Closing remarks and best paper awards", closers)
            t += 30
        if day == 0:
            # The posters hang in the last room; their authors are drawn once talks have theirs.
            room_id = self.rooms[-1]["id"]
            self.sessions.append(Session(day, t, t + POSTER_MINUTES, room_id, "Poster session", []))
            t += POSTER_MINUTES
            start = _quarter(max(t + 30, 18 * 60))
            self.items.append(Item(day, start, None, "social", "Welcome reception"))
        if day == self.n_days // 2 and self.n_days > 1:
            start = _quarter(max(t + 60, 19 * 60 + 30))
            if start + 60 <= 23 * 60 + 45:
                end = min(start + 180, 23 * 60 + 45)
                self.items.append(Item(day, start, end, "social", "Conference dinner"))

    def plenary(
        self,
        day: int,
        start: int,
        minutes: int,
        kind: str,
        title: str | None,
        speakers: tuple[Person, ...] | list[Person] = (),
    ) -> None:
        """An item across all rooms; a keynote gets its title and abstract here."""
        item = Item(day, start, start + minutes, kind, title or "", None, [p.id for p in speakers])
        for p in speakers:
            self.book(p.id, item)
        if kind == "keynote":
            f = self.writer.fields(self.rng.choice(TRACKS))
            item.title = self.writer.title(f, keynote=True)
            item.abstract = self.writer.abstract(f, keynote=True)
        self.items.append(item)

    def add_quirks(self) -> None:
        """What real programmes have and a tidy one does not: on each day, an open-ended
        item at the very start of a session in its room (a chair's opening words), a talk
        overlapping the one before it in the same room, and an open-ended evening event.
        Drawn from a generator of their own, so that the rest of the event stays as it is
        without them. Overlapping talks are warned about by `booklet check`."""
        rng = random.Random(f"quirks-{self.seed}")
        for day in range(self.n_days):
            talks = [i for i in self.items if i.day == day and i.kind == "talk"]
            if not talks:
                continue
            first = min(talks, key=lambda i: (i.start, i.room or ""))
            chair = rng.choice(self.organizers)
            opening = Item(day, first.start, None, "other", "Words from the chair", first.room)
            opening.speakers = [chair.id]
            self.items.append(opening)
            talk = rng.choice(talks)
            start = talk.start + 10
            self.items.append(
                Item(day, start, start + (talk.end or start) - talk.start, "talk", "", talk.room,
                     track=talk.track)
            )  # fmt: skip
            last = max((i.end or i.start) for i in self.items if i.day == day)
            self.items.append(
                Item(day, _quarter(last + 45), None, "social", "Posters and drinks in the foyer")
            )

    # -- speakers, titles, abstracts --------------------------------------------------------
    def is_free(self, pid: str, item: Item) -> bool:
        return all(
            day != item.day or not (start < item.end and item.start < end)
            for day, start, end in self.busy.get(pid, ())
        )

    def book(self, pid: str, item: Item) -> None:
        self.busy.setdefault(pid, []).append((item.day, item.start, item.end or item.start))
        if item.kind in ("talk", "keynote"):
            self.talk_count[pid] = self.talk_count.get(pid, 0) + 1

    def fill_talks(self) -> None:
        rng = self.rng
        talks = [i for i in self.items if i.kind == "talk"]
        talks.sort(key=lambda i: (i.day, i.start, i.room))
        pool: list[Person] = []  # everyone who gave a contributed talk so far
        have_group = have_repeat = False
        for n, talk in enumerate(talks):
            count = rng.choices((1, 2, 3, 4), weights=(74, 17, 6, 3))[0]
            if not have_group and (n == len(talks) - 1 or rng.random() < 0.3):
                count = max(count, 2)  # the checks need at least one talk of several speakers
            chosen: list[Person] = []
            for seat in range(count):
                person = None
                wants_repeat = not have_repeat and seat == 0 and n > 0
                if pool and (wants_repeat or rng.random() < (0.12 if seat == 0 else 0.06)):
                    person = self.free_speaker(pool, talk, chosen)
                if person is None:
                    like = chosen[0] if chosen and rng.random() < 0.5 else None
                    person = self.new_person(like=like)
                    pool.append(person)
                chosen.append(person)
                self.book(person.id, talk)
                have_repeat = have_repeat or self.talk_count[person.id] > 1
            have_group = have_group or len(chosen) > 1
            talk.speakers = [p.id for p in chosen]
            f = self.writer.fields(talk.track)
            talk.title = self.writer.title(f)
            talk.abstract = self.writer.abstract(f)
            if rng.random() < 0.25:
                slides = f"{slugify(self.acronym)}/slides/{slugify(talk.title, 40)}.pdf"
                talk.links.append(("Slides", f"https://example.org/{slides}"))
            if rng.random() < 0.1:
                talk.links.append(("Paper", f"https://doi.org/10.5555/{rng.randint(10**6, 10**7)}"))

    def free_speaker(self, pool: list[Person], talk: Item, chosen: list[Person]) -> Person | None:
        """Someone who already speaks, is free at that time and has fewer than four talks."""
        for _ in range(12):
            person = self.rng.choice(pool)
            if (
                person not in chosen
                and self.talk_count.get(person.id, 0) < 4
                and self.is_free(person.id, talk)
            ):
                return person
        return None

    # -- attendees --------------------------------------------------------------------------
    def attendee_rows(self) -> list[list[str]]:
        """name, affiliation, role, pronouns, extra: about 5% speakers, organizers, staff."""
        rng = self.rng
        total = self.n_attendees
        speakers = [p for p in self.people if p.role == "speaker"]
        n_speakers = min(len(speakers), round(total * 0.03))
        n_organizers = min(len(self.organizers), round(total * 0.01), total - n_speakers)
        n_staff = min(round(total * 0.01), total - n_speakers - n_organizers)
        locales = dict(SPEAKER_LOCALES) | BADGE_LOCALES | (CJK_LOCALES if self.cjk else {})
        rows = []

        def row(person: Person, role: str, extra: str = "") -> list[str]:
            pronouns = ""
            if rng.random() < 0.3:
                pronouns = rng.choice(PRONOUNS[person.female] + ("they/them",))
            if not extra and rng.random() < 0.25:
                extra = rng.choice(EXTRAS)
            return [person.name, person.affiliation or "", role, pronouns, extra]

        for person in rng.sample(speakers, n_speakers):
            rows.append(row(person, "speaker"))
        for person in self.organizers[:n_organizers]:
            rows.append(row(person, "organizer"))
        for _ in range(n_staff):
            person = self.names.person(locales, "staff")
            person.affiliation = f"{self.acronym} local team"
            rows.append(row(person, "staff", rng.choice(STAFF_TASKS)))
        while len(rows) < total:
            rows.append(row(self.names.person(locales, "attendee"), "attendee"))
        rng.shuffle(rows)  # registration order
        return rows

    # -- everything -------------------------------------------------------------------------
    def generate(self) -> dict[str, str]:
        self.event_frame()
        self.schedule()
        if self.quirks:
            self.add_quirks()
        self.fill_talks()
        rows = self.attendee_rows() if self.n_attendees else []
        self.assign_abstract_files()
        # Last, so that everything above draws the same numbers as an event without them.
        self.name_sessions()
        self.add_posters()
        self.assign_chairs()
        files = {
            "event.yaml": self.render_event(bool(rows)),
            "people.yaml": self.render_people(),
            "programme.yaml": self.render_programme(),
        }
        for item in self.items:
            if item.abstract_file:
                files[item.abstract_file] = item.abstract + "\n"
        if rows:
            files["attendees.csv"] = _csv(rows)
        self.summary = Summary(
            talks=sum(i.kind == "talk" for i in self.items),
            keynotes=sum(i.kind == "keynote" for i in self.items),
            rooms_used=len({i.room for i in self.items if i.room}),
            days=self.n_days,
            speakers=len(self.talk_count),
            attendees=len(rows),
            files=sorted(files),
            sessions=len(self.sessions),
            posters=sum(i.kind == "poster" for i in self.items),
        )
        return files

    # -- sessions, chairs, posters ----------------------------------------------------------
    def name_sessions(self) -> None:
        """ "Compilers 1", "Compilers 2", ... numbered by track in programme order."""
        count: dict[int, int] = {}
        order = sorted(self.sessions, key=lambda s: (s.day, s.start, s.room))
        for session in order:
            if session.track is not None:
                count[session.track] = count.get(session.track, 0) + 1
                session.title = f"{TRACK_NAMES[session.track][1]} {count[session.track]}"

    def add_posters(self) -> None:
        """The poster session's posters: one to three authors each, mostly new people."""
        rng = self.rng
        (posters,) = [s for s in self.sessions if s.track is None]
        n = min(40, max(4, self.n_talks // 15))
        family = {p.id: slugify(p.sort_name.split(",", 1)[0], 20) for p in self.people}
        used = {i.abstract_file for i in self.items if i.abstract_file}
        for board in range(1, n + 1):
            track = rng.choice(TRACKS)
            item = Item(posters.day, posters.start, posters.end, "poster", "", posters.room)
            item.board, item.track = str(board), track
            authors: list[Person] = []
            for _ in range(rng.choices((1, 2, 3), weights=(50, 35, 15))[0]):
                like = authors[0] if authors and rng.random() < 0.5 else None
                person = self.new_person(like=like)
                family[person.id] = slugify(person.sort_name.split(",", 1)[0], 20)
                authors.append(person)
                self.book(person.id, item)
            item.speakers = [p.id for p in authors]
            f = self.writer.fields(track)
            item.title = self.writer.title(f)
            item.abstract = self.writer.abstract(f)
            base = f"{family[item.speakers[0]]}-poster-{slugify(item.title, 40)}"
            name, k = base, 2
            while f"abstracts/{name}.md" in used:
                name, k = f"{base}-{k}", k + 1
            item.abstract_file = f"abstracts/{name}.md"
            used.add(item.abstract_file)
            posters.items.append(item)
            self.items.append(item)

    def assign_chairs(self) -> None:
        """One chair a session (two for one in eight): a speaker or an organizer who is free
        then, chairing at most two sessions; a new person when nobody is."""
        rng = self.rng
        speakers = [p for p in self.people if self.talk_count.get(p.id)]
        candidates = speakers + self.organizers
        chaired: dict[str, int] = {}
        for session in sorted(self.sessions, key=lambda s: (s.day, s.start, s.room)):
            span = Item(session.day, session.start, session.end, "other", "")
            for _ in range(2 if rng.random() < 0.125 else 1):
                person = None
                for _ in range(20):
                    pick = rng.choice(candidates)
                    if (
                        pick.id not in session.chairs
                        and chaired.get(pick.id, 0) < 2
                        and self.is_free(pick.id, span)
                    ):
                        person = pick
                        break
                if person is None:
                    person = self.new_person()
                chaired[person.id] = chaired.get(person.id, 0) + 1
                self.book(person.id, span)
                session.chairs.append(person.id)

    def assign_abstract_files(self) -> None:
        """Most abstracts go to abstracts/<family>-<title>.md, a quarter stay inline."""
        family = {p.id: slugify(p.sort_name.split(",", 1)[0], 20) for p in self.people}
        used: set[str] = set()
        for item in self.items:
            if item.abstract is None or (item.kind == "talk" and self.rng.random() < 0.25):
                continue
            base = "-".join(
                part for part in (family.get(item.speakers[0], ""), slugify(item.title, 40)) if part
            )
            name, n = base, 2
            while name in used:
                name, n = f"{base}-{n}", n + 1
            used.add(name)
            item.abstract_file = f"abstracts/{name}.md"

    # -- rendering --------------------------------------------------------------------------
    def header(self) -> list[str]:
        return [
            f"# Synthetic event written by bench/make_event.py (--talks {self.n_talks} --rooms "
            f"{self.n_rooms} --days {self.n_days}",
            f"# --attendees {self.n_attendees} --seed {self.seed}"
            f"{' --quirks' if self.quirks else ''}). Names, titles and abstracts "
            "are invented.",
        ]

    def render_event(self, with_attendees: bool) -> str:
        acronym = slugify(self.acronym)
        lines = self.header() + [
            "",
            f"title: {_scalar(self.title)}",
            f"subtitle: {_scalar(f'{_ordinal(self.edition)} edition')}",
            f"city: {_scalar(self.city)}",
            f"timezone: {self.timezone}",
            "language: en",
            f"website: https://example.org/{acronym}",
            f"organizers: [{', '.join(_scalar(p.name) for p in self.organizers)}]",
            "funding: Supported by the (fictional) Foundation for Open Research Infrastructure.",
            "venues:",
            "  - id: venue",
            f"    name: {_scalar(self.venue)}",
            f"    address: {_scalar(self.address)}",
            "rooms:",
        ]
        for room in self.rooms:
            lines.append(f"  - id: {room['id']}")
            lines.append(f"    name: {_scalar(room['name'])}")
            lines.append(f"    capacity: {room['capacity']}")
            lines.append(f'    floor: "{room["floor"]}"')
            lines.append(f"    building: {room['building']}")
        lines.append("tracks:")
        for tid, name, colour in TRACK_NAMES:
            lines.append(f'  - {{id: {tid}, name: {_scalar(name)}, colour: "{colour}"}}')
        info = [
            ("Venue", f"All sessions take place at **{self.venue}**, {self.address}. Keynotes "
                      "are in the first room and streamed to every other room."),
            ("Wi-Fi", f"Network `{acronym}`; the password is on the back of your badge."),
            ("Meals", "Coffee breaks, lunches and the reception are included. Tell the "
                      "registration desk about dietary requirements on arrival."),
            ("Code of conduct", "Be kind and considerate. To report a problem, talk to anyone "
                                "with a *staff* or *organizer* badge."),
        ]  # fmt: skip
        lines.append("info:")
        for title, body in info:
            lines.append(f"  - title: {_scalar(title)}")
            lines.append("    body: |")
            lines.extend(_block(_wrap(body), 6))
        if with_attendees:
            lines += ["badges:", "  attendees: attendees.csv"]
        return "\n".join(lines) + "\n"

    def render_people(self) -> str:
        lines = self.header() + ["people:"]
        for p in self.people:
            lines.append(f"  - id: {p.id}")
            lines.append(f"    name: {_scalar(p.name)}")
            lines.append(f"    sort_name: {_scalar(p.sort_name)}")
            if p.affiliation:
                lines.append(f"    affiliation: {_scalar(p.affiliation)}")
            lines.append(f"    role: {p.role}")
        return "\n".join(lines) + "\n"

    def render_programme(self) -> str:
        room_order = {r["id"]: i for i, r in enumerate(self.rooms)}
        lines = self.header() + ["days:"]
        for day in range(self.n_days):
            date = self.start + dt.timedelta(days=day)
            lines.append(f"  - date: {date.isoformat()}")
            lines.append(f'    title: "Day {day + 1}"')
            lines += ["    venue: venue", "    items:"]
            in_session = {id(i): s for s in self.sessions for i in s.items}
            sessions = [s for s in self.sessions if s.day == day]
            entries: list[tuple[tuple[int, int], object]] = [
                ((i.start, room_order.get(i.room, -1)), i)
                for i in self.items
                if i.day == day and id(i) not in in_session
            ]
            entries += [((s.start, room_order.get(s.room, -1)), s) for s in sessions]
            entries.sort(key=lambda e: e[0])
            for _, entry in entries:
                if isinstance(entry, Session):
                    lines.extend(self.render_session(entry))
                else:
                    lines.extend(self.render_item(entry))
        return "\n".join(lines) + "\n"

    def render_session(self, session: Session) -> list[str]:
        out = ["      - session:", f"          title: {_scalar(session.title)}"]
        out.append(f"          chairs: [{', '.join(session.chairs)}]")
        if session.track is not None:
            out.append(f"          track: {TRACK_NAMES[session.track][0]}")
        out.append(f"          room: {session.room}")
        if session.track is None:  # the poster session: its span is not its talks'
            out.append(f'          start: "{_hhmm(session.start)}"')
            out.append(f'          end: "{_hhmm(session.end)}"')
        out.append("          items:")
        for item in session.items:
            lines = self.render_item(item, in_session=True)
            out.extend("      " + line for line in lines)
        return out

    def render_item(self, item: Item, in_session: bool = False) -> list[str]:
        out = [f'      - start: "{_hhmm(item.start)}"']
        if item.end is not None:
            out.append(f'        end: "{_hhmm(item.end)}"')
        out.append(f"        kind: {item.kind}")
        out.append(f"        title: {_scalar(item.title)}")
        if item.speakers:
            out.append(f"        speakers: [{', '.join(item.speakers)}]")
        if item.board is not None:
            out.append(f'        board: "{item.board}"')
        if item.room and not in_session:
            out.append(f"        room: {item.room}")
        if item.track is not None and item.kind == "poster":
            out.append(f"        track: {TRACK_NAMES[TRACKS.index(item.track)][0]}")
        if item.abstract_file:
            out.append(f"        abstract_file: {item.abstract_file}")
        elif item.abstract:
            out.append("        abstract: |")
            out.extend(_block(item.abstract, 10))
        if item.links:
            out.append("        links:")
            for title, url in item.links:
                out.append(f'          - {{title: {title}, url: "{url}"}}')
        return out


def _scalar(value: object) -> str:
    """One YAML scalar on one line, quoted only when YAML needs it."""
    text = yaml.safe_dump(value, allow_unicode=True, default_flow_style=True, width=math.inf)
    return text.removesuffix("\n").removesuffix("\n...").strip()


def _block(text: str, indent: int) -> list[str]:
    """The lines of a YAML literal block (`|`) holding `text`; blank lines stay empty."""
    return [" " * indent + line if line else "" for line in text.split("\n")]


def _csv(rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["name", "affiliation", "role", "pronouns", "extra"])
    writer.writerows(rows)
    return buffer.getvalue()


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _quarter(minutes: int) -> int:
    return -(-minutes // 15) * 15


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


# -- entry points -------------------------------------------------------------------------


def render_event(
    *,
    talks: int = 150,
    rooms: int = 4,
    days: int = 3,
    attendees: int = 400,
    seed: int = 1,
    start: dt.date = DEFAULT_START,
    cjk: bool = False,
    quirks: bool = False,
) -> tuple[dict[str, str], Summary]:
    """The event's files (relative path -> text) and their summary; writes nothing.
    `quirks` adds open-ended and overlapping items (see `Generator.add_quirks`)."""
    generator = Generator(talks, rooms, days, attendees, seed, start, cjk, quirks)
    files = generator.generate()
    return files, generator.summary


def make_event(out_dir: Path | str, *, force: bool = False, **options) -> Summary:
    """Write the event into `out_dir`; refuse to replace existing files unless `force`.

    Files of the folder that this event does not write (say, abstracts of another seed) are
    left alone; they do no harm, as nothing refers to them.
    """
    out_dir = Path(out_dir)
    files, summary = render_event(**options)
    existing = [name for name in files if (out_dir / name).exists()]
    if existing and not force:
        raise FileExistsError(f"{out_dir} already holds {existing[0]} (use --force to replace)")
    for name, text in files.items():
        path = out_dir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))  # bytes: no newline translation anywhere
    return summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Write a synthetic event (content files and attendees.csv)."
    )
    parser.add_argument("--talks", type=int, default=150, help="contributed talks (default 150)")
    parser.add_argument("--rooms", type=int, default=4, help="parallel rooms (default 4)")
    parser.add_argument("--days", type=int, default=3, help="days (default 3)")
    parser.add_argument("--attendees", type=int, default=400, help="badge list (default 400)")
    parser.add_argument("--seed", type=int, default=1, help="same seed, same files (default 1)")
    parser.add_argument(
        "--start", type=dt.date.fromisoformat, default=DEFAULT_START, help="first day, YYYY-MM-DD"
    )
    parser.add_argument("--cjk", action="store_true", help="some attendees in CJK scripts")
    parser.add_argument(
        "--quirks",
        action="store_true",
        help="add open-ended items and talks that overlap in a room (check warns about them)",
    )
    parser.add_argument("--force", action="store_true", help="replace existing files")
    parser.add_argument("--out", type=Path, required=True, help="content folder to write")
    args = parser.parse_args(argv)
    try:
        summary = make_event(
            args.out, force=args.force, talks=args.talks, rooms=args.rooms, days=args.days,
            attendees=args.attendees, seed=args.seed, start=args.start, cjk=args.cjk,
            quirks=args.quirks,
        )  # fmt: skip
    except (ValueError, FileExistsError) as exc:
        parser.error(str(exc))
    print(
        f"wrote {len(summary.files)} files to {args.out}: {summary.talks} talks and "
        f"{summary.keynotes} keynotes in {summary.rooms_used} rooms over {summary.days} days, "
        f"{summary.speakers} speakers, {summary.attendees} attendees; {summary.sessions} "
        f"sessions, {summary.posters} posters"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
