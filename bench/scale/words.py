"""Word lists for the synthetic discussions: what ATS referents, Alleanza leads, companies and
cooperatives write about work-life balance. Very common words (famiglie, servizi,
conciliazione) and rare ones (ludobus, tagesmutter) make searches of every selectivity."""
from __future__ import annotations

from cop.demo.names import CITIES

PLACES = [city for cities in CITIES.values() for city in cities]

SERVICES = [
    "il servizio di pre e post scuola", "lo sportello per i caregiver familiari",
    "il centro estivo comunale", "il nido aziendale", "lo spazio compiti pomeridiano",
    "il servizio di custodia oraria", "la ludoteca del sabato", "il trasporto scolastico",
    "l'assistenza domiciliare per gli anziani", "il voucher per i servizi di cura",
    "il lavoro agile", "lo smart working", "la banca delle ore", "il centro diurno",
    "il babysitting condiviso", "lo sportello sul welfare aziendale", "il campus estivo",
    "il servizio di sollievo per i caregiver", "il doposcuola", "la mensa del sabato",
    "il maggiordomo aziendale", "il servizio di consegna della spesa", "il nido in famiglia",
    "l'orario flessibile in entrata", "il part-time reversibile", "il congedo di paternità",
    "lo sportello di orientamento per le famiglie", "il gruppo di auto mutuo aiuto",
]

PEOPLE = [
    "le famiglie", "le lavoratrici con turni", "i genitori soli", "i caregiver familiari",
    "le piccole imprese", "i Comuni dell'ambito", "le cooperative sociali", "le scuole",
    "i sindacati", "le associazioni datoriali", "gli operatori di rete", "i volontari",
    "le aziende aderenti", "i dipendenti", "le madri al rientro dalla maternità", "i padri",
    "le famiglie numerose", "le famiglie con figli disabili", "gli anziani soli",
    "le imprese artigiane", "gli insegnanti", "gli educatori", "le assistenti sociali",
]

TIMES = [
    "il venerdì pomeriggio", "durante l'estate", "nei mesi di luglio e agosto",
    "il sabato mattina", "dopo le 16.30", "nelle vacanze di Natale", "la sera",
    "nei giorni di chiusura delle scuole", "durante i ponti", "all'inizio dell'anno scolastico",
    "nei turni di notte", "a settembre", "nei fine settimana",
]

ACTIONS = [
    "abbiamo esteso l'orario", "abbiamo firmato una convenzione con una cooperativa",
    "abbiamo aperto un tavolo con le imprese", "abbiamo raccolto i bisogni con un questionario",
    "abbiamo co-progettato con il terzo settore", "abbiamo formato gli operatori",
    "abbiamo coinvolto le parrocchie e gli oratori", "abbiamo chiesto un contributo alle famiglie",
    "abbiamo diviso i costi tra Comune e Alleanza", "abbiamo spostato l'apertura al sabato",
    "abbiamo attivato un numero unico", "abbiamo semplificato la modulistica",
]

PROBLEMS = [
    "la rendicontazione", "la sostenibilità economica", "la scarsa partecipazione",
    "la comunicazione alle famiglie", "il reclutamento degli educatori", "i tempi dei bandi",
    "la frammentazione dei servizi", "la privacy dei dati", "il costo del trasporto",
    "il coinvolgimento delle imprese", "la continuità dopo il finanziamento",
    "la valutazione dei risultati", "il turnover del personale",
]

TOOLS = [
    "un foglio condiviso", "un modulo online", "un accordo quadro", "una convenzione tipo",
    "un questionario", "una mappa dei servizi", "una newsletter mensile",
    "un gruppo di referenti", "una piattaforma di prenotazione", "un calendario condiviso",
]

RESULTS = [
    "le iscrizioni sono raddoppiate", "le famiglie sono soddisfatte",
    "i costi per famiglia sono scesi", "abbiamo raggiunto anche le famiglie più fragili",
    "le imprese hanno chiesto di continuare", "la rendicontazione è diventata più semplice",
    "il servizio è rimasto aperto tutto l'anno", "i Comuni vicini vogliono aderire",
]

# Sentence patterns; {n} is a number. None starts with a digit or a Markdown block marker.
SENTENCES = [
    "Da noi a {place} {action} per {service}.",
    "{people_cap} ci chiedono soprattutto {service} {time}.",
    "Il problema principale resta {problem}: come lo avete affrontato?",
    "Abbiamo usato {tool} e {result}.",
    "Qualcuno ha esperienza di {service} con {people}?",
    "Nel nostro ambito {service} funziona bene {time}, ma {problem} ci rallenta.",
    "Vi consiglio di coinvolgere fin dall'inizio {people}.",
    "Concordo, anche per noi **{problem}** è il nodo da sciogliere.",
    "Quest'anno {n} famiglie hanno usato {service}.",
    "Il costo per famiglia è di circa {n} euro al mese, con fasce ISEE.",
    "Per la conciliazione tra vita e lavoro serve una rete stabile tra Comuni, imprese e terzo "
    "settore.",
    "A {place} {people} hanno risposto bene a {service}.",
    "Secondo me conviene partire da {tool} prima di chiedere nuovi fondi.",
    "Grazie, molto utile: lo porto al prossimo tavolo dell'Alleanza.",
    "Anche noi {action} e {result}.",
    "Attenzione a {problem}: l'anno scorso ci ha bloccato per mesi.",
    "Le famiglie di {place} chiedono {service} {time}.",
    "Come misurate l'impatto di {service} sulle famiglie?",
    "Il referente ATS ci ha suggerito {tool} per {problem}.",
    "Possiamo condividere {tool} con le altre Alleanze della rete.",
    "Nella nostra esperienza {service} regge solo se {people} partecipano alla progettazione.",
    "I servizi di conciliazione funzionano quando {people} trovano orari compatibili.",
    "Per i caregiver familiari {service} è stato decisivo {time}.",
    "La scuola di {place} ha messo a disposizione gli spazi {time}.",
    "Con il welfare aziendale {people} hanno scelto soprattutto {service}.",
    "In {n} mesi {result}.",
    "Sarebbe bello scrivere una scheda di buona pratica su {service}.",
    "Chi segue {problem} nella vostra Alleanza?",
    "Noi abbiamo risolto con {tool}, ve lo mando volentieri.",
    "Il bando regionale copre {service} solo in parte, il resto lo mettono {people}.",
    "*Nota*: {service} a {place} ha una lista d'attesa di {n} famiglie.",
    "Lo smart working ha cambiato le richieste delle famiglie {time}.",
    "Il tavolo con i sindacati ha proposto {service} per {people}.",
    "Ci servirebbe un confronto con chi ha già provato {service}.",
    "Abbiamo presentato i dati al Consiglio comunale di {place} e {result}.",
]

# Rare words: each appears in a handful of documents; RARE_WORD in exactly the number the
# seeding reports.
RARE_WORD = "ludobus"
COMMON_WORD = "famiglie"
RARE_SENTENCES = [
    "A {place} il **ludobus** passa nei cortili delle scuole il mercoledì pomeriggio.",
]
UNCOMMON_SENTENCES = [
    "Abbiamo provato le *tagesmutter* in rete con {people}.",
    "Il pedibus di {place} accompagna i bambini a scuola {time}.",
    "Il portierato sociale di {place} aiuta gli anziani soli con la spesa.",
    "Una microimpresa di {place} ha introdotto la settimana corta.",
]

LIST_ITEMS = [
    "orari di apertura", "costo per famiglia", "numero di iscritti", "personale impiegato",
    "accordi con le imprese", "fonti di finanziamento", "modalità di iscrizione",
    "indicatori di risultato", "canali di comunicazione", "spazi utilizzati",
    "ruolo dei volontari", "tempi di rendicontazione",
]

QUESTIONS = [
    "{service_cap}: come lo organizzate {time}?",
    "{service_cap} a {place}: chi ha esperienza?",
    "Come gestite {problem}?",
    "Qualcuno ha {tool} da condividere?",
    "{people_cap} e {service}: quali orari funzionano?",
]
STATEMENTS = [
    "{service_cap} a {place}: la nostra esperienza",
    "Come abbiamo affrontato {problem}",
    "{people_cap}: cosa abbiamo imparato con {service}",
    "Un anno di {service} {time}",
]
PROPOSALS = [
    "Proposta: {tool} comune per {problem}",
    "Scriviamo insieme {tool} su {service}",
    "Proposta di lavoro comune su {service}",
]
NOTICES = [
    "Avviso: incontro su {service} a {place}",
    "Bando regionale: scadenze per {service}",
    "Scadenza della rendicontazione: {problem}",
    "Nuova manifestazione d'interesse per {service}",
]

TAGS = [
    "scuola", "servizi", "caregiver", "smart working", "imprese", "bando", "voucher",
    "rendicontazione", "centri estivi", "nidi", "anziani", "disabilità", "welfare aziendale",
    "orari", "trasporti", "formazione", "comunicazione", "valutazione", "volontariato",
    "sindacati", "famiglie", "pari opportunità", "co-progettazione", "terzo settore",
]

THEMATIC_TOPICS = [
    "Smart working e lavoro agile", "Caregiver familiari", "Welfare aziendale nelle PMI",
    "Servizi per la prima infanzia", "Centri estivi e tempo libero", "Pre e post scuola",
    "Conciliazione nei turni", "Padri e congedi", "Valutazione d'impatto",
    "Rendicontazione dei progetti", "Reti con il terzo settore", "Comunicare con le famiglie",
    "Anziani e non autosufficienza", "Disabilità e lavoro", "Accordi territoriali",
]
THEMATIC_SUFFIXES = ["", "Nord", "Sud", "Est", "Ovest", "laboratorio", "gruppo di lavoro"]

BIOS = [
    "Mi occupo di **conciliazione vita-lavoro** da {n} anni, soprattutto di {service}.",
    "Seguo i progetti della rete con {people} e mi interessa {problem}.",
    "Lavoro a {place}: coordino {service} e il tavolo con le imprese.",
]
OUTCOMES = [
    "Approvata al tavolo dell'Alleanza: partiamo con {tool} a settembre.",
    "Rinviata: prima raccogliamo i dati su {problem}.",
    "Accolta: {people} la sperimentano per sei mesi.",
]
