from datetime import date

from flask import current_app, redirect, render_template, request, session, url_for
from flask_babel import format_date
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import lazyload

from cop import access, facts
from cop.auth import services as auth_services
from cop.extensions import db
from cop.main.blueprint import bp
from cop.onboarding.checklist import home_checklist
from cop.onboarding.queries import profile_complete
from cop.outcomes import commit_or_explain
from cop.practices.queries import review_queue_count
from cop.spaces import queries as space_queries
from cop.spaces.models import Space
from cop.urls import safe_next


@bp.route("/")
def home():
    if not current_user.is_authenticated:
        return render_template("main/landing.html")
    my_spaces = db.session.execute(*access.for_anyone(
        "home.my_spaces", current_user, _my_spaces)).all()
    managed_pending = db.session.execute(*access.for_anyone(
        "home.pending_requests", current_user, _pending_requests)).all() \
        if access.manages_any_space(current_user) else []
    # with the bell's count, in one statement
    visible_count = facts.about(current_user._get_current_object())["visible_spaces"]
    reviewer = current_user.is_curator or bool(access.coordinated_ats_ids(current_user))
    return render_template("main/home.html", my_spaces=my_spaces, managed_pending=managed_pending,
                           visible_count=visible_count, checklist=home_checklist(current_user),
                           profile_complete=profile_complete(current_user),
                           practices_to_review=review_queue_count(current_user) if reviewer
                           else 0)


def _pending_requests(person):
    return (select(Space.slug, Space.name, Space.pending_request_count)
            .where(access.managed_spaces_clause(person), Space.pending_request_count > 0)
            .order_by(Space.name))


def _my_spaces(person):
    return space_queries.my_spaces(person).limit(8).options(lazyload("*"))  # not ATS, Alleanza


def visible_spaces_fact(model, reader, subject_id):
    """A `cop.facts` fact about the reader: how many spaces they may see."""
    return select(func.count()).select_from(
        space_queries.visible_spaces(reader).subquery()).scalar_subquery()


# The accessibility statement: prepared on this date (AgID guidelines: review it every year).
ACCESSIBILITY_STATEMENT_DATE = date(2026, 12, 7)


@bp.route("/accessibilita")
def accessibility():
    """The accessibility statement (dichiarazione di accessibilità), public, in both languages."""
    return render_template("main/accessibility.html",
                           prepared_on=format_date(ACCESSIBILITY_STATEMENT_DATE, "long"),
                           contact=current_app.config["ACCESSIBILITY_CONTACT"],
                           agid_url=current_app.config["ACCESSIBILITY_AGID_URL"])


@bp.route("/lingua", methods=["POST"])
def set_language():
    """The language switch: remembered in the session and, when signed in, on the profile."""
    lang = request.form.get("lang", "")
    if lang in current_app.config["LANGUAGES"]:
        session["lang"] = lang
        if current_user.is_authenticated:
            commit_or_explain(lambda: auth_services.set_locale(current_user, lang))
    return redirect(safe_next(request.form.get("next"), url_for("main.home")))
