"""Practice records at scale: 300 per factor (3,000 at factor 10), in the ATS and Alleanza
spaces, with partners, indicators, versions, some adoptions and their search entries. Same
shapes as the services leave, written in bulk."""
from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select

from bench.scale.services import ScaleContext
from cop.extensions import db
from cop.practices.models import (
    Practice,
    PracticeAdoption,
    PracticeIndicator,
    PracticePartner,
    PracticeVersion,
)
from cop.practices.text import keywords_of
from cop.reference.models import InterventionArea
from cop.search import services as search
from cop.search.models import SearchEntry

PER_FACTOR = 300
STATUSES = ["pubblicata"] * 8 + ["bozza", "inviata"]
VISIBILITIES = ["spazio", "registrati", "registrati", "pubblica"]
SERVICES = ["Sportello", "Centro estivo", "Voucher", "Rete", "Piano", "Laboratorio", "Servizio"]
TOPICS = ["caregiver familiari", "smart working", "welfare aziendale", "doposcuola",
          "banca delle ore", "accordi di conciliazione", "servizi salvatempo", "nidi aziendali"]


def seed_practices(ctx: ScaleContext, factor: float) -> None:
    rng = ctx.rng
    areas = db.session.execute(select(InterventionArea.code, InterventionArea.target)).all()
    spaces = [s for s in ctx.spaces if s.kind in ("ats", "alleanza") and s.members]
    alleanze = [s.alleanza_id for s in ctx.spaces if s.alleanza_id]
    n = ctx.scaled(PER_FACTOR)
    ids = ctx.new_ids(Practice.__table__, n)
    practices, partners, indicators, versions, adoptions, entries = [], [], [], [], [], []
    for practice_id in ids:
        space = rng.choice(spaces)
        author = next(iter(space.members))
        area, target = rng.choice(areas)
        topic = rng.choice(TOPICS)
        title = f"{rng.choice(SERVICES)} {topic} {practice_id}"
        audience = "le famiglie" if target == "persone" else "le imprese"
        summary = f"Un servizio di {topic} per {audience} del territorio, con i partner della rete."
        status = rng.choice(STATUSES)
        start = date(2020, 1, 1) + timedelta(days=rng.randrange(1200))
        updated = ctx.now - timedelta(days=rng.randrange(700), minutes=practice_id)
        row = {
            "id": practice_id, "space_id": space.id, "status": status,
            "visibility": rng.choice(VISIBILITIES), "title": title, "summary": summary,
            "need": f"Bisogno di {topic}.", "target": target,
            "reached_count": rng.randrange(10, 500),
            "area_code": area, "ats_id": space.ats_id, "alleanza_id": space.alleanza_id,
            "municipalities": "", "lead_organisation_id": None,
            "lead_organisation_name": "Ente capofila", "start_date": start, "end_date": None,
            "state": "in_corso", "stage": rng.choice(["sperimentazione", "a_regime"]),
            "stage_owner": "", "budget": Decimal(rng.randrange(5, 200) * 1000),
            "funding_source": "Regione Lombardia", "staff": "", "activities": summary,
            "activities_html": f"<p>{summary}</p>", "evidence": "promettente",
            "difficulties": "", "difficulties_html": "", "lessons": "Lezioni.",
            "lessons_html": "<p>Lezioni.</p>", "transferability": "Trasferibile.",
            "transferability_html": "<p>Trasferibile.</p>", "contact_id": author,
            "created_by_id": author, "created_at": updated, "updated_at": updated,
            "submitted_at": None, "published_at": updated if status == "pubblicata" else None,
            "review_comment": "", "keywords": " ".join(sorted(keywords_of(title, summary))),
            "comment_thread_id": None, "version_count": 2, "attachment_count": 0,
            "adoption_count": 0,
        }
        if status == "pubblicata" and alleanze and rng.random() < 0.2:
            taken = {a for a in rng.sample(alleanze, 3) if a != space.alleanza_id}
            row["adoption_count"] = len(taken)
            adoptions += [{"practice_id": practice_id, "alleanza_id": a, "kind": "riusata",
                           "note": "", "user_id": author, "created_at": updated} for a in taken]
        practices.append(row)
        names = [f"Partner {k + 1}" for k in range(rng.randrange(1, 4))]
        partners += [{"practice_id": practice_id, "position": k, "organisation_id": None,
                      "name": name, "role": ""} for k, name in enumerate(names)]
        indicators.append({"practice_id": practice_id, "position": 0, "name": "Persone raggiunte",
                           "value": Decimal(row["reached_count"]), "unit": "persone",
                           "year": 2023})
        data = json.dumps({"title": title, "summary": summary, "status": status})
        versions += [{"practice_id": practice_id, "number": k, "data": data, "status": status,
                      "note": "", "author_id": author, "created_at": updated} for k in (1, 2)]
        entries.append(search.document_row(
            "practice", practice_id, space_id=space.id, author_id=author, created_at=updated,
            title=title, kind="pratica", thread_id=None,
            body="\n".join([summary, row["need"], summary, "Lezioni.", "Trasferibile.",
                            "Ente capofila", "Regione Lombardia", *names, "Persone raggiunte"])))
    ctx.insert(Practice, practices)
    for table, rows in ((PracticePartner, partners), (PracticeIndicator, indicators),
                        (PracticeVersion, versions), (PracticeAdoption, adoptions),
                        (SearchEntry, entries)):
        for row, new_id in zip(rows, ctx.new_ids(table.__table__, len(rows))):
            row["id"] = new_id
        ctx.insert(table, rows)
    readable = [p["id"] for p in practices if p["status"] == "pubblicata"
                and p["visibility"] != "spazio"]
    ctx.facts["practice_id"] = readable[0] if readable else None  # any member reads it


SEEDERS = [("buone pratiche", seed_practices)]
