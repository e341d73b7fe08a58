"""Practice records for tests: the form's fields as a browser posts them, and a factory that
writes records through the services."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import select

from cop.auth.models import User
from cop.extensions import db
from cop.network.models import Ats
from cop.practices import services
from cop.practices.models import Practice
from cop.spaces.models import Space


def form_data(**overrides) -> dict:
    """A complete record as the form posts it (ATS Bergamo, Alleanza Bergamo 1)."""
    data = {
        "title": "Sportello caregiver in Val Seriana",
        "summary": "Uno sportello che orienta i caregiver familiari tra i servizi del territorio.",
        "need": "I caregiver non sanno a chi rivolgersi e lasciano il lavoro.",
        "target": "persone", "reached_count": "120",
        "area_code": "caregiver_familiare",
        "municipalities": "Albino, Nembro",
        "lead_organisation_name": "Cooperativa Il Ponte",
        "start_date": "2022-01-10", "end_date": "",
        "state": "in_corso", "stage": "sperimentazione", "stage_owner": "",
        "budget": "25.000", "funding_source": "Regione Lombardia", "staff": "Due operatrici",
        "activities": "- colloqui di orientamento\n- gruppi di auto mutuo aiuto",
        "indicators-0-name": "Persone accolte", "indicators-0-value": "120",
        "indicators-0-unit": "persone", "indicators-0-year": "2023",
        "partners-0-name": "Comune di Albino", "partners-0-role": "sede dello sportello",
        "evidence": "promettente", "difficulties": "Farsi conoscere dalle imprese.",
        "lessons": "Serve una persona dedicata.", "transferability": "Facile da replicare.",
        "visibility": "spazio", "thread_links": "", "note": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def area_codes(app) -> dict[str, str]:
    from cop.reference.models import InterventionArea

    with app.app_context():
        return {a.code: a.target for a in db.session.scalars(select(InterventionArea))}


class Practices:
    def __init__(self, app):
        self.app = app

    def make(self, space_slug: str, author_id: int, *, status: str = "pubblicata",
             visibility: str = "spazio", validator_id: int | None = None, title: str | None = None,
             area: str = "caregiver_familiare", target: str = "persone", ats_code: str = "BG",
             summary: str = "Orientamento dei caregiver familiari ai servizi.",
             municipalities: str = "Albino", partners: int = 1, indicators: int = 1) -> int:
        """A complete record by `author_id` in the space, taken to `status`."""
        with self.app.app_context():
            space = db.session.scalar(select(Space).where(Space.slug == space_slug))
            author = db.session.get(User, author_id)
            ats = db.session.scalar(select(Ats).where(Ats.code == ats_code))
            fields = {
                "title": title or f"Pratica di prova {space_slug}", "summary": summary,
                "need": "Un bisogno", "target": target, "area_code": area, "ats_id": ats.id,
                "alleanza_id": space.alleanza_id if space.ats_id == ats.id else None,
                "municipalities": municipalities, "lead_organisation_name": "Ente capofila",
                "start_date": date(2022, 1, 1), "state": "in_corso",
                "stage": "sperimentazione", "activities": "Attività", "evidence": "emergente",
                "lessons": "Lezioni", "transferability": "Trasferibile", "contact_id": author.id,
                "visibility": visibility,
            }
            data = services.PracticeInput(
                fields, [{"name": f"Partner {n}", "role": ""} for n in range(partners)],
                [{"name": f"Indicatore {n}", "value": Decimal(n + 1), "unit": "persone",
                  "year": 2023} for n in range(indicators)])
            practice = services.create_practice(space, author, data)
            if status != "bozza":
                validator = db.session.get(User, validator_id) if validator_id else \
                    db.session.scalar(select(User).where(User.site_role == "admin").limit(1))
                services.submit(practice, author)
                if status != "inviata":
                    services.validate(practice, validator)
                    if status != "validata":
                        services.publish(practice, validator)
                        if status == "archiviata":
                            services.archive(practice, validator)
            db.session.commit()
            return practice.id

    def get(self, practice_id: int) -> Practice | None:
        with self.app.app_context():
            practice = db.session.get(Practice, practice_id)
            if practice is not None:
                db.session.expunge(practice)
            return practice


# --- what people were told (the notification path) ------------------------------------------

def bell(client) -> int:
    """The unread count the bell shows on the home page."""
    import re

    page = client.get("/").get_data(as_text=True)
    found = re.search(r'<span class="badge cop-unread" aria-hidden="true">(\d+)</span>', page)
    return int(found.group(1)) if found else 0


def told(client) -> str:
    """The person's notification list, as text (entities unescaped)."""
    import html

    response = client.get("/notifiche/")
    assert response.status_code == 200
    return html.unescape(response.get_data(as_text=True))


def keep_to_the_bell(client, kind: str) -> None:
    """The person chooses «Solo nel sito» for `kind` on the preferences page."""
    response = client.post("/notifiche/preferenze", {"email_frequency": "each",
                                                     f"kind_{kind}": "bell"})
    assert response.status_code == 302, response.get_data(as_text=True)
