"""cop: the Community of Practice of the Lombardy work-life balance networks."""
from __future__ import annotations

import copy
import os
import secrets
from pathlib import Path

from flask import Flask

ROOT = Path(__file__).resolve().parent.parent


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(
        __name__,
        instance_path=str(ROOT / "instance"),
        instance_relative_config=True,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    app.config.from_object("cop.config.Defaults")
    # from_object copies references: each app gets its own copy of the defaults' dicts and
    # lists, so that one app adjusting them (_finish_config) cannot change another's.
    for key, value in list(app.config.items()):
        if isinstance(value, dict | list):
            app.config[key] = copy.deepcopy(value)
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env("COP")
    if test_config:
        app.config.from_mapping(test_config)
    _finish_config(app)
    # The imports in this module are inside its functions: every module of cop imports this
    # package first, so at the top they would load the whole app for `import cop.auth.models`.
    from cop.urls import DatabaseInt

    app.url_map.converters["int"] = DatabaseInt

    from cop import chrome, instrumentation, security, static_versions, templating
    from cop.extensions import babel, csrf, db, limiter, login_manager, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"))
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)

    from cop.i18n import select_locale

    babel.init_app(app, locale_selector=select_locale)

    _import_models()  # before any feature: every table in the metadata
    with app.app_context():
        from cop.database import tune_sqlite

        tune_sqlite(db.engine, app.config["SQLITE_BUSY_TIMEOUT_MS"])

    from cop.auth.sessions import init_login

    init_login(app)
    security.init_app(app)
    instrumentation.init_app(app)
    templating.init_app(app)
    chrome.init_app(app)  # the page's frame, kept between requests
    static_versions.init_app(app)  # ?v=<hash> on static URLs (nginx caches them a year)
    _init_features(app)
    return app


def _finish_config(app: Flask) -> None:
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _instance_secret(Path(app.instance_path) / "secret_key")
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        url = app.config.get("DATABASE_URL") or f"sqlite:///{Path(app.instance_path) / 'cop.db'}"
        app.config["SQLALCHEMY_DATABASE_URI"] = url
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    if url.startswith(("postgresql://", "postgresql+psycopg://")):  # psycopg 3 is what we ship
        from cop.database import POSTGRESQL_DRIVER

        app.config["SQLALCHEMY_DATABASE_URI"] = POSTGRESQL_DRIVER + url[url.index(":"):]
    if url.startswith("postgresql") and app.config.get("POSTGRESQL_OPTIONS"):
        options = app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {})
        options.setdefault("connect_args", {}).setdefault("options",
                                                          app.config["POSTGRESQL_OPTIONS"])
    if url.startswith("sqlite"):
        options = app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {})
        options.setdefault("connect_args", {}).setdefault("check_same_thread", False)
    if app.config.get("PROXY_FIX_HOPS"):
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = int(app.config["PROXY_FIX_HOPS"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)


def _instance_secret(path: Path) -> str:
    """The installation's secret key: generated on first run, then read back.

    The key is written to a private temporary file and linked into place, so that no process
    ever reads a half-written key; a file left empty by a crash is replaced.
    """
    existing = path.read_text().strip() if path.exists() else ""
    if existing:
        return existing
    key = secrets.token_hex(32)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
        handle.flush()
        os.fsync(handle.fileno())
    try:
        if path.exists():  # empty: left by a crash
            os.replace(temporary, path)
            return key
        os.link(temporary, path)  # fails if another process got there first
    except FileExistsError:
        return _instance_secret(path)
    finally:
        temporary.unlink(missing_ok=True)
    return key


def _import_models() -> None:
    """Every model module, so that the metadata (and Alembic) sees all tables."""
    from cop import figure_store as _figure_store  # noqa: F401  (figure_snapshots)
    from cop.api import models as _api  # noqa: F401
    from cop.auth import models as _auth  # noqa: F401
    from cop.decisions import models as _decisions  # noqa: F401
    from cop.digests import models as _digests  # noqa: F401
    from cop.directory import models as _directory  # noqa: F401
    from cop.discussions import models as _discussions  # noqa: F401
    from cop.files import models as _files  # noqa: F401
    from cop.learning import models as _learning  # noqa: F401
    from cop.meetings import models as _meetings  # noqa: F401
    from cop.network import models as _network  # noqa: F401
    from cop.notifications import models as _notifications  # noqa: F401
    from cop.oidc import models as _oidc  # noqa: F401
    from cop.onboarding import models as _onboarding  # noqa: F401
    from cop.ops import models as _ops  # noqa: F401
    from cop.practices import models as _practices  # noqa: F401
    from cop.reference import models as _reference  # noqa: F401
    from cop.search import models as _search  # noqa: F401
    from cop.spaces import models as _spaces  # noqa: F401
    from cop.stories import models as _stories  # noqa: F401


def _init_features(app: Flask) -> None:
    """Each feature's `wiring.init_app` says everything it plugs in: its blueprints (and so its
    views), access rules, panel on the space home, search documents, data export and deletion,
    signal receivers and `flask cop` commands. In this order blueprints are registered,
    a person's data export lists its parts, and discussions' signals reach notifications, then
    search.

    The imports are here, not at the top: every module of cop imports this package, and
    `import cop.auth.models` must not load the views of every feature."""
    from cop import cli
    from cop.account import wiring as account
    from cop.admin import wiring as admin
    from cop.api import wiring as api
    from cop.auth import wiring as auth
    from cop.backup import wiring as backup
    from cop.dashboard import wiring as dashboard
    from cop.decisions import wiring as decisions
    from cop.digests import wiring as digests
    from cop.directory import wiring as directory
    from cop.discussions import wiring as discussions
    from cop.files import wiring as files
    from cop.health import wiring as health
    from cop.learning import wiring as learning
    from cop.main import wiring as main
    from cop.meetings import wiring as meetings
    from cop.network import wiring as network
    from cop.notifications import wiring as notifications
    from cop.oidc import wiring as oidc
    from cop.onboarding import wiring as onboarding
    from cop.ops import wiring as ops
    from cop.people import wiring as people
    from cop.practices import wiring as practices
    from cop.search import wiring as search
    from cop.spaces import wiring as spaces
    from cop.stories import wiring as stories

    for feature in (main, auth, people, account, oidc, network, spaces, discussions, practices,
                    meetings, decisions, directory, files, notifications, search, admin, dashboard,
                    learning, stories, digests, onboarding, health, backup, ops, api):
        feature.init_app(app)
    cli.init_app(app)
