from flask import abort, render_template, request
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from cop import access
from cop.auth.models import User
from cop.extensions import db
from cop.network import queries
from cop.network.blueprint import bp
from cop.network.models import Organisation
from cop.pagination import paginate


@bp.route("/organizzazioni/")
@login_required
def organisations():
    ats_list = db.session.scalars(queries.all_ats()).all()
    entity_types = db.session.scalars(queries.all_entity_types()).all()
    search = request.args.get("q", "").strip()[:100]
    # A filter value that is not among the choices (a stale or edited link) is ignored.
    ats_id = {str(a.id): a.id for a in ats_list}.get(request.args.get("ats", ""))
    entity_type = request.args.get("tipo", "")
    if entity_type not in {t.code for t in entity_types}:
        entity_type = ""
    page = paginate(queries.organisations(search, ats_id, entity_type))
    return render_template(
        "network/organisations.html", page=page, search=search, ats_id=ats_id,
        entity_type=entity_type, ats_list=ats_list, entity_types=entity_types,
    )


@bp.route("/organizzazioni/<int:organisation_id>")
@login_required
def organisation(organisation_id):
    organisation = db.session.scalar(
        select(Organisation).options(selectinload(Organisation.alleanze))
        .where(Organisation.id == organisation_id)
    )
    if organisation is None or not access.can(current_user, access.VIEW, organisation):
        abort(404)
    people = paginate(select(User).where(User.organisation_id == organisation.id,
                                         User.active.is_(True)).order_by(User.name))
    return render_template("network/organisation.html", organisation=organisation, people=people)
