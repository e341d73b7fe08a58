"""Demo content of the learning feature, written through cop.learning.services.

Three published paths (the regional Smart working space, Alleanza Bergamo 1, Alleanza Milano 2)
with video lessons, a handout, readings; a draft in Alleanza Bergamo 1 that only its
coordinators see; progress of some members, among them the demo «membro», who has completed
the Smart working path (so it is in her learning record) and is halfway through her
Alleanza's; and two training meetings in the next weeks for the regional page.
"""
from __future__ import annotations

from datetime import time, timedelta
from io import BytesIO

from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from cop.auth.models import User
from cop.database import utcnow
from cop.extensions import db
from cop.learning import services
from cop.learning.services import ModuleInput
from cop.spaces.models import Membership, Space, SpaceRole

VIDEO = "https://video.esempio.it/cop/formazione/"
HANDOUT = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]"
           b"/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")

PATHS = [
    ("smart-working-e-lavoro-agile", "admin@cop.example", "Lavoro agile: le basi per le Alleanze",
     "Un percorso breve per chi accompagna imprese ed enti nei **piani di lavoro agile**: "
     "le regole, l'accordo individuale, come misurare i risultati.", True, [
         ModuleInput("video", "Che cos'è il lavoro agile, in dieci minuti", 10,
                     "La legge 81/2017 e ciò che cambia per le persone e le organizzazioni.",
                     url=VIDEO + "lavoro-agile-basi"),
         ModuleInput("dispensa", "Il modello di accordo individuale", 20,
                     "Il testo tipo discusso nella plenaria, da adattare."),
         ModuleInput("lettura", "Un caso: la cooperativa che ha riorganizzato i turni", 15,
                     body="La cooperativa ha introdotto **due giorni di lavoro agile** alla "
                          "settimana per il personale amministrativo.\n\n"
                          "- accordo scritto con ciascuna persona\n"
                          "- fasce di contattabilità concordate\n"
                          "- verifica dopo sei mesi"),
         ModuleInput("lettura", "Per approfondire: le linee guida regionali", 10,
                     url="https://www.esempio.it/linee-guida-lavoro-agile"),
     ]),
    ("alleanza-bergamo-1", "capofila@cop.example", "Accogliere le famiglie allo sportello",
     "Come lo sportello dell'Alleanza accoglie, orienta e accompagna le famiglie.", True, [
         ModuleInput("video", "Il primo colloquio", 12, url=VIDEO + "primo-colloquio"),
         ModuleInput("lettura", "La mappa dei servizi del territorio", 20,
                     body="I servizi per l'infanzia, per i caregiver e per il tempo libero dei "
                          "Comuni dell'Alleanza, con i contatti."),
         ModuleInput("lettura", "Dopo il colloquio: il ricontatto", 8,
                     body="Una telefonata dopo due settimane: che cosa chiedere, "
                          "che cosa annotare."),
     ]),
    ("alleanza-bergamo-1", "capofila@cop.example", "Welfare di territorio (in preparazione)",
     "Bozza: i moduli arrivano dopo il tavolo di gennaio.", False, [
         ModuleInput("lettura", "Che cos'è il welfare di territorio", 15,
                     body="Una prima traccia, da completare."),
     ]),
    ("alleanza-milano-2", None, "Caregiver familiari: orientarsi tra i servizi",
     "Per chi incontra caregiver familiari: i servizi di sollievo, i permessi, le reti di "
     "vicinato.", True, [
         ModuleInput("video", "Chi sono i caregiver familiari", 8, url=VIDEO + "caregiver"),
         ModuleInput("lettura", "Permessi e congedi: una sintesi", 15,
                     body="I permessi della legge 104/1992 e il congedo straordinario, in breve."),
         ModuleInput("dispensa", "La scheda dei servizi di sollievo", 10),
     ]),
]


def _user(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == email))


def _coordinator(space: Space) -> User | None:
    return db.session.scalar(select(User).join(Membership, Membership.user_id == User.id).where(
        Membership.space_id == space.id, Membership.role == SpaceRole.COORDINATOR.value)
        .order_by(Membership.id))


def _members(space: Space) -> list[User]:
    return list(db.session.scalars(select(User).join(Membership, Membership.user_id == User.id)
                                   .where(Membership.space_id == space.id,
                                          Membership.role == SpaceRole.MEMBER.value,
                                          User.email.not_like("%@cop.example"))
                                   .order_by(Membership.id)))


def _handout(name: str) -> FileStorage:
    return FileStorage(BytesIO(HANDOUT), name, content_type="application/pdf")


def seed_learning(rng) -> None:
    """Deterministic with `rng`; called once by cop.demo.services.seed_demo after meetings."""
    spaces = {s.slug: s for s in db.session.scalars(select(Space))}
    made = {}
    for slug, author_email, title, summary, publish, modules in PATHS:
        space = spaces.get(slug)
        if space is None:
            continue
        author = _user(author_email) if author_email else _coordinator(space)
        path = services.create_path(space, author, title, summary)
        for data in modules:
            uploads = [_handout(f"{data.title.lower().replace(' ', '-')[:40]}.pdf")] \
                if data.kind == "dispensa" else []
            services.add_module(path, author, data, uploads)
        if publish:
            services.publish_path(path)
        made[title] = (path, space)
    db.session.flush()

    def take(user, title, how_many=None):
        path, _space = made[title]
        from cop.learning.queries import modules

        for module in modules(path.id)[:how_many]:
            services.mark_done(module, user)

    membro = _user("membro@cop.example")
    if membro is not None and "Lavoro agile: le basi per le Alleanze" in made:
        take(membro, "Lavoro agile: le basi per le Alleanze")
    if membro is not None and "Caregiver familiari: orientarsi tra i servizi" in made:
        take(membro, "Caregiver familiari: orientarsi tra i servizi", 2)
    for title in ("Lavoro agile: le basi per le Alleanze", "Accogliere le famiglie allo sportello"):
        if title not in made:
            continue
        path, space = made[title]
        people = _members(space) or _members(spaces.get("alleanza-bergamo-1", space))
        for person in people[:12]:
            take(person, title, rng.randint(0, path.module_count))
    _training_meetings(spaces)


def _training_meetings(spaces) -> None:
    from cop.meetings import services as meetings
    from cop.meetings.times import local, to_utc

    today = local(utcnow()).date()
    plans = [
        ("smart-working-e-lavoro-agile", "admin@cop.example",
         "Formazione: misurare i risultati del lavoro agile", 12, "online"),
        ("alleanza-milano-2", None, "Formazione per gli sportelli: accogliere i caregiver", 26,
         "presenza"),
    ]
    for slug, email, title, days, mode in plans:
        space = spaces.get(slug)
        if space is None:
            continue
        planner = _user(email) if email else _coordinator(space)
        day = today + timedelta(days=days)
        meetings.plan_meeting(space, planner, meetings.MeetingInput(
            title=title, kind="formazione", mode=mode, starts_at=to_utc(day, time(14, 30)),
            ends_at=to_utc(day, time(16, 30)),
            place="" if mode == "online" else "Sala civica, via Roma 10",
            online_url="https://videoconferenze.esempio.it/cop/formazione" if mode == "online"
            else "",
            description="Un incontro di **formazione** aperto a chi segue i percorsi dello spazio.",
            agenda=[meetings.AgendaRow("Introduzione", "", 15),
                    meetings.AgendaRow("Esercitazione in piccoli gruppi", "", 75),
                    meetings.AgendaRow("Domande", "", 30)]))
