"""Demo content of the digests feature: the demo sign-ins' digest choices (capofila daily,
facilitatore never, the others weekly), a mix for the other people, and a little news of the
last days in the Alleanza spaces of capofila and membro (a new question, an answer), written
through the discussion services, so that their first digest has discussions in it. Nothing is
sent: `flask cop send-digests` after seeding emails everybody the digest of the last period.
The choices and texts are in data/digests.toml."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from cop.auth.models import User
from cop.database import utcnow
from cop.demo.content import load
from cop.digests.models import DigestSettings
from cop.discussions import services as discussions
from cop.discussions.models import Thread
from cop.extensions import db
from cop.spaces.models import Membership, Space, SpaceKind

CONTENT = load("digests")  # choices, others' weights, news_for, question, answer
CHOICES: dict[str, str] = CONTENT["choices"]  # the demo sign-ins' frequencies


def seed_digests(rng) -> None:
    """Deterministic with `rng`; called once by cop.demo.services.seed_demo after meetings."""
    people = db.session.execute(select(User.id, User.email).order_by(User.id)).all()
    values = [row.get("frequency") for row in CONTENT["others"]]  # none: weekly, the default
    weights = [row["weight"] for row in CONTENT["others"]]
    for user_id, email in people:
        if email.endswith("@cop.example"):
            chosen = CHOICES.get(email)
        else:
            chosen = rng.choices(values, weights)[0]
        if chosen is not None:  # no row: weekly, the default
            db.session.add(DigestSettings(user_id=user_id, frequency=chosen))
    db.session.flush()
    for email in CONTENT["news_for"]:
        _recent_news(rng, email)


def _recent_news(rng, email: str) -> None:
    """A question and an answer of the last days in the person's Alleanza space, by others."""
    person = db.session.scalar(select(User).where(User.email == email))
    space = person and db.session.scalar(
        select(Space).join(Membership, Membership.space_id == Space.id)
        .where(Membership.user_id == person.id, Space.kind == SpaceKind.ALLEANZA.value)
        .order_by(Space.id).limit(1))
    if space is None:
        return
    others = db.session.scalars(
        select(User).join(Membership, Membership.user_id == User.id)
        .where(Membership.space_id == space.id, User.id != person.id, User.active.is_(True))
        .order_by(User.id)).all()
    if len(others) < 2:
        return
    asker, answerer = rng.sample(list(others), 2)
    latest = db.session.scalar(
        select(Thread).where(Thread.space_id == space.id, Thread.hidden.is_(False))
        .order_by(Thread.last_activity_at.desc(), Thread.id.desc()).limit(1))
    now = utcnow()
    asked = CONTENT["question"]
    question = discussions.create_thread(space, asker, title=asked["title"], kind="domanda",
                                         body=asked["body"])
    asked_at = now - timedelta(hours=rng.randint(8, 20))
    question.thread.created_at = question.thread.last_activity_at = asked_at
    question.post.created_at = asked_at
    if latest is not None:
        answered = discussions.reply(latest, answerer, body=CONTENT["answer"])
        answered_at = now - timedelta(hours=rng.randint(2, 7))
        answered.post.created_at = latest.last_activity_at = answered_at
    db.session.flush()
