from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from cop import access
from cop.admin.blueprint import bp
from cop.admin.forms import AlleanzaForm, OrganisationForm, PersonAdminForm
from cop.auth import services as auth_services
from cop.auth.models import Invitation, User
from cop.database import utcnow
from cop.extensions import db, login_manager
from cop.network import queries as network_queries
from cop.network import services as network_services
from cop.network.models import Alleanza, Ats, Organisation, organisation_alleanze
from cop.notifications import queries as notification_queries
from cop.notifications import services as notification_services
from cop.notifications.delivery import MAX_ATTEMPTS
from cop.notifications.models import Notification
from cop.outcomes import commit_or_explain
from cop.pagination import paginate
from cop.spaces import services as space_services
from cop.spaces.forms import ConfirmForm, SpaceForm
from cop.spaces.models import Space, SpaceKind


@bp.before_request
def _admins_only():
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if not access.can(current_user, access.ADMINISTER):
        abort(403)


@bp.route("/")
def index():
    counts = {
        "people": db.session.scalar(select(func.count()).select_from(User)),
        "organisations": db.session.scalar(select(func.count()).select_from(Organisation)),
        "spaces": db.session.scalar(select(func.count()).select_from(Space)),
        "invitations": db.session.scalar(select(func.count()).select_from(Invitation).where(
            Invitation.accepted_at.is_(None), Invitation.revoked_at.is_(None),
            Invitation.expires_at > utcnow())),
        "email_failures": db.session.scalar(select(func.count()).select_from(Notification)
                                            .where(Notification.email_error.is_not(None))),
    }
    return render_template("admin/index.html", counts=counts)


@bp.route("/email-non-consegnate")
def email_failures():
    page = paginate(notification_queries.email_failures(), per_page=50)
    notification_queries.attach_subjects(page.items)
    return render_template("admin/email_failures.html", form=ConfirmForm(),
                           max_attempts=MAX_ATTEMPTS, page=page)


@bp.route("/email-non-consegnate/riprova", methods=["POST"])
def retry_email_failures():
    if ConfirmForm().validate_on_submit():
        commit_or_explain(notification_services.retry_failed_emails, lambda count: ngettext(
            "%(num)d email sarà inviata di nuovo.", "%(num)d email saranno inviate di nuovo.",
            count))
    return redirect(url_for("admin.email_failures"))


@bp.route("/persone")
def people():
    search = request.args.get("q", "").strip()[:100]
    role = request.args.get("ruolo", "")
    query = select(User).order_by(User.name)
    if search:
        query = query.where(or_(User.name.icontains(search, autoescape=True),
                                User.email.icontains(search, autoescape=True)))
    if role in ("membro", "curatore", "admin"):
        query = query.where(User.site_role == role)
    if request.args.get("stato") == "disattivati":
        query = query.where(User.active.is_(False))
    return render_template("admin/people.html", page=paginate(query, per_page=50),
                           search=search, role=role)


@bp.route("/persone/<int:user_id>", methods=["GET", "POST"])
def person(user_id):
    person = db.session.get(User, user_id) or abort(404)
    form = PersonAdminForm(obj=person)
    form.organisation_id.choices = network_queries.organisation_choices()
    if form.validate_on_submit():
        def update():
            auth_services.set_site_role(person, form.site_role.data, current_user)
            auth_services.set_active(person, form.active.data, current_user)
            auth_services.move_to_organisation(person, form.organisation_id.data)

        if commit_or_explain(update, _("Dati di %(name)s aggiornati.", name=person.name)):
            return redirect(url_for("admin.people"))
    return render_template("admin/person.html", person=person, form=form)


@bp.route("/inviti")
def invitations():
    query = select(Invitation).order_by(Invitation.created_at.desc())
    return render_template("admin/invitations.html", page=paginate(query, per_page=50),
                           now=utcnow(), form=ConfirmForm())


@bp.route("/inviti/<int:invitation_id>/revoca", methods=["POST"])
def revoke_invitation(invitation_id):
    invitation = db.session.get(Invitation, invitation_id) or abort(404)
    if ConfirmForm().validate_on_submit():
        commit_or_explain(lambda: auth_services.revoke_invitation(invitation),
                          _("Invito a %(email)s revocato.", email=invitation.email), "info")
    return redirect(url_for("admin.invitations"))


@bp.route("/organizzazioni")
def organisations():
    search = request.args.get("q", "").strip()[:100]
    ats_list = db.session.scalars(network_queries.all_ats()).all()
    ats_id = {str(a.id): a.id for a in ats_list}.get(request.args.get("ats", ""))
    page = paginate(network_queries.organisations(search, ats_id), per_page=50)
    return render_template("admin/organisations.html", page=page, search=search, ats_id=ats_id,
                           ats_list=ats_list)


def _organisation_form(organisation: Organisation | None) -> OrganisationForm:
    form = OrganisationForm(obj=organisation)
    form.entity_type_code.choices = [
        (t.code, t.label) for t in db.session.scalars(network_queries.all_entity_types())]
    form.ats_id.choices = [(0, _("Nessuna: livello regionale"))] + [
        (a.id, a.full_name) for a in db.session.scalars(network_queries.all_ats())]
    form.alleanza_ids.choices = network_queries.alleanza_choices()
    if organisation is not None and request.method == "GET":
        form.ats_id.data = organisation.ats_id or 0
        form.alleanza_ids.data = [a.id for a in organisation.alleanze]
    return form


@bp.route("/organizzazioni/nuova", methods=["GET", "POST"])
@bp.route("/organizzazioni/<int:organisation_id>", methods=["GET", "POST"])
def organisation(organisation_id=None):
    organisation = None
    if organisation_id is not None:
        organisation = db.session.scalar(
            select(Organisation).options(selectinload(Organisation.alleanze))
            .where(Organisation.id == organisation_id)) or abort(404)
    form = _organisation_form(organisation)
    if form.validate_on_submit():
        if commit_or_explain(lambda: network_services.save_organisation(
                organisation, name=form.name.data, entity_type_code=form.entity_type_code.data,
                ats_id=form.ats_id.data, city=form.city.data or "",
                website=form.website.data or "", alleanza_ids=form.alleanza_ids.data or []),
                lambda saved: _("Organizzazione «%(name)s» salvata.", name=saved.name),
                field=form.name):
            return redirect(url_for("admin.organisations"))
    return render_template("admin/organisation.html", organisation=organisation, form=form)


@bp.route("/spazi")
def spaces():
    query = select(Space).outerjoin(Ats, Ats.id == Space.ats_id).order_by(
        Space.kind.desc(), Ats.name, Space.name)
    return render_template("admin/spaces.html", spaces=db.session.scalars(query).all())


@bp.route("/spazi/nuovo", methods=["GET", "POST"])
def new_space():
    form = SpaceForm()
    if form.validate_on_submit():
        def create():
            space = space_services.create_space(
                name=form.name.data, kind=SpaceKind.THEMATIC.value,
                visibility=form.visibility.data, description=form.description.data or "")
            space_services.add_member(space, current_user, "coordinatore")
            return space

        if done := commit_or_explain(create, lambda space: _(
                "Spazio tematico «%(name)s» creato. Ora puoi invitare le persone.",
                name=space.name)):
            return redirect(url_for("spaces.home", slug=done.value.slug))
    return render_template("admin/new_space.html", form=form)


@bp.route("/alleanze")
def alleanze():
    organisation_count = (
        select(func.count()).where(organisation_alleanze.c.alleanza_id == Alleanza.id)
        .correlate(Alleanza).scalar_subquery()
    )
    rows = db.session.execute(
        select(Alleanza, organisation_count).join(Alleanza.ats)
        .options(selectinload(Alleanza.lead_organisation)).order_by(Ats.name, Alleanza.number)
    ).all()
    return render_template("admin/alleanze.html", rows=rows)


@bp.route("/alleanze/<int:alleanza_id>", methods=["GET", "POST"])
def alleanza(alleanza_id):
    alleanza = db.session.get(Alleanza, alleanza_id) or abort(404)
    form = AlleanzaForm(obj=alleanza)
    members = db.session.scalars(
        network_queries.organisations(alleanza_id=alleanza.id)).all()
    form.lead_organisation_id.choices = [(0, _("Non indicato"))] + [(o.id, o.name) for o in members]
    if request.method == "GET":
        form.lead_organisation_id.data = alleanza.lead_organisation_id or 0
    if form.validate_on_submit():
        if commit_or_explain(lambda: network_services.rename_alleanza(
                alleanza, form.name.data, form.lead_organisation_id.data), lambda _done: _(
                "Alleanza aggiornata: anche il suo spazio ora si chiama «%(name)s».",
                name=alleanza.name)):
            return redirect(url_for("admin.alleanze"))
    return render_template("admin/alleanza.html", alleanza=alleanza, form=form, members=members)
