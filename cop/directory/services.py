"""Writes of the directory. Never commit: the view does, once."""
from __future__ import annotations

import re

from flask_babel import gettext as _
from sqlalchemy import delete, select, update

from cop import access, figure_store, mail
from cop.auth.models import User
from cop.database import utcnow
from cop.directory import notices
from cop.directory.models import (
    DetailsVisibility,
    Endorsement,
    LearningRecord,
    PersonSkill,
    ProfileDetails,
    TrainerOffer,
)
from cop.directory.queries import OPEN_KEY, compute_open_holdings, details_of, search_words
from cop.errors import ServiceError
from cop.extensions import db
from cop.network.models import Ats
from cop.notifications import services as notifications
from cop.reference.models import Skill
from cop.search.text import plain_text

MAX_TOPICS = 15
TOPIC_LENGTH = 60
_SEPARATORS = re.compile(r"[,;\n]+")


def parse_topics(text: str) -> list[str]:
    """Free words, separated by commas, semicolons or new lines: trimmed, without repeats."""
    topics: list[str] = []
    seen: set[str] = set()
    for part in _SEPARATORS.split(text or ""):
        topic = " ".join(part.split())[:TOPIC_LENGTH]
        if topic and topic.lower() not in seen:
            seen.add(topic.lower())
            topics.append(topic)
    return topics[:MAX_TOPICS]


def skills_map_changed() -> None:
    """The skills map's stored figures are computed again in this transaction, just before it
    commits (nothing if it rolls back): every server shows the change at once."""
    figure_store.refresh_before_commit(db.session, OPEN_KEY, compute_open_holdings)


def details_row(user: User) -> ProfileDetails:
    """The person's details row, created when missing."""
    details = db.session.get(ProfileDetails, user.id)
    if details is None:
        details = ProfileDetails(user_id=user.id, visibility=DetailsVisibility.EVERYBODY.value,
                                 topics="", languages="", search_words="")
        db.session.add(details)
    return details


def refresh_search_words(user: User) -> None:
    """What the directory's free text finds the person by: bio, topics, trainer topics.
    Called whenever one of them changes (cop.account.services.update_profile too)."""
    details = details_row(user)
    offer = db.session.get(TrainerOffer, user.id)
    details.search_words = search_words(plain_text(user.bio_html),
                                        details.topics.replace("\n", " "),
                                        offer.topics.replace("\n", " ") if offer else "")


def update_details(user: User, *, visibility: str, topics: str, languages: str,
                   levels: dict[str, int]) -> None:
    """Visibility, topics, languages and the skills with their level (0: not held). A skill
    taken away loses its endorsements; a changed level keeps them."""
    if visibility not in {v.value for v in DetailsVisibility}:
        raise ServiceError(_("Scegli chi può vedere i dettagli del profilo."))
    known = set(db.session.scalars(select(Skill.code)))
    unknown = set(levels) - known
    if unknown or any(not 0 <= level <= 4 for level in levels.values()):
        raise ServiceError(_("Competenza o livello non valido."))
    details = details_row(user)
    details.visibility = visibility
    details.topics = "\n".join(parse_topics(topics))
    details.languages = " ".join((languages or "").split())[:300]
    details.updated_at = utcnow()
    current = {ps.skill_code: ps for ps in db.session.scalars(
        select(PersonSkill).where(PersonSkill.user_id == user.id))}
    dropped = [code for code, level in levels.items() if level == 0 and code in current]
    if dropped:
        db.session.execute(delete(Endorsement).where(Endorsement.user_id == user.id,
                                                     Endorsement.skill_code.in_(dropped)))
        db.session.execute(delete(PersonSkill).where(PersonSkill.user_id == user.id,
                                                     PersonSkill.skill_code.in_(dropped)))
    for code, level in levels.items():
        if level == 0:
            continue
        if code in current:
            if current[code].level != level:
                current[code].level = level
                current[code].updated_at = utcnow()
        else:
            db.session.add(PersonSkill(user_id=user.id, skill_code=code, level=level,
                                       endorsement_count=0))
    db.session.flush()
    refresh_search_words(user)
    access.forget_ties()
    skills_map_changed()


# --- learning record ------------------------------------------------------------------------

def add_learning(user: User, *, title: str, kind: str, provider: str, year: int) -> LearningRecord:
    record = LearningRecord(user_id=user.id, title=" ".join(title.split())[:200], kind=kind,
                            provider=" ".join((provider or "").split())[:200], year=year)
    db.session.add(record)
    db.session.flush()
    return record


def remove_learning(user: User, record_id: int) -> None:
    record = db.session.get(LearningRecord, record_id)
    if record is None or record.user_id != user.id:
        raise ServiceError(_("Questa voce non c'è più."))
    db.session.delete(record)


# --- trainer offer --------------------------------------------------------------------------

def set_trainer_offer(user: User, *, topics: str, in_person: bool, online: bool,
                      availability: str, ats_ids: list[int]) -> TrainerOffer:
    chosen = parse_topics(topics)
    if not chosen:
        raise ServiceError(_("Scrivi almeno un tema su cui puoi formare o accompagnare altri."))
    if not (in_person or online):
        raise ServiceError(_("Scegli almeno una modalità: in presenza oppure online."))
    offer = db.session.get(TrainerOffer, user.id)
    if offer is None:
        offer = TrainerOffer(user_id=user.id)
        db.session.add(offer)
    offer.topics = "\n".join(chosen)
    offer.in_person, offer.online = in_person, online
    offer.availability = " ".join((availability or "").split())[:500]
    offer.updated_at = utcnow()
    offer.territories = db.session.scalars(select(Ats).where(Ats.id.in_(ats_ids))).all() \
        if ats_ids else []
    db.session.flush()
    refresh_search_words(user)
    return offer


def withdraw_trainer_offer(user: User) -> None:
    offer = db.session.get(TrainerOffer, user.id)
    if offer is None:
        raise ServiceError(_("Non ti eri offerto come formatore."))
    db.session.delete(offer)
    db.session.flush()
    refresh_search_words(user)


# --- endorsements ---------------------------------------------------------------------------

def _person_skill(user_id: int, skill_code: str) -> PersonSkill:
    person_skill = db.session.get(PersonSkill, (user_id, skill_code))
    if person_skill is None:
        raise ServiceError(_("Questa persona non indica più questa competenza."))
    return person_skill


def endorse(endorser: User, user_id: int, skill_code: str, note: str = "") -> Endorsement:
    person_skill = _person_skill(user_id, skill_code)
    if not access.can(endorser, access.ENDORSE, person_skill):
        raise ServiceError(_("Non puoi confermare questa competenza."))
    existing = db.session.scalar(select(Endorsement).where(
        Endorsement.user_id == user_id, Endorsement.skill_code == skill_code,
        Endorsement.endorser_id == endorser.id))
    if existing is not None:
        raise ServiceError(_("Hai già confermato questa competenza."))
    endorsement = Endorsement(user_id=user_id, skill_code=skill_code, endorser_id=endorser.id,
                              note=" ".join((note or "").split())[:300])
    db.session.add(endorsement)
    person_skill.endorsement_count = PersonSkill.endorsement_count + 1
    db.session.flush()
    skills_map_changed()  # endorsements rank the people named for a skill
    notifications.notify(db.session.get(User, user_id), [user_id], notices.ENDORSED,
                         actor=endorser, text=endorsement.note, action=skill_code)
    return endorsement


def withdraw_endorsement(endorser: User, user_id: int, skill_code: str) -> None:
    deleted = db.session.execute(delete(Endorsement).where(
        Endorsement.user_id == user_id, Endorsement.skill_code == skill_code,
        Endorsement.endorser_id == endorser.id)).rowcount
    if not deleted:
        raise ServiceError(_("Non avevi confermato questa competenza."))
    db.session.execute(update(PersonSkill).where(
        PersonSkill.user_id == user_id, PersonSkill.skill_code == skill_code)
        .values(endorsement_count=PersonSkill.endorsement_count - 1))
    skills_map_changed()


# --- contact --------------------------------------------------------------------------------

def contact(sender: User, recipient: User, *, subject: str, message: str) -> None:
    """Emails `recipient` (after commit) with the sender's address as Reply-To: the sender
    never sees the recipient's address, the recipient answers from their own mailbox."""
    if not access.can(sender, access.CONTACT, details_of(recipient.id)):
        raise ServiceError(_("Non puoi scrivere a questa persona."))
    mail.queue(db.session, mail.build_message(
        recipient.email, "directory_contact", locale=recipient.locale, reply_to=sender.email,
        sender=sender, recipient=recipient, subject=" ".join(subject.split())[:150],
        message=message.strip(), link_profile=mail.link("people.profile", user_id=sender.id)))
