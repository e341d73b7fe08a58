"""Demo discussions: what ATS referents and Alleanza leads would really talk about, written
through the same services as the pages (so counters, search and notifications follow)."""
from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy import select

from cop.auth.models import User
from cop.database import utcnow
from cop.discussions import services
from cop.discussions.models import Post, Thread
from cop.extensions import db
from cop.search.services import reindex_thread
from cop.spaces.models import Membership, Space

# (title, kind, tags, opening text, replies); a reply is text or (text, [nested replies]).
THREADS = [
    ("Pre e post scuola: come coprite i pomeriggi del venerdì?", "domanda", ["scuola", "servizi"],
     "Nel nostro ambito il servizio di **post scuola** si ferma alle 16.30 del venerdì e le "
     "famiglie con turni lunghi restano scoperte. Qualcuno ha trovato una soluzione sostenibile "
     "con le cooperative o con il volontariato?",
     [("Noi abbiamo esteso l'orario fino alle 18 con una convenzione tra Comune e cooperativa: "
       "il costo è diviso tra il fondo della Rete e una quota delle famiglie (a fasce ISEE).",
       ["Quante famiglie lo usano? E come avete calcolato le fasce?",
        "Circa 40 famiglie su 3 plessi. Le fasce sono quelle della mensa, così non serve un "
        "nuovo regolamento."]),
      "Da noi il venerdì lo coprono i volontari dell'oratorio, ma è fragile: ogni anno si "
      "ricomincia da capo.",
      "Consiglio di guardare la scheda dell'Alleanza di Treviglio: hanno un modello simile."]),
    ("Smart working nelle PMI: un accordo tipo da condividere", "proposta",
     ["smart working", "imprese"],
     "Propongo di scrivere insieme un **accordo tipo di lavoro agile** per le piccole imprese "
     "aderenti, con le associazioni datoriali e i sindacati. Chi vuole partecipare al gruppo di "
     "scrittura?",
     ["Ci siamo: come associazione artigiani possiamo portare tre aziende pilota.",
      ("Attenzione alla parte sulla sicurezza: serve l'informativa scritta ogni anno.",
       ["Giusto, la inseriamo come allegato all'accordo."]),
      "Possiamo usare il laboratorio di maggio per la prima bozza: @laura.pezzotta ci sei?"]),
    ("Sportello caregiver: quali orari funzionano davvero?", "esperienza", ["caregiver"],
     "Abbiamo aperto lo sportello per i **caregiver familiari** il sabato mattina: in sei mesi "
     "le persone accolte sono triplicate rispetto all'apertura infrasettimanale. Lo racconto "
     "perché credo valga per molte Alleanze.",
     ["Molto utile. Il personale del sabato è retribuito o volontario?",
      "@marco.bonetti a Bergamo avete dati sugli accessi del sabato? Sarebbe utile confrontarli.",
      "Noi abbiamo provato la sera dalle 18 alle 20, con buoni risultati per chi lavora in turni."]),
    ("Manifestazione d'interesse 2026: scadenze e documenti", "avviso", ["bando"],
     "La nuova **Manifestazione d'Interesse** della Rete è pubblicata: le proposte vanno inviate "
     "entro il 30 gennaio. Trovate nel sito dell'ATS il documento territoriale di indirizzo.",
     ["Grazie. Il modello di budget è lo stesso dello scorso anno?"]),
    ("Voucher per i centri estivi: rendicontazione più semplice?", "domanda",
     ["voucher", "rendicontazione"],
     "La rendicontazione dei voucher per i centri estivi ci porta via settimane. Qualcuno ha uno "
     "strumento condiviso con i gestori per raccogliere le presenze?",
     [("Usiamo un foglio condiviso per gestore, compilato ogni venerdì: a settembre la "
       "rendicontazione è già pronta.", ["Potete condividere il modello del foglio?"])]),
]


def seed_discussions(rng: random.Random) -> int:
    """Threads with replies in a few spaces; returns how many threads were written."""
    spaces = db.session.scalars(select(Space).order_by(Space.id)).all()
    by_slug = {s.slug: s for s in spaces}
    targets = [by_slug.get("ats-bergamo"), by_slug.get("smart-working-e-lavoro-agile"),
               by_slug.get("caregiver-familiari"), by_slug.get("alleanza-bergamo-1"),
               by_slug.get("alleanza-milano-2")]
    targets = [s for s in targets if s is not None]
    written = 0
    start = utcnow() - timedelta(days=40)
    for index, (title, kind, tags, body, replies) in enumerate(THREADS):
        space = targets[index % len(targets)]
        people = _members(space)
        if len(people) < 3:
            continue
        author = people[index % len(people)]
        result = services.create_thread(space, author, title=title, kind=kind, body=body, tags=tags)
        _write_replies(result.thread, None, replies, people, rng, author)
        thread = result.thread
        _spread_in_time(thread, start + timedelta(days=index * 7), rng)
        if thread.is_question:
            first = db.session.scalar(select(Post).where(Post.thread_id == thread.id,
                                                         Post.depth == 1).order_by(Post.sort_key))
            if first is not None:
                services.mark_answer(thread, first)
        written += 1
    return written


def _members(space: Space) -> list[User]:
    return db.session.scalars(
        select(User).join(Membership, Membership.user_id == User.id)
        .where(Membership.space_id == space.id).order_by(User.id)).all()


def _write_replies(thread: Thread, parent: Post | None, replies, people, rng, previous: User):
    for item in replies:
        text, children = (item, []) if isinstance(item, str) else item
        author = rng.choice([p for p in people if p.id != previous.id])
        post = services.reply(thread, author, body=text, parent=parent).post
        _write_replies(thread, post, children, people, rng, author)


def _spread_in_time(thread: Thread, when, rng: random.Random) -> None:
    """Demo posts written a few hours apart, starting `when`."""
    thread.created_at = when
    for post in db.session.scalars(select(Post).where(Post.thread_id == thread.id)
                                   .order_by(Post.id)):
        post.created_at = thread.last_activity_at = when
        when += timedelta(hours=rng.randint(2, 30))
    db.session.flush()
    reindex_thread(thread)  # the index keeps the dates it was given
