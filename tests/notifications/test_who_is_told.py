"""Who is told what: replies, follows, mutes, mentions, moderation; the bell and the list."""
from __future__ import annotations

import re

from sqlalchemy import select

from cop.auth.models import User
from cop.extensions import db
from cop.notifications.models import Notification
from cop.spaces import services as space_services
from cop.spaces.models import Space
from tests.notifications.helpers import (
    add_reply,
    handle,
    new_thread,
    notifications_of,
    text,
    thread_url,
)

TITLE = "Orari flessibili: come vi organizzate?"


def test_a_reply_tells_the_thread_author_in_the_bell_the_list_and_by_email(
        app, world, smtp, client):
    thread_id, opening = new_thread(app, world.reserved, world.member)
    assert smtp.messages == []  # opening a thread tells nobody who does not follow the space
    post = add_reply(app, thread_id, world.coordinator, "Noi usiamo la **banca delle ore**.")

    [mail] = smtp.to(world.member.email)
    assert mail.subject == f"Coordinatrice Alleanza ha risposto al tuo messaggio in «{TITLE}»"
    assert "Noi usiamo la banca delle ore." in mail.body
    links = smtp.links(mail)
    assert f"http://localhost/discussioni/messaggi/{post}" in links
    [unsubscribe] = [link for link in links if "/notifiche/disiscriviti/" in link]
    assert mail.message["List-Unsubscribe"] == f"<{unsubscribe}>"
    assert mail.message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert smtp.to(world.coordinator.email) == []  # never the person who wrote
    assert notifications_of(app, world.coordinator) == []

    client.login(world.member.email)
    page = text(client.get("/notifiche/"))
    assert "1 notifica non letta." in page
    assert f"Coordinatrice Alleanza ha risposto al tuo messaggio in «{TITLE}»" in page
    assert "Noi usiamo la banca delle ore." in page and world.reserved.name in page
    [notification_id] = [int(n) for n in re.findall(r'href="/notifiche/(\d+)"', page)]
    opened = client.get(f"/notifiche/{notification_id}")
    assert opened.status_code == 302
    assert opened.headers["Location"] == f"/discussioni/messaggi/{post}"
    assert client.get(opened.headers["Location"]).headers["Location"].endswith(f"#post-{post}")
    page = text(client.get("/notifiche/"))
    assert "Nessuna notifica non letta." in page and "Segna come letta" not in page


def test_notifications_are_marked_read_one_by_one_or_all_together(app, world, client, new_client):
    thread_id, _ = new_thread(app, world.reserved, world.member)
    for n in range(3):
        add_reply(app, thread_id, world.coordinator, f"Risposta {n}")
    with app.app_context():
        first, second, third = db.session.scalars(
            select(Notification.id).where(Notification.user_id == world.member.id)
            .order_by(Notification.id)).all()
    client.login(world.member.email)
    assert "3 notifiche non lette." in text(client.get("/notifiche/"))
    assert client.post(f"/notifiche/{first}/letta").status_code == 302
    assert "2 notifiche non lette." in text(client.get("/notifiche/"))

    other = new_client()  # somebody else's notification is not theirs to open or mark
    other.login(world.coordinator.email)
    assert other.get(f"/notifiche/{second}").status_code == 404
    other.post(f"/notifiche/{second}/letta")
    assert "2 notifiche non lette." in text(client.get("/notifiche/"))

    client.post("/notifiche/lette")
    page = text(client.get("/notifiche/"))
    assert "Nessuna notifica non letta." in page
    assert re.findall(r'href="/notifiche/(\d+)"', page) == [str(third), str(second), str(first)]


def test_following_a_space_tells_of_new_threads_and_replies_and_mute_beats_follow(
        app, world, smtp, client):
    regional = world.regional
    client.login(world.outsider.email)
    assert client.post("/notifiche/segui", {"space_id": regional.id, "level": "follow"}) \
        .status_code == 302
    thread_id, opening = new_thread(app, regional, world.coordinator, title="Nidi aziendali")
    [mail] = smtp.to(world.outsider.email)
    assert mail.subject == f"Coordinatrice Alleanza ha aperto la discussione «Nidi aziendali» " \
                           f"in {regional.name}"
    reply = add_reply(app, thread_id, world.member, "Noi abbiamo una convenzione.")
    assert notifications_of(app, world.outsider) == [("new_thread", opening), ("post", reply)]

    # Muting the thread wins over following its space.
    client.post("/notifiche/segui", {"thread_id": thread_id, "level": "mute"})
    add_reply(app, thread_id, world.member, "E anche un nido interno.")
    assert len(notifications_of(app, world.outsider)) == 2
    # The thread's author still follows it.
    assert [kind for kind, _ in notifications_of(app, world.coordinator)] == ["reply", "reply"]

    # Muting the space silences its threads, but a thread followed by choice still speaks.
    client.post("/notifiche/segui", {"space_id": regional.id, "level": "mute"})
    other_id, _ = new_thread(app, regional, world.coordinator, title="Congedi parentali")
    assert len(notifications_of(app, world.outsider)) == 2
    client.post("/notifiche/segui", {"thread_id": other_id, "level": "follow"})
    followed = add_reply(app, other_id, world.member, "Una domanda sui congedi.")
    assert notifications_of(app, world.outsider)[-1] == ("post", followed)

    page = text(client.get("/notifiche/preferenze"))
    assert regional.name in page and "Silenziato" in page and "Nidi aziendali" in page


def test_replying_follows_the_thread_unless_muted_and_none_goes_back_to_the_default(
        app, world, client):
    thread_id, _ = new_thread(app, world.regional, world.coordinator, title="Lavoro agile")
    add_reply(app, thread_id, world.outsider, "Anche noi ci proviamo.")  # now follows it
    later = add_reply(app, thread_id, world.member, "Con quali regole?")
    assert notifications_of(app, world.outsider) == [("post", later)]

    client.login(world.outsider.email)
    client.post("/notifiche/segui", {"thread_id": thread_id, "level": "none"})
    add_reply(app, thread_id, world.member, "Regole scritte?")
    assert len(notifications_of(app, world.outsider)) == 1
    client.post("/notifiche/segui", {"thread_id": thread_id, "level": "mute"})
    add_reply(app, thread_id, world.outsider, "Sì, un regolamento.")  # does not undo the mute
    add_reply(app, thread_id, world.member, "Grazie!")
    assert len(notifications_of(app, world.outsider)) == 1


def test_follow_buttons_accept_only_what_the_person_may_see(app, world, client):
    thread_id, _ = new_thread(app, world.reserved, world.member)
    client.login(world.outsider.email)
    assert client.post("/notifiche/segui", {"thread_id": thread_id, "level": "follow"}) \
        .status_code == 404
    assert client.post("/notifiche/segui", {"space_id": world.reserved.id, "level": "follow"}) \
        .status_code == 404
    assert client.post("/notifiche/segui", {"space_id": world.regional.id, "level": "ogni"}) \
        .status_code == 400
    assert client.post("/notifiche/segui", {"level": "follow"}).status_code == 400
    assert client.post("/notifiche/segui", {"space_id": world.regional.id, "level": "follow"},
                       csrf=False).status_code == 400
    response = client.post("/notifiche/segui", {"space_id": world.regional.id, "level": "follow",
                                                 "next": "//altrove.example/"})
    assert response.headers["Location"] == f"/spazi/{world.regional.slug}/"
    assert notifications_of(app, world.outsider) == []


def test_a_mention_tells_the_person_once_with_the_strongest_kind(app, world, smtp, client):
    thread_id, opening = new_thread(app, world.reserved, world.member)
    member, referent = handle(app, world.member), handle(app, world.referent)
    client.login(world.coordinator.email)
    response = client.post(f"{thread_url(world.reserved, thread_id)}/rispondi", {
        "a": opening, "submit": "Pubblica",
        "body": f"Ciao @{member}, ne parlavo con @{referent} ieri."})
    assert response.status_code == 302
    [(kind, post)] = notifications_of(app, world.member)  # a reply and a mention: one notice
    assert kind == "mention"
    assert notifications_of(app, world.referent) == [("mention", post)]
    [mail] = smtp.to(world.referent.email)
    assert mail.subject == f"Coordinatrice Alleanza ti ha menzionato in «{TITLE}»"
    assert [m.subject for m in smtp.to(world.member.email)] == [
        f"Coordinatrice Alleanza ti ha menzionato in «{TITLE}»"]


def test_a_mention_added_by_an_edit_is_told_and_a_muted_thread_hears_no_mention(
        app, world, client):
    thread_id, opening = new_thread(app, world.regional, world.coordinator, title="Welfare")
    reply = add_reply(app, thread_id, world.member, "Prima versione.")
    outsider = handle(app, world.outsider)
    client.login(world.member.email)
    edit = f"/spazi/{world.regional.slug}/discussioni/messaggi/{reply}/modifica"
    assert client.post(edit, {"body": f"Seconda versione, @{outsider}.", "submit": "Salva"}) \
        .status_code == 302
    assert notifications_of(app, world.outsider) == [("mention", reply)]

    other = client.__class__(app)
    other.login(world.outsider.email)
    other.post("/notifiche/segui", {"thread_id": thread_id, "level": "mute"})
    client.post(f"{thread_url(world.regional, thread_id)}/rispondi",
                {"body": f"Di nuovo @{outsider}.", "submit": "Pubblica"})
    assert len(notifications_of(app, world.outsider)) == 1


def test_moderation_tells_the_author_what_was_done_and_why(app, world, smtp, client):
    thread_id, _ = new_thread(app, world.reserved, world.coordinator)
    post = add_reply(app, thread_id, world.member, "Chiamate Mario al 333 1234567.")
    smtp.messages.clear()
    coordinator = client.__class__(app)
    coordinator.login(world.coordinator.email)
    response = coordinator.post(
        f"/spazi/{world.reserved.slug}/discussioni/messaggi/{post}/modera",
        {"azione": "nascondi", "reason": "Contiene un numero di telefono personale."})
    assert response.status_code == 302
    [mail] = smtp.to(world.member.email)
    assert mail.subject == f"I coordinatori hanno nascosto il tuo messaggio in «{TITLE}»"
    assert "Motivo: Contiene un numero di telefono personale." in mail.body
    assert f"http://localhost/discussioni/messaggi/{post}" in smtp.links(mail)

    client.login(world.member.email)
    page = text(client.get("/notifiche/"))
    assert "I coordinatori hanno nascosto il tuo messaggio" in page
    assert "Motivo: Contiene un numero di telefono personale." in page

    # Pinning is no news for the author; locking is.
    member_thread, _ = new_thread(app, world.reserved, world.member, title="Un tema del membro")
    base = f"/spazi/{world.reserved.slug}/discussioni/{member_thread}/modera"
    coordinator.post(base, {"azione": "fissa", "reason": ""})
    coordinator.post(base, {"azione": "chiudi", "reason": "Discussione conclusa."})
    kinds = [n for n in notifications_of(app, world.member)]
    assert kinds == [("moderation", post), ("moderation", None)]
    page = text(client.get("/notifiche/"))
    assert "I coordinatori hanno chiuso la tua discussione «Un tema del membro»" in page
    assert "Motivo: Discussione conclusa." in page


def test_reserved_threads_reach_nobody_who_cannot_see_them_on_any_channel(
        app, world, factory, smtp, client, new_client):
    """No leak: bell, list page, immediate email and daily summary, for people who left."""
    from cop.notifications.cli import send_notification_summaries

    daily = world.member
    each = factory.user(name="Membro Che Esce")
    factory.member(world.reserved, each)
    thread_id, opening = new_thread(app, world.reserved, world.coordinator, title="Bilancio 2025")
    for person in (daily, each):
        add_reply(app, thread_id, person, "Ci sono anch'io.")  # both follow the thread
        reader = new_client()
        reader.login(person.email)
        reader.post("/notifiche/segui", {"space_id": world.reserved.id, "level": "follow"})
    reader = new_client()
    reader.login(daily.email)
    reader.post("/notifiche/preferenze", {"email_frequency": "daily"})
    add_reply(app, thread_id, world.coordinator, "Il bilancio riservato è pronto.")
    assert len(notifications_of(app, daily)) == 2  # told while they could see it
    smtp.messages.clear()

    with app.app_context():
        space = db.session.get(Space, world.reserved.id)
        for person in (daily, each):
            space_services.leave(space, db.session.get(User, person.id))
        db.session.commit()

    # What they were told before no longer shows: not in the bell, the list or the summary.
    for person in (daily, each):
        browser = new_client()
        browser.login(person.email)
        page = text(browser.get("/notifiche/"))
        assert "Nessuna notifica non letta." in page and "Bilancio 2025" not in page
        assert "bilancio riservato" not in page
    result = app.test_cli_runner().invoke(send_notification_summaries)
    assert result.exit_code == 0 and "Riepiloghi inviati: 0" in result.output
    assert smtp.messages == []

    # New content in the space reaches neither of them, even when they are mentioned; it
    # reaches who may see it.
    referent = new_client()
    referent.login(world.referent.email)
    referent.post("/notifiche/segui", {"space_id": world.reserved.id, "level": "follow"})
    client.login(world.coordinator.email)
    client.post(f"{thread_url(world.reserved, thread_id)}/rispondi", {
        "submit": "Pubblica",
        "body": f"Per @{handle(app, daily)} e @{handle(app, each)}: il verbale segreto."})
    _, other_opening = new_thread(app, world.reserved, world.coordinator,
                                  title="Un altro tema riservato")
    assert len(notifications_of(app, daily)) == 2 and len(notifications_of(app, each)) == 1
    app.test_cli_runner().invoke(send_notification_summaries)
    assert smtp.to(daily.email) == [] and smtp.to(each.email) == []
    assert [kind for kind, _ in notifications_of(app, world.referent)] == ["post", "new_thread"]
    assert len(smtp.to(world.referent.email)) == 2


def test_a_hidden_thread_tells_only_its_author_and_the_managers(app, world, client, factory):
    thread_id, _ = new_thread(app, world.reserved, world.member, title="Da rivedere")
    other = factory.user(name="Altro Membro")
    factory.member(world.reserved, other)
    add_reply(app, thread_id, other, "Interessante.")  # follows it
    coordinator = client.__class__(app)
    coordinator.login(world.coordinator.email)
    coordinator.post(f"/spazi/{world.reserved.slug}/discussioni/{thread_id}/modera",
                     {"azione": "nascondi", "reason": "Va riformulata."})
    before = len(notifications_of(app, other))
    add_reply(app, thread_id, world.coordinator, "Riformuliamo insieme?")
    assert len(notifications_of(app, other)) == before
    assert [kind for kind, _ in notifications_of(app, world.member)] == \
        ["reply", "moderation", "reply"]


FOLLOW_PAGE = ('{% extends "base.html" %}{% block content %}'
               '{% from "notifications/_follow.html" import follow_form %}'
               '{{ follow_form(thread, subscription_level(thread=thread)) }}'
               '{{ follow_form(space, subscription_level(space=space)) }}{% endblock %}')


def test_follow_buttons_show_the_current_level_and_change_it(app, world, client):
    from flask import render_template_string

    from cop.discussions.models import Thread

    def page(thread_id):
        thread = db.session.get(Thread, thread_id)
        return render_template_string(FOLLOW_PAGE, thread=thread, space=thread.space)

    app.add_url_rule("/prova-segui/<int:thread_id>", "follow_probe", page)
    thread_id, _ = new_thread(app, world.reserved, world.member)
    client.login(world.member.email)
    html = text(client.get(f"/prova-segui/{thread_id}"))
    thread_form, space_form = html.split('<form method="post" action="/notifiche/segui"')[1:]
    assert f'name="thread_id" value="{thread_id}"' in thread_form
    assert 'value="follow" aria-pressed="true"' in thread_form  # the author follows
    assert "Segui la discussione: ricevi una notifica per ogni nuova risposta." in thread_form
    assert f'name="space_id" value="{world.reserved.id}"' in space_form
    assert 'value="none" aria-pressed="true"' in space_form
    assert f'name="next" value="/prova-segui/{thread_id}"' in thread_form

    response = client.post("/notifiche/segui", {"thread_id": thread_id, "level": "mute",
                                                "next": f"/prova-segui/{thread_id}"})
    assert response.headers["Location"] == f"/prova-segui/{thread_id}"
    html = text(client.get(f"/prova-segui/{thread_id}"))
    assert 'value="mute" aria-pressed="true"' in html
    assert "Silenziato: non riceverai notifiche." in html
