"""Languages: the English catalogue is complete, the IT/EN switch works, emails follow the reader.

- The catalogue test extracts the Italian texts from the sources *now* (Python and Jinja, with
  babel's own extractors and the mapping of babel.cfg), so a new text without an English
  translation fails it. Fix: `make extract-messages`, then translate the new entries in
  cop/translations/en/LC_MESSAGES/messages.po (no `#, fuzzy`, same %(placeholders)s).
- The page tests go through the real switch (POST /lingua with its CSRF token) and read what
  the pages say, in both languages.
- The email tests check that each recipient gets their own language, whoever triggered it.
"""
from __future__ import annotations

import html
import os
import re
import shlex
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import CommandLineInterface, parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from cop.auth.models import User

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "cop" / "translations"
EN_PO = TRANSLATIONS / "en" / "LC_MESSAGES" / "messages.po"

# The keywords of `make extract-messages` (-k _l -k lazy_gettext) plus the lazy plural.
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None, "lazy_ngettext": (1, 2)}
# The Jinja extensions cop/templating.py adds to the app's environment: without them the
# extractor cannot parse a template that uses their tags (e.g. `{% do %}` in the macros).
JINJA_EXTRACT_OPTIONS = {"extensions": "jinja2.ext.do", "silent": "false"}
# Texts that are the same in English (international words); anything else copied verbatim
# into msgstr is an untranslated entry.
SAME_IN_ENGLISH = {"ATS", "Email", "Password", "Home", "Account: %(email)s", "Partner", "Online",
                   "online"}

PLACEHOLDER = re.compile(r"%(?:\((\w+)\))?[#0\- +]*(?:\d+|\*)?(?:\.\d+)?[diouxXeEfFgGcrsa%]")
HTML_LANG = re.compile(r'<html lang="([^"]*)"')
H1 = re.compile(r"<h1[^>]*>(.*?)</h1>", re.DOTALL)


# --- the compiled catalogue -------------------------------------------------------------------

@pytest.fixture(scope="module", autouse=True)
def compiled_catalogue():
    """Compiles each catalogue whose .mo is missing or older than its .po (as `make` does).

    The .mo files are not in git, so a fresh clone running pytest directly still gets English.
    """
    for po_path in TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as handle:
            catalog = read_po(handle, locale=po_path.parent.parent.name)
        partial = mo_path.with_name(f"messages.mo.{os.getpid()}.tmp")
        with partial.open("wb") as handle:
            write_mo(handle, catalog)
        os.replace(partial, mo_path)  # atomic: a concurrent run never reads half a file
    return True


# --- extraction from the sources --------------------------------------------------------------

def _method_map():
    with (ROOT / "babel.cfg").open() as handle:
        method_map, options_map = parse_mapping_cfg(handle, filename="babel.cfg")
    for pattern, method in method_map:
        if method == "jinja2":
            options_map[pattern] = {**options_map.get(pattern, {}), **JINJA_EXTRACT_OPTIONS}
    return method_map, options_map


def _walk_into(path: str) -> bool:
    # Babel skips folders starting with "_" by default; templates/_macros holds real texts.
    name = os.path.basename(path)
    return not (name.startswith(".") or name == "__pycache__")


def extract_sources() -> tuple[Catalog, set[str]]:
    """Every translatable text of cop/ and templates/, as `pybabel extract` should see them."""
    method_map, options_map = _method_map()
    catalog = Catalog(locale=None)
    visited: set[str] = set()

    def seen(filename, method, options):
        visited.add(filename.replace(os.sep, "/"))

    for filename, lineno, message, comments, context in extract_from_dir(
            str(ROOT), method_map, options_map, keywords=KEYWORDS, callback=seen,
            directory_filter=_walk_into):
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return catalog, visited


@pytest.fixture(scope="module")
def sources():
    return extract_sources()


@pytest.fixture(scope="module")
def english():
    with EN_PO.open("rb") as handle:
        return read_po(handle, locale="en")


def _placeholders(text: str) -> list[str]:
    return sorted(match.group(0) for match in PLACEHOLDER.finditer(text))


def _where(message) -> str:
    return ", ".join(f"{path}:{line}" for path, line in message.locations[:3])


def test_extraction_reads_every_source_file(sources):
    """Each template and module that calls gettext is parsed (none skipped, none unparsable)."""
    catalog, visited = sources
    calls = re.compile(r"\b(?:_|_l|gettext|ngettext|lazy_gettext)\(")
    expected = {
        path.relative_to(ROOT).as_posix()
        for folder, suffixes in (("templates", {".html", ".txt"}), ("cop", {".py"}))
        for path in (ROOT / folder).rglob("*")
        if path.suffix in suffixes and "__pycache__" not in path.parts
        and calls.search(path.read_text(encoding="utf-8"))
    }
    assert expected - visited == set(), "babel.cfg does not map these files"
    located = {path for message in catalog for path, _ in message.locations}
    assert expected - located == set(), "files with gettext calls but no text extracted"
    assert len(catalog) > 300
    assert "Percorso" in catalog  # a text of templates/_macros/ui.html


def test_every_text_has_an_english_translation(sources, english):
    catalog, _ = sources
    problems = []
    for message in catalog:
        if not message.id:
            continue
        where = _where(message)
        entry = english.get(message.id, message.context)
        if entry is None:
            problems.append(f"{where}: not in the catalogue: {message.id!r}")
            continue
        if entry.fuzzy:
            problems.append(f"{where}: fuzzy: {message.id!r}")
        if message.pluralizable:
            if not entry.pluralizable or entry.id[1] != message.id[1]:
                problems.append(f"{where}: plural form changed: {message.id!r}")
                continue
            strings = list(entry.string)
            if len(strings) != english.num_plurals:
                problems.append(f"{where}: needs {english.num_plurals} plural forms: "
                                f"{message.id!r}")
            ids = list(message.id)
        else:
            strings, ids = [entry.string], [message.id]
        for index, string in enumerate(strings):
            source = ids[min(index, len(ids) - 1)]
            if not string or not string.strip():
                problems.append(f"{where}: no English text: {message.id!r}")
            elif string == source and source not in SAME_IN_ENGLISH:
                problems.append(f"{where}: msgstr copies the Italian: {source!r}")
            elif _placeholders(string) != _placeholders(source):
                problems.append(f"{where}: placeholders {_placeholders(source)} != "
                                f"{_placeholders(string)} in {string!r}")
    assert problems == [], "\n".join(
        ["Run `make extract-messages` and translate in " + str(EN_PO.relative_to(ROOT))]
        + problems)


def test_catalogue_header_and_babel_checks(english):
    assert not english.fuzzy, "a `#, fuzzy` header keeps the catalogue from compiling"
    assert english.num_plurals == 2
    errors = [(message.id, [str(e) for e in message.check(english)]) for message in english
              if message.id and message.check(english)]
    assert errors == []


def test_make_extract_messages_finds_every_text(sources, tmp_path, monkeypatch):
    """The command translators run (from the Makefile) sees the same texts as the test."""
    line = next(line for line in (ROOT / "Makefile").read_text().splitlines()
                if "pybabel extract" in line)
    args = shlex.split(line.strip())
    args[0:1] = ["pybabel", "--quiet"]
    output = args.index("-o") + 1
    args[output] = str(tmp_path / "messages.pot")
    monkeypatch.chdir(ROOT)
    CommandLineInterface().run(args)
    with (tmp_path / "messages.pot").open("rb") as handle:
        made = {message.id if isinstance(message.id, str) else message.id[0]
                for message in read_po(handle) if message.id}
    catalog, _ = sources
    wanted = {message.id if isinstance(message.id, str) else message.id[0]
              for message in catalog if message.id}
    assert wanted - made == set()


# --- pages ------------------------------------------------------------------------------------

def page(response) -> str:
    assert response.status_code == 200, response.status_code
    return html.unescape(response.get_data(as_text=True))


def lang_of(text: str) -> str:
    match = HTML_LANG.search(text)
    assert match, "every page declares its language"
    return match.group(1)


def h1_of(text: str) -> str:
    match = H1.search(text)
    assert match, "the page has a heading"
    return re.sub(r"<[^>]+>", "", match.group(1)).strip()


def switch(client, lang: str, next_path: str | None = "/"):
    data = {"lang": lang}
    if next_path is not None:
        data["next"] = next_path
    return client.post("/lingua", data)


def test_visitor_gets_italian_by_default(client):
    text = page(client.get("/accedi"))
    assert lang_of(text) == "it"
    assert h1_of(text) == "Accedi"
    assert ("La piattaforma è riservata alle persone delle Reti Territoriali di "
            "Conciliazione") in text
    assert "Hai dimenticato la password?" in text
    assert "<title>Accedi · Comunità di pratica conciliazione</title>" in text
    # The switch: a form posting to /lingua, back to this page, IT marked as current.
    assert 'action="/lingua"' in text
    assert '<input type="hidden" name="next" value="/accedi">' in text
    assert re.search(r'value="it" lang="it"[^>]*aria-current="true"', text, re.DOTALL)
    assert "Sign in" not in text


def test_switch_to_english_shows_english_and_is_remembered(client):
    response = switch(client, "en", "/accedi")
    assert response.status_code == 302
    assert response.headers["Location"] == "/accedi"

    text = page(client.get("/accedi"))
    assert lang_of(text) == "en"
    assert h1_of(text) == "Sign in"
    assert ("The platform is reserved for the people of the Territorial Work-Life Balance "
            "Networks") in text
    assert "Forgotten your password?" in text
    assert "<title>Sign in · Work-life balance community of practice</title>" in text
    assert "Skip to main content" in text
    assert re.search(r'value="en" lang="en"[^>]*aria-current="true"', text, re.DOTALL)
    assert "Accedi" not in text and "Hai dimenticato la password?" not in text
    # Form labels (lazy strings in the form classes) follow the language too.
    assert "Keep me signed in on this device" in text

    with client.http.session_transaction() as session:
        assert session["lang"] == "en"
    # Other pages of the same browser session stay in English.
    landing = page(client.get("/"))
    assert lang_of(landing) == "en"
    assert "Benchlearning spaces" in landing
    assert h1_of(page(client.get("/password/dimenticata"))) == "Forgotten password"

    switch(client, "it", "/accedi")
    text = page(client.get("/accedi"))
    assert lang_of(text) == "it" and h1_of(text) == "Accedi"


def test_english_pages_leave_no_italian_interface_text(client, world, factory):
    """Signed-in pages in English: none of the catalogue's Italian sentences is left."""
    with EN_PO.open("rb") as handle:
        catalogue = read_po(handle, locale="en")
    sentences = [m.id for m in catalogue if isinstance(m.id, str) and m.id.count(" ") >= 2
                 and "%" not in m.id and m.string != m.id]
    client.login(world.coordinator.email)
    switch(client, "en")
    for url in ("/", "/spazi/", "/spazi/miei", f"/spazi/{world.reserved.slug}/",
                f"/spazi/{world.reserved.slug}/membri", f"/persone/{world.coordinator.id}",
                "/profilo", "/pagina-che-non-esiste"):
        response = client.get(url)
        text = html.unescape(response.get_data(as_text=True))
        assert lang_of(text) == "en", url
        left = [sentence for sentence in sentences if sentence in text]
        assert left == [], f"{url} still shows Italian: {left}"


def test_error_pages_and_flashes_follow_the_language(client):
    switch(client, "en")
    response = client.get("/pagina-che-non-esiste")
    assert response.status_code == 404
    text = html.unescape(response.get_data(as_text=True))
    assert lang_of(text) == "en" and "Page not found" in text and "Back to the home page" in text

    # A page for signed-in people: the (lazy) sign-in prompt is flashed in English.
    response = client.get("/profilo")
    assert response.status_code == 302
    text = page(client.get(response.headers["Location"]))
    assert "Please sign in to see this page." in text

    # A failed sign-in explains itself in English.
    text = page(client.post("/accedi", {"email": "nessuno@esempio.it", "password": "sbagliata-1"}))
    assert "Incorrect email or password." in text


def test_switch_without_csrf_token_is_refused(client):
    response = client.post("/lingua", {"lang": "en", "next": "/accedi"}, csrf=False)
    assert response.status_code == 400
    assert "Modulo scaduto" in html.unescape(response.get_data(as_text=True))
    assert lang_of(page(client.get("/accedi"))) == "it"


def test_switch_form_is_on_every_page_and_returns_to_it(client, world):
    text = page(client.get("/accedi?next=/spazi/"))
    assert '<input type="hidden" name="next" value="/accedi?next=/spazi/">' in text
    response = switch(client, "en", "/accedi?next=/spazi/")
    assert response.headers["Location"] == "/accedi?next=/spazi/"

    client.login(world.member.email)
    for url in ("/", "/spazi/", f"/spazi/{world.reserved.slug}/membri", "/profilo"):
        text = page(client.get(url))
        assert 'action="/lingua"' in text, url
        assert f'<input type="hidden" name="next" value="{url}">' in text, url


def test_signed_in_choice_is_stored_on_the_profile(client, new_client, factory):
    person = factory.user(name="Giulia Rossi", locale="it")
    client.login(person.email)
    text = page(client.get("/"))
    assert lang_of(text) == "it" and h1_of(text) == "Buongiorno, Giulia Rossi"

    switch(client, "en", "/")
    text = page(client.get("/"))
    assert lang_of(text) == "en"
    assert h1_of(text) == "Hello, Giulia Rossi"
    assert "My spaces" in text and "All spaces" in text and "Sign out" in text
    assert factory.get(User, person.id).locale == "en"

    # A new browser: Italian until the person signs in, then their English.
    other = new_client()
    assert lang_of(page(other.get("/accedi"))) == "it"
    other.login(person.email)
    with other.http.session_transaction() as session:
        assert "lang" not in session  # the profile, not the session, brings the English
    text = page(other.get("/"))
    assert lang_of(text) == "en" and h1_of(text) == "Hello, Giulia Rossi"

    # Switching back is stored too.
    switch(other, "it", "/")
    assert factory.get(User, person.id).locale == "it"
    assert h1_of(page(other.get("/"))) == "Buongiorno, Giulia Rossi"


def test_profile_language_wins_over_the_visitor_choice(client, factory):
    """English chosen before signing in; the person's profile says Italian: Italian it is."""
    person = factory.user(name="Marco Bianchi", locale="it")
    switch(client, "en", "/accedi")
    assert lang_of(page(client.get("/accedi"))) == "en"
    client.login(person.email)
    text = page(client.get("/"))
    assert lang_of(text) == "it" and h1_of(text) == "Buongiorno, Marco Bianchi"
    assert factory.get(User, person.id).locale == "it"


@pytest.mark.parametrize("code", ["fr", "EN", "en-GB", "", "it;en", "../en"])
def test_unknown_language_code_is_ignored(client, factory, code):
    response = switch(client, code, "/accedi")
    assert response.status_code == 302 and response.headers["Location"] == "/accedi"
    text = page(client.get("/accedi"))
    assert lang_of(text) == "it" and h1_of(text) == "Accedi"
    with client.http.session_transaction() as session:
        assert "lang" not in session

    person = factory.user(locale="en")
    client.login(person.email)
    switch(client, code, "/")
    assert factory.get(User, person.id).locale == "en"
    assert lang_of(page(client.get("/"))) == "en"


@pytest.mark.parametrize("target", [
    "https://evil.example/",
    "http://evil.example",
    "//evil.example/",
    "///evil.example/",
    "/\\evil.example",
    "\\\\evil.example",
    "\\/evil.example",
    "/\t/evil.example",
    "https:evil.example",
    "javascript:alert(1)",
    "evil.example",
    " //evil.example",
    "",
])
def test_next_cannot_leave_the_site(client, target):
    response = switch(client, "en", target)
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location == "/", f"{target!r} redirected to {location!r}"
    assert urlsplit(location).netloc == ""
    # The language itself is still switched.
    assert lang_of(page(client.get("/"))) == "en"


def test_switch_without_next_goes_home(client):
    response = switch(client, "en", None)
    assert response.status_code == 302 and response.headers["Location"] == "/"


# --- emails -----------------------------------------------------------------------------------

def body_of(message) -> str:
    return message.body.replace("\r\n", "\n")  # SMTP's line endings


def test_join_request_mails_each_coordinator_in_their_language(client, factory, world, smtp):
    english_coordinator = factory.user(name="Helen Carter", locale="en")
    factory.member(world.regional, english_coordinator, "coordinatore")
    requester = factory.user(name="Anna Verdi", locale="en")

    client.login(requester.email)
    response = client.post(f"/spazi/{world.regional.slug}/partecipa",
                           {"message": "Lavoro sullo smart working in ATS Bergamo."})
    assert response.status_code == 302
    text = page(client.get(response.headers["Location"]))
    assert "Request sent: the space's coordinators will review it." in text

    [italian] = smtp.to(world.coordinator.email)
    [english] = smtp.to(english_coordinator.email)
    assert smtp.to(requester.email) == []

    assert italian.subject == "Nuova richiesta di partecipazione a Smart working"
    assert "Anna Verdi (" in body_of(italian)
    assert "chiede di partecipare allo spazio «Smart working»." in body_of(italian)
    assert "Il suo messaggio:\nLavoro sullo smart working in ATS Bergamo." in body_of(italian)
    assert "Per accettare o rifiutare:" in body_of(italian)
    assert "asking to join" not in body_of(italian)

    assert english.subject == "New request to join Smart working"
    assert "is asking to join the space “Smart working”." in body_of(english)
    assert "Their message:\nLavoro sullo smart working in ATS Bergamo." in body_of(english)
    assert "To accept or decline:" in body_of(english)
    assert "chiede di partecipare" not in body_of(english)
    for message in (italian, english):
        assert f"http://localhost/spazi/{world.regional.slug}/richieste" in body_of(message)


def test_decision_mail_follows_the_requester_not_the_coordinator(client, factory, world, smtp):
    requester = factory.user(name="Anna Verdi", locale="en")
    request_id = factory.join_request(world.regional, requester)
    smtp.messages.clear()

    client.login(world.coordinator.email)  # an Italian coordinator, on Italian pages
    response = client.post(f"/spazi/{world.regional.slug}/richieste/{request_id}",
                           {"decisione": "accetta"})
    assert response.status_code == 302
    assert "Anna Verdi ora fa parte dello spazio." in page(client.get(response.headers["Location"]))

    [mail] = smtp.to(requester.email)
    assert mail.subject == "Welcome to the space Smart working"
    assert body_of(mail).startswith("Hello Anna Verdi,")
    assert "Your request to join the space “Smart working” has been accepted." in body_of(mail)


def test_password_reset_mail_uses_the_account_language(client, factory, smtp):
    """An Italian page (anonymous visitor), an English account: the email is in English."""
    person = factory.user(name="Helen Carter", locale="en")
    response = client.post("/password/dimenticata", {"email": person.email})
    assert response.status_code == 302
    assert "Se l'indirizzo corrisponde a un account attivo" in page(
        client.get(response.headers["Location"]))

    [mail] = smtp.to(person.email)
    assert mail.subject == "New password for the community of practice"
    assert body_of(mail).startswith("Hello Helen Carter,")
    assert "We have received a request for a new password for your account." in body_of(mail)
    assert "Buongiorno" not in body_of(mail)
