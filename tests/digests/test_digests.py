"""Digest emails: due and window, content only of what the recipient may see, retry after a
mail server failure, unsubscribe, preferences, the command, the statements of one digest."""
from __future__ import annotations

import socket
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from cop import mail
from cop.auth.models import User
from cop.database import utcnow
from cop.digests import cli, services
from cop.digests.cli import send_digests
from cop.digests.models import DigestSettings
from cop.extensions import db
from cop.notifications import services as notifications
from tests.digests.helpers import (
    NEVER_SEEN,
    SEEN,
    add_action,
    backdate_thread,
    digests_to,
    rich_world,
    run,
    set_settings,
    settings,
)
from tests.meetings.helpers import Meetings
from tests.notifications.helpers import add_reply, new_thread, text

T0 = datetime(2030, 3, 4, 7, 0, tzinfo=UTC)  # a Monday morning


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # nobody listens once the socket is closed


# --- due and window (hand-built dates) -------------------------------------------------------

def test_window_and_due_rules(app):
    with app.app_context():
        # never sent: one period back; weekly is the default
        assert services.window(None, None, T0) == (T0 - timedelta(days=7), T0)
        assert services.window("daily", None, T0) == (T0 - timedelta(days=1), T0)
        # sent before: from the end of the last window
        last = T0 - timedelta(days=3)
        assert services.window("weekly", last, T0) == (last, T0)
        # a very old window is capped
        assert services.window("weekly", T0 - timedelta(days=200), T0)[0] == \
            T0 - services.MAX_WINDOW
        assert services.is_due(None, None, T0)
        assert services.is_due("weekly", T0 - timedelta(days=7), T0)
        assert not services.is_due("weekly", T0 - timedelta(days=5), T0)
        assert services.is_due("daily", T0 - timedelta(days=1), T0)
        # a cron job a few minutes early does not skip the day
        assert services.is_due("daily", T0 - timedelta(hours=23, minutes=50), T0)
        assert not services.is_due("daily", T0 - timedelta(hours=20), T0)
        assert not services.is_due("never", None, T0)


def test_who_is_due_in_sql_agrees(app, factory):
    default = factory.user(name="Nessuna scelta")
    weekly_recent = factory.user(name="Settimanale recente")
    weekly_old = factory.user(name="Settimanale vecchio")
    daily_old = factory.user(name="Giornaliero di ieri")
    never = factory.user(name="Mai")
    inactive = factory.user(name="Disattivata", active=False)
    set_settings(app, weekly_recent, "weekly", T0 - timedelta(days=2))
    set_settings(app, weekly_old, "weekly", T0 - timedelta(days=7, minutes=5))
    set_settings(app, daily_old, "daily", T0 - timedelta(days=1))
    set_settings(app, never, "never", None)
    with app.app_context():
        due = {d.user_id for d in services.due_people(T0)}
    assert due == {default.id, weekly_old.id, daily_old.id}
    assert inactive.id not in due


# --- content ----------------------------------------------------------------------------------

def test_weekly_digest_tells_what_happened_and_nothing_the_person_may_not_see(
        app, world, factory, smtp):
    w = rich_world(app, world, factory)
    smtp.messages.clear()
    outcome = run(app)
    assert outcome.error is None
    [mail] = digests_to(smtp, world.member)
    body = mail.body
    assert "il riepilogo della settimana" in mail.subject
    for title in SEEN:
        assert title in body, title
    for title in NEVER_SEEN:
        assert title not in body, title
    assert "2 nuove risposte in 1 discussione." in body
    assert f"http://localhost/spazi/{world.reserved.slug}/discussioni/{w.new_thread}" in body
    assert f"http://localhost/pratiche/{w.practice}" in body
    assert f"http://localhost/incontri/{w.meeting}" in body
    assert "Ricevi questo riepilogo ogni settimana" in body
    # The outsider's digest shows their own reserved space but nothing of the member's.
    outsider_mails = digests_to(smtp, world.outsider)
    for m in outsider_mails:
        assert "Nuovo bando per i servizi di conciliazione" not in m.body
        assert "Tavolo della rete di Bergamo" not in m.body
    # the window moved on, for the member and for those with an empty digest alike
    row = settings(app, world.member)
    assert row.frequency == "weekly" and row.covered_until is not None
    assert row.last_sent_at == row.covered_until


def test_running_twice_sends_nothing_new_and_empty_digests_are_not_sent(app, world, factory,
                                                                       smtp):
    rich_world(app, world, factory)
    smtp.messages.clear()
    first = run(app)
    assert first.sent >= 1
    sent = len(smtp.messages)
    second = run(app)
    assert (second.sent, second.empty) == (0, 0)
    assert len(smtp.messages) == sent
    # a week later, with nothing new in the member's spaces: not sent, the window moves on
    later = utcnow() + timedelta(days=7, minutes=1)
    third = run(app, later)
    assert third.sent == 0 and third.empty >= 1
    assert len(digests_to(smtp, world.member)) == 1
    row = settings(app, world.member)
    assert row.covered_until == later and row.last_sent_at < later


def test_daily_and_never(app, world, smtp):
    set_settings(app, world.member, "daily", utcnow() - timedelta(days=1, minutes=1))
    set_settings(app, world.coordinator, "never")
    new_thread(app, world.reserved, world.referent, title="Una novità del giorno")
    smtp.messages.clear()
    run(app)
    [mail] = digests_to(smtp, world.member)
    assert "il riepilogo del giorno" in mail.subject
    assert "Una novità del giorno" in mail.body
    assert "Ricevi questo riepilogo ogni giorno" in mail.body
    assert digests_to(smtp, world.coordinator) == []
    assert settings(app, world.coordinator).covered_until is None


def test_only_the_window_and_bounded_lists_with_more(app, world, smtp):
    set_settings(app, world.member, "daily", utcnow() - timedelta(days=1, minutes=1))
    old, _ = new_thread(app, world.reserved, world.coordinator, title="Discussione di ieri l'altro")
    backdate_thread(app, old, utcnow() - timedelta(days=2))
    for n in range(12):
        new_thread(app, world.reserved, world.coordinator, title=f"Discussione numero {n:02d}")
    smtp.messages.clear()
    run(app)
    [mail] = digests_to(smtp, world.member)
    assert "Discussione di ieri l'altro" not in mail.body
    assert "NUOVE DISCUSSIONI (12)" in mail.body
    assert mail.body.count("Discussione numero") == 10
    assert "... e altre 2." in mail.body
    assert "Discussione numero 11" in mail.body and "Discussione numero 00" not in mail.body


def test_records_of_the_regional_library_too_but_not_other_spaces_own(app, world, smtp):
    from tests.practices.helpers import Practices

    practices = Practices(app)
    practices.make(world.regional.slug, world.coordinator.id, validator_id=world.admin.id,
                   visibility="registrati", title="Pratica aperta a tutta la regione")
    practices.make(world.regional.slug, world.coordinator.id, validator_id=world.admin.id,
                   visibility="spazio", title="Pratica dello spazio Smart working")
    practices.make(world.reserved.slug, world.coordinator.id, validator_id=world.admin.id,
                   visibility="spazio", title="Pratica della mia Alleanza")
    smtp.messages.clear()
    run(app)
    [mail] = digests_to(smtp, world.member)
    assert "Pratica dello spazio Smart working" not in mail.body  # readable, not theirs
    assert mail.body.index("Pratica della mia Alleanza") < \
        mail.body.index("Pratica aperta a tutta la regione")  # their spaces first
    [outsider] = digests_to(smtp, world.outsider)
    assert "Pratica aperta a tutta la regione" in outsider.body
    assert "Pratica della mia Alleanza" not in outsider.body


def test_html_part_says_the_same_and_escapes_titles(app, world, smtp):
    thread_id, _ = new_thread(app, world.reserved, world.coordinator,
                              title="<script>alert(1)</script> Scuola & lavoro")
    smtp.messages.clear()
    run(app)
    [mail] = digests_to(smtp, world.member)
    assert "<script>alert(1)</script> Scuola & lavoro" in mail.body  # plain text stays plain
    html = mail.message.get_body(("html",)).get_content()
    assert '<html lang="it">' in html and "<main" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Scuola &amp; lavoro" in html
    assert "<script>" not in html
    link = f"http://localhost/spazi/{world.reserved.slug}/discussioni/{thread_id}"
    assert f'href="{link}"' in html
    unsubscribe = mail.message["List-Unsubscribe"].strip("<>")
    assert f'href="{unsubscribe}"' in html


def test_own_writing_is_not_news(app, world, smtp):
    thread_id, _ = new_thread(app, world.reserved, world.member, title="La mia discussione")
    add_reply(app, thread_id, world.member, "Aggiungo io.")
    smtp.messages.clear()
    run(app)
    assert digests_to(smtp, world.member) == []
    assert settings(app, world.member).covered_until is not None


def _read_everything(app, person):
    with app.app_context():
        notifications.mark_read(db.session.get(User, person.id))
        db.session.commit()


def test_open_actions_alone_do_not_make_a_digest(app, world, smtp):
    meeting = Meetings(app).make(world.reserved.slug, world.coordinator.id,
                                 starts=utcnow().replace(microsecond=0) + timedelta(days=60))
    add_action(app, meeting, world.coordinator, world.member, "Un'azione aperta")
    _read_everything(app, world.member)  # the notice of the assignment was read
    smtp.messages.clear()
    run(app)
    assert digests_to(smtp, world.member) == []


def test_what_the_person_was_told_and_did_not_read_comes_first(app, world, smtp):
    Meetings(app).make(world.reserved.slug, world.coordinator.id, title="Tavolo di marzo",
                       starts=utcnow().replace(microsecond=0) + timedelta(days=60),
                       invite_ids=[world.member.id])
    smtp.messages.clear()
    run(app)
    [mail] = digests_to(smtp, world.member)
    assert "PER TE: 1 NOTIFICA NON LETTA" in mail.body
    assert "Coordinatrice Alleanza ti ha invitato all'incontro «Tavolo di marzo»" in mail.body
    html = mail.message.get_body(("html",)).get_content()
    assert "Per te: 1 notifica non letta" in html


def test_what_was_read_is_not_in_the_digest(app, world, smtp):
    Meetings(app).make(world.reserved.slug, world.coordinator.id, title="Tavolo di marzo",
                       starts=utcnow().replace(microsecond=0) + timedelta(days=60),
                       invite_ids=[world.member.id])
    _read_everything(app, world.member)
    thread_id, _ = new_thread(app, world.reserved, world.coordinator, title="Novità di marzo")
    smtp.messages.clear()
    run(app)
    [mail] = digests_to(smtp, world.member)
    assert "Novità di marzo" in mail.body and "NOTIFIC" not in mail.body


def test_digest_in_the_persons_language(app, world, factory, smtp):
    english = factory.user(name="Jane Smith", locale="en")
    factory.member(world.reserved, english)
    Meetings(app).make(world.reserved.slug, world.coordinator.id, title="Incontro in inglese",
                       starts=datetime(2030, 3, 6, 9, 0, tzinfo=UTC))  # a Wednesday
    smtp.messages.clear()
    run(app, T0)
    [mail] = smtp.to(english.email)  # the subject is translated once the catalogue is
    assert "Wednesday 6 March, 10:00" in mail.body
    [italian] = digests_to(smtp, world.member)
    assert "mercoledì 6 marzo, 10:00" in italian.body


# --- a failing mail server --------------------------------------------------------------------

def test_smtp_failure_loses_no_digest(make_app, smtp):
    from tests.factories import Factory

    broken = make_app(MAIL_PORT=_closed_port())
    factory = Factory(broken)
    world = factory.world()
    start = utcnow()
    set_settings(broken, world.member, "daily", start - timedelta(days=1))
    early, _ = new_thread(broken, world.reserved, world.coordinator,
                          title="Scritta prima del guasto")
    backdate_thread(broken, early, start - timedelta(hours=12))
    smtp.messages.clear()

    outcome = run(broken, start + timedelta(hours=1))
    assert outcome.error and outcome.sent == 0
    assert settings(broken, world.member).covered_until == start - timedelta(days=1)
    with broken.app_context():
        result = broken.test_cli_runner().invoke(send_digests)
    assert result.exit_code != 0 and "Server di posta non raggiungibile" in result.output
    assert smtp.messages == []
    assert settings(broken, world.member).covered_until == start - timedelta(days=1)

    working = make_app()
    new_thread(working, world.reserved, world.coordinator, title="Scritta dopo il guasto")
    retry_at = utcnow() + timedelta(days=1, hours=2)
    outcome = run(working, retry_at)
    assert outcome.error is None
    [mail] = digests_to(smtp, world.member)
    assert "Scritta prima del guasto" in mail.body and "Scritta dopo il guasto" in mail.body
    assert settings(working, world.member).covered_until == retry_at


# --- unsubscribe and preferences --------------------------------------------------------------

def test_unsubscribe_link_from_the_email_sets_never(app, world, smtp, new_client):
    new_thread(app, world.reserved, world.coordinator, title="Qualcosa di nuovo")
    smtp.messages.clear()
    run(app)
    [mail] = digests_to(smtp, world.member)
    [link] = [u for u in smtp.links(mail) if "/riepilogo/disiscriviti/" in u]
    assert mail.message["List-Unsubscribe"] == f"<{link}>"
    assert mail.message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "http://localhost/notifiche/preferenze" in mail.body
    path = link.removeprefix("http://localhost")
    anonymous = new_client()
    page = text(anonymous.get(path))  # asks; opening it changes nothing
    assert "Non inviarmi più il riepilogo" in page
    assert settings(app, world.member).frequency == "weekly"
    response = anonymous.post(path, {"List-Unsubscribe": "One-Click"}, csrf=False)
    assert "Non riceverai più il riepilogo" in text(response)
    assert settings(app, world.member).frequency == "never"
    # another week: nothing for the member
    new_thread(app, world.reserved, world.coordinator, title="Ancora novità")
    smtp.messages.clear()
    run(app, utcnow() + timedelta(days=8))
    assert digests_to(smtp, world.member) == []
    # a forged token is not found
    assert anonymous.get(path[:-3] + "xyz").status_code == 404
    assert anonymous.post(path[:-3] + "xyz", csrf=False).status_code == 404


def test_preferences_page_shows_and_changes_the_frequency(app, world, client):
    client.login(world.member.email)
    page = text(client.get("/notifiche/preferenze"))
    assert "Riepilogo delle novità dei tuoi spazi" in page
    assert _checked(page, "weekly") and not _checked(page, "daily")
    response = client.post("/notifiche/preferenze",
                           {"email_frequency": "each", "digest_frequency": "daily"})
    assert response.status_code == 302
    assert settings(app, world.member).frequency == "daily"
    assert _checked(text(client.get("/notifiche/preferenze")), "daily")
    # a value that is not offered: a message on the field, nothing changed, no 500
    response = client.post("/notifiche/preferenze",
                           {"email_frequency": "each", "digest_frequency": "mensile"})
    assert response.status_code == 200
    page = text(response)
    assert 'id="digest_frequency-error"' in page and "Non è una opzione valida" in page
    assert settings(app, world.member).frequency == "daily"
    # the notification form without the digest field leaves the digest choice alone
    client.post("/notifiche/preferenze", {"email_frequency": "never"})
    assert settings(app, world.member).frequency == "daily"


def _checked(page: str, value: str) -> bool:
    import re

    inputs = re.findall(r'<input[^>]*name="digest_frequency"[^>]*>', page)
    return [i for i in inputs if "checked" in i and f'value="{value}"' in i] != []


def test_turning_digests_back_on_starts_afresh(app, world):
    set_settings(app, world.member, "never", T0 - timedelta(days=90))
    with app.app_context():
        services.set_frequency(db.session.get(User, world.member.id), "weekly")
        db.session.commit()
    assert settings(app, world.member).covered_until is None


def test_export_and_account_deletion(app, world):
    set_settings(app, world.member, "daily", T0)
    from cop.account import services as account

    with app.app_context():
        user = db.session.get(User, world.member.id)
        assert account.export_data(user)["digests"]["frequency"] == "daily"
        account.delete_account(user)
        db.session.commit()
        assert db.session.scalar(select(DigestSettings).where(
            DigestSettings.user_id == world.member.id)) is None


# --- the command ------------------------------------------------------------------------------

def test_command_sends_the_due_digests(app, world, smtp):
    new_thread(app, world.reserved, world.coordinator, title="Per il comando")
    smtp.messages.clear()
    runner = app.test_cli_runner()
    result = runner.invoke(args=["cop", "send-digests"])
    assert result.exit_code == 0, result.output
    assert "Riepiloghi inviati: 1" in result.output
    assert "Per il comando" in digests_to(smtp, world.member)[0].body
    again = runner.invoke(args=["cop", "send-digests"])
    assert "Riepiloghi inviati: 0" in again.output


# --- statements -------------------------------------------------------------------------------

def _statements_of_one_digest(app, person, count_queries) -> int:
    with app.app_context():
        [due] = [d for d in services.due_people(utcnow()) if d.user_id == person.id]
        connection = mail.Connection(app.config)
        with count_queries() as statements:
            assert cli.deliver(due, utcnow(), connection) == cli.SENT
        connection.close()
        db.session.rollback()
        return len(statements)


@pytest.mark.parametrize("scale", [1, 6])
def test_one_digest_runs_a_constant_number_of_statements(app, world, factory, smtp,
                                                         count_queries, scale):
    for n in range(scale):
        thread_id, _ = new_thread(app, world.reserved, world.coordinator, title=f"Tema {n}")
        add_reply(app, thread_id, world.coordinator, f"Risposta {n}")
        meeting = Meetings(app).make(world.reserved.slug, world.coordinator.id,
                                     title=f"Incontro {n}",
                                     starts=utcnow().replace(microsecond=0)
                                     + timedelta(days=2 + n))
        add_action(app, meeting, world.coordinator, world.member, f"Azione {n}")
    smtp.messages.clear()
    count = _statements_of_one_digest(app, world.member, count_queries)
    assert count == EXPECTED_STATEMENTS, count
    assert f"Tema {scale - 1}" in digests_to(smtp, world.member)[0].body


# the person, their memberships (cached for the access clauses), the five sections, the unread
# notifications (counted, listed, and their subjects: one statement per kind of subject, here
# the actions), moving the window on
EXPECTED_STATEMENTS = 11
