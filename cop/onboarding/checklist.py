"""The checklist on the signed-in home page (the page that hides it: views.py).

`home_checklist(user)` is what cop.main.views.home calls: nothing at all for accounts older
than NEW_FOR_DAYS and for people this browser already saw done; otherwise one statement. The
first time it finds the four steps done it stores completed_at (one write, once)."""
from __future__ import annotations

from dataclasses import dataclass

from flask import session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from cop.database import utcnow, write_after_reading
from cop.extensions import db
from cop.onboarding import queries, services
from cop.outcomes import commit_or_explain

DONE_KEY = "cop_onboarding_done"  # the id of the person this browser saw done


@dataclass(frozen=True)
class Step:
    key: str
    label: str
    hint: str
    url: str
    link_text: str
    done: bool


@dataclass(frozen=True)
class Checklist:
    steps: list[Step]

    @property
    def done_count(self) -> int:
        return sum(1 for s in self.steps if s.done)

    @property
    def total(self) -> int:
        return len(self.steps)

    @property
    def complete(self) -> bool:
        return self.done_count == self.total


_TEXTS = {
    "profile": (_l("Completa il profilo"),
                _l("Scrivi il tuo ruolo e una breve presentazione: chi cerca un contatto ti "
                   "riconosce."), _l("Modifica il profilo")),
    "skill": (_l("Aggiungi le tue competenze"),
              _l("Indica almeno una competenza: la rubrica ti fa trovare da chi ne ha "
                 "bisogno."), _l("Aggiungi competenze")),
    "introduction": (_l("Presentati nel tuo spazio"),
                     _l("Apri una discussione «Presentazione» o rispondi a una discussione in "
                        "uno dei tuoi spazi."), _l("Scrivi la presentazione")),
    "follows": (_l("Segui una discussione"),
                _l("Scegli «Segui» in una discussione aperta da altri: ti avvisiamo delle "
                   "novità."), _l("Guarda le ultime discussioni")),
}


def _url(key: str, first_space: str | None) -> str:
    if key == "profile":
        return url_for("account.edit_profile")
    if key == "skill":
        return url_for("directory.edit_details")
    if key == "introduction":
        if first_space:
            return url_for("discussions.new_thread", slug=first_space,
                           titolo=_("Mi presento"))
        return url_for("spaces.index")
    return url_for("discussions.latest")


def build(row) -> Checklist:
    steps = []
    for key in ("profile", "skill", "introduction", "follows"):
        label, hint, link_text = _TEXTS[key]
        if key == "introduction" and not row.first_space:
            hint = _l("Entra in uno spazio (chiedi di partecipare a uno spazio regionale) e "
                      "presentati con una discussione.")
            link_text = _l("Guarda gli spazi")
        steps.append(Step(key=key, label=str(label), hint=str(hint),
                          url=_url(key, row.first_space), link_text=str(link_text),
                          done=bool(getattr(row, key))))
    return Checklist(steps=steps)


def home_checklist(user) -> Checklist | None:
    """The checklist to show on the home page, or None (see the module's docstring)."""
    if session.get(DONE_KEY) == user.id or not queries.is_new(user, utcnow()):
        return None
    row = db.session.execute(queries.checklist_row(user.id)).one()
    if row.completed_at is not None or row.dismissed_at is not None:
        session[DONE_KEY] = user.id
        return None
    checklist = build(row)
    if checklist.complete:  # shown once more, as done; stored so that it is not asked again
        user_id = user.id
        write_after_reading()
        commit_or_explain(lambda: services.mark_completed(user_id))
        session[DONE_KEY] = user_id
    return checklist
