"""Discussion pages: a space's threads, a thread, writing and moderating; the regional list."""
from __future__ import annotations

import re

from flask import (
    abort,
    current_app,
    flash,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from limits import parse as parse_limit
from sqlalchemy import select

from cop import access, facts
from cop.auth.models import User
from cop.database import write_after_reading
from cop.discussions import cards, queries, services
from cop.discussions.blueprint import bp
from cop.discussions.forms import (
    KIND_CHOICES,
    EditOpeningForm,
    EditPostForm,
    MoveForm,
    OutcomeForm,
    ReasonForm,
    ReplyForm,
    ThreadForm,
)
from cop.discussions.models import Post, Thread, ThreadKind
from cop.extensions import db, limiter
from cop.files.forms import chosen_files
from cop.files.queries import attachments_by_owner
from cop.notifications import services as notifications
from cop.outcomes import commit_or_explain
from cop.pagination import paginate, window_by_ids
from cop.spaces.context import add_slug, load_space, require_space_access
from cop.spaces.forms import ConfirmForm
from cop.spaces.models import Space
from cop.urls import database_int

SPACE = "/spazi/<slug>/discussioni"

bp.url_value_preprocessor(load_space)
bp.before_request(require_space_access)
bp.url_defaults(add_slug)

KINDS = [k.value for k in ThreadKind]


def _filters() -> tuple[str, str]:
    kind = request.args.get("tipo", "")
    return (kind if kind in KINDS else ""), request.args.get("etichetta", "").strip()[:40]


def _thread_here(thread: Thread) -> bool:
    return thread.space_id == g.space.id


def _post_here(post: Post) -> bool:
    return post.thread.space_id == g.space.id


def _post_url(post: Post, position: int | None = None) -> str:
    per_page = current_app.config["POSTS_PER_PAGE"]
    page = (position - 1) // per_page + 1 if position else queries.page_of(post, per_page)
    return url_for("discussions.thread", slug=post.thread.space.slug, thread_id=post.thread_id,
                   pagina=page if page > 1 else None, _anchor=post.anchor)


def _with_post_url(written: services.Written) -> tuple[services.Written, str]:
    """What a service wrote and its post's address, worked out before the commit: the commit
    expires every object, and reading the post, its thread and space again after it would
    cost a transaction of five more statements."""
    return written, _post_url(written.post, written.position)


def _with_thread_url(written: services.Written) -> tuple[services.Written, str]:
    """The same for a new thread, whose page opens at its top."""
    return written, url_for("discussions.thread", thread_id=written.thread.id)


def _tell_unreachable(written: services.Written) -> None:
    if written.unreachable:
        flash(_("Non abbiamo avvisato %(names)s: non può vedere questa discussione.",
                names=", ".join(u.name for u in written.unreachable)), "warning")


@bp.route("/discussioni")
@login_required
def latest():
    kind, tag = _filters()
    page = window_by_ids(queries.latest_thread_ids(current_user, kind, tag), queries.load_threads)
    return render_template("discussions/latest.html", page=page, kind=kind, tag=tag,
                           kinds=KIND_CHOICES, seen=queries.seen_counts(current_user, page.items))


@bp.route("/discussioni/messaggi/<int:post_id>")
@login_required
def goto_post(post_id):
    return redirect(_post_url(access.get_or_404(Post, post_id)))


@bp.route(f"{SPACE}/")
def space_threads():
    kind, tag = _filters()
    page = window_by_ids(queries.space_thread_ids(g.space, current_user, kind, tag),
                         queries.load_threads)
    facts.about(g.space)  # the follow button's level and the bell's count: one statement
    return render_template("discussions/space_threads.html", space=g.space, page=page,
                           kind=kind, tag=tag, kinds=KIND_CHOICES,
                           seen=queries.seen_counts(current_user, page.items))


@bp.route(f"{SPACE}/nuova", methods=["GET", "POST"])
def new_thread():
    space = g.space
    if not access.can(current_user, access.POST, space):
        abort(403)
    form = ThreadForm(**_suggested(request.args))
    if form.validate_on_submit() and not form.preview.data:
        if done := commit_or_explain(lambda: _with_thread_url(services.create_thread(
                space, current_user, title=form.title.data, kind=form.kind.data,
                body=form.body.data, tags=services.parse_tags(form.tags.data),
                uploads=chosen_files(form.attachments))),
                _("Discussione pubblicata."), field=form.attachments):
            written, thread_url = done.value
            _tell_unreachable(written)
            return redirect(thread_url)
    return render_template("discussions/new_thread.html", space=space, form=form,
                           preview=_preview(form))


def _suggested(args) -> dict:
    """A link may suggest the kind and the title of a new thread (?tipo=domanda&titolo=...):
    the dashboard's "ask a question", the welcome checklist's "introduce yourself"."""
    suggested = {}
    if args.get("tipo") in {kind.value for kind in ThreadKind}:
        suggested["kind"] = args["tipo"]
    if args.get("titolo"):
        suggested["title"] = args["titolo"][:200]
    return suggested


def _preview(form) -> str | None:
    """The body rendered, when Anteprima was pressed on a body the form accepts.

    Rendering is the costly part of these pages, so each person has PREVIEW_RATE_LIMIT
    previews over the three forms;
    past it the form says so, and keeps what was typed (a 429 page would lose it).
    """
    if request.method != "POST" or not form.preview.data or not form.body.data or form.body.errors:
        return None
    limit = parse_limit(current_app.config["PREVIEW_RATE_LIMIT"])
    if limiter.enabled and not limiter.limiter.hit(limit, "preview", str(current_user.get_id())):
        form.body.errors = [*form.body.errors, _(
            "Hai chiesto molte anteprime in poco tempo: riprova tra un minuto. "
            "Il testo che hai scritto è rimasto qui.")]
        return None
    return services.render_post(form.body.data, services._mentioned_users(form.body.data))


@bp.route(f"{SPACE}/<int:thread_id>")
def thread(thread_id):
    thread = access.get_or_404(Thread, thread_id, options=queries.thread_page(),
                               belongs=_thread_here)
    page = paginate(queries.thread_posts(thread), per_page=current_app.config["POSTS_PER_PAGE"],
                    total=thread.post_count)
    posts = page.items
    answer = None
    if thread.answer_post_id:
        answer = next((p for p in posts if p.id == thread.answer_post_id), None) or \
            db.session.scalar(queries.thread_posts(thread).where(Post.id == thread.answer_post_id))
    useful = queries.useful_post_ids(current_user, [p.id for p in posts])
    attachments = _attachments([p.id for p in posts if p.attachment_count])
    rules = access.post_rules(current_user, thread)
    may_resolve = access.can(current_user, access.RESOLVE, thread)
    seen = facts.about(thread)["seen_posts"]  # with the follow button's, the bell's, ...: one
    html = render_template(
        "discussions/thread.html", space=g.space, thread=thread, page=page, posts=posts,
        answer=answer, useful=useful, attachments=attachments, rules=rules,
        may_resolve=may_resolve,
        card=cards.renderer(rules=rules, thread=thread, space=g.space, useful=useful,
                            attachments=attachments, may_resolve=may_resolve),
        reply=cards.reply_renderer(rules=rules, thread=thread, space=g.space,
                                   may_post=access.can(current_user, access.POST, g.space)),
        reply_forms=_reply_forms,
        draft_key=draft_key, posted_draft=_posted_draft(thread), form=ConfirmForm(),
        reason_form=ReasonForm(formdata=None),
        outcome_form=OutcomeForm(formdata=None, outcome=thread.outcome),
        outcome_by=db.session.get(User, thread.outcome_by_id) if thread.outcome_by_id else None,
    )
    if seen != thread.post_count:
        thread_id, user_id = thread.id, current_user.id  # the commit below expires loaded rows
        write_after_reading()  # opening the thread marks it read, whichever page

        def mark_read() -> None:
            services.mark_read(thread_id, user_id)
            notifications.mark_thread_read(user_id, thread_id)

        commit_or_explain(mark_read)
    return html


def _reply_forms() -> tuple[ReplyForm, ReplyForm]:
    """The reply form at the foot of the thread page and its in-place copy: built only when the
    kept reply part (cards.reply_renderer) has to be drawn."""
    return ReplyForm(formdata=None), _inline_reply_form()


def _inline_reply_form() -> ReplyForm:
    """The form static/js/discussions.js opens under a post: the page's reply form with ids of
    its own (the names, what the server reads, are the same)."""
    form = ReplyForm(formdata=None)
    for name in ("body", "attachments", "parent_id", "submit", "preview"):
        form[name].id = f"inline-{name}"
    return form


def _posted_draft(thread: Thread) -> str | None:
    """The draft of the reply just published here (see reply), which the browser forgets."""
    key = session.get(POSTED_DRAFT)
    if key is None or not key.startswith(f"{thread.id}:"):
        return None
    session.pop(POSTED_DRAFT)
    return key


def _attachments(post_ids: list[int]) -> dict:
    return attachments_by_owner("post", post_ids)


@bp.route(f"{SPACE}/<int:thread_id>/rispondi", methods=["GET", "POST"])
def reply(thread_id):
    """The reply form on a page of its own, above it the post answered: where "Rispondi" and
    "Cita" lead without JavaScript, and what an in-place form (static/js/discussions.js) shows
    again after an error or a preview."""
    thread = access.get_or_404(Thread, thread_id, access.REPLY, options=queries.thread_page(),
                               belongs=_thread_here)
    parent_id = (request.values.get("a", type=database_int)
                 or request.form.get("parent_id", type=database_int))
    parent = access.get_or_404(Post, parent_id, options=queries.post_page(),
                               belongs=_post_here) if parent_id else None
    if parent is not None and (parent.thread_id != thread.id or parent.is_deleted):
        abort(404)
    form = ReplyForm()
    if request.method == "GET":
        form.body.data = _quote(thread)
    if form.validate_on_submit() and not form.preview.data:
        done = commit_or_explain(
            lambda: _with_post_url(services.reply(
                thread, current_user, body=form.body.data, parent=parent,
                uploads=chosen_files(form.attachments))),
            _("Risposta pubblicata."), field=form.attachments)
        if not done:
            return render_template("discussions/reply.html", space=g.space, thread=thread,
                                   parent=parent, form=form, preview=None)
        written, post_url = done.value
        _tell_unreachable(written)
        # The thread page tells the browser to forget the draft it kept of this reply.
        session[POSTED_DRAFT] = draft_key(thread_id, parent_id if parent is not None else None)
        return redirect(post_url)
    return render_template("discussions/reply.html", space=g.space, thread=thread, parent=parent,
                           form=form, preview=_preview(form))


POSTED_DRAFT = "discussions_posted_draft"
QUOTE_MAX_LINES = 20
QUOTE_MAX_CHARS = 1500


def draft_key(thread_id: int, parent_id: int | None) -> str:
    """Names the browser's draft of a reply (static/js/discussions.js): thread and post."""
    return f"{thread_id}:{parent_id or 0}"


def _quote(thread: Thread) -> str:
    """?cita=<post id> starts the reply with a quote of that post's Markdown source (or of
    &passaggio=..., the passage selected on the page): at most QUOTE_MAX_LINES lines and
    QUOTE_MAX_CHARS characters, under the author's name. A post one may not quote (not visible,
    deleted, hidden, of another thread) is not found, like its page."""
    quoted_id = request.args.get("cita", type=database_int)
    if not quoted_id:
        return ""
    quoted = access.get_or_404(Post, quoted_id, options=queries.post_page(), belongs=_post_here)
    if quoted.thread_id != thread.id or quoted.is_deleted or quoted.hidden:
        abort(404)
    passage = request.args.get("passaggio", "").strip()[:2000] or quoted.body
    author = quoted.author.name if quoted.author else _("utente rimosso")
    return quote_markdown(passage, author)


def quote_markdown(source: str, author: str) -> str:
    """`source` as a Markdown quote ("> " lines) under "**author** ha scritto:", cut short."""
    lines = source.strip().splitlines()
    kept: list[str] = []
    size = 0
    for line in lines[:QUOTE_MAX_LINES]:
        if size + len(line) > QUOTE_MAX_CHARS:
            room = QUOTE_MAX_CHARS - size
            if room > 40 or not kept:  # a long paragraph: cut it at a word
                kept.append(line[:room].rsplit(" ", 1)[0])
            break
        kept.append(line)
        size += len(line) + 1
    cut = len(kept) < len(lines) or (kept and kept[-1] != lines[len(kept) - 1])
    if cut:
        kept.append("[…]")
    name = re.sub(r"([\\`*_\[\]<>])", r"\\\1", author)
    quoted = "\n".join(("> " + line).rstrip() for line in kept)
    return _("**%(name)s** ha scritto:", name=name) + "\n" + quoted + "\n\n"


@bp.route(f"{SPACE}/messaggi/<int:post_id>/modifica", methods=["GET", "POST"])
def edit_post(post_id):
    post = access.get_or_404(Post, post_id, access.EDIT, options=queries.post_page(),
                             belongs=_post_here)
    thread = post.thread
    if post.is_opening:
        form = EditOpeningForm(obj=post, title=thread.title, kind=thread.kind,
                               tags=", ".join(t.name for t in thread.tags))
    else:
        form = EditPostForm(obj=post)
    form.existing_attachments = post.attachment_count
    if form.validate_on_submit() and not form.preview.data:
        extra = ({"title": form.title.data, "kind": form.kind.data,
                  "tags": services.parse_tags(form.tags.data)} if post.is_opening else {})
        if done := commit_or_explain(
                lambda: _with_post_url(services.edit_post(
                    post, current_user, body=form.body.data,
                    uploads=chosen_files(form.attachments), **extra)),
                _("Modifica salvata.")):
            written, post_url = done.value
            _tell_unreachable(written)
            return redirect(post_url)
    return render_template("discussions/edit_post.html", space=g.space, thread=thread, post=post,
                           form=form, preview=_preview(form))


@bp.route(f"{SPACE}/messaggi/<int:post_id>/elimina", methods=["POST"])
def delete_post(post_id):
    post = access.get_or_404(Post, post_id, access.DELETE, options=queries.post_page(),
                             belongs=_post_here)
    if ConfirmForm().validate_on_submit():
        commit_or_explain(lambda: services.delete_post(post, current_user),
                          _("Messaggio eliminato."), category="info")
    return redirect(_post_url(post))


@bp.route(f"{SPACE}/messaggi/<int:post_id>/versioni")
def post_history(post_id):
    post = access.get_or_404(Post, post_id, access.MODERATE, options=queries.post_page(),
                             belongs=_post_here)
    return render_template("discussions/history.html", space=g.space, thread=post.thread,
                           post=post, revisions=db.session.scalars(queries.revisions(post)).all())


@bp.route(f"{SPACE}/messaggi/<int:post_id>/utile", methods=["POST"])
def toggle_useful(post_id):
    post = access.get_or_404(Post, post_id, access.MARK_USEFUL, options=queries.post_page(),
                             belongs=_post_here)
    if ConfirmForm().validate_on_submit():
        commit_or_explain(lambda: services.toggle_useful(post, current_user))
    return redirect(_post_url(post))


@bp.route(f"{SPACE}/messaggi/<int:post_id>/modera", methods=["POST"])
def moderate_post(post_id):
    post = access.get_or_404(Post, post_id, access.MODERATE, options=queries.post_page(),
                             belongs=_post_here)
    form = ReasonForm()
    hide = request.form.get("azione") == "nascondi"
    if form.validate_on_submit():
        commit_or_explain(
            lambda: services.set_post_hidden(post, current_user, hide, form.reason.data or ""),
            _("Messaggio nascosto: l'autore è stato avvisato.") if hide
            else _("Messaggio di nuovo visibile."), category="info")
    return redirect(_post_url(post))


@bp.route(f"{SPACE}/<int:thread_id>/modera", methods=["POST"])
def moderate_thread(thread_id):
    thread = access.get_or_404(Thread, thread_id, access.MODERATE, options=queries.thread_page(),
                               belongs=_thread_here)
    form = ReasonForm()
    actions = {
        "fissa": (services.set_pinned, True, _("Discussione fissata in alto.")),
        "sblocca-fissa": (services.set_pinned, False, _("La discussione non è più fissata.")),
        "chiudi": (services.set_locked, True, _("Discussione chiusa: non si può più rispondere.")),
        "riapri": (services.set_locked, False, _("Discussione riaperta.")),
        "nascondi": (services.set_thread_hidden, True,
                     _("Discussione nascosta: l'autore è stato avvisato.")),
        "mostra": (services.set_thread_hidden, False, _("Discussione di nuovo visibile.")),
    }
    chosen = actions.get(request.form.get("azione", ""))
    if chosen is None:
        abort(400)
    action, value, message = chosen
    if form.validate_on_submit():
        commit_or_explain(lambda: action(thread, current_user, value, form.reason.data or ""),
                          message, category="info")
    return redirect(url_for("discussions.thread", thread_id=thread.id))


@bp.route(f"{SPACE}/<int:thread_id>/sposta", methods=["GET", "POST"])
def move_thread(thread_id):
    thread = access.get_or_404(Thread, thread_id, access.MODERATE, options=queries.thread_page(),
                               belongs=_thread_here)
    form = MoveForm()
    targets = db.session.scalars(select(Space).where(
        access.managed_spaces_clause(current_user), Space.id != thread.space_id)
        .order_by(Space.name)).all()
    form.space_id.choices = [(s.id, s.name) for s in targets]
    if form.validate_on_submit():
        target = db.session.get(Space, form.space_id.data)
        if commit_or_explain(lambda: services.move_thread(thread, current_user, target,
                                                          form.reason.data or ""),
                             _("Discussione spostata in %(space)s.", space=target.name)):
            return redirect(url_for("discussions.thread", slug=target.slug, thread_id=thread.id))
    return render_template("discussions/move.html", space=g.space, thread=thread, form=form)


@bp.route(f"{SPACE}/<int:thread_id>/risposta", methods=["POST"])
def mark_answer(thread_id):
    thread = access.get_or_404(Thread, thread_id, access.RESOLVE, options=queries.thread_page(),
                               belongs=_thread_here)
    post_id = request.form.get("post_id", type=database_int)
    post = access.get_or_404(Post, post_id, options=queries.post_page(),
                             belongs=_post_here) if post_id else None
    if ConfirmForm().validate_on_submit():
        commit_or_explain(lambda: services.mark_answer(thread, post),
                          _("Risposta segnata.") if post else _("Risposta tolta."))
    return redirect(_post_url(post) if post else url_for("discussions.thread", thread_id=thread.id))


@bp.route(f"{SPACE}/<int:thread_id>/esito", methods=["POST"])
def set_outcome(thread_id):
    thread = access.get_or_404(Thread, thread_id, access.RESOLVE, options=queries.thread_page(),
                               belongs=_thread_here)
    form = OutcomeForm()
    if form.validate_on_submit():
        commit_or_explain(
            lambda: services.set_outcome(thread, current_user, form.outcome.data or ""),
            _("Esito della proposta aggiornato."))
    else:
        flash(" ".join(form.outcome.errors) or _("Il modulo è scaduto: invialo di nuovo."),
              "danger")
    return redirect(url_for("discussions.thread", thread_id=thread.id))


@bp.route(f"{SPACE}/menzioni")
def mention_candidates():
    """Autocomplete for @mentions: people who can see the thread (or, for a new one, the space)."""
    thread_id = request.args.get("discussione", type=database_int)
    target = access.get_or_404(Thread, thread_id, options=queries.thread_page(),
                               belongs=_thread_here) if thread_id else g.space
    prefix = request.args.get("q", "").strip()[:40]
    if len(prefix.lstrip("@")) < 2:
        return jsonify([])
    people = db.session.scalars(queries.mentionable_people(target, current_user, prefix)).all()
    return jsonify([{"handle": p.handle, "name": p.name, "organisation": p.organisation.name}
                    for p in people])
