"""Factories: each opens its own app context, commits, and returns plain values.

The reference data (ATS, Alleanze, their spaces, organisation types, skills) is already in
the database: tests/conftest.py loads it once per session.

Returning plain namespaces (not ORM objects) keeps test code from sharing a database session
or `g` with the requests it makes.
"""
from __future__ import annotations

import itertools
from types import SimpleNamespace

from sqlalchemy import select

from cop.auth import services as auth_services
from cop.extensions import db
from cop.network.models import Alleanza, Ats, Organisation
from cop.spaces import services as space_services
from cop.spaces.models import Space
from tests.conftest import TEST_PASSWORD

_counter = itertools.count(1)


def _person(user) -> SimpleNamespace:
    return SimpleNamespace(id=user.id, email=user.email, name=user.name, password=TEST_PASSWORD,
                           organisation_id=user.organisation_id)


def _space(space) -> SimpleNamespace:
    return SimpleNamespace(id=space.id, slug=space.slug, name=space.name, kind=space.kind,
                           ats_id=space.ats_id, visibility=space.visibility)


class Factory:
    def __init__(self, app):
        self.app = app

    def organisation(self, name: str | None = None, entity_type: str = "no_profit",
                     ats_code: str | None = "BG") -> SimpleNamespace:
        with self.app.app_context():
            ats = db.session.scalar(select(Ats).where(Ats.code == ats_code)) if ats_code else None
            organisation = Organisation(name=name or f"Cooperativa di prova {next(_counter)}",
                                        entity_type_code=entity_type,
                                        ats_id=ats.id if ats else None, people_count=0)
            db.session.add(organisation)
            db.session.commit()
            return SimpleNamespace(id=organisation.id, name=organisation.name)

    def user(self, name: str | None = None, email: str | None = None, site_role: str = "membro",
             organisation_id: int | None = None, locale: str = "it", active: bool = True,
             password: str = TEST_PASSWORD) -> SimpleNamespace:
        if organisation_id is None:
            organisation_id = self.organisation().id
        n = next(_counter)
        with self.app.app_context():
            user = auth_services.create_user(
                email=email or f"persona{n}@esempio.it", name=name or f"Persona Prova {n}",
                organisation=db.session.get(Organisation, organisation_id), password=password,
                site_role=site_role, locale=locale)
            user.active = active
            db.session.commit()
            return _person(user)

    def space(self, slug: str | None = None, name: str | None = None, visibility: str = "riservato",
              kind: str = "tematico") -> SimpleNamespace:
        """An existing space by slug (reference data), or a new thematic one."""
        with self.app.app_context():
            if slug:
                space = db.session.scalar(select(Space).where(Space.slug == slug))
            else:
                space = space_services.create_space(
                    name=name or f"Spazio di prova {next(_counter)}", kind=kind,
                    visibility=visibility, description="Uno spazio per le prove.")
            db.session.commit()
            return _space(space)

    def member(self, space, user, role: str = "membro") -> None:
        with self.app.app_context():
            space_services.add_member(db.session.get(Space, space.id),
                                      db.session.get(auth_services.User, user.id), role)
            db.session.commit()

    def join_request(self, space, user, message: str = "Vorrei partecipare.") -> int:
        with self.app.app_context():
            request = space_services.request_to_join(
                db.session.get(Space, space.id), db.session.get(auth_services.User, user.id),
                message)
            db.session.commit()
            return request.id

    def world(self) -> SimpleNamespace:
        """The reserved space of Alleanza Bergamo 1 and one person per role around it."""
        reserved = self.space(slug="alleanza-bergamo-1")
        ats_space = self.space(slug="ats-bergamo")
        regional = self.space(name="Smart working", visibility="regionale")
        w = SimpleNamespace(reserved=reserved, ats_space=ats_space, regional=regional)
        w.admin = self.user(name="Amministratrice Regionale", site_role="admin")
        w.coordinator = self.user(name="Coordinatrice Alleanza")
        w.member = self.user(name="Membro Alleanza")
        w.outsider = self.user(name="Persona Esterna")
        w.referent = self.user(name="Referente ATS")
        self.member(reserved, w.coordinator, "coordinatore")
        self.member(reserved, w.member, "membro")
        self.member(ats_space, w.referent, "coordinatore")
        self.member(regional, w.coordinator, "coordinatore")
        return w

    def get(self, model, id_):
        """A fresh read of one row, as a detached snapshot of its column values."""
        with self.app.app_context():
            row = db.session.get(model, id_)
            if row is None:
                return None
            return SimpleNamespace(**{c.key: getattr(row, c.key) for c in model.__table__.columns})

    def alleanza(self, ats_code: str, number: int) -> SimpleNamespace:
        with self.app.app_context():
            alleanza = db.session.scalar(select(Alleanza).join(Ats).where(
                Ats.code == ats_code, Alleanza.number == number))
            return SimpleNamespace(id=alleanza.id, name=alleanza.name)
