"""The records a person can read, as CSV (semicolons, as Italian spreadsheets expect, with a
BOM so that Excel reads UTF-8) and as JSON."""
from __future__ import annotations

import json

from flask import Response

from cop.csvfiles import csv_download
from cop.mail import link

COLUMNS = [
    ("id", "id"), ("titolo", "title"), ("stato_scheda", "status"), ("visibilita", "visibility"),
    ("sintesi", "summary"), ("bisogno", "need"), ("destinatari", "target"),
    ("raggiunti", "reached_count"), ("area", "area_code"), ("ats", None), ("alleanza", None),
    ("comuni", None), ("ente_capofila", None), ("partner", None), ("inizio", "start_date"),
    ("fine", "end_date"), ("stato", "state"), ("stadio", "stage"),
    ("istituzionalizzata_da", "stage_owner"), ("budget_euro", "budget"),
    ("fonte_finanziamento", "funding_source"), ("personale", "staff"),
    ("attivita", "activities"), ("indicatori", None), ("evidenza", "evidence"),
    ("difficolta", "difficulties"), ("lezioni", "lessons"),
    ("trasferibilita", "transferability"), ("contatto", None), ("adozioni", "adoption_count"),
    ("spazio", None), ("aggiornata", "updated_at"), ("indirizzo", None),
]


def record(practice) -> dict:
    """One record as plain values (the JSON export; the CSV flattens the lists)."""
    data = {key: getattr(practice, attr) for key, attr in COLUMNS if attr}
    data.update({
        "ats": practice.ats.name if practice.ats else None,
        "alleanza": practice.alleanza.name if practice.alleanza else None,
        "comuni": practice.municipality_list,
        "ente_capofila": practice.lead_name or None,
        "partner": [{"nome": p.name, "ruolo": p.role} for p in practice.partners],
        "indicatori": [{"nome": i.name, "valore": float(i.value), "unita": i.unit,
                        "anno": i.year} for i in practice.indicators],
        "contatto": practice.contact.name if practice.contact else None,
        "spazio": practice.space.name,
        "indirizzo": link("practices.show", practice_id=practice.id),
    })
    for key in ("inizio", "fine", "aggiornata"):
        data[key] = data[key].isoformat() if data[key] else None
    data["budget_euro"] = float(data["budget_euro"]) if data["budget_euro"] is not None else None
    return data


def _flat(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return " | ".join(
            ", ".join(str(v) for v in item.values() if v not in (None, "")) if isinstance(
                item, dict) else str(item) for item in value)
    return str(value)


def csv_response(practices) -> Response:
    records = (record(practice) for practice in practices)
    return csv_download([key for key, _ in COLUMNS],
                        ([_flat(data[key]) for key, _ in COLUMNS] for data in records),
                        "buone-pratiche.csv")


def json_response(practices) -> Response:
    body = json.dumps({"pratiche": [record(p) for p in practices]}, ensure_ascii=False,
                      indent=1)
    return Response(body, mimetype="application/json", headers={
        "Content-Disposition": "attachment; filename=buone-pratiche.json"})
