"""Discussions tell what happened (cop.discussions.events); here people are notified, in the
same transaction as the change."""
from cop.discussions import events
from cop.notifications import services


@events.thread_created.connect
def _thread_created(thread, post, mentioned=(), **_):
    services.notify_new_thread(thread, post, mentioned)


@events.post_created.connect
def _post_created(post, thread, mentioned=(), **_):
    services.notify_reply(post, thread, mentioned)


@events.post_edited.connect
def _post_edited(post, thread, mentioned=(), **_):
    services.notify_new_mentions(post, thread, mentioned)


@events.moderated.connect
def _moderated(thread, post=None, action="", reason="", actor=None, **_):
    services.notify_moderation(thread, post, action, reason, actor)
