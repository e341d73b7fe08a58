"""A hand-built space whose figures are known: rows written directly, with chosen dates.

`now` is Monday 15 June 2026, 12:00 UTC. In the reserved space of Alleanza Bergamo 1:

- A (core): opens T2 (-80 d), T3 (-10 d), T4 (-20 d), T5 (-3 d), the notice T6 (-29 d); replies in
  T1 at -40 d + 2 h, -39, -38, -37, -5, -4, -2 d: 12 contributions, 7 of them in the last 30 days.
- B (attivo): opens T1 (-40 d); replies in T2 at -80 d + 10 h and in T3 at -10 d + 30 h; a «mi è
  utile» on A's first reply at -20 d: 4 contributions.
- C (occasionale): present at meeting M1 (-10 d): 1 contribution, the first ever: a new contributor.
- E (periferico): reads T1 at -5 d: monthly active without contributing.
- the coordinator (periferico): absent at M1. The member (periferico): opened T0 at -130 d and
  replied in it at -100 d; excused at M1; absent at M2 (-50 d) with E.

So: 6 members, levels 1/1/1/3, monthly active 4 (A, B, C, E), contributors 3, new contributors 1;
first replies by somebody else after 2 h (T1), 10 h (T2), 30 h (T3): median 10 h over 3 threads;
unanswered after 7 days: T4 only (T5 is 3 days old, T6 a notice); attendance 1 present of 5 on
the registers of 2 meetings; trend: 10 in the last 30 days against (5 + 2 + 1) / 3 before.
Joined: A 10 March, B 20 March, C 5 May, E 10 May, the coordinator and the member October 2025.
"""
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

from sqlalchemy import select, update

from cop.auth.models import User
from cop.discussions.models import Post, PostUseful, Thread, ThreadRead
from cop.extensions import db
from cop.meetings.models import Attendance, Meeting
from cop.spaces.models import Membership

NOW = datetime(2026, 6, 15, 12, 0, tzinfo=UTC)


def ago(days: float = 0, hours: float = 0) -> datetime:
    return NOW - timedelta(days=days) + timedelta(hours=hours)


def thread(space_id, author_id, created_at, title, kind="esperienza", replies=()):
    """A thread with its opening post and replies [(author_id, created_at)]."""
    item = Thread(space_id=space_id, author_id=author_id, title=title, kind=kind,
                  created_at=created_at, last_activity_at=created_at,
                  post_count=1 + len(replies), reply_count=len(replies))
    db.session.add(item)
    db.session.flush()
    posts = [Post(thread_id=item.id, author_id=author_id, depth=0, sort_key="000001",
                  body=title, body_html=f"<p>{title}</p>", created_at=created_at)]
    for n, (replier, at) in enumerate(replies, start=1):
        posts.append(Post(thread_id=item.id, author_id=replier, depth=1,
                          sort_key=f"000001.{n:06d}", body="Risposta", body_html="<p>Risposta</p>",
                          created_at=at))
    db.session.add_all(posts)
    db.session.flush()
    return item, posts


def meeting(space_id, starts_at, register):
    item = Meeting(space_id=space_id, title="Incontro", starts_at=starts_at,
                   ends_at=starts_at + timedelta(hours=2), created_at=starts_at)
    db.session.add(item)
    db.session.flush()
    for user_id, presence in register:
        db.session.add(Attendance(meeting_id=item.id, user_id=user_id, presence=presence))
    return item


def build(factory, world, now: datetime = NOW) -> SimpleNamespace:
    def ago(days: float = 0, hours: float = 0) -> datetime:
        return now - timedelta(days=days) + timedelta(hours=hours)

    people = SimpleNamespace(a=factory.user(name="Anna Core"), b=factory.user(name="Bruno Attivo"),
                             c=factory.user(name="Carla Occasionale"),
                             e=factory.user(name="Elena Lettrice"))
    space = world.reserved
    for person in (people.a, people.b, people.c, people.e):
        factory.member(space, person)
    a, b, c, e = people.a.id, people.b.id, people.c.id, people.e.id
    coordinator, member = world.coordinator.id, world.member.id
    with factory.app.app_context():
        joined = {a: datetime(2026, 3, 10, tzinfo=UTC),
                  b: datetime(2026, 3, 20, tzinfo=UTC),
                  c: datetime(2026, 5, 5, tzinfo=UTC),
                  e: datetime(2026, 5, 10, tzinfo=UTC),
                  coordinator: datetime(2025, 10, 1, tzinfo=UTC),
                  member: datetime(2025, 10, 1, tzinfo=UTC)}
        for user_id, at in joined.items():
            db.session.execute(update(Membership).where(
                Membership.space_id == space.id, Membership.user_id == user_id)
                .values(created_at=at))
        sid = space.id
        thread(sid, member, ago(130), "T0", replies=[(member, ago(100))])
        t1, t1_posts = thread(sid, b, ago(40), "T1", replies=[
            (a, ago(40, 2)), (a, ago(39)), (a, ago(38)), (a, ago(37)), (a, ago(5)), (a, ago(4)),
            (a, ago(2))])
        thread(sid, a, ago(80), "T2", replies=[(b, ago(80, 10))])
        thread(sid, a, ago(10), "T3", replies=[(b, ago(10, 30))])
        t4, _ = thread(sid, a, ago(20), "T4 senza risposta")
        thread(sid, a, ago(3), "T5")
        thread(sid, a, ago(29), "T6 avviso", kind="avviso")
        db.session.add(PostUseful(post_id=t1_posts[1].id, user_id=b, created_at=ago(20)))
        db.session.add(ThreadRead(user_id=e, thread_id=t1.id, seen_post_count=8,
                                  read_at=ago(5)))
        meeting(sid, ago(10), [(c, "presente"), (coordinator, "assente"),
                               (member, "giustificato")])
        meeting(sid, ago(50), [(e, "assente"), (member, "assente")])
        db.session.commit()
        organisation_of_a = db.session.scalar(select(User.organisation_id).where(User.id == a))
        return SimpleNamespace(space=space, people=people, t4_id=t4.id,
                               organisation_of_a=organisation_of_a)
