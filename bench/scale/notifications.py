"""Follows and mutes, email choices and notifications, as the discussions would have left them
(cop/notifications/services.py): a thread's author and everyone who replied follow it; some
members follow or mute their spaces; each post told its followers, the author it answered and
the people it mentioned. Only each person's newest `notifications_per_person` are kept."""
from __future__ import annotations

from datetime import timedelta

from bench.scale.services import ScaleContext
from cop.notifications.models import (
    STRENGTH,
    EmailFrequency,
    Kind,
    Level,
    Notification,
    NotificationSettings,
    Subscription,
)
from cop.notifications.services import excerpt

DAY = 86400


def seed_subscriptions(ctx: ScaleContext, factor: float) -> None:
    rng, now = ctx.rng, ctx.now
    rows, thread_levels, space_levels = [], {}, {}
    for plan in ctx.extra["threads"]:
        levels = thread_levels[plan.id] = {}
        for post in plan.posts:
            if post.author_id not in levels:
                levels[post.author_id] = Level.MUTE.value if rng.random() < 0.01 \
                    else Level.FOLLOW.value
                rows.append({"user_id": post.author_id, "thread_id": plan.id, "space_id": None,
                             "level": levels[post.author_id], "created_at": post.created_at})
    member = ctx.facts.get("member_id")
    for space in ctx.spaces:
        levels = space_levels[space.id] = {}
        for user_id in space.members:
            roll = rng.random()
            if roll < 0.08 or (user_id == member and space is ctx.extra["busy_space"]):
                levels[user_id] = Level.FOLLOW.value
            elif roll < 0.09:
                levels[user_id] = Level.MUTE.value
            else:
                continue
            rows.append({"user_id": user_id, "thread_id": None, "space_id": space.id,
                         "level": levels[user_id],
                         "created_at": now - timedelta(seconds=rng.randrange(730 * DAY))})
    for row, subscription_id in zip(rows, ctx.new_ids(Subscription.__table__, len(rows))):
        row["id"] = subscription_id
    ctx.insert(Subscription, rows)
    ctx.extra["thread_levels"], ctx.extra["space_levels"] = thread_levels, space_levels

    frequencies = {}
    settings = []
    for person in ctx.people:
        roll = rng.random()
        if roll < 0.14:
            frequency = EmailFrequency.DAILY.value if roll < 0.10 else EmailFrequency.NEVER.value
            frequencies[person.id] = frequency
            settings.append({"user_id": person.id, "email_frequency": frequency,
                             "updated_at": now - timedelta(seconds=rng.randrange(365 * DAY))})
    ctx.insert(NotificationSettings, settings)
    ctx.extra["frequencies"] = frequencies


def _recipients(plan, post, first: dict[int, int], space_follow: list[int],
                thread_levels: dict[int, str], space_levels: dict[int, str]) -> dict[int, str]:
    """Who the post told, with the strongest kind (notifications.services._tell). `first`:
    each writer's first post in the thread (they follow it from then on)."""
    direct = {}
    if post.local == 0:
        followers, kind = space_follow, Kind.NEW_THREAD.value
    else:
        answered = plan.posts[post.reply_to]
        if answered.author_id:
            direct[answered.author_id] = Kind.REPLY.value
        followers = [u for u, n in first.items() if n < post.local
                     and thread_levels.get(u) == Level.FOLLOW.value]
        followers += [u for u in space_follow if first.get(u, post.local) >= post.local]
        kind = Kind.POST.value
    direct.update({u: Kind.MENTION.value for u in post.mentioned})
    following = set(followers)
    told = {}
    for user_id in [*direct, *followers]:
        on_thread = thread_levels.get(user_id) if first.get(user_id, post.local) < post.local \
            else None
        if user_id == post.author_id or (on_thread or space_levels.get(user_id)) == \
                Level.MUTE.value:
            continue
        kinds = [k for k in (direct.get(user_id), kind if user_id in following else None) if k]
        told[user_id] = min(kinds, key=STRENGTH.__getitem__)
    return told


def seed_notifications(ctx: ScaleContext, factor: float) -> None:
    """Newest first, until each person has their share."""
    rng, now, cap = ctx.rng, ctx.now, ctx.notifications_per_person
    thread_levels, space_levels = ctx.extra["thread_levels"], ctx.extra["space_levels"]
    frequencies = ctx.extra["frequencies"]
    events = sorted(((post.created_at, post.id, post, plan) for plan in ctx.extra["threads"]
                     for post in plan.visible), key=lambda e: e[:2], reverse=True)
    firsts = {}
    for plan in ctx.extra["threads"]:
        first = firsts[plan.id] = {}
        for post in plan.posts:
            first.setdefault(post.author_id, post.local)
    space_follow = {s: [u for u, level in levels.items() if level == Level.FOLLOW.value]
                    for s, levels in space_levels.items()}
    received: dict[int, int] = {}
    rows = []
    for when, _, post, plan in events:
        space_id = plan.space.id
        space_follow[space_id] = [u for u in space_follow[space_id]
                                  if received.get(u, 0) < cap]
        told = _recipients(plan, post, firsts[plan.id], space_follow[space_id],
                           thread_levels[plan.id], space_levels[space_id])
        text = None
        for user_id, kind in told.items():
            if received.get(user_id, 0) >= cap:
                continue
            received[user_id] = received.get(user_id, 0) + 1
            text = text if text is not None else excerpt(post.body_html)
            old = when < now - timedelta(days=10)
            read = rng.random() < (0.9 if old else 0.4)
            frequency = frequencies.get(user_id, EmailFrequency.EACH.value)
            rows.append({
                "user_id": user_id, "kind": kind, "action": "", "actor_id": post.author_id,
                "subject_type": "thread", "subject_id": plan.id,
                "space_id": space_id, "thread_id": plan.id, "post_id": post.id,
                "text": text, "created_at": when,
                "read_at": min(now, when + timedelta(seconds=rng.randrange(3 * DAY)))
                if read else None,
                "emailed_at": None if frequency == EmailFrequency.NEVER.value else when})
    rows.reverse()  # ids in time order, as the app gives them
    for row, notification_id in zip(rows, ctx.new_ids(Notification.__table__, len(rows))):
        row["id"] = notification_id
    ctx.insert(Notification, rows)


SEEDERS = [("iscrizioni e preferenze", seed_subscriptions), ("notifiche", seed_notifications)]
