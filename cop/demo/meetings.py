"""Demo meetings, written through the feature's services.

Meetings of the Reti Territoriali di Conciliazione in ATS, Alleanza and regional thematic
spaces, dated around the day the demo is loaded: past ones of every kind with agenda,
register, minutes per item, decisions, actions (done, overdue, and open ones coming due in the
next days, so `flask cop send-reminders` has something to send) and feedback, their minutes
approved after a round of review; one past meeting whose minutes are under review and one
still in draft; upcoming ones with invitations and a mix of answers, among them a
benchlearning laboratory open to people of other ATS, a monthly series with its template
agenda, an online webinar and a cancelled meeting. The demo sign-ins (referente, capofila,
facilitatore, membro) all have meetings to answer and open actions.

Everything goes through cop.meetings.services, so counters, versions and access are what the
pages would leave; only the timestamps are moved back afterwards (a service writes «now»), and
the emails the services queue are dropped by seed_demo (mail.discard_queued).
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from cop.auth.models import User
from cop.database import utcnow
from cop.extensions import db
from cop.meetings import services
from cop.meetings.models import (
    AgendaItem, Meeting, MeetingInvitation, MeetingSeries, MinutesVersion,
)
from cop.meetings.times import local, to_utc
from cop.spaces.models import Membership, Space, SpaceRole

ACCOUNTS = {"admin": "admin@cop.example", "referente": "referente.bergamo@cop.example",
            "capofila": "capofila@cop.example", "facilitatore": "facilitatore@cop.example",
            "membro": "membro@cop.example"}
APPROVED, REVIEW, DRAFT = "approvato", "in_revisione", "bozza"
LINK = "https://videoconferenze.esempio.it/cop/"


# People are named by reference: a demo account ("capofila"), the first coordinator or
# facilitator of a space ("coord:ats-milano", "fac:ats-pavia"), or the n-th plain member of the
# meeting's own space ("m:0"), demo accounts left out.
@dataclass
class Item:
    title: str
    presenter: str = ""  # text, or "@<reference>" for that person's name
    planned: int | None = None
    minutes: str = ""


@dataclass
class Todo:
    title: str
    owner: str
    due: int | None  # days from the day the demo is loaded
    status: str = "aperta"
    item: int | None = None  # index in the agenda


@dataclass
class Plan:
    slug: str
    planner: str
    title: str
    kind: str
    day: int  # days from the day the demo is loaded (negative: past)
    start: time
    end: time
    mode: str = "presenza"
    place: str = ""
    link: str = ""
    description: str = ""
    items: list[Item] = field(default_factory=list)
    co_facilitator: str | None = None
    minute_taker: str | None = None
    guests: list[str] = field(default_factory=list)  # invited from outside the space
    # past meetings
    minutes: str = APPROVED
    summary: str = ""
    decisions: list[tuple[int | None, str]] = field(default_factory=list)
    actions: list[Todo] = field(default_factory=list)
    reviews: list[tuple[str, bool, str]] = field(default_factory=list)
    feedback: list[tuple[str, int, str]] = field(default_factory=list)
    # upcoming meetings
    answers: dict[str, str | None] = field(default_factory=dict)
    cancelled: str | None = None  # the reason


PAST = [
    Plan(
        "ats-bergamo", "referente", "Tavolo ATS della Rete di conciliazione: avvio del piano "
        "territoriale", "tavolo_ats", -74, time(10), time(12, 30),
        place="Sede ATS di Bergamo, sala conferenze (piano terra)",
        description="Primo **tavolo ATS** dell'anno con i capofila delle cinque Alleanze: "
                    "priorità del piano territoriale, risorse e monitoraggio comune.",
        minute_taker="fac:ats-bergamo",
        items=[
            Item("Apertura e approvazione del verbale precedente", "@referente", 10,
                 "Il verbale del tavolo precedente è approvato senza modifiche."),
            Item("Piano territoriale di conciliazione: priorità e risorse", "@referente", 45,
                 "Il referente presenta la ripartizione delle risorse regionali. Le priorità "
                 "condivise sono tre:\n\n- **pre e post scuola** e centri estivi;\n"
                 "- **sostegno ai caregiver** familiari;\n- **welfare aziendale** nelle PMI.\n\n"
                 "Le Alleanze chiedono di poter spostare fino al 15 % del budget tra le azioni "
                 "durante l'anno."),
            Item("Monitoraggio delle Alleanze: una scheda comune", "@fac:ats-bergamo", 40,
                 "Si propone una scheda unica con sei indicatori (famiglie raggiunte, imprese "
                 "coinvolte, ore di servizio, costo per utente, gradimento, continuità). "
                 "L'Alleanza 1 la sperimenta per prima."),
            Item("Manifestazione d'interesse: calendario", "", 20,
                 "La pubblicazione è prevista entro fine mese; le proposte avranno sei "
                 "settimane di tempo."),
        ],
        summary="Presenti i capofila di quattro Alleanze su cinque e l'agente di rete. "
                "Il tavolo si chiude alle 12.30.",
        decisions=[
            (1, "Le risorse sono ripartite tra le cinque Alleanze in proporzione ai Comuni "
                "aderenti, con una quota del 10 % per le azioni di sistema."),
            (2, "Si adotta la scheda comune di monitoraggio con sei indicatori, da compilare "
                "ogni sei mesi."),
            (None, "Il prossimo incontro allargato sarà un laboratorio di benchlearning aperto "
                   "alle altre ATS."),
        ],
        actions=[
            Todo("Inviare alle Alleanze la scheda comune di monitoraggio", "fac:ats-bergamo",
                 -60, "fatta", 2),
            Todo("Raccogliere le schede di monitoraggio delle cinque Alleanze", "referente", 2,
                 item=2),
            Todo("Preparare la sintesi dei servizi di pre e post scuola attivi nell'Alleanza",
                 "capofila", -45, "fatta", 1),
            Todo("Aggiornare il cronoprogramma della Manifestazione d'interesse", "referente",
                 -4, "in_corso", 3),
            Todo("Contattare le associazioni datoriali per il welfare nelle PMI", "m:0", -20,
                 item=1),
        ],
        reviews=[("capofila", True, ""),
                 ("m:1", False, "Al punto 2 aggiungerei che la quota di sistema copre anche "
                                "la formazione degli operatori."),
                 ("m:0", True, "")],
        feedback=[("capofila", 5, "Porto la scheda di monitoraggio alla cabina di regia "
                                  "dell'Alleanza."),
                  ("m:0", 4, "Userò la ripartizione per Comuni anche nel nostro budget."),
                  ("m:1", 4, ""), ("m:2", 3, "Serve più tempo per il punto sulle risorse.")],
    ),
    Plan(
        "smart-working-e-lavoro-agile", "admin", "Plenaria della comunità Smart working: un "
        "anno di piani di lavoro agile", "plenaria", -95, time(14, 30), time(17),
        mode="ibrido", place="Palazzo Lombardia, sala Biagi, Milano",
        link=LINK + "plenaria-smart-working",
        description="La plenaria annuale della comunità tematica: risultati dei piani di "
                    "**smart working** nelle imprese e negli enti aderenti alle Alleanze, e "
                    "lavoro in tavole rotonde.",
        co_facilitator="facilitatore", minute_taker="facilitatore",
        guests=["referente", "coord:ats-milano", "coord:ats-brescia"],
        items=[
            Item("Saluti e obiettivi della giornata", "@admin", 15,
                 "La Regione ricorda gli obiettivi della comunità e il calendario dell'anno."),
            Item("I risultati dei piani di smart working nelle PMI aderenti", "@facilitatore",
                 45, "In un anno **38 imprese** hanno firmato un accordo di lavoro agile; il "
                     "giorno più richiesto è il venerdì. Le difficoltà principali: strumenti "
                     "informatici e formazione dei responsabili."),
            Item("Tavole rotonde: accordi, tecnologie, valutazione", "", 60,
                 "Tre tavoli in parallelo. Dal tavolo *accordi* emerge la richiesta di un "
                 "testo tipo per le piccole imprese; dal tavolo *valutazione* un questionario "
                 "comune per i dipendenti."),
            Item("Sintesi e prossimi passi", "@admin", 20,
                 "Le proposte dei tavoli sono raccolte nelle decisioni."),
        ],
        decisions=[
            (2, "Si costituisce un gruppo di scrittura per un accordo tipo di lavoro agile "
                "per le PMI."),
            (3, "La comunità organizza un webinar operativo per le imprese entro tre mesi."),
        ],
        actions=[
            Todo("Raccogliere gli accordi aziendali di lavoro agile già firmati nelle reti",
                 "facilitatore", -70, "fatta", 2),
            Todo("Organizzare il webinar per le imprese sugli accordi di lavoro agile",
                 "facilitatore", -20, "fatta", 3),
            Todo("Pubblicare nella biblioteca la sintesi delle tavole rotonde", "admin", 14,
                 item=2),
        ],
        reviews=[("referente", True, ""), ("m:0", True, "Chiaro e completo, grazie."),
                 ("coord:ats-milano", True, "")],
        feedback=[("referente", 5, "Proporrò l'accordo tipo alle imprese della rete di "
                                   "Bergamo."),
                  ("m:0", 4, "Il questionario per i dipendenti."), ("m:1", 4, ""),
                  ("coord:ats-milano", 3, "Più tempo per le tavole rotonde, la prossima volta.")],
    ),
    Plan(
        "ats-milano", "facilitatore", "Webinar: welfare aziendale e conciliazione nelle PMI del "
        "territorio milanese", "webinar", -52, time(11), time(12, 30), mode="online",
        link=LINK + "ats-milano-welfare-pmi",
        description="Un'ora e mezza per imprese, consulenti e Alleanze: che cosa si può fare "
                    "con il **welfare aziendale** per la conciliazione, con un'esperienza "
                    "dal territorio.",
        guests=["membro", "coord:alleanza-milano-2"],
        items=[
            Item("Il quadro normativo del welfare aziendale", "Consulente del lavoro", 25,
                 "Beni e servizi esenti, il ruolo degli accordi aziendali e territoriali, i "
                 "limiti per le piccole imprese."),
            Item("Un'esperienza: lo sportello welfare per le imprese", "@m:0", 30,
                 "Lo sportello ha accompagnato 12 imprese in un anno; i servizi più scelti "
                 "sono i centri estivi e il rimborso delle rette del nido."),
            Item("Domande dei partecipanti", "", 30,
                 "Molte domande sui voucher baby-sitting e sulla rendicontazione."),
        ],
        decisions=[(None, "La registrazione e le slide restano nei materiali dello spazio.")],
        actions=[
            Todo("Rispondere per iscritto alle domande rimaste aperte nel webinar",
                 "facilitatore", 5, item=2),
            Todo("Inviare alle imprese partecipanti il questionario di gradimento", "m:0", -45,
                 "fatta"),
        ],
        reviews=[("membro", True, ""), ("m:1", True, "")],
        feedback=[("membro", 4, "Racconterò lo sportello welfare alla nostra Alleanza."),
                  ("m:1", 5, ""), ("coord:alleanza-milano-2", 4, "I voucher baby-sitting.")],
    ),
    Plan(
        "ats-milano", "facilitatore", "Visita di studio al nido interaziendale di Sesto San "
        "Giovanni", "visita_studio", -29, time(9, 30), time(13),
        place="Nido interaziendale, via Manin, Sesto San Giovanni",
        description="Visita al **nido aziendale condiviso** da quattro imprese del territorio, "
                    "con la coordinatrice del servizio e due responsabili del personale.",
        guests=["membro", "coord:alleanza-milano-2", "coord:alleanza-milano-4"],
        items=[
            Item("Accoglienza e presentazione del servizio", "Coordinatrice del nido", 30,
                 "Il nido accoglie 42 bambini, 30 posti sono riservati ai figli dei dipendenti "
                 "delle imprese convenzionate."),
            Item("Visita agli spazi e ai servizi salvatempo", "", 60,
                 "Oltre al nido: lavanderia e ritiro della spesa per i dipendenti, gestiti "
                 "dalla stessa cooperativa."),
            Item("Confronto: costi, convenzioni con le imprese, tariffe", "@facilitatore", 60,
                 "Le imprese coprono il 60 % della retta; il resto a fasce ISEE. La "
                 "convenzione dura tre anni, con un posto garantito per impresa."),
            Item("Che cosa portiamo nelle nostre Alleanze", "", 30,
                 "Due Alleanze valutano un nido interaziendale nelle zone artigianali."),
        ],
        decisions=[(2, "Il modello di convenzione diventa una scheda della biblioteca delle "
                       "buone pratiche.")],
        actions=[
            Todo("Scrivere la scheda della pratica per la biblioteca", "membro", 3, item=2),
            Todo("Chiedere al nido il modello di convenzione con le imprese", "m:1", -6,
                 item=2),
            Todo("Condividere foto e materiali della visita", "facilitatore", -25, "fatta"),
        ],
        reviews=[("membro", True, "Ho aggiunto due righe sulle tariffe nel commento: ok per "
                                  "me."),
                 ("coord:alleanza-milano-4", True, "")],
        feedback=[("membro", 5, "La convenzione triennale con un posto garantito per "
                                "impresa."),
                  ("coord:alleanza-milano-2", 5, ""), ("m:0", 4, "")],
    ),
    Plan(
        "alleanza-milano-2", "coord:alleanza-milano-2", "Comunità di pratica: orari degli "
        "sportelli famiglie e lavoro su turni", "comunita_pratica", -17, time(17), time(18, 30),
        place="Biblioteca civica, sala incontri",
        description="Sessione della **comunità di pratica** dell'Alleanza: come rendere gli "
                    "sportelli raggiungibili da chi lavora su turni.",
        minute_taker="membro",
        items=[
            Item("Giro di esperienze: chi lavora su turni arriva allo sportello?", "", 30,
                 "Tre sportelli su cinque chiudono alle 16; le richieste serali arrivano per "
                 "telefono e restano senza risposta."),
            Item("Aperture serali e del sabato: costi e personale", "@membro", 30,
                 "Un'apertura serale al mese costa circa 1.200 euro l'anno per sportello. Si "
                 "può condividere l'operatrice tra due Comuni."),
            Item("Un volantino unico per le famiglie", "", 20,
                 "Si raccolgono orari, numeri e servizi di tutti i Comuni."),
        ],
        summary="Sessione partecipata, con due operatrici nuove dello sportello.",
        decisions=[(1, "Si sperimenta un'apertura serale al mese, a rotazione tra i Comuni.")],
        actions=[
            Todo("Raccogliere gli orari di apertura degli sportelli dei Comuni dell'Alleanza",
                 "membro", 1, item=2),
            Todo("Preparare un volantino unico sugli sportelli per le famiglie", "membro", 12,
                 "in_corso", 2),
            Todo("Verificare con i servizi sociali le richieste del sabato", "membro", -9,
                 item=0),
            Todo("Chiedere ai Comuni la disponibilità di una sala per le aperture serali",
                 "m:0", -10, "fatta", 1),
        ],
        reviews=[("m:0", True, ""), ("membro", True, "")],
        feedback=[("membro", 4, "Proverò l'apertura serale nel mio sportello."),
                  ("m:0", 4, "")],
    ),
    Plan(
        "ats-pavia", "coord:ats-pavia", "Laboratorio di benchlearning: sportelli caregiver a "
        "confronto tra Pavia e Val Padana", "benchlearning", -38, time(9, 30), time(13),
        place="Sede ATS di Pavia, sala convegni",
        description="Laboratorio di **benchlearning** tra due ATS: si confrontano indicatori, "
                    "costi e organizzazione degli sportelli per i caregiver familiari.",
        co_facilitator="fac:ats-pavia",
        guests=["coord:ats-val-padana", "fac:ats-val-padana", "coord:alleanza-val-padana-1"],
        items=[
            Item("Le schede degli sportelli: dati a confronto", "@fac:ats-pavia", 40,
                 "Accessi medi: 18 al mese a Pavia, 11 in Val Padana. Il costo per accesso "
                 "varia da 35 a 60 euro."),
            Item("Lavoro in gruppi: che cosa spiega le differenze", "", 70,
                 "Contano l'apertura il sabato, il numero di telefono unico e l'accordo con i "
                 "medici di base per l'invio delle persone."),
            Item("Impegni di miglioramento", "@coord:ats-val-padana", 30,
                 "Ogni sportello sceglie un cambiamento da provare per sei mesi."),
        ],
        decisions=[(1, "Le due ATS usano gli stessi tre indicatori per gli sportelli "
                       "caregiver."),
                   (2, "Ci si rivede dopo sei mesi per confrontare i risultati.")],
        actions=[
            Todo("Mandare ai medici di base il volantino dello sportello", "m:0", 20, item=1),
            Todo("Preparare il foglio comune dei tre indicatori", "fac:ats-pavia", -30,
                 "fatta", 1),
            Todo("Proporre l'apertura del sabato alla cabina di regia", "coord:alleanza-val-"
                 "padana-1", -12, item=2),
        ],
        reviews=[("coord:ats-val-padana", True, ""), ("m:1", True, "")],
        feedback=[("coord:ats-val-padana", 5, "Il numero di telefono unico."),
                  ("fac:ats-val-padana", 4, ""), ("m:0", 4, "L'accordo con i medici di base.")],
    ),
    Plan(
        "ats-milano", "coord:ats-milano", "Tavolo ATS: coordinamento delle Alleanze milanesi",
        "tavolo_ats", -5, time(10), time(12), place="Sede ATS di Milano, sala 3",
        minute_taker="facilitatore", minutes=DRAFT,
        items=[
            Item("Stato dei progetti delle sei Alleanze", "@coord:ats-milano", 40,
                 "Cinque Alleanze su sei sono in linea con il cronoprogramma; l'Alleanza 6 "
                 "chiede una proroga di due mesi."),
            Item("Rendicontazione del primo semestre", "", 40),
            Item("Calendario dei prossimi incontri", "", 20),
        ],
        summary="Bozza: da completare con i punti 2 e 3.",
        decisions=[(0, "La proroga dell'Alleanza 6 è accolta.")],
    ),
]

UPCOMING = [
    Plan(
        "ats-bergamo", "referente", "Laboratorio di benchlearning tra ATS: pre e post scuola e "
        "centri estivi", "benchlearning", 12, time(9, 30), time(13),
        place="Sede ATS di Bergamo, sala conferenze (piano terra)",
        description="Un laboratorio aperto alle **altre ATS**: ognuno porta i dati del proprio "
                    "servizio di pre e post scuola (iscritti, costi, orari) e li confrontiamo "
                    "per imparare gli uni dagli altri.\n\nPortate la scheda di monitoraggio "
                    "compilata.",
        co_facilitator="fac:ats-bergamo",
        guests=["coord:ats-milano", "coord:ats-brescia", "coord:ats-val-padana",
                "facilitatore", "membro", "coord:alleanza-milano-2", "coord:alleanza-brescia-1"],
        items=[Item("Benvenuto e obiettivi del laboratorio", "@referente", 15),
               Item("Tre servizi a confronto: Bergamo, Milano, Brescia", "", 60),
               Item("Lavoro a gruppi sugli indicatori", "@fac:ats-bergamo", 60),
               Item("Che cosa cambiamo nei nostri servizi", "", 30)],
        answers={"referente": "si", "capofila": "si", "facilitatore": "si",
                 "coord:ats-milano": "si", "coord:ats-brescia": "forse",
                 "coord:ats-val-padana": "no", "coord:alleanza-milano-2": "si", "membro": None},
    ),
    Plan(
        "smart-working-e-lavoro-agile", "facilitatore", "Webinar: come scrivere un accordo di "
        "lavoro agile in una PMI", "webinar", 5, time(11), time(12, 30), mode="online",
        link=LINK + "webinar-accordo-lavoro-agile",
        description="Il webinar deciso nella plenaria: il **testo tipo** di accordo scritto dal "
                    "gruppo di lavoro, spiegato clausola per clausola, con le domande delle "
                    "imprese.",
        guests=["referente", "capofila"],
        items=[Item("Il testo tipo dell'accordo", "@facilitatore", 30),
               Item("Sicurezza, strumenti e diritto alla disconnessione", "Consulente del "
                    "lavoro", 30),
               Item("Domande delle imprese", "", 30)],
        answers={"facilitatore": "si", "capofila": "si", "referente": None, "m:0": "si",
                 "m:1": "no"},
    ),
    Plan(
        "alleanza-milano-2", "coord:alleanza-milano-2", "Comunità di pratica: il volantino unico "
        "degli sportelli e le aperture serali", "comunita_pratica", 8, time(17), time(18, 30),
        place="Biblioteca civica, sala incontri",
        description="Seguito della sessione sugli orari: la bozza del volantino e il "
                    "calendario delle aperture serali.",
        minute_taker="membro",
        items=[Item("Azioni aperte dall'incontro precedente", "", 15),
               Item("La bozza del volantino unico", "@membro", 30),
               Item("Calendario delle aperture serali", "", 30)],
        answers={"membro": "si", "m:0": "forse"},
    ),
    Plan(
        "caregiver-familiari", "admin", "Incontro aperto: i servizi di sollievo per i caregiver",
        "comunita_pratica", 15, time(15), time(17), mode="ibrido",
        place="Palazzo Lombardia, sala 12", link=LINK + "caregiver-sollievo",
        items=[Item("Le ore di sollievo a domicilio: tre esperienze", "", 60),
               Item("Domande e proposte", "", 45)],
        answers={"capofila": "si", "m:0": "si", "m:1": "forse"},
        cancelled="La relatrice principale non è disponibile: l'incontro sarà riprogrammato "
                  "nelle prossime settimane.",
    ),
]

SERIES = Plan(
    "alleanza-bergamo-1", "capofila", "Cabina di regia dell'Alleanza Bergamo 1",
    "comunita_pratica", -47, time(17), time(18, 30), mode="ibrido",
    place="Sala della giunta del Comune capofila", link=LINK + "cabina-regia-bergamo-1",
    description="L'incontro mensile dei partner dell'Alleanza: azioni aperte, andamento dei "
                "servizi, decisioni del mese.",
    guests=["referente"],
    items=[Item("Azioni aperte dal mese scorso", "Laura Pezzotta", 15),
           Item("Pre e post scuola: iscrizioni e presenze", "Coordinatrice pedagogica", 30),
           Item("Sportello caregiver: accessi del mese", "", 20),
           Item("Varie ed eventuali", "", 10)],
)
SERIES_OCCURRENCES = 6
# What the first two (past) meetings of the series left: minutes per item, decisions,
# actions, reviews; the first approved, the second still under review.
SERIES_PAST = [
    dict(minutes=APPROVED,
         texts=["Nessuna azione aperta: è la prima cabina di regia dell'anno.",
                "Iscritti al pre scuola: 64 in tre plessi; al post scuola 41. Lista d'attesa "
                "di 9 famiglie nel plesso di via Roma.",
                "Lo sportello del sabato ha accolto 23 persone nel mese.",
                "Si ricorda la scadenza della Manifestazione d'interesse."],
         decisions=[(1, "Il post scuola del plesso di via Roma passa da 20 a 30 posti.")],
         actions=[Todo("Inviare alle famiglie il questionario sui bisogni di conciliazione",
                       "capofila", 1, item=1),
                  Todo("Concordare con la cooperativa l'estensione del post scuola al venerdì",
                       "m:0", -30, "fatta", 1),
                  Todo("Chiedere all'ATS i dati regionali sugli sportelli caregiver", "m:1",
                       -20, "fatta", 2)],
         reviews=[("m:0", True, ""), ("referente", True, "")],
         feedback=[("m:0", 4, "La lista d'attesa condivisa tra i plessi."), ("m:1", 5, "")]),
    dict(minutes=REVIEW,
         texts=["Delle tre azioni del mese scorso due sono fatte; il questionario alle "
                "famiglie è in preparazione.",
                "Il venerdì il post scuola è esteso alle 18 da questo mese: 12 iscritti.",
                "Gli accessi del sabato sono stabili; si valuta un'apertura serale.",
                ""],
         decisions=[(2, "Si prova un'apertura serale dello sportello caregiver il primo "
                        "giovedì del mese.")],
         actions=[Todo("Aggiornare il cronoprogramma del post scuola", "capofila", 9,
                       "in_corso", 1),
                  Todo("Preparare il volantino dell'apertura serale dello sportello", "m:1",
                       3, item=2)],
         reviews=[("m:0", True, ""),
                  ("m:1", False, "Al punto sullo sportello mancano i dati degli accessi del "
                                 "sabato: li mando entro venerdì.")],
         feedback=[]),
]


class _World:
    """The demo spaces and people the meetings are written with, looked up once."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.today = local(utcnow()).date()
        self.now = utcnow().replace(microsecond=0)
        self.spaces = {s.slug: s for s in db.session.scalars(select(Space))}
        self.accounts = {key: db.session.scalar(select(User).where(User.email == email))
                         for key, email in ACCOUNTS.items()}
        self.demo_ids = {u.id for u in self.accounts.values() if u is not None}
        self._members: dict[int, list[tuple[User, str]]] = {}

    def members(self, space: Space) -> list[tuple[User, str]]:
        if space.id not in self._members:
            self._members[space.id] = list(db.session.execute(
                select(User, Membership.role).join(Membership, Membership.user_id == User.id)
                .where(Membership.space_id == space.id, User.active.is_(True))
                .order_by(User.id)).tuples())
        return self._members[space.id]

    def person(self, ref: str, space: Space) -> User:
        if ref in self.accounts:
            return self.accounts[ref]
        kind, _, value = ref.partition(":")
        if kind == "m":
            plain = [u for u, role in self.members(space)
                     if role == SpaceRole.MEMBER.value and u.id not in self.demo_ids] \
                or [u for u, _ in self.members(space)]
            return plain[int(value) % len(plain)]
        role = {"coord": SpaceRole.COORDINATOR.value, "fac": SpaceRole.FACILITATOR.value}[kind]
        other = self.spaces[value]
        found = [u for u, r in self.members(other) if r == role and u.id not in self.demo_ids]
        return (found or [u for u, r in self.members(other) if r == role])[0]

    def day(self, offset: int) -> date:
        """The day `offset` days from today, moved off the weekend (to Monday, or to Friday
        for past meetings)."""
        day = self.today + timedelta(days=offset)
        if day.weekday() >= 5:
            day += timedelta(days=7 - day.weekday()) if offset >= 0 \
                else -timedelta(days=day.weekday() - 4)
        return day

    def before_now(self, moment: datetime) -> datetime:
        return min(moment, self.now - timedelta(minutes=5))


def seed_meetings(rng: random.Random) -> None:
    world = _World(rng)
    if any(world.accounts[k] is None for k in ACCOUNTS) or "ats-bergamo" not in world.spaces:
        return  # not the demo region
    for plan in PAST:
        meeting = _plan(world, plan)
        _invite(world, plan, meeting)
        _hold(world, plan, meeting, plan)
    _series(world)
    for plan in UPCOMING:
        meeting = _plan(world, plan)
        _invite(world, plan, meeting)
        _answer_upcoming(world, plan, meeting)
        if plan.cancelled:
            services.cancel_meeting(meeting, world.person(plan.planner, _space(world, plan)),
                                    plan.cancelled)
            meeting.updated_at = world.before_now(world.now)
    db.session.flush()


def _space(world: _World, plan: Plan) -> Space:
    return world.spaces[plan.slug]


def _presenter(world: _World, plan: Plan, text: str) -> str:
    return world.person(text[1:], _space(world, plan)).name if text.startswith("@") else text


def _input(world: _World, plan: Plan, day: date) -> services.MeetingInput:
    space = _space(world, plan)
    planner = world.person(plan.planner, space)
    facilitators = [planner.id] + ([world.person(plan.co_facilitator, space).id]
                                   if plan.co_facilitator else [])
    return services.MeetingInput(
        title=plan.title, kind=plan.kind, mode=plan.mode, starts_at=to_utc(day, plan.start),
        ends_at=to_utc(day, plan.end), place=plan.place, online_url=plan.link,
        description=plan.description,
        minute_taker_id=world.person(plan.minute_taker, space).id if plan.minute_taker else None,
        facilitator_ids=facilitators,
        agenda=[services.AgendaRow(i.title, _presenter(world, plan, i.presenter), i.planned)
                for i in plan.items])


def _plan(world: _World, plan: Plan) -> Meeting:
    space = _space(world, plan)
    meeting = services.plan_meeting(space, world.person(plan.planner, space),
                                    _input(world, plan, world.day(plan.day)))
    _planned_at(world, meeting)
    return meeting


def _planned_at(world: _World, meeting: Meeting) -> None:
    """A meeting is planned two or three weeks ahead (or a few days ago, if it is soon)."""
    weeks_ahead = meeting.starts_at - timedelta(days=world.rng.randint(14, 24))
    meeting.created_at = meeting.updated_at = world.before_now(
        max(weeks_ahead, world.now - timedelta(days=world.rng.randint(3, 9)))
        if meeting.starts_at > world.now else weeks_ahead)


def _invite(world: _World, plan: Plan, meeting: Meeting) -> None:
    space = _space(world, plan)
    planner = world.person(plan.planner, space)
    guests = [world.person(ref, space).id for ref in plan.guests]
    services.invite(meeting, planner, members=True, user_ids=guests)
    for invitation in _invitations(meeting):
        invitation.created_at = meeting.created_at


def _invitations(meeting: Meeting) -> list[MeetingInvitation]:
    return list(db.session.scalars(select(MeetingInvitation).where(
        MeetingInvitation.meeting_id == meeting.id).order_by(MeetingInvitation.user_id)))


def _answered(world: _World, meeting: Meeting, user: User, value: str) -> None:
    invitation = services.answer(meeting, user, value)
    latest = min(meeting.starts_at - timedelta(hours=2), world.now)
    span = max(1, int((latest - meeting.created_at).total_seconds() // 3600))
    invitation.answered_at = world.before_now(
        meeting.created_at + timedelta(hours=world.rng.randint(1, span)))


def _answer_upcoming(world: _World, plan: Plan, meeting: Meeting) -> None:
    space = _space(world, plan)
    chosen = {world.person(ref, space).id: value for ref, value in plan.answers.items()}
    people = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(
        select(MeetingInvitation.user_id).where(MeetingInvitation.meeting_id == meeting.id))))}
    for user_id in sorted(people):
        if user_id in chosen:
            value = chosen[user_id]
        elif user_id in world.demo_ids:
            value = None  # a demo sign-in decides for themself
        else:
            value = world.rng.choices(["si", "no", "forse", None], [5, 1, 2, 3])[0]
        if value:
            _answered(world, meeting, people[user_id], value)


def _hold(world: _World, plan: Plan, meeting: Meeting, what) -> None:
    """The meeting took place: answers, register, minutes, decisions, actions, review,
    approval and feedback, as `what` (a Plan, or a dict for a meeting of the series) says."""
    space = _space(world, plan)
    get = (lambda name: getattr(what, name, None)) if isinstance(what, Plan) else what.get
    planner = world.person(plan.planner, space)
    writer = world.person(plan.minute_taker, space) if plan.minute_taker else planner
    rng = world.rng
    named = [plan.planner, *plan.guests, *([plan.minute_taker] if plan.minute_taker else []),
             *(a.owner for a in get("actions") or []), *(r[0] for r in get("reviews") or []),
             *(f[0] for f in get("feedback") or [])]
    present = {world.person(ref, space).id for ref in named}  # those the minutes name came
    invited = {i.user_id for i in _invitations(meeting)}
    people = {u.id: u for u in db.session.scalars(select(User).where(
        User.id.in_(invited | present)))}
    register = {}
    for user_id in sorted(people):
        person = people[user_id]
        if user_id in present or rng.random() < 0.7:
            present.add(user_id)
            register[user_id] = ("presente", person.organisation.name)
            if user_id in invited:
                _answered(world, meeting, person, "si" if rng.random() < 0.9 else "forse")
        else:
            register[user_id] = (rng.choice(["assente", "giustificato"]), person.organisation.name)
            answer = rng.choice(["no", "no", "si", None])
            if answer:
                _answered(world, meeting, person, answer)
    services.record_attendance(meeting, writer, register)

    items = db.session.scalars(select(AgendaItem).where(AgendaItem.meeting_id == meeting.id)
                               .order_by(AgendaItem.position)).all()
    texts = get("texts") or [i.minutes for i in plan.items]
    services.save_minutes(meeting, writer, get("summary") or "",
                          {item.id: text for item, text in zip(items, texts) if text})
    ended = meeting.ends_at
    for index, text in get("decisions") or []:
        decision = services.add_decision(meeting, writer, text,
                                         items[index].id if index is not None else None)
        decision.created_at = ended
    for todo in get("actions") or []:
        owner = world.person(todo.owner, space)
        action = services.add_action(
            meeting, writer, todo.title, owner.id,
            world.today + timedelta(days=todo.due) if todo.due is not None else None,
            items[todo.item].id if todo.item is not None else None)
        if todo.status != "aperta":
            services.update_action(action, status=todo.status)
        action.created_at = ended + timedelta(hours=1)
        action.updated_at = world.before_now(
            ended + timedelta(days=rng.randint(2, 20)) if todo.status != "aperta"
            else action.created_at)
    status = get("minutes") or APPROVED
    if status == DRAFT:
        meeting.updated_at = world.before_now(ended + timedelta(hours=3))
        return
    services.send_minutes_for_review(meeting, writer)
    sent = world.before_now(ended + timedelta(days=2))
    for ref, approved, comment in get("reviews") or []:
        review = services.review_minutes(meeting, world.person(ref, space), approved, comment)
        review.created_at = world.before_now(sent + timedelta(hours=rng.randint(4, 96)))
    if status == APPROVED:
        # four eyes: not by who wrote them
        services.approve_minutes(meeting, planner if planner.id != writer.id
                                 else world.accounts["admin"])
    approved_at = world.before_now(sent + timedelta(days=6))
    for version in db.session.scalars(select(MinutesVersion).where(
            MinutesVersion.meeting_id == meeting.id)):
        version.created_at = sent if version.status == REVIEW else approved_at
    if status == APPROVED:
        meeting.minutes_approved_at = approved_at
    for ref, mark, note in get("feedback") or []:
        feedback = services.give_feedback(meeting, world.person(ref, space), mark, note)
        feedback.created_at = world.before_now(ended + timedelta(hours=rng.randint(2, 48)))
    meeting.updated_at = approved_at if status == APPROVED else sent


def _series(world: _World) -> None:
    """The Alleanza's monthly steering group: two past meetings, the rest ahead."""
    plan = SERIES
    space = _space(world, plan)
    planner = world.person(plan.planner, space)
    meetings = services.plan_series(space, planner, _input(world, plan, world.day(plan.day)),
                                    "mensile", SERIES_OCCURRENCES)
    series = db.session.get(MeetingSeries, meetings[0].series_id)
    _planned_at(world, meetings[0])
    series.created_at = meetings[0].created_at  # the whole series is planned at once
    past = [m for m in meetings if m.ends_at <= world.now][:len(SERIES_PAST)]
    for position, meeting in enumerate(meetings):
        meeting.created_at = meeting.updated_at = series.created_at
        if position <= len(past) + 1:  # invitations go out for the next two meetings
            _invite(world, plan, meeting)
    for meeting, what in zip(past, SERIES_PAST):
        _hold(world, plan, meeting, what)
    upcoming = [m for m in meetings if m not in past]
    if upcoming:
        _answer_upcoming(world, Plan(**{**plan.__dict__, "answers": {
            "capofila": "si", "referente": None, "m:0": "si", "m:1": "forse"}}), upcoming[0])

