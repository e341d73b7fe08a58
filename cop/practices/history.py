"""A readable difference between two versions of a record: field by field, in the words of the
form, long texts word by word."""
from __future__ import annotations

import json
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape
from sqlalchemy import select

from cop.auth.models import User
from cop.extensions import db
from cop.network.models import Alleanza, Ats
from cop.practices import forms
from cop.practices.text import word_diff
from cop.reference.models import InterventionArea

LABELS = {
    "title": _l("Titolo"), "summary": _l("Sintesi"), "need": _l("Bisogno a cui risponde"),
    "target": _l("Destinatari"), "reached_count": _l("Quanti destinatari raggiunti"),
    "area_code": _l("Area di intervento"), "ats_id": _l("ATS"), "alleanza_id": _l("Alleanza"),
    "municipalities": _l("Comuni coinvolti"), "lead_organisation_name": _l("Ente capofila"),
    "partners": _l("Partner"), "start_date": _l("Inizio"), "end_date": _l("Fine"),
    "state": _l("Stato"), "stage": _l("Stadio"), "stage_owner": _l("Chi l'ha portata a regime"),
    "budget": _l("Budget (euro)"), "funding_source": _l("Fonte di finanziamento"),
    "staff": _l("Personale impiegato"), "activities": _l("Attività"),
    "indicators": _l("Risultati e indicatori"), "evidence": _l("Livello di evidenza"),
    "difficulties": _l("Difficoltà incontrate"), "lessons": _l("Lezioni apprese"),
    "transferability": _l("Trasferibilità"), "contact_id": _l("Persona di contatto"),
    "visibility": _l("Visibilità"), "thread_ids": _l("Discussioni collegate"),
    "status": _l("Stato della scheda"),
}
CHOICES = {
    "target": forms.TARGET_CHOICES, "state": forms.STATE_CHOICES, "stage": forms.STAGE_CHOICES,
    "evidence": forms.EVIDENCE_CHOICES, "visibility": forms.VISIBILITY_CHOICES,
    "status": forms.STATUS_CHOICES,
}


@dataclass
class Change:
    label: str
    html: Markup


def _names(model, key, values) -> dict:
    values = [v for v in values if v]
    if not values:
        return {}
    return dict(db.session.execute(select(key, model.name if hasattr(model, "name")
                                          else model.label_it).where(key.in_(values))).all())


def _rows_text(name: str, rows: list[dict]) -> str:
    if name == "partners":
        return "\n".join(f"{r['name']}" + (f" ({r['role']})" if r.get("role") else "")
                         for r in rows)
    return "\n".join(f"{r['name']}: {r['value']} {r.get('unit') or ''}".rstrip()
                     + (f" ({r['year']})" if r.get("year") else "") for r in rows)


def compare(old_json: str | None, new_json: str) -> list[Change]:
    """What changed from `old_json` to `new_json` (an empty old means: everything is new)."""
    old, new = json.loads(old_json) if old_json else {}, json.loads(new_json)
    both = [old, new]
    lookups = {
        "area_code": _names(InterventionArea, InterventionArea.code,
                            {d.get("area_code") for d in both}),
        "ats_id": _names(Ats, Ats.id, {d.get("ats_id") for d in both}),
        "alleanza_id": _names(Alleanza, Alleanza.id, {d.get("alleanza_id") for d in both}),
        "contact_id": _names(User, User.id, {d.get("contact_id") for d in both}),
    }

    def shown(name, value) -> str:
        if value in (None, "", []):
            return ""
        if name in ("partners", "indicators"):
            return _rows_text(name, value)
        if name == "thread_ids":
            return ", ".join(f"#{v}" for v in value)
        if name in CHOICES:
            return str(dict(CHOICES[name]).get(value, value))
        if name in lookups:
            return str(lookups[name].get(value, value))
        return str(value)

    changes = []
    for name, label in LABELS.items():
        before, after = shown(name, old.get(name)), shown(name, new.get(name))
        if before == after:
            continue
        if name in ("summary", "need", "activities", "difficulties", "lessons",
                    "transferability", "staff", "municipalities", "partners", "indicators"):
            html = word_diff(before, after)
        else:
            html = Markup("")
            if before:
                html += Markup("<del>%s</del> ") % before
            if after:
                html += Markup("<ins>%s</ins>") % after
        changes.append(Change(str(label), html or escape("")))
    return changes
