"""The lean reference of bench/cpu.py: the same pages' content, from the same database, with
nothing else. Flask, Flask-SQLAlchemy (Core statements on tables reflected read-only),
Jinja, Flask-Login with a user loader, Flask-WTF's CSRF token in a form of the layout, and a
base layout with a navigation bar and the unread-notification count, as the platform's.
Each page runs the plain queries its content needs (the thread: its 50 posts with their
authors and whom they answer in one query, then the member's «useful» marks; the library: 30
records and its facets' counts). It writes nothing and checks only what a member may see in
lists (spaces that are regional or the member's, threads not hidden). It is a yardstick for
bench/cpu.py, not a second platform: no translations, no access rules beyond these, no
caching, no pagination links.

    create_app("sqlite:///instance/bench-f10.db")
"""
from __future__ import annotations

from flask import Flask, abort, render_template
from flask_login import LoginManager, UserMixin, current_user, login_required
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import String, cast, func, literal, or_, select, union_all

TABLES = ("users", "spaces", "memberships", "threads", "posts", "notifications", "practices",
          "alleanze", "ats", "post_useful")

FACETS = ("area_code", "target", "ats_id", "stage", "state", "evidence")


class Member(UserMixin):
    def __init__(self, row):
        self.id, self.name = row.id, row.name


def create_app(url: str, secret_key: str = "reference") -> Flask:
    app = Flask(__name__)
    app.config.update(SQLALCHEMY_DATABASE_URI=url, SECRET_KEY=secret_key)
    db = SQLAlchemy(app)
    CSRFProtect(app)
    login = LoginManager(app)
    with app.app_context():
        db.metadata.reflect(bind=db.engine, only=TABLES)
        app.extensions["reference_engine"] = db.engine  # bench/cpu.py counts its statements
    t = {name: db.metadata.tables[name] for name in TABLES}
    users, spaces, members, threads, posts = (t[n] for n in TABLES[:5])

    @login.user_loader
    def load_user(user_id):
        row = db.session.execute(select(users.c.id, users.c.name).where(
            users.c.id == int(user_id), users.c.active)).first()
        return Member(row) if row else None

    @app.context_processor
    def layout():
        if not current_user.is_authenticated:
            return {}
        n = t["notifications"]
        return {"unread": db.session.scalar(select(func.count()).select_from(n).where(
            n.c.user_id == current_user.id, n.c.read_at.is_(None)))}

    def visible_spaces():
        mine = select(members.c.space_id).where(members.c.user_id == current_user.id)
        return or_(spaces.c.visibility == "regionale", spaces.c.id.in_(mine))

    def thread_rows(*conditions, pinned_first=True, per_page=30):
        author, last = users.alias("author"), users.alias("last")
        return db.session.execute(
            select(threads.c.id, threads.c.title, threads.c.kind, threads.c.reply_count,
                   threads.c.last_activity_at, spaces.c.slug, spaces.c.name.label("space"),
                   author.c.name.label("author"), last.c.name.label("last_poster"))
            .join(spaces, spaces.c.id == threads.c.space_id)
            .outerjoin(author, author.c.id == threads.c.author_id)
            .outerjoin(last, last.c.id == threads.c.last_poster_id)
            .where(visible_spaces(), ~threads.c.hidden, *conditions)
            .order_by(*([threads.c.pinned.desc()] if pinned_first else []),
                      threads.c.last_activity_at.desc(), threads.c.id.desc()).limit(per_page)
        ).all()

    def space_or_404(slug):
        return db.session.execute(select(spaces).where(spaces.c.slug == slug, visible_spaces())
                                  ).first() or abort(404)

    @app.route("/")
    @login_required
    def home():
        mine = db.session.execute(
            select(spaces.c.slug, spaces.c.name, spaces.c.kind, members.c.role)
            .join(members, members.c.space_id == spaces.c.id)
            .where(members.c.user_id == current_user.id).order_by(spaces.c.name).limit(8)).all()
        count = db.session.scalar(select(func.count()).select_from(spaces).where(visible_spaces()))
        return render_template("home.html", my_spaces=mine, visible_count=count)

    @app.route("/spazi/<slug>/discussioni/")
    @login_required
    def space_threads(slug):
        space = space_or_404(slug)
        return render_template("threads.html", space=space,
                               threads=thread_rows(threads.c.space_id == space.id))

    @app.route("/discussioni")
    @login_required
    def latest():
        return render_template("threads.html", space=None,  # by activity, nothing pinned
                               threads=thread_rows(pinned_first=False))

    @app.route("/spazi/<slug>/discussioni/<int:thread_id>")
    @login_required
    def thread(slug, thread_id):
        space = space_or_404(slug)
        row = db.session.execute(
            select(threads, users.c.name.label("author"))
            .outerjoin(users, users.c.id == threads.c.author_id)
            .where(threads.c.id == thread_id, threads.c.space_id == space.id, ~threads.c.hidden)
        ).first() or abort(404)
        parent, parent_author = posts.alias("parent"), users.alias("parent_author")
        page = db.session.execute(  # the 50 posts, their authors and whom they answer
            select(posts.c.id, posts.c.depth, posts.c.body_html, posts.c.created_at,
                   posts.c.deleted_at, posts.c.hidden, posts.c.useful_count,
                   posts.c.reply_to_id, users.c.id.label("author_id"),
                   users.c.name.label("author"), parent_author.c.name.label("replying_to"))
            .outerjoin(users, users.c.id == posts.c.author_id)
            .outerjoin(parent, parent.c.id == posts.c.reply_to_id)
            .outerjoin(parent_author, parent_author.c.id == parent.c.author_id)
            .where(posts.c.thread_id == thread_id).order_by(posts.c.sort_key).limit(50)).all()
        useful = t["post_useful"]  # which of them the member marked «useful»
        mine = set(db.session.scalars(select(useful.c.post_id).where(
            useful.c.user_id == current_user.id, useful.c.post_id.in_([r.id for r in page]))))
        return render_template("thread.html", space=space, thread=row, posts=page, useful=mine)

    @app.route("/notifiche/")
    @login_required
    def notifications():
        n, actor = t["notifications"], users.alias("actor")
        rows = db.session.execute(
            select(n.c.id, n.c.kind, n.c.text, n.c.created_at, n.c.read_at,
                   actor.c.name.label("actor"), threads.c.title)
            .outerjoin(actor, actor.c.id == n.c.actor_id)
            .outerjoin(threads, threads.c.id == n.c.thread_id)
            .where(n.c.user_id == current_user.id)
            .order_by(n.c.created_at.desc(), n.c.id.desc()).limit(30)).all()
        return render_template("notifications.html", notifications=rows)

    @app.route("/pratiche/")
    @login_required
    def library():
        p, alleanze, ats = t["practices"], t["alleanze"], t["ats"]
        readable = (p.c.status == "pubblicata", or_(  # a space's own records: its members
            p.c.visibility != "spazio",
            p.c.space_id.in_(select(spaces.c.id).where(visible_spaces()))))
        rows = db.session.execute(
            select(p.c.id, p.c.title, p.c.summary, p.c.lead_organisation_name,
                   alleanze.c.name.label("alleanza"), ats.c.name.label("ats"))
            .outerjoin(alleanze, alleanze.c.id == p.c.alleanza_id)
            .outerjoin(ats, ats.c.id == p.c.ats_id)
            .where(*readable).order_by(p.c.updated_at.desc(), p.c.id.desc()).limit(30)).all()
        # the facets beside the list, with their counts (one statement, as the platform's)
        found = select(*(p.c[c] for c in FACETS)).where(*readable).cte("found")
        counts = db.session.execute(union_all(*(
            select(literal(c).label("facet"), cast(found.c[c], String).label("value"),
                   func.count().label("n")).where(found.c[c].is_not(None)).group_by(found.c[c])
            for c in FACETS))).all()
        facets = {c: [(r.value, r.n) for r in counts if r.facet == c] for c in FACETS}
        return render_template("library.html", practices=rows, facets=facets)

    @app.route("/vuoto")
    def empty():  # not a page: the floor of bench/cpu.py (Flask and the test client alone)
        return "ok"

    @app.template_filter("when")
    def when(value):
        return value.strftime("%d/%m/%y %H:%M") if hasattr(value, "strftime") else \
            str(value or "")[:16]

    return app
