"""Writes on practice records. Never commits: the view does, once.

Every save goes through `save()`, which writes the fields, the partners, indicators and links,
the search entry and a new version with the whole record; the workflow steps (`submit`,
`send_back`, `validate`, `publish`, `archive`, `restore`) log a review row and tell the people
concerned through cop.notifications (the kinds are in cop.practices.notices), as do comments
and adoptions. A writer attributes a record only to their own ATS, Alleanze and
organisations (`attribution_problems`); nobody validates or publishes what they wrote. The
comment thread follows the record (`_follow_record`): its space and title after every save
and publication.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from flask import current_app
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, or_, select, update

from cop import access, mail
from cop.auth.models import User
from cop.database import utcnow
from cop.discussions import services as discussions
from cop.discussions.models import Thread
from cop.errors import ServiceError
from cop.extensions import db
from cop.files import services as files
from cop.markdown import render_markdown
from cop.network.models import Alleanza, Organisation
from cop.notifications import services as notifications
from cop.notifications.models import Level, Notification, Subscription
from cop.practices import notices, queries
from cop.practices.models import (
    LIBRARY_SPACE_SLUG,
    AdoptionAction,
    AdoptionKind,
    Practice,
    PracticeAdoption,
    PracticeAdoptionEvent,
    PracticeIndicator,
    PracticeLink,
    PracticePartner,
    PracticeReview,
    PracticeVersion,
    ReviewAction,
    Stage,
    State,
    Status,
    Visibility,
)
from cop.practices.text import keywords_of
from cop.reference.models import InterventionArea
from cop.search import services as search
from cop.search.text import markdown_text
from cop.spaces import services as spaces
from cop.spaces.models import Space, SpaceKind

OWNER_TYPE = "practice"
DOC_TYPE = "practice"

# The record's own fields, as the form hands them over (the snapshot keeps them all).
SCALAR_FIELDS = (
    "title", "summary", "need", "target", "reached_count", "area_code", "ats_id", "alleanza_id",
    "municipalities", "lead_organisation_name", "start_date", "end_date", "state", "stage",
    "stage_owner", "budget", "funding_source", "staff", "activities", "evidence",
    "difficulties", "lessons", "transferability", "contact_id", "visibility",
)
MARKDOWN_FIELDS = ("activities", "difficulties", "lessons", "transferability")

# What a record sent for validation must have (a draft may lack any of it but the title).
REQUIRED_TO_SUBMIT = (
    "summary", "need", "target", "area_code", "ats_id", "lead_organisation_name", "start_date",
    "state", "stage", "activities", "evidence", "lessons", "transferability", "contact_id",
)


@dataclass
class PracticeInput:
    """What the form gives: the scalar fields, and the rows of the repeated parts."""

    fields: dict
    partners: list[dict] = field(default_factory=list)  # {name, role}
    indicators: list[dict] = field(default_factory=list)  # {name, value, unit, year}
    thread_ids: list[int] = field(default_factory=list)


# --- checks ----------------------------------------------------------------------------------

def problems(values: dict, indicators: list[dict], *, complete: bool) -> dict[str, str]:
    """Field -> what is wrong. Coherence always; completeness when `complete` (to submit)."""
    found: dict[str, str] = {}
    start, end = values.get("start_date"), values.get("end_date")
    if start and end and end < start:
        found["end_date"] = str(_l("La fine deve venire dopo l'inizio."))
    area_code, target = values.get("area_code"), values.get("target")
    if area_code and target:
        area = db.session.get(InterventionArea, area_code)
        if area is not None and area.target != target:
            found["area_code"] = str(_l("Quest'area di intervento è per «%(target)s»: scegli "
                                        "un'area adatta al destinatario.", target=area.target))
    alleanza_id, ats_id = values.get("alleanza_id"), values.get("ats_id")
    if alleanza_id and ats_id:
        alleanza = db.session.get(Alleanza, alleanza_id)
        if alleanza is not None and alleanza.ats_id != ats_id:
            found["alleanza_id"] = str(_l("Questa Alleanza non fa parte dell'ATS scelta."))
    if values.get("state") == State.ENDED.value and not end and complete:
        found["end_date"] = str(_l("Una pratica conclusa ha una data di fine."))
    if not complete:
        return found
    for name in REQUIRED_TO_SUBMIT:
        value = values.get(name)
        if value is None or (isinstance(value, str) and not value.strip()):
            found.setdefault(name, str(_l("Serve per inviare la scheda alla validazione.")))
    if values.get("stage") in (Stage.ROUTINE.value, Stage.INSTITUTIONAL.value) and \
            not (values.get("stage_owner") or "").strip():
        found["stage_owner"] = str(_l("Indica chi ha portato la pratica a regime o l'ha "
                                      "istituzionalizzata."))
    if not indicators:
        found["indicators"] = str(_l("Indica almeno un risultato con il suo valore."))
    return found


NOT_YOUR_ATS = _l("Puoi attribuire la scheda solo a un'ATS di cui fai parte.")
NOT_YOUR_ALLEANZA = _l("Puoi attribuire la scheda solo a un'Alleanza di cui fai parte.")
NOT_YOUR_ORGANISATION = _l("Come ente capofila puoi indicare la tua organizzazione o un ente "
                           "della tua ATS o Alleanza; per un altro ente chiedi ai curatori "
                           "regionali.")


def attribution_problems(user: User, values: dict, practice: Practice | None = None
                         ) -> dict[str, str]:
    """Field -> what is wrong with the ATS, Alleanza and lead organisation `values` name: a
    writer attributes a record only to their own (access.attributable_territory); what the
    record already names stays allowed."""
    territory = access.attributable_territory(user)
    if territory is None:
        return {}
    kept = values_of(practice) if practice is not None else {}
    found: dict[str, str] = {}
    for name, allowed, message in (("ats_id", territory.ats_ids, NOT_YOUR_ATS),
                                   ("alleanza_id", territory.alleanza_ids, NOT_YOUR_ALLEANZA)):
        value = values.get(name)
        if value and value != kept.get(name) and value not in allowed:
            found[name] = str(message)
    lead = _organisation_by_name(values.get("lead_organisation_name", ""))
    if lead is not None and (practice is None or lead.id != practice.lead_organisation_id) \
            and not db.session.scalar(select(Organisation.id).where(
                Organisation.id == lead.id,
                access.attributable_organisations_clause(user, territory))):
        found["lead_organisation_name"] = str(NOT_YOUR_ORGANISATION)
    return found


def values_of(practice: Practice) -> dict:
    return {name: getattr(practice, name) for name in SCALAR_FIELDS}


def missing_for_submission(practice: Practice) -> dict[str, str]:
    indicators = db.session.scalars(select(PracticeIndicator.id).where(
        PracticeIndicator.practice_id == practice.id)).all()
    return problems(values_of(practice), indicators, complete=True)


# --- saving ----------------------------------------------------------------------------------

def _organisation_by_name(name: str) -> Organisation | None:
    name = " ".join((name or "").split())
    if not name:
        return None
    return db.session.scalar(select(Organisation).where(
        func.lower(Organisation.name) == name.lower()).order_by(Organisation.id).limit(1))


def _default_territory(space: Space) -> dict:
    return {"ats_id": space.ats_id, "alleanza_id": space.alleanza_id}


def create_practice(space: Space, user: User, data: PracticeInput) -> Practice:
    if not access.may_write_practices(user, space):
        raise ServiceError(str(_l("Non puoi scrivere schede in questo spazio.")))
    fields = {**_default_territory(space), **{k: v for k, v in data.fields.items()
                                              if v not in (None, "")}}
    practice = Practice(space_id=space.id, created_by_id=user.id, status=Status.DRAFT.value,
                        title=fields.get("title", ""), visibility=Visibility.SPACE.value,
                        version_count=0, adoption_count=0, attachment_count=0)
    db.session.add(practice)
    db.session.flush()
    save(practice, user, PracticeInput({**data.fields, **{k: fields[k] for k in
                                                          ("ats_id", "alleanza_id")
                                                          if not data.fields.get(k)}},
                                       data.partners, data.indicators, data.thread_ids),
         note=str(_l("Prima stesura")))
    return practice


def save(practice: Practice, user: User, data: PracticeInput, *, note: str = "",
         base_version: int | None = None) -> PracticeVersion:
    """Writes the record and a new version. `base_version` is the version the writer started
    from: if somebody saved in between, nothing is written and they are told."""
    if base_version is not None and base_version != practice.version_count:
        raise ServiceError(str(_l(
            "Mentre scrivevi qualcuno ha salvato una nuova versione della scheda. Le tue "
            "modifiche sono qui sotto: confrontale con la versione attuale prima di salvare.")))
    values = {name: data.fields.get(name, getattr(practice, name)) for name in SCALAR_FIELDS}
    wrong = problems(values, data.indicators, complete=False) or \
        attribution_problems(user, values, practice)
    if wrong:
        raise ServiceError(" ".join(wrong.values()))
    for name, value in values.items():
        if isinstance(value, str):
            value = value.strip() if name not in MARKDOWN_FIELDS else value
        setattr(practice, name, value)
    practice.title = " ".join((practice.title or "").split())
    practice.municipalities = "\n".join(
        m for m in (" ".join(p.split()) for p in (practice.municipalities or "")
                    .replace(",", "\n").split("\n")) if m)
    for name in MARKDOWN_FIELDS:
        setattr(practice, f"{name}_html", render_markdown(getattr(practice, name)))
    lead = _organisation_by_name(practice.lead_organisation_name)
    practice.lead_organisation_id = lead.id if lead else None
    if lead:
        practice.lead_organisation_name = lead.name
    _replace_rows(practice, data)
    practice.keywords = " ".join(sorted(keywords_of(practice.title, practice.summary,
                                                    practice.need)))
    practice.updated_at = utcnow()
    db.session.flush()
    _index(practice)
    _follow_record(practice)
    return _new_version(practice, user, note)


def _replace_rows(practice: Practice, data: PracticeInput) -> None:
    for model in (PracticePartner, PracticeIndicator, PracticeLink):
        db.session.execute(delete(model).where(model.practice_id == practice.id))
    names = [" ".join((p.get("name") or "").split()) for p in data.partners]
    known = {}
    if any(names):
        rows = db.session.execute(select(Organisation.id, Organisation.name).where(
            func.lower(Organisation.name).in_([n.lower() for n in names if n])))
        known = {name.lower(): (oid, name) for oid, name in rows}
    for position, (partner, name) in enumerate(zip(data.partners, names)):
        if not name:
            continue
        organisation_id, proper = known.get(name.lower(), (None, name))
        db.session.add(PracticePartner(practice_id=practice.id, position=position, name=proper,
                                       organisation_id=organisation_id,
                                       role=(partner.get("role") or "").strip()[:200]))
    for position, row in enumerate(data.indicators):
        db.session.add(PracticeIndicator(
            practice_id=practice.id, position=position, name=row["name"].strip()[:200],
            value=row["value"], unit=(row.get("unit") or "").strip()[:60], year=row.get("year")))
    for thread_id in dict.fromkeys(data.thread_ids):
        db.session.add(PracticeLink(practice_id=practice.id, kind="thread", target_id=thread_id))
    db.session.flush()
    db.session.expire(practice, ["partners", "indicators", "links"])


def _plain(value) -> object:
    if isinstance(value, (date, Decimal)):
        return str(value)
    return value


def snapshot(practice: Practice) -> dict:
    """The record as a version keeps it: its fields, partners, indicators and links."""
    partners = db.session.execute(select(PracticePartner.name, PracticePartner.role).where(
        PracticePartner.practice_id == practice.id).order_by(PracticePartner.position)).all()
    indicators = db.session.execute(select(
        PracticeIndicator.name, PracticeIndicator.value, PracticeIndicator.unit,
        PracticeIndicator.year).where(PracticeIndicator.practice_id == practice.id)
        .order_by(PracticeIndicator.position)).all()
    links = db.session.scalars(select(PracticeLink.target_id).where(
        PracticeLink.practice_id == practice.id).order_by(PracticeLink.id)).all()
    return {
        **{name: _plain(getattr(practice, name)) for name in SCALAR_FIELDS},
        "status": practice.status,
        "partners": [{"name": p.name, "role": p.role} for p in partners],
        "indicators": [{"name": i.name, "value": str(i.value), "unit": i.unit, "year": i.year}
                       for i in indicators],
        "thread_ids": list(links),
    }


def _new_version(practice: Practice, user: User | None, note: str) -> PracticeVersion:
    # The counter moves in the database, so two saves at once never take the same number.
    number = db.session.execute(
        update(Practice).where(Practice.id == practice.id)
        .values(version_count=Practice.version_count + 1)
        .returning(Practice.version_count).execution_options(synchronize_session=False)
    ).scalar_one()
    practice.version_count = number
    db.session.expire(practice, ["version_count"])
    version = PracticeVersion(
        practice_id=practice.id, number=number, status=practice.status, note=note[:300],
        data=json.dumps(snapshot(practice), ensure_ascii=False, sort_keys=True),
        author_id=user.id if user is not None else None)
    db.session.add(version)
    db.session.flush()
    return version


def add_attachments(practice: Practice, user: User, uploads) -> None:
    stored = files.store_uploads(uploads, space_id=practice.space_id, owner_type=OWNER_TYPE,
                                 owner_id=practice.id, user=user)
    if stored:
        practice.attachment_count = files.attachment_count(OWNER_TYPE, practice.id)


def remove_attachment(practice: Practice, attachment) -> None:
    files.delete_attachment(attachment)
    db.session.flush()
    practice.attachment_count = files.attachment_count(OWNER_TYPE, practice.id)


# --- search ----------------------------------------------------------------------------------

def _search_body(practice: Practice) -> str:
    partners = db.session.scalars(select(PracticePartner.name).where(
        PracticePartner.practice_id == practice.id).order_by(PracticePartner.position)).all()
    indicators = db.session.scalars(select(PracticeIndicator.name).where(
        PracticeIndicator.practice_id == practice.id).order_by(PracticeIndicator.position)).all()
    parts = [practice.summary, practice.need, *(markdown_text(getattr(practice, name))
                                                for name in MARKDOWN_FIELDS),
             practice.municipalities, practice.lead_organisation_name, practice.stage_owner,
             practice.funding_source, *partners, *indicators]
    return "\n".join(p for p in parts if p)


def _index(practice: Practice) -> None:
    search.index_document(
        DOC_TYPE, practice.id, space_id=practice.space_id, author_id=practice.created_by_id,
        created_at=practice.published_at or practice.created_at, title=practice.title,
        body=_search_body(practice), kind="pratica")


def reindex_practices() -> int:
    place_comment_threads()  # their entries follow (discussions' thread_changed)
    db.session.execute(delete(search.SearchEntry).where(search.SearchEntry.doc_type == DOC_TYPE))
    count = 0
    for practice in db.session.scalars(select(Practice).order_by(Practice.id)):
        _index(practice)
        count += 1
    return count


# --- workflow --------------------------------------------------------------------------------

def _review(practice: Practice, user: User, action: ReviewAction, comment: str = "") -> None:
    db.session.add(PracticeReview(practice_id=practice.id, action=action.value,
                                  comment=comment.strip(), actor_id=user.id))


def _allowed(practice: Practice, user: User, allowed: str) -> None:
    if not access.can(user, allowed, practice):
        raise ServiceError(str(_l("Questo passaggio non è possibile ora per la scheda.")))


def _move(practice: Practice, user: User, allowed: str, to: Status, action: ReviewAction,
          comment: str = "") -> None:
    _allowed(practice, user, allowed)
    practice.status = to.value
    practice.updated_at = utcnow()
    _review(practice, user, action, comment)
    db.session.flush()


def submit(practice: Practice, user: User) -> None:
    missing = missing_for_submission(practice)
    if missing:
        raise ServiceError(str(_l("La scheda non è completa: completa i campi indicati e "
                                  "inviala di nuovo.")))
    _move(practice, user, access.SUBMIT, Status.SUBMITTED, ReviewAction.SUBMIT)
    practice.submitted_at = utcnow()
    practice.review_comment = ""
    notifications.notify(practice, queries.validators(practice), notices.SUBMITTED, actor=user)


def withdraw_submission(practice: Practice, user: User) -> None:
    """Its author takes the sent record back to a draft, to change it and send it again. The
    people who were asked to validate it hear that it no longer waits for them: told while it
    still does, so while they may see it (the notice then leads to the validation queue, not
    to the draft, which is for its authors only)."""
    _allowed(practice, user, access.WITHDRAW_SUBMISSION)
    notifications.notify(practice, queries.validators(practice), notices.WITHDRAWN, actor=user)
    _move(practice, user, access.WITHDRAW_SUBMISSION, Status.DRAFT, ReviewAction.WITHDRAW)


def send_back(practice: Practice, user: User, comment: str) -> None:
    if not (comment or "").strip():
        raise ServiceError(str(_l("Scrivi che cosa va cambiato: lo leggeranno gli autori.")))
    _move(practice, user, access.REVIEW, Status.DRAFT, ReviewAction.SEND_BACK, comment)
    practice.review_comment = comment.strip()
    notifications.notify(practice, _writers(practice), notices.SENT_BACK, actor=user,
                         text=comment.strip())


OWN_RECORD = _l("Hai scritto tu questa scheda: la valida e la pubblica un'altra persona, un "
                "referente dell'ATS o un curatore regionale.")


def _four_eyes(practice: Practice, user: User) -> None:
    if access.wrote_practice(user, practice):
        raise ServiceError(str(OWN_RECORD))


def validate(practice: Practice, user: User, comment: str = "") -> None:
    _four_eyes(practice, user)
    _move(practice, user, access.REVIEW, Status.VALIDATED, ReviewAction.VALIDATE, comment)
    notifications.notify(practice, _writers(practice), notices.VALIDATED, actor=user,
                         text=comment.strip())


def publish(practice: Practice, user: User, visibility: str | None = None) -> None:
    _four_eyes(practice, user)
    if visibility:
        if visibility not in {v.value for v in Visibility}:
            raise ServiceError(str(_l("Scegli chi può leggere la scheda.")))
        practice.visibility = visibility
    _move(practice, user, access.PUBLISH, Status.PUBLISHED, ReviewAction.PUBLISH)
    practice.published_at = practice.published_at or utcnow()
    _index(practice)
    _follow_record(practice)
    notifications.notify(practice, _writers(practice), notices.PUBLISHED, actor=user)


def archive(practice: Practice, user: User, comment: str = "") -> None:
    if practice.status != Status.PUBLISHED.value:
        raise ServiceError(str(_l("Si archiviano solo le schede pubblicate.")))
    _move(practice, user, access.ARCHIVE, Status.ARCHIVED, ReviewAction.ARCHIVE, comment)


def restore(practice: Practice, user: User) -> None:
    if practice.status != Status.ARCHIVED.value:
        raise ServiceError(str(_l("La scheda non è archiviata.")))
    _move(practice, user, access.ARCHIVE, Status.PUBLISHED, ReviewAction.RESTORE)


def delete_draft(practice: Practice, user: User) -> None:
    if not access.can(user, access.DELETE_PRACTICE, practice):
        raise ServiceError(str(_l("Si eliminano solo le bozze.")))
    search.remove_document(DOC_TYPE, practice.id)
    files.delete_owner_attachments(OWNER_TYPE, [practice.id])
    db.session.delete(practice)
    db.session.flush()


def _writers(practice: Practice, *, but=None) -> list[int]:
    """Who wrote the record (created it or saved a version of it), but the user ids `but`
    selects. The notification path keeps the active ones who may read it, never the one who
    acted."""
    statement = select(User.id).where(or_(
        User.id.in_(select(PracticeVersion.author_id).where(
            PracticeVersion.practice_id == practice.id)),
        User.id == practice.created_by_id))
    if but is not None:
        statement = statement.where(User.id.not_in(but))
    return list(db.session.scalars(statement))


# --- adoption and comments -------------------------------------------------------------------

def _adopter_check(practice: Practice, user: User, alleanza_id: int) -> None:
    if alleanza_id not in access.adopting_alleanza_ids(user, practice):
        raise ServiceError(str(_l("Puoi registrare l'adozione solo per un'Alleanza di cui fai "
                                  "parte, diversa da quella che ha scritto la scheda.")))


def _adoption_kind(kind: str) -> None:
    if kind not in {k.value for k in AdoptionKind}:
        raise ServiceError(str(_l("Indica se l'avete riusata così com'è o adattata.")))


def _adoption_of(practice: Practice, alleanza_id: int) -> PracticeAdoption | None:
    return db.session.scalar(select(PracticeAdoption).where(
        PracticeAdoption.practice_id == practice.id, PracticeAdoption.alleanza_id == alleanza_id))


def _log_adoption(practice: Practice, user: User, alleanza_id: int, action: AdoptionAction,
                  kind: str = "", note: str = "") -> None:
    db.session.add(PracticeAdoptionEvent(practice_id=practice.id, alleanza_id=alleanza_id,
                                         action=action.value, kind=kind, note=note,
                                         user_id=user.id))


def _count_adoptions(practice: Practice, change: int) -> None:
    db.session.execute(update(Practice).where(Practice.id == practice.id)
                       .values(adoption_count=Practice.adoption_count + change)
                       .execution_options(synchronize_session=False))
    db.session.expire(practice, ["adoption_count"])


def adopt(practice: Practice, user: User, alleanza_id: int, kind: str,
          note: str) -> PracticeAdoption:
    """An Alleanza registers that it reused or adapted the record: once (then it changes or
    withdraws its adoption)."""
    if not access.can(user, access.ADOPT, practice):
        raise ServiceError(str(_l("Si adottano le schede pubblicate.")))
    _adopter_check(practice, user, alleanza_id)
    _adoption_kind(kind)
    if _adoption_of(practice, alleanza_id) is not None:
        raise ServiceError(str(_l("%(name)s ha già registrato l'adozione di questa scheda: "
                                  "puoi modificarla o ritirarla.",
                                  name=alleanza_name(alleanza_id))))
    note = (note or "").strip()
    adoption = PracticeAdoption(practice_id=practice.id, alleanza_id=alleanza_id, kind=kind,
                                note=note, user_id=user.id, created_at=utcnow())
    db.session.add(adoption)
    _count_adoptions(practice, 1)
    _log_adoption(practice, user, alleanza_id, AdoptionAction.REGISTERED, kind, note)
    db.session.flush()
    # Its writers hear once that it travelled (not of later changes or withdrawals).
    notifications.notify(practice, _writers(practice), notices.ADOPTED, actor=user,
                         text=alleanza_name(alleanza_id), action=kind)
    return adoption


def change_adoption(practice: Practice, user: User, alleanza_id: int, kind: str,
                    note: str) -> PracticeAdoption:
    """The Alleanza's adoption says something else now (the history keeps what it said)."""
    _adopter_check(practice, user, alleanza_id)
    _adoption_kind(kind)
    adoption = _adoption_of(practice, alleanza_id)
    if adoption is None:
        raise ServiceError(str(_l("Questa Alleanza non ha registrato l'adozione.")))
    adoption.kind, adoption.note, adoption.user_id = kind, (note or "").strip(), user.id
    _log_adoption(practice, user, alleanza_id, AdoptionAction.CHANGED, kind, adoption.note)
    db.session.flush()
    return adoption


def withdraw_adoption(practice: Practice, user: User, alleanza_id: int) -> None:
    if alleanza_id not in access.adopting_alleanza_ids(user, practice):
        raise ServiceError(str(_l("Non fai parte di questa Alleanza.")))
    removed = db.session.execute(delete(PracticeAdoption).where(
        PracticeAdoption.practice_id == practice.id, PracticeAdoption.alleanza_id == alleanza_id))
    if removed.rowcount:
        _count_adoptions(practice, -removed.rowcount)
        _log_adoption(practice, user, alleanza_id, AdoptionAction.WITHDRAWN)
        db.session.flush()


def library_space() -> Space:
    """The regional space where comments on records read beyond their own space are held."""
    space = db.session.scalar(select(Space).where(Space.slug == LIBRARY_SPACE_SLUG))
    if space is None:
        space = spaces.create_space(  # as migration 0003 creates it
            name="Biblioteca delle buone pratiche", kind=SpaceKind.THEMATIC.value,
            visibility="regionale", slug=LIBRARY_SPACE_SLUG,
            description="Le discussioni sulle schede di buona pratica della biblioteca "
                        "regionale.")
    return space


def comment_space(practice: Practice) -> Space:
    """Where the record's comments are held: a space whose readers are the record's readers.
    Its own space while only that space's readers see it, else the library's regional space
    (comments exist once the record is published, and a published record stays readable by
    what its visibility names, archived or not)."""
    if practice.visibility == Visibility.SPACE.value:
        return db.session.get(Space, practice.space_id)
    return library_space()


def _comment_title(practice: Practice) -> str:
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):  # stored, not shown
        return str(_l("Scheda: %(title)s", title=practice.title))[:200]


def _follow_record(practice: Practice) -> None:
    """The comment thread follows the record: after a change of visibility it moves to the
    space whose readers are the record's (search, lists, notifications and their emails
    follow the thread's space), and it takes the record's title."""
    thread = db.session.get(Thread, practice.comment_thread_id) \
        if practice.comment_thread_id else None
    if thread is not None:
        discussions.place_thread(thread, comment_space(practice), _comment_title(practice))


def place_comment_threads() -> int:
    """Puts every comment thread where its record says (for data written before threads
    followed their records); returns how many records have one."""
    practices = db.session.scalars(select(Practice).where(
        Practice.comment_thread_id.is_not(None)).order_by(Practice.id)).all()
    for practice in practices:
        _follow_record(practice)
    return len(practices)


def comment(practice: Practice, user: User, body: str):
    """A comment goes into the record's discussion thread, opened by the first comment where
    the record's readers are (`comment_space`), and following the record from then on. The
    thread's followers hear of it as of any post; the record's writers who did not are told
    of a comment on their record."""
    if not access.can(user, access.COMMENT, practice):
        raise ServiceError(str(_l("Si commentano le schede pubblicate.")))
    _follow_record(practice)  # a thread left behind (older data) is put right before replying
    thread = db.session.get(Thread, practice.comment_thread_id) \
        if practice.comment_thread_id else None
    if thread is not None:
        if not access.can(user, access.REPLY, thread):
            raise ServiceError(str(_l("Non puoi commentare in questa discussione.")))
        written = discussions.reply(thread, user, body=body)
        _tell_writers_of_comment(practice, user, written.post)
        return written
    link = mail.link("practices.show", practice_id=practice.id)
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        back = str(_l("Scheda di buona pratica"))
    written = discussions.create_thread(
        comment_space(practice), user, title=_comment_title(practice), kind="esperienza",
        body=f"{body}\n\n— [{back}]({link})")
    practice.comment_thread_id = written.thread.id
    db.session.flush()
    _tell_writers_of_comment(practice, user, written.post)
    return written


def _tell_writers_of_comment(practice: Practice, user: User, post) -> None:
    """The writers the discussion did not tell of the comment: neither told of the post (its
    followers, whoever it answers or mentions) nor muting the comments' thread."""
    told = select(Notification.user_id).where(Notification.post_id == post.id)
    muting = select(Subscription.user_id).where(Subscription.thread_id == post.thread_id,
                                                Subscription.level == Level.MUTE.value)
    notifications.notify(practice, _writers(practice, but=told.union(muting)),
                         notices.COMMENTED, actor=user,
                         text=notifications.excerpt(post.body_html))


def alleanza_name(alleanza_id: int) -> str:
    alleanza = db.session.get(Alleanza, alleanza_id)
    return alleanza.name if alleanza else ""


def readers_of_practice_entries(user):
    """Who reads the library's search entries: the records' readers (cop.search audience)."""
    return search.SearchEntry.doc_id.in_(select(Practice.id).where(
        access.visible_practices_clause(user)))


def archived_labels(practice_ids: list[int]) -> dict[int, str]:
    """For search results: «Archiviata» beside the records that are archived."""
    archived = db.session.scalars(select(Practice.id).where(
        Practice.id.in_(practice_ids), Practice.status == Status.ARCHIVED.value))
    return {pid: str(_l("Archiviata")) for pid in archived}


def practice_of_attachment(owner_id: int) -> Practice | None:
    """The owner of an attachment of OWNER_TYPE (for cop.access, registered by wiring)."""
    return db.session.get(Practice, owner_id)
