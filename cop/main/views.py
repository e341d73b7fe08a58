from flask import current_app, redirect, render_template, request, session, url_for
from flask_login import current_user
from sqlalchemy import func, select

from cop import access
from cop.extensions import db
from cop.main import bp
from cop.spaces import queries as space_queries
from cop.spaces.models import Space
from cop.urls import safe_next


@bp.route("/")
def home():
    if not current_user.is_authenticated:
        return render_template("main/landing.html")
    my_spaces = db.session.execute(space_queries.my_spaces(current_user).limit(8)).all()
    managed_pending = db.session.execute(
        select(Space.slug, Space.name, Space.pending_request_count)
        .where(access.managed_spaces_clause(current_user), Space.pending_request_count > 0)
        .order_by(Space.name)
    ).all()
    visible_count = db.session.scalar(
        select(func.count()).select_from(Space).where(access.visible_spaces_clause(current_user))
    )
    from cop.onboarding.views import home_checklist

    return render_template("main/home.html", my_spaces=my_spaces, managed_pending=managed_pending,
                           visible_count=visible_count, checklist=home_checklist(current_user))


@bp.route("/lingua", methods=["POST"])
def set_language():
    """The language switch: remembered in the session and, when signed in, on the profile."""
    lang = request.form.get("lang", "")
    if lang in current_app.config["LANGUAGES"]:
        session["lang"] = lang
        if current_user.is_authenticated:
            current_user.locale = lang
            db.session.commit()
    return redirect(safe_next(request.form.get("next"), url_for("main.home")))
