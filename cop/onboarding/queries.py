"""The checklist's one statement: the person's state row and the four steps, each an EXISTS
(or a test on the person's own row), worked out from what they have really done."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import and_, exists, func, or_, select

from cop.auth.models import User
from cop.directory.models import PersonSkill
from cop.discussions.models import Post, Thread
from cop.notifications.models import Level, Subscription
from cop.onboarding.models import OnboardingState
from cop.spaces.models import Membership, Space

# Who is new: an account created in the last NEW_FOR_DAYS days. Older accounts never see the
# checklist (and cost nothing); new ones see it until it is done or put away.
NEW_FOR_DAYS = 60


def is_new(user, now: datetime) -> bool:
    created = user.created_at
    return created is not None and created >= now - timedelta(days=NEW_FOR_DAYS)


def profile_complete(user) -> bool:
    """The checklist's profile step, for a person already loaded: job title and bio filled."""
    return bool((user.job_title or "").strip() and (user.bio or "").strip())


def _filled(column):
    return func.length(func.trim(func.coalesce(column, ""))) > 0


def checklist_row(user_id: int):
    """One row: completed_at, dismissed_at, profile, skill, introduction, follows, first_space.

    - profile: the job title and the presentation (bio) are both filled in;
    - skill: at least one skill in the directory;
    - introduction: at least one thread or reply (not deleted) written in a space the person
      is a member of;
    - follows: follows at least one thread they did not open themselves (opening a thread
      follows it automatically, which should not tick this step by itself);
    - first_space: the slug of the first space they joined, where the introduction is asked.
    """
    member_of = select(Membership.space_id).where(Membership.user_id == user_id)
    skill = exists().where(PersonSkill.user_id == user_id)
    introduction = exists(
        select(Post.id).join(Thread, Thread.id == Post.thread_id).where(
            Post.author_id == user_id, Post.deleted_at.is_(None),
            Thread.space_id.in_(member_of)))
    follows = exists(
        select(Subscription.id).join(Thread, Thread.id == Subscription.thread_id).where(
            Subscription.user_id == user_id, Subscription.level == Level.FOLLOW.value,
            or_(Thread.author_id.is_(None), Thread.author_id != user_id)))
    first_space = (select(Space.slug).join(Membership, Membership.space_id == Space.id)
                   .where(Membership.user_id == user_id)
                   .order_by(Membership.created_at, Space.id).limit(1).scalar_subquery())
    state = select(OnboardingState).where(OnboardingState.user_id == user_id).subquery()
    return (select(state.c.completed_at, state.c.dismissed_at,
                   and_(_filled(User.job_title), _filled(User.bio)).label("profile"),
                   skill.label("skill"), introduction.label("introduction"),
                   follows.label("follows"), first_space.label("first_space"))
            .select_from(User).outerjoin(state, state.c.user_id == User.id)
            .where(User.id == user_id))
