"""Taxonomies from the regional guidelines and the skills standard."""
from __future__ import annotations

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cop.extensions import db
from cop.i18n import localized


class InterventionArea(db.Model):
    """One of the 9 areas of intervention allowed by DGR 2398/2019."""

    __tablename__ = "intervention_areas"
    code: Mapped[str] = mapped_column(String(60), primary_key=True)
    target: Mapped[str] = mapped_column(String(20))  # persone | imprese
    label_it: Mapped[str] = mapped_column(String(200))
    label_en: Mapped[str] = mapped_column(String(200))

    @property
    def label(self) -> str:
        return localized(self.label_it, self.label_en)
    position: Mapped[int] = mapped_column(Integer, default=0)


class SkillGroup(db.Model):
    __tablename__ = "skill_groups"
    code: Mapped[str] = mapped_column(String(4), primary_key=True)
    label_it: Mapped[str] = mapped_column(String(120))
    label_en: Mapped[str] = mapped_column(String(120))

    @property
    def label(self) -> str:
        return localized(self.label_it, self.label_en)

    skills: Mapped[list[Skill]] = relationship(
        back_populates="group", order_by="Skill.code", lazy="raise"
    )


class Skill(db.Model):
    __tablename__ = "skills"
    code: Mapped[str] = mapped_column(String(8), primary_key=True)
    group_code: Mapped[str] = mapped_column(ForeignKey("skill_groups.code"), index=True)
    label_it: Mapped[str] = mapped_column(String(200))
    label_en: Mapped[str] = mapped_column(String(200))

    @property
    def label(self) -> str:
        return localized(self.label_it, self.label_en)
    kind: Mapped[str] = mapped_column(String(20))  # skill | knowledge

    group: Mapped[SkillGroup] = relationship(back_populates="skills", lazy="raise")
