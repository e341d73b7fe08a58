"""One sentence for a notification, shared by the list page and the emails.

Plain strings built in Python, never a macro: an HTML page escapes them when it prints them,
a text email prints them as they are. (A macro from a text template, called from an HTML
page, returns its output as markup, unescaped.)
"""
from __future__ import annotations

from flask_babel import gettext as _


def describe(n, thread, actor) -> str:
    """`thread` and `actor` are passed: emails do not load them through the notification."""
    who = actor.name if actor else _("Una persona")
    title = thread.title
    if n.kind == "mention":
        return _("%(actor)s ti ha menzionato in «%(title)s»", actor=who, title=title)
    if n.kind == "reply":
        return _("%(actor)s ha risposto al tuo messaggio in «%(title)s»", actor=who, title=title)
    if n.kind == "post":
        return _("%(actor)s ha scritto in «%(title)s»", actor=who, title=title)
    if n.kind == "new_thread":
        return _("%(actor)s ha aperto la discussione «%(title)s» in %(space)s",
                 actor=who, title=title, space=thread.space.name)
    if n.kind == "moderation":
        return _moderation(n.action, bool(n.post_id), title, thread)
    return _("Novità in «%(title)s»", title=title)


def _moderation(action: str, on_post: bool, title: str, thread) -> str:
    if action == "hide" and on_post:
        return _("I coordinatori hanno nascosto il tuo messaggio in «%(title)s»", title=title)
    if action == "hide":
        return _("I coordinatori hanno nascosto la tua discussione «%(title)s»", title=title)
    if action == "unhide" and on_post:
        return _("I coordinatori hanno reso di nuovo visibile il tuo messaggio in «%(title)s»",
                 title=title)
    if action == "unhide":
        return _("I coordinatori hanno reso di nuovo visibile la tua discussione «%(title)s»",
                 title=title)
    if action == "lock":
        return _("I coordinatori hanno chiuso la tua discussione «%(title)s»", title=title)
    if action == "unlock":
        return _("I coordinatori hanno riaperto la tua discussione «%(title)s»", title=title)
    if action == "move":
        return _("I coordinatori hanno spostato la tua discussione «%(title)s» in %(space)s",
                 title=title, space=thread.space.name)
    if action == "delete":
        return _("I coordinatori hanno eliminato il tuo messaggio in «%(title)s»", title=title)
    return _("I coordinatori sono intervenuti su «%(title)s»", title=title)


def detail(n) -> str:
    """The excerpt of the post, or the coordinators' reason."""
    if n.kind == "moderation":
        return _("Motivo: %(reason)s", reason=n.text) if n.text else ""
    return n.text or ""
