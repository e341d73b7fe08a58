"""Library pages: the library with facets, a record, writing and editing, history, exports,
the overlap report, and a space's records. The workflow buttons are in workflow.py."""
from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from cop import access, facts
from cop.auth.models import User
from cop.discussions.models import Thread
from cop.extensions import db
from cop.files.forms import chosen_files
from cop.files.queries import attachments_by_owner
from cop.i18n import choice_labels, localized
from cop.network.models import Alleanza, Ats
from cop.outcomes import commit_or_explain
from cop.pagination import counted_page, window_by_ids
from cop.practices import exports, forms, history, queries, services
from cop.practices.blueprint import bp
from cop.practices.forms import (
    AdoptForm,
    ChangeAdoptionForm,
    CommentForm,
    PracticeForm,
    PublishForm,
    ReviewForm,
    SimpleActionForm,
)
from cop.practices.models import Practice, Status
from cop.reference.models import InterventionArea
from cop.spaces import queries as space_queries
from cop.spaces.context import add_slug, load_space, require_space_access
from cop.spaces.models import Space
from cop.urls import database_int

bp.url_value_preprocessor(load_space)
bp.before_request(require_space_access)
bp.url_defaults(add_slug)

ENUM_FACETS = {
    "destinatari": forms.TARGET_CHOICES, "fase": forms.STAGE_CHOICES,
    "stato": forms.STATE_CHOICES, "evidenza": [(v, str(label).split(":")[0])
                                                for v, label in forms.EVIDENCE_CHOICES],
}
FACET_TITLES = {
    "area": "Area di intervento", "destinatari": "Destinatari", "ats": "ATS",
    "fase": "Stadio", "stato": "Stato", "evidenza": "Livello di evidenza",
    "ente": "Tipo di ente capofila",
}
EXPORT_LIMIT = 5000


_LABELS = {
    "target": forms.TARGET_CHOICES, "state": forms.STATE_CHOICES, "stage": forms.STAGE_CHOICES,
    "evidence": forms.EVIDENCE_CHOICES, "visibility": forms.VISIBILITY_CHOICES,
    "status": forms.STATUS_CHOICES, "adoption": forms.ADOPTION_CHOICES,
}


_LABELLERS = {kind: choice_labels(choices) for kind, choices in _LABELS.items()}


def practice_label(kind: str, value) -> str:
    """The words for a stored choice («a_regime» -> «A regime»), in the reader's language."""
    return _LABELLERS[kind](value)


@bp.record_once
def _add_globals(state):
    state.app.jinja_env.globals["practice_label"] = practice_label


def library_query() -> queries.LibraryQuery:
    chosen = {name: [v for v in request.args.getlist(name) if v][:20] for name in queries.FACETS}
    phase = request.args.get("scheda", "pubblicate")
    return queries.LibraryQuery(
        text=request.args.get("q", "").strip()[:200],
        chosen={k: v for k, v in chosen.items() if v},
        phase=phase if phase in queries.PHASES else "pubblicate",
        sort=request.args.get("ordine", ""))


def _facets(counts, labels, query):
    facets = []
    for name in queries.FACETS:
        if name in ENUM_FACETS:
            options = [(value, str(label)) for value, label in ENUM_FACETS[name]]
        else:
            options = [(value, localized(it, en)) for value, (it, en, _) in labels[name].items()]
        chosen = query.chosen.get(name, [])
        rows = [(value, label, counts[name].get(value, 0), value in chosen)
                for value, label in options]
        facets.append((name, _(FACET_TITLES[name]),
                       [r for r in rows if r[2] or r[3]]))
    return facets


@bp.route("/pratiche/")
def library():
    query = library_query()
    total, counts = queries.facet_counts(current_user, query)
    page = counted_page(queries.library_ids(current_user, query), queries.load_cards, total)
    labels = queries.facet_labels()
    reviewer = current_user.is_curator or bool(access.coordinated_ats_ids(current_user))
    return render_template(
        "practices/library.html", query=query, page=page, facets=_facets(counts, labels, query),
        labels=labels, excerpts=queries.excerpts(page.items, query.words),
        review_count=queries.review_queue_count(current_user) if reviewer else 0)


@bp.route("/pratiche/esporta.<any(csv, json):fmt>")
def export(fmt):
    rows = queries.export_rows(current_user, library_query(), EXPORT_LIMIT)
    return exports.csv_response(rows) if fmt == "csv" else exports.json_response(rows)


def render_practice(practice: Practice, status: int = 200, **forms_):
    user = current_user
    facts.about(practice)  # stories and the bell's count: one statement
    adoptions = queries.adoptions(practice.id)
    mine = set(access.adopting_alleanza_ids(user, practice)) if practice.is_published else set()
    adopt_form = forms_.get("adopt_form")
    if access.can(user, access.ADOPT, practice):  # for the Alleanze that have not adopted it
        adopt_form = adopt_form or AdoptForm(formdata=None)
        ids = mine - {a.alleanza_id for a in adoptions}
        adopt_form.alleanza_id.choices = [(str(a.id), a.name) for a in db.session.scalars(
            select(Alleanza).where(Alleanza.id.in_(ids)).order_by(Alleanza.name))] if ids else []
    change_forms = {a.alleanza_id: ChangeAdoptionForm(
        formdata=None, prefix=f"a{a.alleanza_id}", kind=a.kind, note=a.note)
        for a in adoptions if a.alleanza_id in mine}
    change_forms.update(forms_.get("change_adoption_forms") or {})
    thread, comments = queries.comments(user, practice)
    waiting = practice.status in (Status.SUBMITTED.value, Status.VALIDATED.value)
    html = render_template(
        "practices/show.html", practice=practice, adoptions=adoptions,
        adoption_history=queries.adoption_history(practice.id) if adoptions or mine else [],
        change_adoption_forms=change_forms,
        reviews=queries.reviews(practice.id), similar=queries.similar_practices(user, practice),
        threads=queries.linked_threads(user, practice), comment_thread=thread, comments=comments,
        attachments=attachments_by_owner(services.OWNER_TYPE, [practice.id])[practice.id],
        missing=services.missing_for_submission(practice)
        if access.can(user, access.SUBMIT, practice) else {},
        review_form=forms_.get("review_form") or ReviewForm(formdata=None),
        publish_form=forms_.get("publish_form") or PublishForm(
            formdata=None, visibility=practice.visibility),
        adopt_form=adopt_form, comment_form=forms_.get("comment_form") or CommentForm(
            formdata=None), action_form=SimpleActionForm(formdata=None),
        validator=access.is_validator(user, practice), missing_labels=history.LABELS,
        own_record=services.OWN_RECORD if waiting and access.wrote_practice(user, practice)
        else None,
        ats_validators=queries.validators(practice, regional=False)
        if practice.status == Status.SUBMITTED.value
        and not access.can(user, access.REVIEW, practice) else None)
    return html, status


@bp.route("/pratiche/<int:practice_id>")
def show(practice_id):
    return render_practice(access.get_or_404(Practice, practice_id,
                                             options=queries.practice_page()))


@bp.route("/pratiche/<int:practice_id>/stampa")
def printable(practice_id):
    practice = access.get_or_404(Practice, practice_id, options=queries.practice_page())
    return render_template("practices/print.html", practice=practice,
                           adoptions=queries.adoptions(practice.id))


def _form_choices(form: PracticeForm, space_id: int, practice: Practice | None) -> list[str]:
    """Fills the form's choices (the writer's own ATS and Alleanze, the space's people);
    returns the lead organisations to suggest."""
    people = [m.user for m in db.session.scalars(
        space_queries.members(db.session.get_one(Space, space_id)))]
    ids = {p.id for p in people}
    current_contact_id = practice.contact_id if practice is not None else None
    if current_contact_id and current_contact_id not in ids:
        contact = db.session.get(User, current_contact_id)
        if contact is not None:
            people.append(contact)
    if all(p.id != current_user.id for p in people):
        people.append(current_user._get_current_object())
    ats, alleanze, names = queries.attribution_choices(current_user, practice)
    form.set_choices(
        areas=db.session.scalars(select(InterventionArea).order_by(InterventionArea.position)),
        ats=ats, alleanze=alleanze, people=sorted(people, key=lambda p: p.name))
    return names


def _threads_context(form: PracticeForm, searched: bool) -> dict:
    """The linked discussions the form shows ticked, and those found by its search box."""
    linked = queries.threads_by_ids(current_user, form.thread_ids())
    query = (form.thread_query.data or "").strip()
    found = None
    if searched:
        chosen = {t.id for t in linked}
        found = [t for t in queries.find_threads(current_user, query) if t.id not in chosen] \
            if query else []
    return {"linked_threads": linked, "found_threads": found}


def _linked_problem(form: PracticeForm) -> bool:
    ids = form.thread_ids()
    if not ids:
        return False

    seen = set(db.session.scalars(select(Thread.id).where(
        Thread.id.in_(ids), access.visible_threads_clause(current_user))))
    unknown = [i for i in ids if i not in seen]
    if unknown:
        form.linked.errors = list(form.linked.errors) + [_(
            "Non trovo queste discussioni, o non puoi vederle: %(ids)s.",
            ids=", ".join(f"#{i}" for i in unknown))]
    return bool(unknown)


def _input(form: PracticeForm, unseen_links: list[int] = ()) -> services.PracticeInput:
    """What the form says; `unseen_links`: the record's linked discussions the writer may
    not read (so not offered on the form), kept as they are."""
    return services.PracticeInput(form.field_values(), form.partner_rows(),
                                  form.indicator_rows(), form.thread_ids() + list(unseen_links))


def _unseen_links(practice: Practice) -> list[int]:
    linked = [link.target_id for link in practice.links if link.kind == "thread"]
    seen = {t.id for t in queries.threads_by_ids(current_user, linked)}
    return [i for i in linked if i not in seen]


def _checked(form: PracticeForm, practice: Practice | None = None) -> bool:
    """Coherence problems (dates, area and target, Alleanza and ATS) and attribution (to the
    writer's own ATS, Alleanze, organisations) on their fields."""
    if not form.validate_on_submit():
        return False
    values = form.field_values()
    problems = {**services.attribution_problems(current_user, values, practice),
                **services.problems(values, form.indicator_rows(), complete=False)}
    form.show_problems(problems)
    return not problems and not _linked_problem(form)


def _save(write, form: PracticeForm, field=None):
    """The form's one transaction: `write()` saves the record and returns it, the new files are
    attached, and it is sent for validation if asked and complete. Then the record's page; or,
    asked to send an incomplete record, back to the form with what is missing (the draft is
    kept); None when a service refused (said under `field`, else flashed)."""
    def save():
        practice = write()
        services.add_attachments(practice, current_user, chosen_files(form.attachments))
        if not form.save_and_submit.data:
            return practice, None
        missing = services.missing_for_submission(practice)
        if not missing:
            services.submit(practice, current_user)
        return practice, missing

    done = commit_or_explain(save, field=field)
    if not done:
        return None
    practice, missing = done.value
    if missing:
        flash(_("Bozza salvata. Per inviarla alla validazione completa i campi indicati."),
              "warning")
        return redirect(url_for("practices.edit", practice_id=practice.id, completa=1))
    flash(_("Scheda inviata alla validazione.") if form.save_and_submit.data else
          _("Scheda salvata."), "success")
    return redirect(url_for("practices.show", practice_id=practice.id))


@bp.route("/spazi/<slug>/pratiche/nuova", methods=["GET", "POST"])
def new(slug=None):
    space = g.space
    if not access.may_write_practices(current_user, space):
        abort(403)
    form = PracticeForm()
    if request.method == "GET":
        form.ats_id.data = str(space.ats_id or "")
        form.alleanza_id.data = str(space.alleanza_id or "")
        form.contact_id.data = str(current_user.id)
    names = _form_choices(form, space.id, None)
    searched = form.is_submitted() and form.wants_threads()
    more = searched or (form.is_submitted() and form.more_rows())
    if not more and _checked(form) and (saved := _save(
            lambda: services.create_practice(space, current_user, _input(form)), form,
            field=form.attachments)):
        return saved
    if not more:
        form.pad_rows(3 if request.method == "GET" else 1)
    return render_template("practices/form.html", form=form, space=space, practice=None,
                           organisation_names=names, **_threads_context(form, searched))


@bp.route("/pratiche/<int:practice_id>/modifica", methods=["GET", "POST"])
def edit(practice_id):
    practice = access.get_or_404(Practice, practice_id, access.EDIT_PRACTICE,
                                 options=queries.practice_edit())
    form = PracticeForm()
    if request.method == "GET":
        form.load(practice, [link.target_id for link in practice.links if link.kind == "thread"])
        if request.args.get("completa"):
            form.show_problems(services.missing_for_submission(practice))
    names = _form_choices(form, practice.space_id, practice)
    searched = form.is_submitted() and form.wants_threads()
    more = searched or (form.is_submitted() and form.more_rows())
    def write() -> Practice:
        services.save(practice, current_user, _input(form, _unseen_links(practice)),
                      note=form.note.data or "", base_version=int(form.base_version.data or -1))
        return practice

    if not more and _checked(form, practice) and (saved := _save(write, form)):
        return saved
    if not more:
        form.pad_rows(3 if request.method == "GET" else 1)
    return render_template(
        "practices/form.html", form=form, space=db.session.get(Space, practice.space_id),
        practice=practice,
        organisation_names=names, **_threads_context(form, searched),
        attachments=attachments_by_owner(services.OWNER_TYPE, [practice.id])[practice.id])


@bp.route("/pratiche/<int:practice_id>/versioni")
def versions(practice_id):
    practice = access.get_or_404(Practice, practice_id, access.HISTORY,
                                 options=queries.practice_edit())
    return render_template("practices/versions.html", practice=practice,
                           versions=queries.versions(practice.id))


@bp.route("/pratiche/<int:practice_id>/versioni/<int:number>")
def version_diff(practice_id, number):
    practice = access.get_or_404(Practice, practice_id, access.HISTORY,
                                 options=queries.practice_edit())
    other = request.args.get("con", number - 1, type=database_int)
    pair = queries.version_pair(practice.id, other, number)
    if number not in pair:
        abort(404)
    old = pair.get(other)
    return render_template("practices/diff.html", practice=practice, new=pair[number], old=old,
                           changes=history.compare(old.data if old else None, pair[number].data))


@bp.route("/pratiche/sovrapposizioni")
def overlaps():
    all_ats = db.session.scalars(select(Ats).order_by(Ats.name)).all()
    chosen = request.args.get("ats", type=database_int) or current_user.organisation.ats_id or \
        (all_ats[0].id if all_ats else None)
    ats = next((a for a in all_ats if a.id == chosen), None)
    if ats is None:
        abort(404)
    return render_template("practices/overlaps.html", all_ats=all_ats, ats=ats,
                           groups=queries.overlap_report(current_user, ats.id),
                           labels=queries.facet_labels())


@bp.route("/spazi/<slug>/pratiche/")
def space_practices(slug=None):
    page = window_by_ids(queries.space_practice_ids(current_user, g.space.id),
                         queries.load_cards)
    return render_template("practices/space_list.html", space=g.space, page=page,
                           may_write=access.may_write_practices(current_user, g.space))


def search_link(hit) -> str:
    """Where a search result of the library leads (cop.search.links, registered by wiring)."""
    return url_for("practices.show", practice_id=hit.doc_id)
