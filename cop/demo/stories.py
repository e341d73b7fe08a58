"""Demo value stories (storie di valore), written through the feature's service.

A dozen stories of people of the network, across the five value-creation cycles, about the
demo threads, practices and meetings of the spaces the demo sign-ins see (Alleanza Bergamo 1,
ATS Bergamo, Alleanza Milano 2, ATS Milano, the regional spaces Smart working and Caregiver
familiari), and a few about the life of a space. «membro» and «capofila» have told one each, so
their pages show the edit and delete buttons. Deterministic; `rng` is not needed. The stories
are in data/stories.toml.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select

from cop.auth.models import User
from cop.database import utcnow
from cop.demo.content import ACCOUNTS, load
from cop.discussions.models import Thread
from cop.extensions import db
from cop.meetings.models import Meeting, MeetingStatus
from cop.practices.models import Practice
from cop.spaces.models import Membership, Space
from cop.stories import services

DEMO_EMAILS = {account.email for account in ACCOUNTS}


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


STORIES = [Told(slug=row["space"], about=row.get("about"), match=row.get("match", ""),
                cycle=row["cycle"], title=row["title"], body=row["body"],
                author=row.get("author", 0), days_ago=row.get("days_ago", 3))
           for row in load("stories")["stories"]]


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
