"""What one reader's page needs to know about one thread, practice, meeting or space (or,
on the home page, about the reader), in one statement: whether they follow it, how far they
read it, whether a story or a decision is about it, and their unread notifications for the
bell.

Each feature registers its facts from its wiring (`register_fact`). A page asks
`about(subject)` (or `about(subject)[name]`); the first ask of a request runs one SELECT of
every fact registered for that kind of subject, each a scalar subquery, and keeps the row for
the request. The statement is built once per process and kind of reader
(`access.for_anyone`): the reader is `access.Anyone`, the subject the parameter SUBJECT.
A request that changes one of these facts and shows the page again calls `forget()`."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import g, has_request_context
from flask_login import current_user
from sqlalchemy import bindparam, select

from cop import access
from cop.extensions import db

SUBJECT = "fact_subject"


@dataclass(frozen=True)
class Fact:
    """`build(model, reader, subject)`: a scalar subquery for one subject of `model` (the
    reader an `access.Anyone`, the subject's id a bound parameter). `keep(value)` hands the
    value to whoever else reads it in the request (the bell keeps its count)."""

    name: str
    subjects: tuple[type, ...]
    build: Callable
    default: object = None
    keep: Callable | None = None


_FACTS: dict[str, Fact] = {}


def register_fact(fact: Fact) -> None:
    _FACTS[fact.name] = fact


def _registered(model: type) -> list[Fact]:
    return [fact for fact in _FACTS.values() if issubclass(model, fact.subjects)]


def _build(model: type, facts: list[Fact]):
    subject = bindparam(SUBJECT)

    def build(reader):
        return select(*[fact.build(model, reader, subject).label(fact.name) for fact in facts])
    return build


def about(subject) -> dict:
    """The reader's facts about `subject`, by name (each fact's default for a visitor who is
    not signed in, or outside a request)."""
    model = type(subject)
    facts = _registered(model)
    if not facts or not has_request_context() or not current_user.is_authenticated:
        return {fact.name: fact.default for fact in facts}
    kept = g.setdefault("_cop_facts", {})
    key = (model, subject.id)
    if key not in kept:
        names = ",".join(fact.name for fact in facts)
        statement, parameters = access.for_anyone(f"facts.{model.__name__}.{names}",
                                                  current_user, _build(model, facts))
        row = db.session.execute(statement, {**parameters, SUBJECT: subject.id}).one()
        kept[key] = {fact.name: fact.default if value is None else value
                     for fact, value in zip(facts, row, strict=True)}
        for fact in facts:
            if fact.keep is not None:
                fact.keep(kept[key][fact.name])
    return kept[key]


def forget() -> None:
    if has_request_context():
        g.pop("_cop_facts", None)
