"""Pages of cop.people: a person's profile as others see it. (The person's own account pages,
profile editing and password, are in cop.account.)"""
from flask import abort, render_template
from flask_login import current_user, login_required
from sqlalchemy import select

from cop import access
from cop.auth.models import User
from cop.directory.profile import profile_context as directory_profile
from cop.extensions import db
from cop.people.blueprint import bp
from cop.spaces.models import Membership, Space


@bp.route("/persone/<int:user_id>")
@login_required
def profile(user_id):
    person = db.session.get(User, user_id)
    if person is None or not access.can(current_user, access.VIEW, person):
        abort(404)
    spaces = db.session.execute(
        select(Space, Membership.role)
        .join(Membership, Membership.space_id == Space.id)
        .where(Membership.user_id == person.id, access.visible_spaces_clause(current_user))
        .order_by(Space.kind, Space.name)
    ).all()
    return render_template("people/profile.html", person=person, spaces=spaces,
                           **directory_profile(current_user, person))
