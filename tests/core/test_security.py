"""The security baseline: headers, no inline script, CSRF everywhere, cookies, the secret key,
the password policy and sessions that really end."""
from __future__ import annotations

import re
import stat
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest
from werkzeug.routing import IntegerConverter, PathConverter, UnicodeConverter

import cop
from cop import _instance_secret, create_app
from cop.auth.models import Invitation, User
from cop.auth.passwords import (
    MAX_LENGTH,
    MIN_LENGTH,
    hash_password,
    password_problems,
    verify_password,
)
from cop.config import Defaults
from cop.database import utcnow
from cop.extensions import db
from cop.tokens import new_token
from tests.conftest import TEST_PASSWORD, _test_config

TEMPLATES = Path(cop.__file__).resolve().parent.parent / "templates"
NEW_PASSWORD = "Una-nuova-frase-segreta-7"


# Headers -------------------------------------------------------------------------------

def _csp(response) -> dict[str, list[str]]:
    header = response.headers.get("Content-Security-Policy")
    assert header, f"{response.request.path} has no Content-Security-Policy"
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0].lower()] = words[1:]
    return directives


def assert_security_headers(response) -> None:
    csp = _csp(response)
    script_src = csp.get("script-src", csp.get("default-src"))
    assert script_src == ["'self'"], script_src
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src
    assert "'unsafe-inline'" not in csp.get("style-src", [])
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["base-uri"] == ["'self'"]
    assert csp["form-action"] == ["'self'"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] in ("same-origin", "strict-origin-when-cross-origin",
                                                   "no-referrer", "strict-origin")
    assert response.headers["X-Frame-Options"] == "DENY"


class _Markup(HTMLParser):
    """Collects what a CSP without inline script and style would block."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        names = {name for name, _ in attrs}
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}>")
            if name == "style":
                self.problems.append(f"<{tag} style>")
            if (name in ("href", "src", "action", "formaction")
                    and (value or "").strip().lower().startswith("javascript:")):
                self.problems.append(f"<{tag} {name}=javascript:>")
        if tag == "script":
            if "src" not in names:
                self.problems.append("<script> without src")
            self._in_script = True
        if tag == "style":
            self.problems.append("<style> element")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.problems.append(f"inline script: {data.strip()[:60]!r}")


def _markup_problems(html: str) -> list[str]:
    parser = _Markup()
    parser.feed(html)
    parser.close()
    return parser.problems


def test_html_responses_carry_the_security_headers(client, world):
    responses = {
        "home (anonymous)": client.get("/"),
        "sign-in page": client.get("/accedi"),
        "404 page": client.get("/questa-pagina-non-esiste"),
        "CSRF failure": client.http.post("/accedi", data={"email": "a@b.it", "password": "x"}),
    }
    client.login(world.member.email)
    responses["home (signed in)"] = client.get("/")
    responses["my spaces (signed in)"] = client.get("/spazi/miei")
    responses["a space (signed in)"] = client.get(f"/spazi/{world.reserved.slug}/")
    responses["405 page"] = client.get("/esci")
    expected = {"404 page": 404, "CSRF failure": 400, "405 page": 405}
    for name, response in responses.items():
        assert response.status_code == expected.get(name, 200), name
        assert response.mimetype == "text/html", name
        assert_security_headers(response)
        assert _markup_problems(response.get_data(as_text=True)) == [], name


def test_static_files_carry_the_headers_too(client):
    response = client.get("/static/js/cop.js")
    assert response.status_code == 200
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert_security_headers(response)
    response.close()


def test_https_responses_ask_for_hsts(client):
    response = client.get("/", base_url="https://localhost")
    assert "max-age=" in response.headers["Strict-Transport-Security"]


_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.IGNORECASE | re.DOTALL)
_HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
_STYLE_ATTRIBUTE = re.compile(r"[\s(,]style\s*=", re.IGNORECASE)
# Email bodies are not pages: no CSP applies to them, and mail clients need inline styles.
_TEMPLATE_FILES = sorted(p for p in TEMPLATES.rglob("*.html") if p.parent.name != "email")


def test_templates_are_found():
    assert len(_TEMPLATE_FILES) > 10 and TEMPLATES / "base.html" in _TEMPLATE_FILES


@pytest.mark.parametrize("path", _TEMPLATE_FILES,
                         ids=[str(p.relative_to(TEMPLATES)) for p in _TEMPLATE_FILES])
def test_template_has_no_inline_script_handlers_or_styles(path):
    """Guards the CSP: no inline script, no on* handler, no style attribute, no <style>."""
    source = path.read_text(encoding="utf-8")
    scripts = _SCRIPT.findall(source)
    assert len(scripts) == len(re.findall(r"<script\b", source, re.IGNORECASE)), "unclosed <script>"
    for attributes, body in scripts:
        assert re.search(r"\bsrc\s*=", attributes), f"<script> without src in {path.name}"
        assert body.strip() == "", f"inline script in {path.name}"
    assert not _HANDLER.search(source), (
        f"event handler attribute in {path.name}: {_HANDLER.search(source)}")
    assert not _STYLE_ATTRIBUTE.search(source), f"style attribute in {path.name}"
    assert not re.search(r"<style\b", source, re.IGNORECASE), f"<style> element in {path.name}"
    assert "javascript:" not in source.lower(), f"javascript: URL in {path.name}"


# CSRF ----------------------------------------------------------------------------------

_URL_VALUES = {"slug": "alleanza-bergamo-1", "token": "x"}


def _post_urls(app) -> list[tuple[str, str]]:
    urls = []
    for rule in app.url_map.iter_rules():
        if "POST" not in rule.methods:
            continue
        values = {}
        for name, converter in rule._converters.items():
            if isinstance(converter, IntegerConverter):
                values[name] = 1
            elif type(converter) in (UnicodeConverter, PathConverter):
                values[name] = _URL_VALUES.get(name, "x")
            else:  # a new kind of converter: decide a plausible value above
                raise AssertionError(f"no test value for <{name}> in {rule.rule}")
        with app.test_request_context():
            from flask import url_for

            urls.append((rule.endpoint, url_for(rule.endpoint, **values)))
    return urls


def test_csrf_stays_on_in_tests(app):
    assert app.config.get("WTF_CSRF_ENABLED", True) is True
    assert app.config.get("WTF_CSRF_CHECK_DEFAULT", True) is True


# RFC 8058 one-click: the signed token is the key
CSRF_EXEMPT = {"notifications.unsubscribe", "digests.unsubscribe",
               "api.unknown"}  # the JSON API: bearer tokens, no session (tests/api)


@pytest.mark.parametrize("who", ["anonymous", "member", "admin"])
def test_every_state_changing_route_refuses_a_post_without_token(app, client, world, who):
    urls = _post_urls(app)
    assert len(urls) >= 20, urls
    if who != "anonymous":
        client.login(getattr(world, who).email)
    for endpoint, url in urls:
        if endpoint in CSRF_EXEMPT:
            assert client.http.post(url).status_code == 404  # "x" is no valid token
            continue
        response = client.http.post(url, data={"name": "Nuovo nome", "email": "x@esempio.it",
                                               "password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
        page = response.get_data(as_text=True)
        assert response.status_code == 400, f"{endpoint} {url}: {response.status_code}"
        assert "Modulo scaduto" in page, endpoint
        assert "ricarica la pagina" in page, endpoint
    if who != "anonymous":  # not even the sign-out went through
        assert client.get("/spazi/miei").status_code == 200


def test_a_wrong_token_is_refused_too(client, world):
    client.login(world.coordinator.email)
    response = client.post(f"/spazi/{world.reserved.slug}/modifica",
                           {"name": "Cambiato", "description": "", "visibility": "regionale",
                            "csrf_token": "falso"})
    assert response.status_code == 400
    assert "Modulo scaduto" in response.get_data(as_text=True)


def test_a_token_from_another_session_is_refused(client, new_client, world):
    other = new_client()
    other_token = other.csrf_token()
    client.login(world.coordinator.email)
    response = client.post(f"/spazi/{world.reserved.slug}/modifica",
                           {"name": "Cambiato", "description": "", "visibility": "regionale",
                            "csrf_token": other_token})
    assert response.status_code == 400


# Cookies -------------------------------------------------------------------------------

def test_production_defaults_for_cookies():
    assert Defaults.SESSION_COOKIE_SECURE is True
    assert Defaults.SESSION_COOKIE_HTTPONLY is True
    assert Defaults.SESSION_COOKIE_SAMESITE == "Lax"
    assert Defaults.REMEMBER_COOKIE_SECURE is True
    assert Defaults.REMEMBER_COOKIE_HTTPONLY is True
    assert Defaults.REMEMBER_COOKIE_SAMESITE == "Lax"
    assert Defaults.WTF_CSRF_TIME_LIMIT is None or Defaults.WTF_CSRF_TIME_LIMIT > 0


def _cookie_attributes(response, name: str) -> set[str]:
    """The attributes of one Set-Cookie header, lowercased:
    {"secure", "httponly", "samesite=lax", ...}."""
    for header in response.headers.getlist("Set-Cookie"):
        if header.startswith(f"{name}="):
            attributes = set()
            for part in header.split(";")[1:]:
                key, _, value = part.strip().partition("=")
                attributes.add(f"{key.lower()}={value.lower()}" if key.lower() == "samesite"
                               else key.lower())
            return attributes
    raise AssertionError(f"no {name} cookie set: {response.headers.getlist('Set-Cookie')}")


def test_cookies_carry_secure_httponly_and_samesite_in_production(make_app):
    from tests.factories import Factory

    app = make_app(SESSION_COOKIE_SECURE=Defaults.SESSION_COOKIE_SECURE,
                   REMEMBER_COOKIE_SECURE=Defaults.REMEMBER_COOKIE_SECURE)
    for key in ("SESSION_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY", "SESSION_COOKIE_SAMESITE",
                "REMEMBER_COOKIE_SECURE", "REMEMBER_COOKIE_HTTPONLY", "REMEMBER_COOKIE_SAMESITE"):
        assert app.config[key] == getattr(Defaults, key), key
    person = Factory(app).user()
    http = app.test_client()
    https = {"base_url": "https://localhost", "headers": {"Referer": "https://localhost/accedi"}}
    page = http.get("/accedi", **https).get_data(as_text=True)
    token = re.search(r'<meta name="csrf-token" content="([^"]+)"', page).group(1)
    response = http.post("/accedi", data={"email": person.email, "password": person.password,
                                          "remember": "y", "csrf_token": token}, **https)
    assert response.status_code == 302
    for name in ("session", "remember_token"):
        attributes = _cookie_attributes(response, name)
        assert {"secure", "httponly", "samesite=lax"} <= attributes, (name, attributes)
    assert http.get("/spazi/miei", **https).status_code == 200


# The secret key ------------------------------------------------------------------------

def test_secret_key_is_generated_once_with_private_permissions(tmp_path):
    path = tmp_path / "secret_key"
    key = _instance_secret(path)
    assert len(key) >= 64 and path.read_text().strip() == key
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert _instance_secret(path) == key
    assert path.read_text().strip() == key
    assert _instance_secret(tmp_path / "another") != key


def test_an_empty_secret_key_file_is_not_used_as_the_key(tmp_path):
    path = tmp_path / "secret_key"
    path.write_text("")
    try:
        key = _instance_secret(path)
    except (RuntimeError, ValueError):
        return  # refusing to start with a clear error is fine too
    assert len(key) >= 32


def test_app_without_secret_key_uses_the_instance_one(monkeypatch, tmp_path, database_url,
                                                      smtp_server):
    monkeypatch.setattr(cop, "ROOT", tmp_path)
    monkeypatch.delenv("COP_SECRET_KEY", raising=False)
    config = _test_config(database_url, smtp_server, SECRET_KEY=None)
    first = create_app(config)
    second = create_app(config)
    key_file = tmp_path / "instance" / "secret_key"
    try:
        assert first.config["SECRET_KEY"]
        assert first.config["SECRET_KEY"] == key_file.read_text().strip()
        assert second.config["SECRET_KEY"] == first.config["SECRET_KEY"]
        assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    finally:
        for app in (first, second):
            with app.app_context():
                db.engine.dispose()


# Passwords -----------------------------------------------------------------------------

def _problems(app, password, email="", name=""):
    with app.test_request_context():
        return password_problems(password, email, name)


def test_password_length_limits(app):
    assert MIN_LENGTH == 10 and MAX_LENGTH == 128
    assert _problems(app, "Ab3$kq9!z") != []  # 9
    assert _problems(app, "Ab3$kq9!zW") == []  # 10
    long_phrase = ("Lunga-frase-" * 11)
    assert _problems(app, long_phrase[:128]) == []
    assert _problems(app, long_phrase[:129]) != []


@pytest.mark.parametrize("password", ["password123", "qwertyuiop", "1234567890", "Password123",
                                      "aaaaaaaaaaaa", "ababababababab"])
def test_common_passwords_are_refused(app, password):
    assert any("più usate" in p for p in _problems(app, password))


def test_password_must_not_contain_the_email_or_be_the_name(app):
    assert _problems(app, "mario.rossi-2024!x", email="mario.rossi@esempio.it") != []
    assert _problems(app, "MARIO.ROSSI-2024!x", email="mario.rossi@esempio.it") != []
    assert _problems(app, "Giovanna Bianchi", name="Giovanna Bianchi") != []
    assert _problems(app, "Una-frase-da-ricordare", email="mario.rossi@esempio.it",
                     name="Mario Rossi") == []


def test_passwords_are_hashed_with_scrypt_by_default(app):
    assert Defaults.PASSWORD_HASH_METHOD == "scrypt"
    with app.app_context():
        app.config["PASSWORD_HASH_METHOD"] = Defaults.PASSWORD_HASH_METHOD
        hashed = hash_password(NEW_PASSWORD)
        assert hashed.startswith("scrypt:")
        cost = int(hashed.split("$")[0].split(":")[1])  # scrypt:N:r:p
        assert cost >= 2**15, "deliberately slow"
        assert NEW_PASSWORD not in hashed
        assert verify_password(hashed, NEW_PASSWORD)
        assert not verify_password(hashed, NEW_PASSWORD + "x")
        assert hash_password(NEW_PASSWORD) != hashed  # salted


def test_change_password_page_explains_the_problems(client, world, factory):
    client.login(world.member.email)
    before = factory.get(User, world.member.id).password_hash
    for password, problem in [("corta-1", "almeno 10 caratteri"),
                              ("x" + "Lunga-frase-" * 11, "al massimo 128 caratteri"),
                              ("password123", "più usate")]:
        response = client.post("/profilo/password", {"current_password": TEST_PASSWORD,
                                                     "password": password, "confirm": password})
        page = response.get_data(as_text=True)
        assert response.status_code == 200
        assert problem in page
        assert 'id="form-errors"' in page
        assert TEST_PASSWORD not in page and password not in page  # passwords are not echoed
    assert factory.get(User, world.member.id).password_hash == before
    assert client.get("/spazi/miei").status_code == 200


def test_change_password_needs_the_current_one(client, world, factory):
    client.login(world.member.email)
    before = factory.get(User, world.member.id).password_hash
    response = client.post("/profilo/password", {"current_password": "non-e-quella-giusta",
                                                 "password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 200
    assert "La password attuale non è corretta" in response.get_data(as_text=True)
    assert factory.get(User, world.member.id).password_hash == before


def _invitation(app, organisation_id: int, email: str) -> str:
    raw, digest = new_token()
    with app.app_context():
        db.session.add(Invitation(email=email, name="Nome Dall'Invito", token_hash=digest,
                                  organisation_id=organisation_id,
                                  expires_at=utcnow() + timedelta(days=14)))
        db.session.commit()
    return raw


def test_invitation_acceptance_explains_password_problems_and_keeps_the_fields(app, client,
                                                                               factory):
    organisation = factory.organisation()
    token = _invitation(app, organisation.id, "giulia.verdi@esempio.it")
    for password, problem in [("corta-1", "almeno 10 caratteri"),
                              ("password123", "più usate"),
                              ("giulia.verdi-2024", "nome o il tuo indirizzo email")]:
        response = client.post(f"/invito/{token}", {"name": "Giulia Verdi", "password": password,
                                                    "confirm": password, "locale": "en"})
        page = response.get_data(as_text=True)
        assert response.status_code == 200
        assert problem in page
        assert 'value="Giulia Verdi"' in page
        assert re.search(r'<option (selected value="en"|value="en" selected)', page)
        assert password not in page
    with app.app_context():
        assert db.session.query(User).filter_by(email="giulia.verdi@esempio.it").count() == 0

    response = client.post(f"/invito/{token}", {"name": "Giulia Verdi", "password": NEW_PASSWORD,
                                                "confirm": NEW_PASSWORD, "locale": "en"})
    assert response.status_code == 302


# Sessions ------------------------------------------------------------------------------

def test_password_change_ends_the_other_sessions(client, new_client, world, factory):
    laptop, phone = client, new_client()
    laptop.login(world.member.email)
    response = phone.post("/accedi", {"email": world.member.email, "password": TEST_PASSWORD,
                                      "remember": "y"})
    assert response.status_code == 302 and phone.http.get_cookie("remember_token") is not None
    assert phone.get("/spazi/miei").status_code == 200

    response = laptop.post("/profilo/password", {"current_password": TEST_PASSWORD,
                                                 "password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 302
    assert "Password cambiata" in laptop.get(response.headers["Location"]).get_data(as_text=True)

    response = phone.get("/spazi/miei")
    assert response.status_code == 302 and "/accedi" in response.headers["Location"]
    assert laptop.get("/spazi/miei").status_code == 200

    # The old password no longer works, the new one does.
    again = new_client()
    assert "Email o password non corretti" in again.post(
        "/accedi", {"email": world.member.email, "password": TEST_PASSWORD}).get_data(as_text=True)
    again.login(world.member.email, NEW_PASSWORD)


def test_sign_in_replaces_a_session_planted_before(client, new_client, world):
    """Session fixation: a cookie handed to the victim before sign-in is not signed in after."""
    attacker = new_client()
    attacker.get("/accedi")
    planted = attacker.http.get_cookie("session").value
    client.http.set_cookie("session", planted)
    client.login(world.member.email)
    assert client.http.get_cookie("session").value != planted
    assert attacker.get("/spazi/miei").status_code == 302


def _main(page: str) -> str:
    main = re.search(r"<main\b.*?</main>", page, re.DOTALL).group(0)
    main = re.sub(r'<input[^>]*name="csrf_token"[^>]*>', "", main)
    return re.sub(r'value="[^"]*@esempio\.it"', 'value="EMAIL"', main)


def test_failed_sign_in_does_not_tell_whether_the_address_exists(client, world):
    unknown = client.post("/accedi",
                          {"email": "nessuno.qui@esempio.it", "password": "sbagliata-123"})
    wrong = client.post("/accedi", {"email": world.member.email, "password": "sbagliata-123"})
    assert unknown.status_code == wrong.status_code == 200
    assert "Email o password non corretti" in unknown.get_data(as_text=True)
    assert _main(unknown.get_data(as_text=True)) == _main(wrong.get_data(as_text=True))


def test_forgotten_password_does_not_tell_whether_the_address_exists(client, world, smtp):
    pages = []
    for email in (world.member.email, "nessuno.qui@esempio.it"):
        response = client.post("/password/dimenticata", {"email": email})
        assert response.status_code == 302 and response.headers["Location"] == "/accedi"
        pages.append(_main(client.get("/accedi").get_data(as_text=True)))
    assert "riceverai un'email" in pages[0].replace("&#39;", "'")
    assert pages[0] == pages[1]
