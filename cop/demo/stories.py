"""Demo value stories (storie di valore), written through the feature's service.

A dozen stories of people of the network, across the five value-creation cycles, about the
demo threads, practices and meetings of the spaces the demo sign-ins see (Alleanza Bergamo 1,
ATS Bergamo, Alleanza Milano 2, ATS Milano, the regional spaces Smart working and Caregiver
familiari), and a few about the life of a space. «membro» and «capofila» have told one each, so
their pages show the edit and delete buttons. Deterministic; `rng` is not needed.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select

from cop.auth.models import User
from cop.database import utcnow
from cop.discussions.models import Thread
from cop.extensions import db
from cop.meetings.models import Meeting, MeetingStatus
from cop.practices.models import Practice
from cop.spaces.models import Membership, Space
from cop.stories import services

DEMO_EMAILS = {"admin@cop.example", "referente.bergamo@cop.example", "capofila@cop.example",
               "facilitatore@cop.example", "membro@cop.example"}


@dataclass(frozen=True)
class Told:
    slug: str
    about: str | None  # "thread", "practice", "meeting" or None (the life of the space)
    match: str  # a part of the subject's title (its demo thread, practice or meeting)
    cycle: str
    title: str
    body: str
    author: str | int = 0  # a demo email, or the n-th plain member of the space
    days_ago: int = 3


STORIES = [
    Told("alleanza-bergamo-1", "thread", "Manifestazione d'interesse", "immediato",
         "In una settimana avevo tutti i documenti per la manifestazione d'interesse",
         "Avevo letto la discussione quasi per scrupolo. In pochi giorni due colleghe di altre "
         "Alleanze mi hanno raccontato come avevano preparato la domanda e mi hanno "
         "mandato i loro moduli.\n\nMi ha fatto risparmiare **almeno un mese** di tentativi.",
         days_ago=26),
    Told("alleanza-bergamo-1", "practice", "Sportello caregiver", "applicato",
         "Abbiamo copiato lo schema dello sportello e l'abbiamo adattato alla valle",
         "Leggendo la scheda abbiamo capito che il nostro sportello era aperto negli orari "
         "sbagliati per chi lavora su turni. Da febbraio:\n\n- apriamo il martedì sera;\n"
         "- fissiamo gli appuntamenti anche per telefono;\n- abbiamo un volantino unico con "
         "il Comune.", author="capofila@cop.example", days_ago=19),
    Told("alleanza-bergamo-1", "meeting", "Cabina di regia", "potenziale",
         "Ora so a chi chiedere quando parte il bando",
         "Alla cabina di regia ho conosciuto la referente del sindacato e quella "
         "dell'associazione datoriale. Non abbiamo ancora fatto nulla insieme, ma la prossima "
         "volta che scriviamo un progetto so chi chiamare.", author=1, days_ago=12),
    Told("ats-bergamo", "thread", "pomeriggi del venerdì", "realizzato",
         "Il venerdì pomeriggio ora è coperto in quattro Comuni",
         "Dopo lo scambio sui pomeriggi del venerdì abbiamo messo insieme educatori di due "
         "cooperative e gli spazi degli oratori. Da gennaio 38 bambini restano a scuola fino "
         "alle 17:30 e i genitori non devono più chiedere permessi.", days_ago=30),
    Told("ats-bergamo", "meeting", "avvio del piano territoriale", "riformulazione",
         "Abbiamo smesso di contare gli sportelli e cominciato a contare le famiglie",
         "Il laboratorio ci ha fatto vedere che misuravamo l'offerta, non l'effetto. Nel "
         "nuovo piano territoriale gli indicatori sono le famiglie accompagnate e il tempo "
         "recuperato, non il numero di servizi aperti.", author=2, days_ago=8),
    Told("ats-bergamo", None, "", "potenziale",
         "Una rete di colleghi su cui contare",
         "Prima di entrare nello spazio ATS lavoravo da sola sui progetti di conciliazione. "
         "Adesso so che c'è un gruppo che risponde e che ha già incontrato i miei stessi "
         "ostacoli.", author=3, days_ago=15),
    Told("alleanza-milano-2", "thread", "Voucher per i centri estivi", "applicato",
         "Il modulo condiviso per le presenze del centro estivo",
         "Abbiamo preso il foglio condiviso proposto nella discussione e l'abbiamo dato ai tre "
         "gestori dei centri estivi. A settembre la rendicontazione era già pronta, senza "
         "rincorrere nessuno.", author="membro@cop.example", days_ago=10),
    Told("alleanza-milano-2", "meeting", "lavoro su turni", "immediato",
         "Un'ora di confronto che mi ha sbloccato",
         "All'incontro sugli orari degli sportelli ho capito perché chi lavora su turni non "
         "veniva mai: eravamo aperti solo al mattino. La sera stessa ho proposto al Comune "
         "un'apertura il giovedì dopo le 18.", author=1, days_ago=5),
    Told("ats-milano", "meeting", "nido interaziendale", "potenziale",
         "Il nido interaziendale non è più un'idea astratta",
         "La visita di studio mi ha fatto vedere i costi veri, gli spazi e gli accordi tra "
         "le aziende. Ho portato gli appunti alla nostra associazione: ne parliamo al "
         "prossimo direttivo.", days_ago=4),
    Told("smart-working-e-lavoro-agile", "thread", "accordo tipo", "applicato",
         "Il nostro accordo di lavoro agile ora ha le fasce di disconnessione",
         "Grazie agli esempi raccolti nella discussione abbiamo riscritto l'accordo con le "
         "RSU: fasce di contattabilità chiare e diritto alla disconnessione dopo le 18.",
         author=1, days_ago=21),
    Told("smart-working-e-lavoro-agile", None, "", "riformulazione",
         "Lo smart working non è solo una misura di conciliazione",
         "Parlando con le altre reti abbiamo smesso di presentarlo come un favore alle "
         "famiglie: è un modo di organizzare il lavoro per obiettivi, e così lo proponiamo "
         "alle imprese.", author=2, days_ago=2),
    Told("caregiver-familiari", "thread", "quali orari funzionano", "realizzato",
         "Tre caregiver hanno potuto tenere il lavoro",
         "Con l'apertura serale dello sportello, decisa dopo lo scambio sugli orari, tre "
         "lavoratrici che stavano per chiedere il part-time hanno trovato il servizio di "
         "sollievo che cercavano e mantenuto il loro orario.", author=1, days_ago=1),
]


def _subject(space: Space, about: str | None, match: str):
    """The space's thread, published practice or past meeting whose title contains `match`
    (None: the story is about the space's life, as when the demo data has no such subject)."""
    if about == "thread":
        query = select(Thread).where(Thread.space_id == space.id, Thread.hidden.is_(False),
                                     Thread.title.contains(match)).order_by(Thread.id)
    elif about == "practice":
        query = select(Practice).where(Practice.space_id == space.id,
                                       Practice.status == "pubblicata",
                                       Practice.title.contains(match)).order_by(Practice.id)
    elif about == "meeting":
        query = select(Meeting).where(Meeting.space_id == space.id, Meeting.ends_at < utcnow(),
                                      Meeting.status != MeetingStatus.CANCELLED.value,
                                      Meeting.title.contains(match)) \
            .order_by(Meeting.starts_at.desc(), Meeting.id)
    else:
        return None
    return db.session.scalars(query.limit(1)).first()


def _author(space: Space, who: str | int) -> User | None:
    if isinstance(who, str):
        return db.session.scalar(select(User).where(User.email == who))
    people = [u for u in db.session.scalars(
        select(User).join(Membership, Membership.user_id == User.id)
        .where(Membership.space_id == space.id, User.active.is_(True)).order_by(User.id))
        if u.email not in DEMO_EMAILS]
    return people[who % len(people)] if people else None


def seed_stories(rng) -> None:
    """Deterministic with `rng`; called once by cop.demo.services.seed_demo after meetings."""
    now = utcnow()
    spaces = {s.slug: s for s in db.session.scalars(select(Space))}
    for told in STORIES:
        space = spaces.get(told.slug)
        if space is None:
            continue
        author = _author(space, told.author)
        if author is None:
            continue
        subject = _subject(space, told.about, told.match)
        story = services.tell_story(space, author, services.StoryInput(
            told.cycle, told.title, told.body), subject)
        story.created_at = story.updated_at = now - timedelta(days=told.days_ago, hours=3)
    db.session.flush()
