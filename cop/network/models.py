"""The networks: ATS, their Alleanze locali, and member organisations."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, ForeignKey, Integer, String, Table, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cop.database import UTCDateTime, utcnow
from cop.extensions import db
from cop.i18n import localized

organisation_alleanze = Table(
    "organisation_alleanze",
    db.metadata,
    Column("organisation_id", ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True),
    Column("alleanza_id", ForeignKey("alleanze.id", ondelete="CASCADE"), primary_key=True,
           index=True),
)


class EntityType(db.Model):
    """One of the 10 kinds of member organisation (Figure 6.2 of the study)."""

    __tablename__ = "entity_types"
    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    label_it: Mapped[str] = mapped_column(String(120))
    label_en: Mapped[str] = mapped_column(String(120))
    position: Mapped[int] = mapped_column(Integer, default=0)

    @property
    def label(self) -> str:
        return localized(self.label_it, self.label_en)


class Ats(db.Model):
    """Agenzia di Tutela della Salute: leads one Rete Territoriale di Conciliazione."""

    __tablename__ = "ats"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(8), unique=True)
    name: Mapped[str] = mapped_column(String(80))
    # Programme 2020-2023 figures as published (Table 6.1), for context on the space home.
    actions_total: Mapped[int] = mapped_column(Integer, default=0)
    actions_people: Mapped[int] = mapped_column(Integer, default=0)
    actions_companies: Mapped[int] = mapped_column(Integer, default=0)

    alleanze: Mapped[list[Alleanza]] = relationship(
        back_populates="ats", order_by="Alleanza.number", lazy="raise"
    )

    @property
    def full_name(self) -> str:
        return f"ATS {self.name}"


class Alleanza(db.Model):
    """Alleanza locale di conciliazione: a public-private partnership under one ATS."""

    __tablename__ = "alleanze"
    __table_args__ = (UniqueConstraint("ats_id", "number"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    ats_id: Mapped[int] = mapped_column(ForeignKey("ats.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(160))
    lead_organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="SET NULL")
    )

    ats: Mapped[Ats] = relationship(back_populates="alleanze", lazy="joined")
    lead_organisation: Mapped[Organisation | None] = relationship(
        foreign_keys=[lead_organisation_id], lazy="raise"
    )


class Organisation(db.Model):
    __tablename__ = "organisations"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    entity_type_code: Mapped[str] = mapped_column(ForeignKey("entity_types.code"), index=True)
    ats_id: Mapped[int | None] = mapped_column(ForeignKey("ats.id"), index=True)
    city: Mapped[str] = mapped_column(String(120), default="")
    website: Mapped[str] = mapped_column(String(300), default="")
    people_count: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    entity_type: Mapped[EntityType] = relationship(lazy="joined")
    ats: Mapped[Ats | None] = relationship(lazy="joined")
    alleanze: Mapped[list[Alleanza]] = relationship(
        secondary=organisation_alleanze, order_by="Alleanza.number", lazy="raise"
    )
