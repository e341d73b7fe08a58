"""Defaults. instance/config.py and COP_* environment variables override them (see create_app)."""
from datetime import timedelta


class Defaults:
    # Generated once into instance/secret_key when not configured. With more than one app
    # server: COP_SECRET_KEY, the same on all (sessions, CSRF tokens, links in emails).
    SECRET_KEY = None
    SQLALCHEMY_DATABASE_URI = None  # set from COP_DATABASE_URL, else SQLite in instance/
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    # Settings for each PostgreSQL session (libpq's `options`). PostgreSQL's default
    # random_page_cost (4) assumes spinning disks and steers the planner from the index walks
    # that serve our paged lists; 1.1 is the usual value for SSD storage. Empty: the server's.
    POSTGRESQL_OPTIONS = "-c random_page_cost=1.1"
    SQLITE_BUSY_TIMEOUT_MS = 15000

    # Languages: Italian first, English on request.
    LANGUAGES = ("it", "en")
    BABEL_DEFAULT_LOCALE = "it"
    BABEL_DEFAULT_TIMEZONE = "Europe/Rome"

    # Cookies: production flags. `make run` (plain http on loopback) turns Secure off.
    SESSION_COOKIE_SECURE = True
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = True
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_DURATION = timedelta(days=14)
    PERMANENT_SESSION_LIFETIME = timedelta(days=14)

    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session

    # Rate limits (Flask-Limiter). "memory://" counts in each process apart: with two app
    # servers (or several gunicorn workers) ten failed sign-ins would be allowed per process.
    # Production: Redis, the same URL on every server, e.g.
    # COP_RATELIMIT_STORAGE_URI=redis://127.0.0.1:6379/0 (/health/ready then checks it answers).
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_HEADERS_ENABLED = True
    LOGIN_RATE_LIMIT = "10 per minute"
    PREVIEW_RATE_LIMIT = "30 per minute"  # per person: rendering is a page's costly part
    API_RATE_LIMIT = "120 per minute"  # per API token (cop/api/bearer.py)
    API_REFUSED_RATE_LIMIT = "120 per minute"  # refused API tokens, per address

    # Mail: without MAIL_SERVER, messages are written under MAIL_FOLDER (instance/mail/).
    MAIL_SERVER = None
    MAIL_FOLDER = None
    MAIL_PORT = 25
    MAIL_USE_TLS = False  # STARTTLS
    MAIL_USE_SSL = False
    MAIL_USERNAME = None
    MAIL_PASSWORD = None
    MAIL_TIMEOUT = 10
    MAIL_ASYNC = True  # deliver after commit in a background thread (tests deliver inline)
    # Production: true, with `flask cop send-notification-emails --watch` running beside the
    # web server, so that a reply does not wait for the emails it causes (README, Operations).
    NOTIFICATION_EMAIL_WORKER = False
    MAIL_DEFAULT_SENDER = "Comunità di pratica conciliazione <noreply@cop.regione.lombardia.it>"

    # Links in emails when there is no request (CLI): where the site is served.
    SERVER_URL = "http://127.0.0.1:5000"

    INVITATION_VALID_DAYS = 14
    PASSWORD_RESET_VALID_HOURS = 2

    # Trust X-Forwarded-* from this many proxies (0: none).
    PROXY_FIX_HOPS = 0

    PAGE_SIZE = 30
    SQL_COUNT_HEADER = False  # the benchmark's X-SQL-Statements header
    PASSWORD_HASH_METHOD = "scrypt"

    # Attachments (discussions, meetings, practices): stored under instance/uploads/. With
    # more than one app server, a folder they all mount (COP_UPLOAD_FOLDER).
    UPLOAD_FOLDER = None  # default: <instance>/uploads
    ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
    ATTACHMENTS_PER_ITEM = 5
    MAX_CONTENT_LENGTH = 60 * 1024 * 1024  # a whole form with its files

    # Discussions
    POSTS_PER_PAGE = 50
    # Rendered post cards kept per app process (cop/discussions/cards.py); 0 turns it off.
    POST_CARD_CACHE = 4000
    # Parts of the page's frame kept per app process (cop/chrome.py); 0 turns it off.
    FRAME_CACHE = 2000
    # Rendered record cards of the library's lists (cop/practices/cards.py); 0 turns it off.
    PRACTICE_CARD_CACHE = 4000
    SEARCH_PAGE_SIZE = 20

    # Meetings: `flask cop send-reminders` emails the owners of open actions due within
    # this many days (today included), and of those overdue by at most the second number.
    MEETINGS_REMINDER_DAYS = 3
    MEETINGS_REMINDER_OVERDUE_DAYS = 7
    # Decisions: `flask cop send-decision-reminders` (hourly) tells the members who have not
    # taken part that a decision closes within this many hours, once per decision.
    DECISION_REMINDER_HOURS = 24

    # Digests (`flask cop send-digests`, e.g. hourly from cron): at most this many items per
    # list, the meetings of this many days ahead, and a digest counts as due this many
    # minutes before its period has fully passed (a job that runs early skips nothing).
    DIGEST_LIST_SIZE = 10
    DIGEST_MEETING_DAYS = 14
    DIGEST_DUE_MARGIN_MINUTES = 60

    # Dashboards and the skills map read figures stored in the database (cop/figure_store.py),
    # computed again by `flask cop refresh-figures` (a timer every five minutes in production).

    # Directory: messages one person may send through the contact form
    DIRECTORY_CONTACT_RATE_LIMIT = "5 per hour;20 per day"
    # The public check of a learning attestation's code, per address (against trying codes).
    ATTESTATION_CHECK_RATE_LIMIT = "20 per minute;200 per day"
    # The TrueType fonts of the attestations' PDF (DejaVu Sans: any character of a name).
    # Without them the PDF falls back to Helvetica, which has the Latin-1 characters only.
    ATTESTATION_FONT_DIR = "/usr/share/fonts/truetype/dejavu"

    # Accessibility statement (/accessibilita, AgID guidelines): where people report problems,
    # and the statement as published on AgID's form.agid.gov.it (replace with its own address
    # once published there: it carries the "procedura di attuazione").
    ACCESSIBILITY_CONTACT = "accessibilita@cop.regione.lombardia.it"
    ACCESSIBILITY_AGID_URL = "https://form.agid.gov.it/"

    # Operations (cop/ops). Logs: "text" (readable, for `make run`) or "json" (production:
    # one object per line on stderr, with each request's id). LOG_LEVEL: cop's own loggers.
    LOG_FORMAT = "text"
    LOG_LEVEL = "INFO"
    # Prometheus metrics at /metrics, 404 unless the request bears `Authorization: Bearer
    # <METRICS_TOKEN>` (e.g. `python3 -c 'import secrets; print(secrets.token_urlsafe(32))'`),
    # or, with METRICS_ALLOW_LOOPBACK, comes from the machine itself: its address as ProxyFix
    # found it, so behind nginx set PROXY_FIX_HOPS (without it, a request carrying
    # X-Forwarded-For is not taken for local). Neither set: nothing is measured. Several
    # gunicorn workers: PROMETHEUS_MULTIPROC_DIR in the environment (cop/ops/metrics.py).
    METRICS_TOKEN = None
    METRICS_ALLOW_LOOPBACK = False

    # Sign-in with the organisation's identity provider (OpenID Connect, cop/oidc): a region's
    # Keycloak or a SPID/CIE gateway. Without OIDC_ISSUER the button is not shown and the
    # provider's routes answer 404. The provider is found through
    # <OIDC_ISSUER>/.well-known/openid-configuration; register this site there as a
    # confidential client with the redirect URI <site>/accedi/ente/ritorno and the
    # post-logout redirect URI <site>/accedi.
    OIDC_ISSUER = None
    OIDC_CLIENT_ID = None
    OIDC_CLIENT_SECRET = None
    OIDC_SCOPES = "openid email profile"
    OIDC_EMAIL_CLAIM = "email"  # the ID token's claim holding the person's email address
    OIDC_BUTTON_LABEL = ""  # e.g. "Entra con SPID/CIE"; empty: a generic label
    # First sign-in of an identity not yet linked: "link_verified_email" links it to the active
    # account with that email when the provider says the email is verified, else accepts an
    # open invitation for it; "invitation_only" only accepts an open invitation (existing
    # accounts link from their profile, signed in with their password).
    OIDC_FIRST_SIGN_IN = "link_verified_email"
    OIDC_HTTP_TIMEOUT = 10  # seconds, each call to the provider
    # False: the sign-in page shows only the provider's button and refuses passwords, except
    # to administrators (break-glass when the provider is down: /accedi?password=1).
    PASSWORD_SIGN_IN = True
