"""The directory profile in a person's data export, and what deleting their account changes
here: the endorsements they gave stop counting (their rows go with the account, the database
cascades), and the skills map's shared figures are renewed."""
from __future__ import annotations

from sqlalchemy import select, update

from cop.account.services import when
from cop.auth.models import User
from cop.directory.models import (
    Endorsement,
    LearningRecord,
    PersonSkill,
    ProfileDetails,
    TrainerOffer,
)
from cop.directory.services import skills_map_changed
from cop.extensions import db
from cop.reference.models import Skill


def export(user) -> dict:
    """The sections profile, skills, endorsements received and given, learning record and
    trainer offer."""
    details = db.session.get(ProfileDetails, user.id)
    offer = db.session.get(TrainerOffer, user.id)
    return {
        "profile": {
            "details_visible_to": details.visibility if details else "tutti",
            "topics": details.topic_list if details else [],
            "languages": details.languages if details else "",
        },
        "skills": [
            {"skill": code, "label": label, "level": level, "endorsements": count}
            for code, label, level, count in db.session.execute(
                select(PersonSkill.skill_code, Skill.label_it, PersonSkill.level,
                       PersonSkill.endorsement_count)
                .join(PersonSkill.skill).where(PersonSkill.user_id == user.id)
                .order_by(PersonSkill.skill_code))
        ],
        "endorsements_received": [
            {"skill": e.skill_code, "by": name, "note": e.note, "at": when(e.created_at)}
            for e, name in db.session.execute(
                select(Endorsement, User.name).join(User, User.id == Endorsement.endorser_id)
                .where(Endorsement.user_id == user.id).order_by(Endorsement.id))
        ],
        "endorsements_given": [
            {"skill": e.skill_code, "to": name, "note": e.note, "at": when(e.created_at)}
            for e, name in db.session.execute(
                select(Endorsement, User.name).join(User, User.id == Endorsement.user_id)
                .where(Endorsement.endorser_id == user.id).order_by(Endorsement.id))
        ],
        "learning": [
            {"title": r.title, "kind": r.kind, "provider": r.provider, "year": r.year}
            for r in db.session.scalars(select(LearningRecord).where(
                LearningRecord.user_id == user.id).order_by(LearningRecord.year))
        ],
        "trainer_offer": None if offer is None else {
            "topics": offer.topic_list, "in_person": offer.in_person, "online": offer.online,
            "availability": offer.availability,
            "territories": [a.full_name for a in offer.territories],
        },
    }


def before_deletion(user) -> None:
    for skill_code, endorsed in db.session.execute(
            select(Endorsement.skill_code, Endorsement.user_id)
            .where(Endorsement.endorser_id == user.id)):
        db.session.execute(update(PersonSkill).where(
            PersonSkill.user_id == endorsed, PersonSkill.skill_code == skill_code)
            .values(endorsement_count=PersonSkill.endorsement_count - 1))
    skills_map_changed()  # their skills leave the map, their endorsements its ranking
