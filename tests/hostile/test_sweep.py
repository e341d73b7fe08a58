"""The hostile-input sweep (issue 16): every form the application shows, filled with a corpus
of hostile values, as a person who may submit it.

The forms are found from the app itself: every GET route of the route table
(tests/core/test_route_access.py, which fails on an unclassified route) is opened as each
kind of person, and every <form> on the page is taken, so a new form is swept without anyone
remembering. Each value goes into every free-text field of a form at once; a form that
refuses that is filled again one field at a time. The sweep asserts: no 5xx; a POST either
stores (a redirect) or says what is wrong on the page; every page, email, .ics, CSV and JSON
that shows the values afterwards is well formed and carries no element or header from them.
"""
from __future__ import annotations

import csv
import io
import json
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlencode, urlsplit

from icalendar import Calendar

from tests.core.test_route_access import GET_ROUTES, _clients, _url, routes  # noqa: F401

MARK = "sweep"
CORPUS = [
    f"Riga\r\nBcc: {MARK}@evil.example\r\nX-{MARK}: 1",
    f"Nul\x00lo {MARK}\x07\x1b[31m",
    f"\u202e{MARK} letto al contrario\u202c \u2066isolato\u2069",
    "Parola" + "lunghissima" * 400,
    f'<b data-{MARK}="1">grassetto</b><script>alert("{MARK}")</script>'
    f'"><img src=x data-{MARK}="2">',
    "{{ 7*7 }} {% raw %} ${7*7} #{7*7} <%= 7*7 %>",
    "'; DROP TABLE users; -- \" OR 1=1 /*",
    "Perché 🙂 e\u0301 👩‍👩‍👧 \u200d\u200b",
    "99999999999999999999",
    "-2147483649",
    "9999-12-31",
    "0000-00-00",
    f"=HYPERLINK(\"http://evil.example\",\"{MARK}\")",
]
FREE_TEXT = {"text", "email", "url", "search", "number", "date", "time", "datetime-local",
             "tel", "hidden", "textarea", "password"}
NOT_SWEPT = {"csrf_token"}
# Opened as the first of these who gets a page: the one who sees the most forms first.
ACTORS = ("coordinator", "admin", "member", "outsider")
SKIPPED_PAGES = {"static", "files.download", "feeds.personal", "feeds.space"}


@dataclass
class FoundForm:
    method: str
    action: str
    fields: dict = field(default_factory=dict)  # name -> (kind, default value or list)
    submit: tuple | None = None

    def free_text(self) -> list[str]:
        return [name for name, (kind, _) in self.fields.items()
                if kind in FREE_TEXT and name not in NOT_SWEPT]

    def data(self, values: dict) -> dict:
        out = {}
        for name, (_, default) in self.fields.items():
            out[name] = values.get(name, default)
        if self.submit:
            out[self.submit[0]] = self.submit[1]
        return out


class _Forms(HTMLParser):
    """The forms of a page, with what a browser would send by default."""

    def __init__(self, page_url):
        super().__init__(convert_charrefs=True)
        self.page_url, self.forms = page_url, []
        self.form, self.select, self.textarea = None, None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.form = FoundForm(a.get("method", "get").lower(), a.get("action") or self.page_url)
            self.forms.append(self.form)
        elif self.form is None or "name" not in a or a.get("disabled") is not None:
            return
        elif tag == "input":
            kind = a.get("type", "text").lower()
            if kind in ("submit", "button", "image"):
                if self.form.submit is None or a["name"] not in ("preview", "anteprima"):
                    self.form.submit = (a["name"], a.get("value", ""))
            elif kind in ("checkbox", "radio"):
                known = self.form.fields.setdefault(a["name"], (kind, []))
                if "checked" in a or (kind == "radio" and not known[1]):
                    if kind == "radio":
                        self.form.fields[a["name"]] = (kind, a.get("value", "on"))
                    else:
                        known[1].append(a.get("value", "on"))
            elif kind != "file":
                self.form.fields[a["name"]] = (kind, a.get("value", ""))
        elif tag == "button" and a.get("type", "submit") == "submit":
            if self.form.submit is None or a["name"] not in ("preview", "anteprima"):
                self.form.submit = (a["name"], a.get("value", ""))
        elif tag == "select":
            self.select = a["name"]
            self.form.fields[a["name"]] = ("select", [] if "multiple" in a else None)
        elif tag == "textarea":
            self.textarea = a["name"]
            self.form.fields[a["name"]] = ("textarea", "")

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_data(self, data):
        if self.textarea and self.form:
            kind, value = self.form.fields[self.textarea]
            self.form.fields[self.textarea] = (kind, value + data)

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None
        elif tag == "textarea":
            self.textarea = None
        elif tag == "select":
            self.select = None


class _Options(HTMLParser):
    """Selected (or first) options of each select: HTMLParser sees options after selects."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.select, self.chosen, self.first = None, {}, {}

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "select":
            self.select = a.get("name")
        elif tag == "option" and self.select:
            value = a.get("value", "")
            self.first.setdefault(self.select, value)
            if "selected" in a:
                self.chosen.setdefault(self.select, []).append(value)

    def handle_endtag(self, tag):
        if tag == "select":
            self.select = None


def forms_on(page: str, page_url: str) -> list[FoundForm]:
    parser = _Forms(page_url)
    parser.feed(page)
    options = _Options()
    options.feed(page)
    for form in parser.forms:
        for name, (kind, value) in list(form.fields.items()):
            if kind == "select":
                chosen = options.chosen.get(name)
                if value == []:  # multiple
                    form.fields[name] = (kind, chosen or [])
                else:
                    form.fields[name] = (kind, (chosen or [options.first.get(name, "")])[0])
    return parser.forms


class _Elements(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.injected = []

    def handle_starttag(self, tag, attrs):
        if any(name.startswith(f"data-{MARK}") for name, _ in attrs):
            self.injected.append(tag)

    def handle_data(self, data):
        pass


def assert_no_injected_element(body: str, where: str) -> None:
    parser = _Elements()
    parser.feed(body)
    assert parser.injected == [], f"{where}: an element came from typed text"
    assert f'alert("{MARK}")</script>' not in body, f"{where}: a script came from typed text"


def _refused_with_a_message(body: str) -> bool:
    return any(sign in body for sign in ("is-invalid", "alert-danger", 'role="alert"'))


def _check_answer(client, response, form, where, seen, follow=True):
    status = response.status_code
    assert status < 500, f"{where}: {status}"
    seen["requests"] += 1
    body = response.get_data(as_text=True)
    if "text/html" in response.content_type:
        assert_no_injected_element(body, where)
    if form.method == "post" and status == 200:
        assert _refused_with_a_message(body), f"{where}: neither stored nor refused with a message"
    if follow and status in (301, 302, 303) and form.method == "post":
        target = response.headers["Location"]
        if urlsplit(target).netloc in ("", "localhost"):
            shown = client.get(target)
            assert shown.status_code < 500, f"{where} → {target}: {shown.status_code}"
            if "text/html" in shown.content_type:
                assert_no_injected_element(shown.get_data(as_text=True), f"{where} → {target}")
    return status


def _submit(client, form, data):
    if form.method == "post":
        return client.http.post(form.action, data=data)
    query = urlencode(data, doseq=True)
    return client.http.get(f"{form.action.split('?')[0]}?{query}")


def _is_refusal(response, form) -> bool:
    return form.method == "post" and response.status_code in (200, 400)


def _collect_forms(app, clients, routes):  # noqa: F811
    """endpoint of the form's action -> (actor, form), the first found."""
    adapter = app.url_map.bind("localhost")
    found = {}
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint in SKIPPED_PAGES:
            continue
        url = _url(app, rule, routes)
        for actor in ACTORS:
            response = clients[actor].get(url)
            if response.status_code != 200 or "text/html" not in response.content_type:
                continue
            for form in forms_on(response.get_data(as_text=True), url):
                path = urlsplit(form.action).path
                try:
                    endpoint, _ = adapter.match(path, method=form.method.upper())
                except Exception:  # a form that leads nowhere would fail the page's own tests
                    continue
                if form.free_text():
                    found.setdefault((endpoint, form.method), (actor, form))
    return found


# Forms that end what the sweep needs (signing out, leaving or deleting the space's things)
# are swept last, so the others still find their objects.
_LAST = ("delete", "remove", "leave", "cancel", "revoke", "moderate", "uninvite", "logout")


def test_every_form_takes_hostile_input_without_breaking_anything(
        app, world, routes, smtp, factory):  # noqa: F811
    started = time.monotonic()
    factory.member(world.regional, world.member)
    clients = _clients(app, world)
    found = _collect_forms(app, clients, routes)
    assert len(found) > 40, "the sweep finds the application's forms"
    order = sorted(found, key=lambda key: (any(w in key[0] for w in _LAST), key))
    seen = {"requests": 0, "fields": 0}
    for key in order:
        actor, form = found[key]
        client = clients[actor]
        csrf = client.csrf_token()
        fields = form.free_text()
        seen["fields"] += len(fields)
        for value in CORPUS:
            base = {"csrf_token": csrf} if form.method == "post" else {}
            where = f"{key[0]} as {actor} with {value[:30]!r}"
            data = {**form.data({name: value for name in fields}), **base}
            response = _submit(client, form, data)
            _check_answer(client, response, form, where, seen)
            if _is_refusal(response, form) and len(fields) > 1:
                for name in fields:  # field by field: the others keep their defaults
                    data = {**form.data({name: value}), **base}
                    _check_answer(client, _submit(client, form, data), form,
                                  f"{where} in {name}", seen, follow=False)
    _check_channels(app, clients, routes, smtp)
    print(f"\nsweep: {len(found)} forms, {seen['fields']} fields, {len(CORPUS)} values, "
          f"{seen['requests']} requests, {time.monotonic() - started:.1f} s")


def _check_channels(app, clients, routes, smtp):  # noqa: F811
    """What shows the swept values elsewhere: pages, emails, .ics, CSV, JSON."""
    for actor in ("member", "coordinator", "admin"):
        client = clients[actor]
        for url in ("/", "/notifiche/", f"/spazi/{routes['slug']}/", "/discussioni",
                    "/pratiche/", "/rubrica/", f"/cerca?q={MARK}", "/incontri/azioni/",
                    f"/spazi/{routes['slug']}/discussioni/"):
            response = client.get(url)
            assert response.status_code < 500, url
            assert_no_injected_element(response.get_data(as_text=True), f"{url} as {actor}")
    coordinator = clients["coordinator"]
    for url in ("/pratiche/esporta.csv", f"/spazi/{routes['slug']}/cruscotto.csv"):
        response = coordinator.get(url)
        if response.status_code == 200:
            rows = list(csv.reader(io.StringIO(response.get_data(as_text=True)), delimiter=";"))
            cells = [cell for row in rows for cell in row]
            assert not any(cell.startswith(("=", "+", "@", "\t", "\r")) for cell in cells), url
    for url in ("/pratiche/esporta.json", "/rubrica/i-miei-dati.json"):
        response = coordinator.get(url)
        if response.status_code == 200:
            json.loads(response.get_data(as_text=True))
    with app.test_request_context():
        from flask import url_for
        ics_url = url_for("meetings.meeting_ics", meeting_id=routes["meeting_id"])
    response = coordinator.get(ics_url)
    assert response.status_code == 200, ics_url
    calendar = Calendar.from_ical(response.get_data())
    for component in calendar.walk("VEVENT"):
        assert "\n" not in str(component.get("SUMMARY", ""))
    for message in smtp.messages:
        assert message.message.get_all("Bcc") is None
        assert not any(name.lower().startswith(f"x-{MARK}") for name in message.message.keys())
        assert f"{MARK}@evil.example" not in " ".join(message.to)
        assert "\n" not in message.subject and "\r" not in message.subject
