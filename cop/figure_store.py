"""Figures too costly to compute inside a request (the dashboards, the skills map), stored in
the database every app server reads, so that every server shows the same figures.

`figure_snapshots` holds one row per key (`<family>:<part>`, e.g. "dashboard.v1:region"): the
figures as JSON and when they were computed. `flask cop refresh-figures` (cop/dashboard/cli.py,
a timer every five minutes) computes again every family registered with `register_figures`; a
page reads its figures with `stored`, in one statement, however old they are, and says when they
were computed. When nothing is stored yet (a fresh install, a space created since the last run),
`stored` computes them once, stores them and logs it: the page works at once, and it happens
once per key. A write that must show at once (a profile's skills on the map) calls
`refresh_before_commit`: the figures are computed again in its own transaction, just before it
commits, so they commit (or roll back) together. A family's name carries a version
("dashboard.v1"): change it when the stored figures change shape.
"""
from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, String, delete, event, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Mapped, Session, mapped_column

from cop.database import UTCDateTime, on_conflict, utcnow
from cop.extensions import db

log = logging.getLogger(__name__)
_REFRESH = "cop_refresh_figures"  # session.info: the stored figures to compute before commit


Compute = Callable[[datetime], Any]  # given the moment, the figures as JSON-ready data


class FigureSnapshot(db.Model):
    """One family's figures for one part (e.g. "dashboard.v1:region"), as last computed."""

    __tablename__ = "figure_snapshots"
    key: Mapped[str] = mapped_column(String(120), primary_key=True)
    data: Mapped[Any] = mapped_column(JSON)
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime)


@dataclass(frozen=True)
class Stored:
    data: Any
    computed_at: datetime


def stored(key: str, compute: Compute) -> Stored:
    """The figures stored under `key`, in one statement, however old they are (the command
    keeps them fresh, the page says when they were computed). None stored yet: computed once
    here, stored (unless somebody stored them meanwhile) and logged."""
    row = db.session.execute(select(FigureSnapshot.data, FigureSnapshot.computed_at)
                             .where(FigureSnapshot.key == key)).first()
    if row is not None:
        return Stored(row.data, row.computed_at)
    now = utcnow()
    log.warning("figures %s: none stored yet, computed in the request "
                "(is `flask cop refresh-figures` scheduled?)", key)
    figures = Stored(compute(now), now)
    _keep_first(key, figures)
    return figures


def refresh(key: str, compute: Compute, session: Session | None = None) -> Stored:
    """Compute the figures again and store them, in the session's transaction (the caller
    commits). The row is locked first (PostgreSQL), so two refreshes of one key follow each
    other: the later one reads what the earlier one's transaction committed, and figures
    computed from older data never overwrite newer ones."""
    session = session or db.session
    session.execute(select(FigureSnapshot.key).where(FigureSnapshot.key == key)
                    .with_for_update())
    now = utcnow()
    figures = Stored(compute(now), now)
    values = {"data": figures.data, "computed_at": now}
    session.execute(on_conflict(session, FigureSnapshot, {"key": key, **values}, ["key"],
                                list(values)))
    return figures


def refresh_before_commit(session: Session, key: str, compute: Compute) -> None:
    """`refresh(key, compute)` in the session's own transaction just before it commits (nothing
    if it rolls back): for the writes whose change must show at once. A refresh that fails is
    logged and leaves the write alone; the figures then wait for the next command."""
    session.info.setdefault(_REFRESH, {})[key] = compute


@event.listens_for(Session, "after_soft_rollback")
def _drop_refresh(session: Session, previous_transaction) -> None:
    if previous_transaction.parent is None:
        session.info.pop(_REFRESH, None)


@event.listens_for(Session, "before_commit")
def _refresh_changed(session: Session) -> None:
    for key, compute in sorted(session.info.pop(_REFRESH, {}).items()):
        try:
            with session.begin_nested():
                refresh(key, compute, session)
        except SQLAlchemyError:
            log.exception("figures %s: not refreshed with the write", key)


# The families `flask cop refresh-figures` computes: name -> the (key, compute) pairs now due.
_FAMILIES: dict[str, Callable[[], Iterable[tuple[str, Compute]]]] = {}


def register_figures(family: str, parts: Callable[[], Iterable[tuple[str, Compute]]]) -> None:
    """`parts()` lists every key of the family (`<family>:<part>`) with how to compute it."""
    _FAMILIES[family] = parts


def families() -> dict[str, Callable[[], Iterable[tuple[str, Compute]]]]:
    return dict(_FAMILIES)


def prune(family: str, keep: Iterable[str]) -> int:
    """Delete the family's stored figures that are no longer listed (a space deleted)."""
    keep = list(keep)
    return db.session.execute(delete(FigureSnapshot).where(
        FigureSnapshot.key.startswith(f"{family}:", autoescape=True),
        FigureSnapshot.key.not_in(keep))).rowcount


def _keep_first(key: str, figures: Stored) -> None:
    """Stored on a connection of its own, committed at once (the request's session stays as it
    is); if somebody stored the key meanwhile, theirs stays."""
    try:
        with Session(db.engine, join_transaction_mode="create_savepoint") as session:
            session.execute(on_conflict(session, FigureSnapshot, {
                "key": key, "data": figures.data, "computed_at": figures.computed_at}, ["key"]))
            session.commit()
    except SQLAlchemyError:  # computed again by the next page, or stored by the command
        log.exception("figures %s: could not be stored", key)
