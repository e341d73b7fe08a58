"""Figures kept between requests, in the cache every app server shares.

Flask-Caching (`cop.extensions.cache`) holds them: Redis in production (CACHE_REDIS_URL), so
that every server and worker shows the same figures computed at the same moment, and a change
made through one is seen on all; each process's own memory (SimpleCache) for `make run` and
the tests.

A family of figures (the dashboards, the skills map) has a generation token. The figures are
kept under `<family>:<token>:<part>`, and a write that changes them draws a new token once its
transaction commits (`forget_after_commit`): from then on every server reads under the new
token. A server that computed the figures from the data as it was before the commit can only
store them under the old token, which nobody reads again (a plain delete could lose that race
and put stale figures back for a whole period). Entries expire on their own after the period
each caller gives; the token never does.

A cache that cannot answer (Redis down, an entry written by an older release that no longer
unpickles) counts as a miss: the page computes its figures, and the failure is logged.
A family's name carries a version ("dashboard.v1"): change it when the kept objects change
shape, so that servers of two releases never read each other's figures.
"""
from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy import event
from sqlalchemy.orm import Session

from cop.extensions import cache

log = logging.getLogger(__name__)
T = TypeVar("T")
_CHANGED = "cop_changed_figures"  # session.info: the families to renew after commit


def _generation_key(family: str) -> str:
    return f"{family}:generation"


def _generation(family: str) -> str:
    """The family's current token (one is drawn when there is none yet, or it was lost)."""
    key = _generation_key(family)
    token = cache.get(key)
    if token is None:
        cache.add(key, secrets.token_hex(8), timeout=0)  # only if absent; 0: never expires
        token = cache.get(key)
    return token


def remember(family: str, part: str, seconds: int, compute: Callable[[], T],
             fresh: Callable[[T], bool] | None = None) -> T:
    """The kept value of `family`'s `part`, else `compute()`, kept for `seconds` (0: never
    kept). `fresh(value)` may refuse a kept value (e.g. computed too long before the caller's
    "now"); it is then computed again and replaces it."""
    if not seconds:
        return compute()
    key = None
    try:
        key = f"{family}:{_generation(family)}:{part}"
        value = cache.get(key)
    except Exception:  # any failure of the cache is a miss (see the docstring)
        log.warning("shared cache: could not read %s %s", family, part, exc_info=True)
        value = None
    if value is not None and (fresh is None or fresh(value)):
        return value
    value = compute()
    if key is not None:
        try:
            cache.set(key, value, timeout=seconds)
        except Exception:  # not kept: computed again next time
            log.warning("shared cache: could not keep %s", key, exc_info=True)
    return value


def forget(family: str) -> None:
    """Every kept figure of the family is stale from now on, on every server."""
    try:
        cache.set(_generation_key(family), secrets.token_hex(8), timeout=0)
    except Exception:  # the kept figures then last until they expire
        log.warning("shared cache: could not renew %s", family, exc_info=True)


def forget_after_commit(session: Session, family: str) -> None:
    """`forget(family)` once the session's transaction commits (nothing if it rolls back):
    called by the services whose writes change the family's figures."""
    session.info.setdefault(_CHANGED, set()).add(family)


@event.listens_for(Session, "after_commit")
def _renew_changed(session: Session) -> None:
    for family in sorted(session.info.pop(_CHANGED, ())):
        forget(family)


@event.listens_for(Session, "after_soft_rollback")
def _drop_changed(session: Session, previous_transaction) -> None:
    if previous_transaction.parent is None:
        session.info.pop(_CHANGED, None)
