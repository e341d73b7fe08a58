"""Word lists for realistic demo organisations and people of the Lombardy networks."""

CITIES = {
    "BG": ["Bergamo", "Treviglio", "Seriate", "Dalmine", "Romano di Lombardia", "Albino", "Caravaggio",
           "Lovere", "Clusone", "Zogno", "Ponte San Pietro", "Grumello del Monte", "Sarnico", "Calusco d'Adda"],
    "BS": ["Brescia", "Desenzano del Garda", "Montichiari", "Lumezzane", "Palazzolo sull'Oglio", "Rovato",
           "Chiari", "Gussago", "Ghedi", "Salò", "Iseo", "Manerbio", "Orzinuovi", "Leno"],
    "BRI": ["Monza", "Lecco", "Seregno", "Desio", "Lissone", "Cesano Maderno", "Vimercate", "Merate",
            "Limbiate", "Brugherio", "Carate Brianza", "Calolziocorte", "Arcore", "Casatenovo"],
    "INS": ["Varese", "Como", "Busto Arsizio", "Gallarate", "Saronno", "Cantù", "Erba", "Tradate", "Luino",
            "Olgiate Comasco", "Mariano Comense", "Malnate", "Castellanza", "Sesto Calende"],
    "MI": ["Milano", "Sesto San Giovanni", "Cinisello Balsamo", "Legnano", "Rho", "Lodi", "Cologno Monzese",
           "Paderno Dugnano", "Rozzano", "San Donato Milanese", "Abbiategrasso", "Codogno", "Magenta",
           "Corsico"],
    "MON": ["Sondrio", "Morbegno", "Tirano", "Chiavenna", "Bormio", "Livigno", "Breno", "Darfo Boario Terme",
            "Edolo", "Menaggio", "Dongo", "Porlezza", "Ponte di Legno", "Talamona"],
    "PV": ["Pavia", "Vigevano", "Voghera", "Mortara", "Stradella", "Broni", "Casteggio", "Garlasco",
           "Belgioioso", "Gambolò", "Siziano", "Certosa di Pavia", "Varzi", "Robbio"],
    "VP": ["Cremona", "Mantova", "Crema", "Casalmaggiore", "Suzzara", "Viadana", "Castiglione delle Stiviere",
           "Soresina", "Ostiglia", "Asola", "Porto Mantovano", "Pizzighettone", "Sabbioneta", "Goito"],
}

PROVINCES = {
    "BG": ["Bergamo"], "BS": ["Brescia"], "BRI": ["Monza e Brianza", "Lecco"], "INS": ["Varese", "Como"],
    "MI": ["Milano", "Lodi"], "MON": ["Sondrio", "Valle Camonica", "Alto Lario"], "PV": ["Pavia"],
    "VP": ["Cremona", "Mantova"],
}

SCHOOL_NAMES = ["Alessandro Manzoni", "Maria Montessori", "Don Lorenzo Milani", "Rita Levi-Montalcini",
                "Gianni Rodari", "Giuseppe Mazzini", "Leonardo da Vinci", "Enrico Fermi", "Cesare Beccaria",
                "Alessandro Volta", "Grazia Deledda", "Falcone e Borsellino", "Italo Calvino", "Ada Negri"]

NONPROFIT_WORDS = ["Il Girasole", "La Tenda", "Arcobaleno", "Il Sorriso", "Filo d'Arianna", "Progetto Famiglia",
                   "Spazio Aperto", "Il Ponte", "La Bottega dei Tempi", "Tempo Libero", "Il Melograno",
                   "La Rete", "Casa del Sole", "Il Cerchio", "Mano Amica", "Insieme", "Il Germoglio",
                   "La Lanterna", "Nuovi Orizzonti", "Il Seme", "Famiglie in Rete", "Il Faro", "Oltre il Giardino",
                   "L'Aquilone", "La Quercia", "Sottosopra", "Il Mosaico", "Tempi Nuovi", "La Clessidra",
                   "Il Pellicano", "Fuori Orario", "La Locomotiva", "Il Balzo", "Piccoli Passi", "Intrecci"]
NONPROFIT_FORMS = ["Cooperativa sociale", "Associazione", "Fondazione", "Consorzio di cooperative",
                   "Associazione di promozione sociale", "Organizzazione di volontariato"]

UNIONS = ["Camera del Lavoro CGIL", "CISL", "UIL", "UGL", "ACLI"]
EMPLOYERS = ["Confcommercio", "Confartigianato Imprese", "Confindustria", "Coldiretti", "CNA",
             "Confcooperative", "Legacoop", "API Associazione Piccole e Medie Industrie", "Confesercenti",
             "Compagnia delle Opere", "Confagricoltura"]

SURNAMES = ["Rossi", "Colombo", "Bianchi", "Ferrari", "Brambilla", "Galli", "Fumagalli", "Sala", "Villa",
            "Cattaneo", "Mariani", "Longhi", "Bonetti", "Pozzi", "Rinaldi", "Ferrario", "Barbieri", "Marchetti",
            "Bertoni", "Moretti", "Zanetti", "Pezzotta", "Ghilardi", "Gatti", "Locatelli", "Riva", "Crippa",
            "Mauri", "Pirola", "Frigerio", "Sangalli", "Vitali", "Bassi", "Testa", "Cremonesi", "Arrigoni",
            "Bonfanti", "Parolini", "Tagliabue", "Radaelli", "Ravasi", "Mapelli", "Zucchi", "Agostini",
            "Ferraris", "Caironi", "Gritti", "Beretta", "Lombardi", "Guerini"]
SECTORS = ["Meccanica", "Tessile", "Alimentare", "Logistica", "Packaging", "Arredamenti", "Plastiche",
           "Elettronica", "Costruzioni", "Servizi", "Automazione", "Cosmetici", "Carta", "Metalli",
           "Trasporti", "Farmaceutica", "Informatica", "Grafica"]
COMPANY_FORMS = {
    "grande_impresa": "S.p.A.", "media_impresa": "S.p.A.", "piccola_impresa": "S.r.l.",
    "micro_impresa": "s.n.c.",
}

FIRST_NAMES = ["Giulia", "Marco", "Laura", "Davide", "Sara", "Francesca", "Alessandro", "Chiara", "Luca",
               "Elena", "Paolo", "Silvia", "Andrea", "Valentina", "Matteo", "Federica", "Stefano", "Anna",
               "Giorgio", "Martina", "Roberto", "Paola", "Simone", "Alessia", "Fabio", "Elisa", "Massimo",
               "Cristina", "Daniele", "Monica", "Lorenzo", "Barbara", "Riccardo", "Serena", "Claudio",
               "Ilaria", "Michele", "Roberta", "Giovanni", "Manuela", "Emanuele", "Lucia", "Pietro",
               "Beatrice", "Nicola", "Daniela", "Tommaso", "Veronica", "Filippo", "Irene"]

JOB_TITLES = {
    "ente_pubblico": ["Assistente sociale", "Responsabile servizi sociali", "Funzionaria politiche familiari",
                      "Referente pari opportunità"],
    "ambito": ["Coordinatrice Ufficio di Piano", "Operatore di rete", "Responsabile area famiglia",
               "Agente di rete"],
    "istruzione": ["Dirigente scolastica", "Referente inclusione", "Docente referente orientamento"],
    "sindacato": ["Responsabile welfare contrattuale", "Operatrice sportello lavoratori"],
    "datoriale": ["Responsabile welfare aziendale", "Consulente servizi alle imprese"],
    "no_profit": ["Coordinatrice servizi educativi", "Educatore", "Responsabile progetti conciliazione",
                  "Operatrice caregiver"],
    "grande_impresa": ["HR manager", "Welfare manager", "Responsabile risorse umane"],
    "media_impresa": ["Responsabile del personale", "HR business partner"],
    "piccola_impresa": ["Titolare", "Responsabile amministrazione"],
    "micro_impresa": ["Titolare"],
}
