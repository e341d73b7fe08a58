"""The notification list, reading, preferences, follow and mute, one-click unsubscribe."""
from __future__ import annotations

from flask import abort, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from cop import access, facts
from cop.database import write_after_reading
from cop.digests import services as digests
from cop.discussions.models import Thread
from cop.extensions import csrf, db
from cop.notifications import kinds, queries, services
from cop.notifications.blueprint import bp
from cop.notifications.forms import KIND_PREFIX, kind_choices, kind_groups, preferences_form
from cop.notifications.models import Level
from cop.outcomes import commit_or_explain
from cop.pagination import prepared_page
from cop.spaces.models import Space
from cop.urls import database_int, safe_next


@bp.app_context_processor
def _template_helpers():
    return {"notification_bell": notification_bell, "subscription_level": _current_level}


bp.add_app_template_global(services.describe, "describe_notification")
bp.add_app_template_global(services.detail, "notification_detail")
bp.add_app_template_global(services.place, "notification_place")


def keep_unread(count: int) -> None:
    """The bell's count, read with a page's other facts (`cop.facts`) before the bell."""
    g._cop_unread = count


def notification_bell() -> int:
    """The signed-in person's unread notifications, counted once per request."""
    if not current_user.is_authenticated:
        return 0
    if "_cop_unread" not in g:
        g._cop_unread = db.session.scalar(
            *access.for_anyone("notifications.unread", current_user, queries.unread_count)) or 0
    return g._cop_unread


def _current_level(thread=None, space=None) -> str | None:
    return facts.about(thread if thread is not None else space).get("follow_level")


def _safe_next(default: str) -> str:
    return safe_next(request.form.get("next"), default)


@bp.route("/")
@login_required
def index():
    statement, parameters = access.for_anyone("notifications.page", current_user,
                                              queries.listed_page)
    counts, _ = access.for_anyone("notifications.counts", current_user, queries.listed_counts)
    total, g._cop_unread = db.session.execute(counts, parameters).one()  # the bell's too
    page = prepared_page(statement, total, parameters)
    queries.attach_subjects(page.items)
    return render_template("notifications/index.html", page=page,
                           unread=notification_bell(), link_for=_link)


def _link(notification) -> str:
    return url_for("notifications.show", notification_id=notification.id)


@bp.route("/<int:notification_id>")
@login_required
def show(notification_id):
    """Opening a notification marks it read and leads to its post."""
    notification = db.session.scalar(queries.one(current_user, notification_id))
    if notification is None or queries.attach_subjects([notification])[0].subject is None:
        abort(404)
    target = services.open_url(notification)
    if notification.is_unread:
        write_after_reading()
        commit_or_explain(lambda: services.mark_read(current_user, notification.id))
    return redirect(target)


@bp.route("/<int:notification_id>/letta", methods=["POST"])
@login_required
def mark_read(notification_id):
    commit_or_explain(lambda: services.mark_read(current_user, notification_id))
    return redirect(_safe_next(url_for("notifications.index")))


@bp.route("/lette", methods=["POST"])
@login_required
def mark_all_read():
    commit_or_explain(lambda: services.mark_read(current_user),
                      _("Tutte le notifiche sono segnate come lette."))
    return redirect(_safe_next(url_for("notifications.index")))


@bp.route("/preferenze", methods=["GET", "POST"])
@login_required
def preferences():
    chosen = {f"{KIND_PREFIX}{kind}": channel
              for kind, channel in services.channels(current_user).items()}
    form = preferences_form(kinds.kinds())(
        email_frequency=services.email_frequency(current_user),
        digest_frequency=digests.frequency(current_user), **chosen)
    if form.validate_on_submit():
        def save():
            services.set_email_frequency(current_user, form.email_frequency.data)
            digests.set_frequency(current_user, form.digest_frequency.data)
            services.set_channels(current_user, kind_choices(form))

        if commit_or_explain(save, _("Preferenze salvate.")):
            return redirect(url_for("notifications.preferences"))
    return render_template(
        "notifications/preferences.html", form=form, kind_groups=kind_groups(form, kinds.kinds()),
        spaces=db.session.execute(queries.space_levels(current_user)).all(),
        followed=db.session.execute(queries.followed_threads(current_user)).all(),
        muted=db.session.execute(queries.muted_threads(current_user)).all(),
        followed_limit=queries.FOLLOWED_LIMIT)


def _form_id(name: str) -> int | None:
    value = request.form.get(name, type=database_int)
    return value if value and 0 < value < 2**31 else None  # a database integer, or nothing


@bp.route("/segui", methods=["POST"])
@login_required
def follow():
    """Sets the person's level (follow, mute, none) on a thread or a space they may see."""
    level = request.form.get("level", "")
    if level not in (Level.FOLLOW.value, Level.MUTE.value, "none"):
        abort(400)
    thread_id, space_id = _form_id("thread_id"), _form_id("space_id")
    if bool(thread_id) == bool(space_id):
        abort(400)
    target = access.get_or_404(Thread, thread_id) if thread_id else \
        access.get_or_404(Space, space_id)
    commit_or_explain(
        lambda: services.set_level(current_user, None if level == "none" else level,
                                   **({"thread": target} if thread_id else {"space": target})),
        {Level.FOLLOW.value: _("Ora segui: riceverai una notifica per ogni novità."),
         Level.MUTE.value: _("Silenziato: non riceverai notifiche."),
         "none": _("Impostazione normale: notifiche per ciò che segui, per le menzioni e "
                   "per le risposte a te.")}[level])
    if thread_id:
        default = url_for("discussions.thread", slug=target.space.slug, thread_id=target.id)
    else:
        default = url_for("spaces.home", slug=target.slug)
    return redirect(_safe_next(default))


@bp.route("/disiscriviti/<token>", methods=["GET", "POST"])
@csrf.exempt  # RFC 8058: mail clients POST here without a session; the signed token is the key
def unsubscribe(token):
    found = services.read_unsubscribe_token(token)
    if found is None:
        abort(404)
    if request.method == "GET":
        return render_template("notifications/unsubscribe.html", token=token,
                               thread_id=found.thread_id, kind=kinds.kind(found.kind or ""),
                               done=None)
    choice = request.form.get("scelta")
    mute_thread = choice == "discussione" and found.thread_id is not None
    this_kind = choice == "tipo" and found.kind is not None
    done = commit_or_explain(lambda: services.unsubscribe(
        found.user, found.thread_id if mute_thread else None,
        found.kind if this_kind else None))
    outcome = "thread" if mute_thread else "kind" if this_kind else "emails"
    return render_template("notifications/unsubscribe.html", token=token,
                           thread_id=found.thread_id, kind=kinds.kind(found.kind or ""),
                           done=outcome if done else None)
