"""What a notification can be about, and the kinds of notification: one registry, filled by
each feature's wiring (`register_subject`, `register_kind`), read by the one notification path.

A **subject** is any feature's object a notification points at (a thread, a practice record, a
meeting, an action, a person's profile, a story). Its entry says how to load many at once, which
of a person's notifications about it they may still see (SQL, run at every read: the bell, the
list, the daily summary), whether one person may still see one (the email worker, before
sending), where it leads, and where it lives (shown under the entry).

A **kind** is what happened (a reply, a record to validate, a meeting invitation). Its entry
says what it is about, how to say it in one sentence, its label on the preferences page, and,
when its email is not the generic one, which template and what goes in it.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any

from cop import access


def _can_view(user, notification, subject) -> bool:
    return access.can(user, access.VIEW, subject)


@dataclass(frozen=True)
class Subject:
    name: str  # stored in Notification.subject_type
    model: type
    # ids -> {id: object}, with whatever `describe`, `place` and `link` read loaded
    load: Callable[[Iterable[int]], dict[int, Any]]
    # user -> SQL condition on Notification: the rows about this subject type they may see
    visible: Callable[[Any], Any]
    # (notification, subject) -> (endpoint, values): where opening it leads
    link: Callable[[Any, Any], tuple[str, dict]]
    # subject -> a short place name (the space, the library), or ""
    place: Callable[[Any], str] = lambda subject: ""
    # (user, notification, subject) -> bool: may they still see it (the worker, before sending)
    can_see: Callable[[Any, Any, Any], bool] = _can_view
    # subject -> SQL condition on User: who may see it (None: checked one by one with can_see)
    audience: Callable[[Any], Any] | None = None


@dataclass(frozen=True)
class Kind:
    name: str  # stored in Notification.kind (at most 20 characters)
    subject: str  # a Subject's name
    group: Any  # the heading it is listed under on the preferences page (lazy string)
    label: Any  # its line on the preferences page (lazy string)
    # (notification, subject, actor) -> one plain-text sentence
    describe: Callable[[Any, Any, Any], str]
    # notification -> a second line (an excerpt, a reason, a comment), or ""
    detail: Callable[[Any], str] = lambda n: n.text or ""
    # The email: a template of templates/email/ and what it needs beyond the notification's
    # sentence, detail and link; `attach` may add to the built message (a calendar invitation).
    email_template: str = "notification"
    email_context: Callable[[Any, Any, Any, Any], dict] | None = None
    attach: Callable[[EmailMessage, Any, Any, Any], None] | None = None
    # False for what a person must always hear (a coordinator acted on their writing)
    optional: bool = True
    # Only in the bell: its email goes out another way (the daily reminder of due actions)
    emailed: bool = True
    # Where it comes on the preferences page (then in the order of registration)
    order: int = 50


_SUBJECTS: dict[str, Subject] = {}
_KINDS: dict[str, Kind] = {}


def register_subject(subject: Subject) -> None:
    _SUBJECTS[subject.name] = subject


def register_kind(kind: Kind) -> None:
    if len(kind.name) > 20:
        raise ValueError(f"a kind's name has at most 20 characters: {kind.name!r}")
    _KINDS[kind.name] = kind


def subjects() -> dict[str, Subject]:
    return _SUBJECTS


def subject(name: str) -> Subject:
    return _SUBJECTS[name]


def subject_of(thing) -> Subject:
    for entry in _SUBJECTS.values():
        if isinstance(thing, entry.model):
            return entry
    raise LookupError(f"{type(thing).__name__} is no notification subject")


def kind(name: str) -> Kind | None:
    return _KINDS.get(name)


def kinds() -> list[Kind]:
    """The preferences page's order: by `order`, then as registered (features' wiring order)."""
    return sorted(_KINDS.values(), key=lambda spec: spec.order)
