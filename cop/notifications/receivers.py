"""Discussions tell what happened (cop.discussions.events); here people are notified, in the
same transaction as the change. cop.notifications.wiring connects these to the signals."""
from cop.notifications import services


def on_thread_created(thread, post, mentioned=(), **_):
    services.notify_new_thread(thread, post, mentioned)


def on_post_created(post, thread, mentioned=(), **_):
    services.notify_reply(post, thread, mentioned)


def on_post_edited(post, thread, mentioned=(), **_):
    services.notify_new_mentions(post, thread, mentioned)


def on_moderated(thread, post=None, action="", reason="", actor=None, **_):
    services.notify_moderation(thread, post, action, reason, actor)
