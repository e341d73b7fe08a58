"""Demo good practices, written through the feature's services.

34 records of conciliation services across the 8 ATS and the 9 areas of intervention, in the
spaces of the Alleanze and of the ATS. Each goes through the real workflow (create, submit,
validate, publish, archive) by members of its space and the ATS coordinator, so versions,
reviews, counters and the search index are the ones the pages would write. Some records
deliberately overlap (same ATS, area and target in different Alleanze, sharing a municipality):
the library's "similar practices" and overlap views have something to find. A few published
records are adopted by other Alleanze.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from cop.auth.models import User
from cop.extensions import db
from cop.network.models import Alleanza, Ats, Organisation, organisation_alleanze
from cop.practices import services
from cop.practices.models import Practice
from cop.reference.models import InterventionArea
from cop.spaces import services as space_services
from cop.spaces.models import Membership, Space, SpaceKind, SpaceRole

DEMO_CAPOFILA = "capofila@cop.example"


@dataclass(frozen=True)
class Area:
    """What practices of one area of intervention have in common (texts, results, partners)."""

    lead_types: tuple[str, ...]
    partner_types: tuple[str, ...]
    partner_roles: tuple[str, ...]
    activities: str
    difficulties: str
    lessons: str
    transferability: str
    indicators: tuple[tuple[str, str], ...]  # (name, unit); the first counts who was reached
    staff: str
    funding: str


AREAS = {
    "pre_post_scuola": Area(
        ("ente_pubblico", "ambito"), ("istruzione", "no_profit"),
        ("gestione educativa del servizio", "spazi e raccordo con i docenti",
         "volontari per l'accompagnamento"),
        "- **Rilevazione del bisogno** con un questionario alle famiglie a maggio\n"
        "- Apertura dei plessi **dalle 7.30** e **fino alle 18.00**, con educatori della "
        "cooperativa\n- Settimane di **centro estivo** nei periodi di chiusura scolastica "
        "(giugno-luglio, fine agosto)\n- Tariffe a **fasce ISEE**, esenzione per le famiglie "
        "segnalate dai servizi sociali\n- Incontro di verifica con genitori e dirigenti a fine "
        "anno",
        "Trovare educatori per poche ore al giorno; i trasporti tra plessi; la rendicontazione "
        "delle presenze a più finanziatori.",
        "Le **fasce ISEE** già usate per la mensa evitano un regolamento nuovo. Coinvolgere i "
        "dirigenti scolastici dalla programmazione di maggio fa trovare spazi e orari.",
        "Replicabile in ogni Comune con un plesso e una cooperativa educativa: servono una "
        "convenzione Comune-scuola-gestore e un modello di iscrizione online condiviso.",
        (("Bambini iscritti", "bambini"), ("Famiglie con entrambi i genitori al lavoro",
                                            "%"), ("Ore di servizio erogate", "ore")),
        "1 coordinatrice (10 ore/settimana), 6 educatori, 4 volontari dell'oratorio",
        "Fondi regionali della Rete Territoriale di Conciliazione (DGR 2398/2019), quote delle "
        "famiglie, cofinanziamento comunale"),
    "caregiver_familiare": Area(
        ("ambito", "ente_pubblico"), ("no_profit", "sindacato"),
        ("operatori dello sportello", "gruppi di auto mutuo aiuto",
         "orientamento ai permessi della legge 104"),
        "- **Sportello caregiver** aperto anche il sabato mattina e due sere a settimana\n"
        "- Colloquio di orientamento su permessi, congedi e servizi (legge 104, indennità di "
        "accompagnamento)\n- **Gruppi di auto mutuo aiuto** mensili con una psicologa\n"
        "- Ore di **sollievo** a domicilio con operatori della cooperativa\n- Accordi con le "
        "imprese del territorio per la flessibilità oraria dei dipendenti caregiver",
        "Raggiungere i caregiver che non si riconoscono come tali; la continuità degli operatori; "
        "la privacy nel passaggio delle informazioni tra servizi.",
        "Gli **orari fuori dal lavoro** (sabato, sera) triplicano gli accessi. Il medico di "
        "base e le farmacie sono i canali migliori per farsi conoscere.",
        "Trasferibile a ogni Ambito: servono una sede, due operatori formati e una rete con "
        "medici di base, patronati e imprese.",
        (("Caregiver accolti", "persone"), ("Ore di sollievo a domicilio", "ore"),
         ("Caregiver soddisfatti del servizio", "%")),
        "2 operatrici dello sportello, 1 psicologa (8 ore/mese), 3 operatori socio-sanitari",
        "Fondi regionali della Rete Territoriale di Conciliazione, Fondo per le non "
        "autosufficienze, cofinanziamento dell'Ambito"),
    "maggiordomo_aziendale": Area(
        ("datoriale", "no_profit"), ("media_impresa", "grande_impresa", "piccola_impresa"),
        ("azienda pilota", "gestione del servizio", "spazi per il punto di raccolta"),
        "- Indagine sui bisogni dei dipendenti (commissioni, pratiche, spesa)\n- Un **punto "
        "maggiordomo** in azienda due giorni a settimana\n- Servizi di ritiro e consegna: "
        "lavanderia, pratiche amministrative, spesa, revisione auto\n- Convenzioni con gli "
        "esercizi commerciali del Comune\n- Valutazione del tempo restituito ai dipendenti",
        "Le piccole imprese non raggiungono da sole un numero di richieste sostenibile; alcuni "
        "servizi non sono disponibili nei comuni piccoli.",
        "Conviene **mettere in rete più aziende** vicine con un solo maggiordomo. I "
        "dipendenti usano di più il servizio quando è presentato dai colleghi.",
        "Adatto a zone industriali con più imprese medie: serve un gestore del terzo settore e "
        "un accordo sui costi tra le aziende.",
        (("Dipendenti che hanno usato il servizio", "persone"), ("Ore restituite ai dipendenti",
                                                                 "ore"),
         ("Aziende aderenti", "imprese")),
        "1 maggiordomo aziendale (20 ore/settimana), 1 referente HR per azienda",
        "Fondi regionali della Rete Territoriale di Conciliazione, quota delle aziende aderenti"),
    "laboratori_smart_working": Area(
        ("datoriale", "ambito"), ("sindacato", "istruzione", "piccola_impresa"),
        ("docenza ai laboratori", "coinvolgimento delle aziende", "aspetti contrattuali"),
        "- Ciclo di **4 laboratori** per titolari e responsabili del personale\n- Analisi "
        "delle mansioni che si possono svolgere da remoto\n- Modello di **regolamento di lavoro "
        "agile** e di informativa sulla sicurezza\n- Accompagnamento individuale di 3 mesi per "
        "le aziende che avviano un piano\n- Incontro finale di restituzione con le "
        "organizzazioni sindacali",
        "Le micro imprese temono di perdere il controllo sul lavoro; strumenti informatici non "
        "adeguati; poco tempo dei titolari per la formazione.",
        "I laboratori funzionano se ogni azienda esce con **un documento suo**, non con una "
        "presentazione. Le testimonianze di aziende vicine convincono più dei dati.",
        "Il percorso è descritto in un kit (slide, modelli, questionario) che ogni Alleanza può "
        "riusare con un formatore e un'associazione datoriale.",
        (("Aziende partecipanti ai laboratori", "imprese"), ("Aziende che hanno avviato un piano",
                                                            "imprese"),
         ("Lavoratori coinvolti dai piani", "persone")),
        "2 formatori, 1 consulente del lavoro, 1 referente dell'associazione datoriale",
        "Fondi regionali della Rete Territoriale di Conciliazione, Fondo sociale europeo"),
    "piano_smart_working": Area(
        ("ente_pubblico", "datoriale"), ("grande_impresa", "media_impresa", "sindacato"),
        ("azienda della sperimentazione", "accordo con i lavoratori", "monitoraggio"),
        "- **Accordo territoriale** sul lavoro agile con le organizzazioni sindacali\n- "
        "Sperimentazione di 6 mesi con **due giorni di smart working** a settimana\n- Formazione "
        "dei responsabili alla gestione per obiettivi\n- Questionario a inizio e fine "
        "sperimentazione su benessere e produttività\n- Passaggio a regime con regolamento "
        "aziendale",
        "Resistenze dei responsabili intermedi; le mansioni di produzione restano escluse e "
        "serve un'alternativa (orari flessibili, banca delle ore).",
        "Accompagnare lo smart working con la **banca delle ore** per chi lavora in "
        "produzione evita che il piano divida i dipendenti.",
        "L'accordo tipo e il questionario sono a disposizione: si adattano a imprese sopra i 50 "
        "dipendenti e a enti pubblici.",
        (("Lavoratori in smart working", "persone"), ("Riduzione delle assenze", "%"),
         ("Ore di spostamento risparmiate", "ore")),
        "1 responsabile del personale, 1 consulente organizzativo, rappresentanti sindacali",
        "Risorse aziendali, fondi regionali della Rete Territoriale di Conciliazione"),
    "consulenza_welfare_aziendale": Area(
        ("datoriale", "ambito"), ("piccola_impresa", "micro_impresa", "media_impresa", "sindacato"),
        ("consulenza alle imprese", "azienda aderente", "welfare contrattuale"),
        "- **Sportello di consulenza welfare** per le PMI, su appuntamento\n- Check-up dei "
        "bisogni dei dipendenti con un questionario anonimo\n- Disegno di un **piano di welfare "
        "aziendale** personalizzato (voucher baby-sitting, rimborsi scolastici, flessibilità)\n"
        "- Informazione sui vantaggi fiscali del welfare aziendale\n- Collegamento con i servizi "
        "del territorio (nidi, centri estivi, sportelli caregiver)",
        "Le PMI conoscono poco la normativa fiscale; le piattaforme di welfare commerciali "
        "offrono servizi lontani dal territorio.",
        "Il questionario ai dipendenti è il passo che convince il titolare: i bisogni di "
        "**conciliazione** emergono sopra quelli di spesa.",
        "Ogni associazione datoriale può aprire lo sportello con un consulente formato e il "
        "catalogo dei servizi territoriali della Rete.",
        (("Imprese accompagnate", "imprese"), ("Piani di welfare attivati", "piani"),
         ("Dipendenti beneficiari", "persone")),
        "2 consulenti welfare, 1 referente della Rete per i servizi territoriali",
        "Fondi regionali della Rete Territoriale di Conciliazione, quote associative"),
    "contrattazione_territoriale": Area(
        ("sindacato", "datoriale"), ("datoriale", "sindacato", "ente_pubblico"),
        ("parte datoriale dell'accordo", "parte sindacale dell'accordo",
         "promozione presso i Comuni"),
        "- Tavolo con le parti sociali per un **accordo territoriale di secondo livello** sulla "
        "conciliazione\n- Misure previste: **banca delle ore**, permessi per i caregiver, "
        "flessibilità in entrata e uscita\n- Deposito dell'accordo e guida per le aziende che vi "
        "aderiscono\n- Incontri informativi nelle zone industriali",
        "Tempi lunghi di firma; le aziende senza rappresentanza sindacale interna aderiscono "
        "poco.",
        "Un accordo **breve e con misure già pronte** è adottato più facilmente di un "
        "accordo quadro da declinare in ogni azienda.",
        "Il testo è adattabile a ogni provincia: va condiviso presto con i consulenti del lavoro, "
        "che lo portano alle aziende.",
        (("Aziende aderenti all'accordo", "imprese"), ("Lavoratori coperti", "persone"),
         ("Ore di permesso utilizzate", "ore")),
        "Delegati delle parti sociali, 1 segreteria tecnica della Rete",
        "Fondi regionali della Rete Territoriale di Conciliazione, risorse delle parti sociali"),
    "tavoli_accordi_conciliazione": Area(
        ("ambito", "ente_pubblico"), ("datoriale", "sindacato", "grande_impresa"),
        ("promozione presso le imprese", "parte sindacale", "azienda firmataria"),
        "- **Tavolo di lavoro** trimestrale tra Comuni, imprese e sindacati\n- Mappatura degli "
        "accordi di conciliazione già attivi nelle aziende del territorio\n- Stesura di "
        "**clausole tipo** (orari flessibili, part-time reversibile, congedi)\n- Accompagnamento "
        "alla firma di accordi aziendali\n- Report annuale al Comitato di programmazione "
        "dell'ATS",
        "Partecipazione discontinua delle imprese; gli accordi firmati non sempre vengono "
        "comunicati alla Rete.",
        "Dare al tavolo **un prodotto concreto** ogni sei mesi mantiene la partecipazione; i "
        "verbali condivisi aiutano chi non c'era.",
        "Il regolamento del tavolo e le clausole tipo sono riusabili in ogni ATS.",
        (("Accordi aziendali firmati", "accordi"), ("Imprese partecipanti al tavolo", "imprese"),
         ("Lavoratori coperti dagli accordi", "persone")),
        "1 coordinatrice del tavolo, referenti delle parti sociali",
        "Azione di sistema dell'ATS, fondi regionali della Rete Territoriale di Conciliazione"),
    "mediazione_reti_welfare": Area(
        ("ambito", "no_profit"), ("no_profit", "media_impresa", "datoriale"),
        ("catalogo dei servizi", "azienda aderente", "rete dei gestori"),
        "- **Catalogo territoriale** dei servizi di conciliazione (nidi, centri estivi, "
        "assistenza domiciliare)\n- Incontri tra HR aziendali e gestori dei servizi\n- "
        "Convenzioni che permettono di usare il **credito welfare** presso i servizi locali\n- "
        "Sportello per i dipendenti su come usare il catalogo",
        "I gestori piccoli faticano con le piattaforme di welfare; aggiornare il catalogo chiede "
        "tempo.",
        "Il valore è nella **relazione**: l'incontro HR-gestori genera più convenzioni della "
        "piattaforma.",
        "Serve un soggetto terzo (Ambito o consorzio) che tenga il catalogo: lo schema di "
        "convenzione è condivisibile.",
        (("Servizi nel catalogo", "servizi"), ("Convenzioni attivate", "convenzioni"),
         ("Dipendenti che hanno usato il credito localmente", "persone")),
        "1 mediatrice di rete, 1 operatore per il catalogo",
        "Fondi regionali della Rete Territoriale di Conciliazione, contributo dei gestori"),
}


@dataclass(frozen=True)
class Record:
    key: str
    ats: str  # ATS code
    alleanza: int | None  # its number; None: the ATS space
    area: str
    title: str  # {city}: the lead organisation's municipality
    summary: str
    need: str
    reached: int
    start: tuple[int, int]
    end: tuple[int, int] | None  # an end: the practice is over
    stage: str
    stage_owner: str  # how it was taken over (a_regime, istituzionalizzata), after the lead's name
    budget: int
    evidence: str
    status: str  # where the workflow leaves it
    visibility: str = "spazio"
    shared_city: str = ""  # the municipality an overlapping record also serves


PUB, DRAFT, SENT, VALID, ARCH = "pubblicata", "bozza", "inviata", "validata", "archiviata"
SPERIM, REGIME, ISTIT = "sperimentazione", "a_regime", "istituzionalizzata"

RECORDS = [
    Record("bg1-prepost", "BG", 1, "pre_post_scuola", "Pre e post scuola diffuso nei plessi di "
           "{city} e dintorni", "Servizio di accoglienza prima e dopo le lezioni in 6 plessi di "
           "scuola primaria, con tariffe a fasce ISEE e apertura fino alle 18.",
           "Molte famiglie con turni in fabbrica e nella logistica non riuscivano a coprire gli "
           "orari tra le 7.30 e le 8.30 e dopo le 16.", 180, (2021, 9), None, ISTIT,
           "servizio nel bilancio ordinario dal 2023", 64000, "consolidata", PUB, "pubblica"),
    Record("bg1-caregiver", "BG", 1, "caregiver_familiare", "Sportello caregiver del sabato",
           "Uno sportello di ascolto e orientamento per chi assiste un familiare, aperto il sabato "
           "mattina e il giovedì sera.", "I caregiver che lavorano non potevano raggiungere gli "
           "sportelli aperti solo in orario d'ufficio.", 96, (2022, 3), None, REGIME,
           "sportello inserito nel Piano di Zona", 38000, "promettente", PUB, "registrati",
           "Bergamo"),
    Record("bg3-caregiver", "BG", 3, "caregiver_familiare", "Sollievo e ascolto per i caregiver "
           "familiari", "Ore di sollievo a domicilio e gruppi di auto mutuo aiuto per i caregiver "
           "di anziani non autosufficienti.", "Caregiver, soprattutto donne tra 45 e 60 anni, "
           "riducevano l'orario di lavoro o lasciavano l'impiego.", 54, (2022, 1), None, SPERIM,
           "", 29000, "emergente", PUB, "spazio", "Bergamo"),
    Record("bg2-maggiordomo", "BG", 2, "maggiordomo_aziendale", "Maggiordomo aziendale condiviso "
           "nella zona industriale", "Un maggiordomo al servizio di quattro aziende vicine: "
           "commissioni, pratiche e spesa consegnati sul posto di lavoro.", "I dipendenti "
           "perdevano permessi per commissioni e pratiche negli orari d'ufficio.", 210, (2023, 2),
           None, SPERIM, "", 42000, "emergente", SENT),
    Record("bg4-laboratori", "BG", 4, "laboratori_smart_working", "Laboratori di smart working "
           "per le micro imprese artigiane", "Quattro laboratori e tre mesi di accompagnamento per "
           "portare le micro imprese a un regolamento di lavoro agile.", "Le micro imprese non "
           "avevano strumenti per organizzare il lavoro da remoto dopo la pandemia.", 18, (2023, 3),
           None, SPERIM, "", 21000, "emergente", SENT),
    Record("bg-ats-tavolo", "BG", None, "tavoli_accordi_conciliazione", "Tavolo provinciale per "
           "gli accordi aziendali di conciliazione", "Un tavolo permanente tra Comuni, imprese e "
           "sindacati che produce clausole tipo e accompagna le aziende alla firma.", "Gli accordi "
           "di conciliazione erano pochi e non censiti; le imprese non sapevano da dove partire.",
           35, (2020, 10), None, ISTIT, "tavolo permanente del Comitato di programmazione "
           "dell'ATS", 25000,
           "consolidata", PUB, "pubblica"),
    Record("bg5-prepost", "BG", 5, "pre_post_scuola",
           "Centri estivi intercomunali intorno a {city}",
           "Bozza: centri estivi condivisi tra cinque Comuni con trasporto dedicato.", "Nei comuni "
           "piccoli i centri estivi non raggiungono il numero minimo di iscritti.", 120, (2024, 6),
           None, SPERIM, "", 47000, "emergente", DRAFT),
    Record("bs1-welfare", "BS", 1, "consulenza_welfare_aziendale", "Sportello welfare per le PMI "
           "di {city}", "Consulenza gratuita alle piccole e medie imprese per costruire un piano "
           "di welfare aziendale legato ai servizi del territorio.", "Le PMI non conoscevano i "
           "vantaggi fiscali del welfare e non avevano un referente HR.", 46, (2021, 4), None,
           REGIME, "sportello stabile tra i servizi dell'ente", 52000, "consolidata", PUB,
           "pubblica"),
    Record("bs2-contrattazione", "BS", 2, "contrattazione_territoriale", "Accordo territoriale "
           "sulla banca delle ore", "Un accordo di secondo livello tra parti sociali che rende "
           "disponibile la banca delle ore e i permessi per caregiver alle aziende senza "
           "contrattazione interna.", "Nelle piccole aziende mancavano strumenti contrattuali di "
           "flessibilità.", 28, (2021, 11), None, REGIME, "accordo rinnovato dalle parti sociali",
           18000, "promettente", PUB, "registrati"),
    Record("bs3-smartworking", "BS", 3, "piano_smart_working", "Piano di smart working in "
           "un'azienda metalmeccanica di {city}", "Sei mesi di sperimentazione con due giorni di "
           "lavoro agile per impiegati e banca delle ore per la produzione.", "Pendolarismo lungo "
           "e difficoltà di conciliazione per gli impiegati con figli piccoli.", 85, (2022, 2),
           (2022, 12), REGIME, "regolamento aziendale, monitorato dal capofila",
           15000, "promettente", PUB),
    Record("bs-ats-mediazione", "BS", None, "mediazione_reti_welfare", "Catalogo dei servizi "
           "di conciliazione per le aziende", "Catalogo provinciale di nidi, centri estivi e "
           "assistenza domiciliare che le aziende possono usare con il credito welfare.",
           "Il credito welfare veniva speso fuori dal territorio, su piattaforme nazionali.", 60,
           (2020, 9), (2022, 6), SPERIM, "", 33000, "promettente", ARCH, "registrati"),
    Record("bri1-prepost", "BRI", 1, "pre_post_scuola", "Post scuola con i compiti a {city}",
           "Un post scuola fino alle 18 con aiuto compiti e laboratori, gestito da una cooperativa "
           "negli spazi della scuola.", "Famiglie monoparentali e con orari lunghi senza una rete "
           "familiare vicina.", 140, (2021, 9), None, REGIME,
           "servizio comunale a gara pluriennale", 58000,
           "consolidata", PUB, "pubblica"),
    Record("bri2-laboratori", "BRI", 2, "laboratori_smart_working", "Smart working per le "
           "imprese di {city}", "Laboratori per titolari e HR e un kit di modelli per avviare "
           "un piano di lavoro agile.", "Le aziende avevano sperimentato lo smart working "
           "d'emergenza e volevano regole stabili.", 24, (2022, 4), (2023, 6), SPERIM, "", 19000,
           "promettente", PUB, "registrati"),
    Record("bri-ats-caregiver", "BRI", None, "caregiver_familiare", "Rete degli sportelli "
           "caregiver della Brianza", "Coordinamento degli sportelli caregiver degli Ambiti con "
           "una formazione comune degli operatori.", "Gli sportelli lavoravano isolati, con "
           "risposte diverse da un Comune all'altro.", 320, (2022, 9), None, SPERIM, "", 36000,
           "emergente", VALID),
    Record("ins1-maggiordomo", "INS", 1, "maggiordomo_aziendale", "Il maggiordomo in azienda a "
           "{city}", "Un servizio di commissioni e disbrigo pratiche nelle sedi di due medie "
           "imprese, gestito da una cooperativa sociale.", "Molti dipendenti usavano ferie e "
           "permessi per commissioni.", 160, (2021, 10), None, REGIME,
           "servizio pagato dalle aziende "
           "dal secondo anno", 31000, "promettente", PUB, "registrati"),
    Record("ins2-caregiver", "INS", 2, "caregiver_familiare", "Caregiver al lavoro: sportello e "
           "flessibilità a {city}", "Sportello per i caregiver e accordi con le imprese per "
           "orari flessibili dei dipendenti che assistono un familiare.", "Caregiver lavoratori a "
           "rischio di uscita dal lavoro.", 110, (2021, 5), None, REGIME, "sportello "
           "del Piano di Zona", 44000, "consolidata", PUB, "pubblica"),
    Record("ins3-mediazione", "INS", 3, "mediazione_reti_welfare", "Le aziende incontrano i "
           "servizi: welfare a {city}", "Incontri tra HR e gestori dei servizi educativi "
           "e di cura, con convenzioni per il credito welfare.", "Le aziende non conoscevano i "
           "servizi del territorio, i gestori non conoscevano le aziende.", 22, (2022, 3), None,
           SPERIM, "", 17000, "emergente", PUB),
    Record("ins4-prepost", "INS", 4, "pre_post_scuola", "Pre scuola nei comuni intorno a {city}",
           "Bozza in scrittura: pre scuola dalle 7.15 in tre plessi.", "Orari di ingresso al "
           "lavoro anticipati per molti genitori pendolari.", 60, (2024, 9), None, SPERIM, "",
           22000, "emergente", DRAFT),
    Record("mi1-prepost", "MI", 1, "pre_post_scuola", "Pre e post scuola nelle primarie "
           "di {city}", "Accoglienza prima e dopo le lezioni in 8 scuole primarie, con educatori e "
           "volontari del quartiere.", "Molte famiglie con lavori nel commercio e nei servizi "
           "hanno orari che non coincidono con quelli scolastici.", 260, (2020, 9), None, ISTIT,
           "servizio scolastico comunale", 96000, "consolidata", PUB, "pubblica",
           "Milano"),
    Record("mi2-prepost", "MI", 2, "pre_post_scuola", "Centri estivi e post scuola a "
           "{city}", "Post scuola e centri estivi nei periodi di chiusura, con voucher per le "
           "famiglie a basso reddito.", "Chiusure scolastiche lunghe (giugno-settembre) scoperte "
           "per i genitori che lavorano.", 190, (2021, 6), None, REGIME, "servizio comunale "
           "con quote ISEE", 71000, "promettente", PUB, "registrati", "Milano"),
    Record("mi4-prepost", "MI", 4, "pre_post_scuola", "Voucher per il post scuola e i centri "
           "estivi", "Voucher alle famiglie per iscrivere i figli a post scuola e centri estivi "
           "accreditati.", "Costi dei servizi privati troppo alti per le famiglie con due figli.",
           230, (2022, 1), None, SPERIM, "", 88000, "promettente", PUB, "spazio", "Milano"),
    Record("mi3-smartworking", "MI", 3, "piano_smart_working", "Smart working negli enti locali "
           "dell'hinterland", "Piano di lavoro agile per i dipendenti di tre Comuni, con "
           "accordo sindacale e monitoraggio.", "Pendolarismo verso gli uffici comunali e "
           "richieste di part-time per motivi familiari.", 140, (2021, 1), None, ISTIT,
           "regolamento del lavoro agile dei Comuni", 12000, "consolidata", PUB, "pubblica"),
    Record("mi5-contrattazione", "MI", 5, "contrattazione_territoriale", "Accordo territoriale "
           "per i permessi dei caregiver nel terziario", "Accordo tra le parti sociali del "
           "commercio per permessi aggiuntivi ai lavoratori caregiver.", "Nel commercio i turni "
           "festivi rendono difficile l'assistenza ai familiari.", 40, (2022, 5), None, REGIME,
           "accordo recepito dai contratti aziendali", 14000, "promettente", PUB, "registrati"),
    Record("mi6-tavolo", "MI", 6, "tavoli_accordi_conciliazione", "Tavolo di conciliazione di "
           "{city}", "Tavolo di lavoro con imprese agricole e alimentari per accordi di "
           "conciliazione.", "Stagionalità del lavoro e orari lunghi nelle imprese agricole.", 12,
           (2020, 11), (2022, 11), SPERIM, "", 9000, "emergente", ARCH, "registrati"),
    Record("mon1-caregiver", "MON", 1, "caregiver_familiare", "Caregiver in valle: lo sportello "
           "itinerante di {city}", "Uno sportello caregiver che gira tra i comuni della valle con "
           "orari serali e un numero di telefono unico.", "Distanze lunghe e comuni piccoli: i "
           "caregiver non raggiungevano i servizi del capoluogo.", 75, (2021, 9), None, REGIME,
           "servizi sociali associati della valle", 34000, "promettente", PUB, "pubblica"),
    Record("mon3-prepost", "MON", 3, "pre_post_scuola", "Centri estivi nei comuni di montagna",
           "Centri estivi di otto settimane con trasporto dai comuni più lontani.", "Nei mesi "
           "estivi il turismo aumenta il lavoro dei genitori e la scuola è chiusa.", 95,
           (2022, 6), None, REGIME, "servizio comunale estivo", 39000, "promettente", PUB,
           "registrati"),
    Record("mon-ats-laboratori", "MON", None, "laboratori_smart_working", "Lavoro agile per le "
           "imprese di montagna", "Bozza: laboratori a distanza per le imprese delle valli.",
           "Connessioni e distanze rendono difficile la formazione in presenza.", 15, (2024, 10),
           None, SPERIM, "", 12000, "emergente", DRAFT),
    Record("pv2-caregiver", "PV", 2, "caregiver_familiare", "Sportello caregiver di {city}",
           "Accoglienza, orientamento e sollievo per i caregiver, con un gruppo di auto mutuo "
           "aiuto mensile.", "Molti caregiver di persone con demenza senza informazioni sui "
           "servizi.", 88, (2021, 2), None, REGIME, "sportello "
           "del Piano di Zona", 41000, "promettente", PUB, "registrati", "Pavia"),
    Record("pv5-caregiver", "PV", 5, "caregiver_familiare", "Ore di sollievo per i caregiver "
           "di {city}", "Operatori a domicilio per alcune ore a settimana e consulenza sui "
           "permessi di lavoro.", "Caregiver di anziani soli in comuni collinari lontani dai "
           "servizi.", 47, (2022, 4), None, SPERIM, "", 26000, "emergente", PUB, "spazio", "Pavia"),
    Record("pv7-welfare", "PV", 7, "consulenza_welfare_aziendale", "Welfare su misura per le "
           "PMI di {city}", "Consulenza alle piccole imprese per piani di welfare con "
           "voucher baby-sitting e rimborsi per i centri estivi.", "Le PMI perdevano personale "
           "femminile dopo la nascita dei figli.", 31, (2021, 9), None, REGIME, "sportello "
           "permanente, finanziato dall'ente", 27000, "promettente", PUB, "pubblica"),
    Record("vp1-welfare", "VP", 1, "consulenza_welfare_aziendale", "Sportello welfare per le "
           "imprese di {city}", "Consulenza e check-up dei bisogni dei dipendenti per le imprese "
           "del territorio.", "Le imprese non sapevano come usare il welfare per la "
           "conciliazione.", 38, (2021, 3), None, REGIME,
           "sportello stabile tra i servizi dell'ente",
           35000, "promettente", PUB, "registrati", "Cremona"),
    Record("vp2-welfare", "VP", 2, "consulenza_welfare_aziendale", "Piani di welfare aziendale "
           "per le PMI di {city}", "Accompagnamento delle PMI nella stesura di piani di welfare "
           "con servizi di conciliazione del territorio.", "Poca conoscenza dei servizi locali da "
           "parte delle aziende e dei consulenti.", 42, (2021, 10), None, ISTIT, "sportello "
           "welfare permanente con la Camera di commercio", 40000, "consolidata", PUB, "pubblica",
           "Cremona"),
    Record("vp4-tavolo", "VP", 4, "tavoli_accordi_conciliazione", "Tavolo per gli accordi di "
           "conciliazione di {city}", "Tavolo tra Comuni, imprese e sindacati per accordi "
           "aziendali di flessibilità.", "Gli accordi erano pochi e concentrati nelle grandi "
           "aziende.", 14, (2022, 2), None, SPERIM, "", 11000, "emergente", PUB),
    Record("vp-ats-maggiordomo", "VP", None, "maggiordomo_aziendale", "Maggiordomo aziendale "
           "nel distretto alimentare", "Un servizio di commissioni condiviso tra le aziende "
           "alimentari del distretto.", "Turni lunghi e stabilimenti lontani dai centri abitati.",
           130, (2022, 5), None, REGIME, "servizio pagato dal consorzio delle aziende", 37000,
           "promettente",
           PUB, "registrati"),
]

# (record key, adopting Alleanza: ATS code and number, kind, note)
ADOPTIONS = [
    ("bg1-prepost", "BG", 5, "adattata", "Lo usiamo per i centri estivi intercomunali: stesse "
     "fasce ISEE, ma con il trasporto tra i Comuni."),
    ("bg1-prepost", "BG", 2, "riusata", "Convenzione e modulo di iscrizione ripresi così come "
     "sono in due plessi."),
    ("bg-ats-tavolo", "BG", 4, "riusata", "Abbiamo usato le clausole tipo con tre aziende "
     "artigiane."),
    ("bs1-welfare", "BS", 2, "adattata", "Sportello aperto con la nostra associazione datoriale, "
     "una volta al mese."),
    ("ins2-caregiver", "INS", 1, "adattata", "Sportello caregiver aperto il sabato; accordi con "
     "le imprese ancora da costruire."),
    ("mi1-prepost", "MI", 5, "riusata", "Modello organizzativo e tariffe riusati in quattro "
     "scuole."),
    ("mi3-smartworking", "MI", 2, "adattata", "Regolamento adattato a un consorzio di "
     "cooperative sociali."),
    ("mon1-caregiver", "MON", 2, "adattata", "Lo sportello itinerante gira anche nei comuni "
     "dell'alto lago."),
    ("vp2-welfare", "VP", 5, "riusata", "Questionario ai dipendenti e schema del piano riusati "
     "con due aziende."),
    ("pv7-welfare", "VP", 3, "adattata", "Lo schema dei voucher baby-sitting adattato alle "
     "imprese agricole."),
]

PARTNER_LIMIT = 3


def seed_practices(rng: random.Random) -> None:
    """Writes the demo records, through their workflow, and the adoptions."""
    world = _World()
    written = {}
    for record in RECORDS:
        written[record.key] = _write(record, world, rng)
    for key, ats_code, number, kind, note in ADOPTIONS:
        practice = written[key]
        alleanza = world.alleanza(ats_code, number)
        adopters = world.members(world.space_of(ats_code, number))
        services.adopt(practice, rng.choice(adopters), alleanza.id, kind, note)


class _World:
    """The demo network the records are written into, looked up once."""

    def __init__(self):
        self.ats = {a.code: a for a in db.session.scalars(select(Ats))}
        self.spaces = {(s.ats_id, s.alleanza_id): s for s in db.session.scalars(
            select(Space).where(Space.kind.in_([SpaceKind.ATS.value, SpaceKind.ALLEANZA.value])))}
        self.alleanze = {(a.ats_id, a.number): a for a in db.session.scalars(select(Alleanza))}
        self.capofila = db.session.scalar(select(User).where(User.email == DEMO_CAPOFILA))

    def alleanza(self, ats_code: str, number: int | None) -> Alleanza | None:
        return self.alleanze[(self.ats[ats_code].id, number)] if number else None

    def space_of(self, ats_code: str, number: int | None) -> Space:
        alleanza = self.alleanza(ats_code, number)
        return self.spaces[(self.ats[ats_code].id, alleanza.id if alleanza else None)]

    def members(self, space: Space, *roles: str) -> list[User]:
        query = select(User).join(Membership, Membership.user_id == User.id).where(
            Membership.space_id == space.id, User.active.is_(True)).order_by(User.id)
        if roles:
            query = query.where(Membership.role.in_(roles))
        return db.session.scalars(query).all()

    def organisations(self, ats_code: str, alleanza: Alleanza | None) -> list[Organisation]:
        query = select(Organisation).where(Organisation.ats_id == self.ats[ats_code].id)
        if alleanza is not None:
            query = query.join(organisation_alleanze,
                               organisation_alleanze.c.organisation_id == Organisation.id).where(
                organisation_alleanze.c.alleanza_id == alleanza.id)
        return db.session.scalars(query.order_by(Organisation.id)).all()

    def validator(self, ats_code: str) -> User:
        """The ATS space coordinator (the first one: Bergamo's demo referent is the second)."""
        return self.members(self.space_of(ats_code, None), SpaceRole.COORDINATOR.value)[0]


def _writer(record: Record, space: Space, world: _World, rng: random.Random) -> User:
    if record.ats == "BG" and record.alleanza == 1 and world.capofila is not None:
        return world.capofila  # the demo capofila finds her own record
    members = world.members(space)
    if not members:  # a space nobody joined: its ATS referent writes, as a member
        writer = world.validator(record.ats)
        space_services.add_member(space, writer)
        return writer
    writers = [m for m in members if m.id not in {v.id for v in world.members(
        space, SpaceRole.COORDINATOR.value)}] or members
    return rng.choice(writers)


def _lead_and_partners(record: Record, area: Area, world: _World, rng: random.Random):
    alleanza = world.alleanza(record.ats, record.alleanza)
    organisations = world.organisations(record.ats, alleanza)
    preferred = [o for o in organisations if o.entity_type_code in area.lead_types]
    if alleanza is not None and not preferred:
        preferred = [o for o in organisations if o.id == alleanza.lead_organisation_id]
    lead = rng.choice(preferred or organisations)
    others = [o for o in organisations if o.id != lead.id]
    fitting = [o for o in others if o.entity_type_code in area.partner_types] or others
    partners = rng.sample(fitting, k=min(len(fitting), rng.randint(1, PARTNER_LIMIT)))
    return lead, partners


def _municipalities(record: Record, lead: Organisation, partners: list[Organisation]) -> str:
    """Where the lead and the partners work, and the municipality an overlap shares."""
    chosen = {o.city for o in (lead, *partners) if o.city}
    if record.shared_city:
        chosen.add(record.shared_city)
    return "\n".join(sorted(chosen))


def _indicators(record: Record, area: Area, rng: random.Random) -> list[dict]:
    year = record.end[0] if record.end else 2024
    rows = [{"name": area.indicators[0][0], "value": Decimal(record.reached),
             "unit": area.indicators[0][1], "year": year}]
    for name, unit in area.indicators[1:rng.randint(1, len(area.indicators))]:
        value = rng.randint(55, 92) if unit == "%" else rng.randint(3, 40) * (
            10 if unit in ("ore", "persone") else 1)
        rows.append({"name": name, "value": Decimal(value), "unit": unit, "year": year})
    return rows


def _write(record: Record, world: _World, rng: random.Random) -> Practice:
    area = AREAS[record.area]
    target = db.session.get(InterventionArea, record.area).target
    space = world.space_of(record.ats, record.alleanza)
    writer = _writer(record, space, world, rng)
    lead, partners = _lead_and_partners(record, area, world, rng)
    contact = rng.choice([writer, *world.members(space)[:3]])
    fields = {
        "title": record.title.format(city=lead.city), "summary": record.summary,
        "need": record.need,
        "target": target, "reached_count": record.reached, "area_code": record.area,
        "municipalities": _municipalities(record, lead, partners),
        "lead_organisation_name": lead.name,
        "start_date": date(*record.start, 1),
        "end_date": date(*record.end, 30 if record.end[1] != 2 else 28) if record.end else None,
        "state": "conclusa" if record.end else "in_corso",
        "stage": record.stage,
        "stage_owner": f"{lead.name} ({record.stage_owner})" if record.stage_owner else "",
        "budget": Decimal(record.budget), "funding_source": area.funding, "staff": area.staff,
        "activities": area.activities, "evidence": record.evidence,
        "difficulties": area.difficulties, "lessons": area.lessons,
        "transferability": area.transferability, "contact_id": contact.id,
    }
    roles = [{"name": o.name, "role": area.partner_roles[i % len(area.partner_roles)]}
             for i, o in enumerate(partners)]
    practice = services.create_practice(space, writer, services.PracticeInput(
        fields, roles, _indicators(record, area, rng)))
    if record.status == DRAFT:
        return practice
    services.submit(practice, writer)
    if record.status == SENT:
        return practice
    validator = world.validator(record.ats)
    services.validate(practice, validator, "Scheda completa e chiara: grazie.")
    if record.status == VALID:
        return practice
    services.publish(practice, validator, record.visibility)
    if record.status == ARCH:
        services.archive(practice, validator, "La pratica è conclusa: resta consultabile "
                                              "come riferimento.")
    return practice
