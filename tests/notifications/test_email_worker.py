"""With NOTIFICATION_EMAIL_WORKER on, a reply only writes that its followers are to be told;
the worker (`flask cop send-notification-emails`) tells them and sends the emails, checking
again what changed meanwhile."""
from __future__ import annotations

import socket

import pytest
from sqlalchemy import select

from cop.auth.models import User
from cop.database import utcnow
from cop.discussions.models import Post
from cop.extensions import db
from cop.notifications import delivery
from cop.notifications.cli import send_notification_emails, send_notification_summaries
from cop.notifications.models import Notification
from cop.spaces import services as spaces
from cop.spaces.models import Space
from tests.notifications.helpers import add_reply, new_thread, tell_followers

TITLE = "Orari flessibili: come vi organizzate?"


@pytest.fixture
def app(make_app):
    return make_app(NOTIFICATION_EMAIL_WORKER=True)


def _queue_of(app) -> list[tuple[int, bool, bool]]:
    """(user id, waiting for the worker, emailed) of every notification."""
    with app.app_context():
        return [(n.user_id, n.email_pending, n.emailed_at is not None)
                for n in db.session.scalars(select(Notification).order_by(Notification.id))]


def _pass(app) -> int:
    with app.app_context():
        return delivery.send_pending().settled


def _fanouts(app) -> int:
    from cop.notifications.models import Fanout

    with app.app_context():
        return len(db.session.scalars(select(Fanout.id)).all())


def test_a_reply_waits_for_the_worker_which_tells_and_emails_once(app, world, smtp, client):
    thread_id, _ = new_thread(app, world.reserved, world.member, title=TITLE)
    post_id = add_reply(app, thread_id, world.coordinator, "Noi con la banca delle ore.")
    assert smtp.to(world.member.email) == []  # the request sent nothing
    assert _queue_of(app) == []  # and told nobody yet: one row waits for the worker
    assert _fanouts(app) == 2  # the new thread's and the reply's
    client.login(world.member.email)
    assert "Nessuna notifica" in client.get("/notifiche/").get_data(as_text=True)

    with app.app_context():
        first = delivery.send_pending()
    assert (first.told, first.settled) == (2, 1)  # told and emailed in one pass
    assert _fanouts(app) == 0
    assert "1 notifica non letta." in client.get("/notifiche/").get_data(as_text=True)
    [mail] = smtp.to(world.member.email)
    assert TITLE in mail.subject
    assert "Noi con la banca delle ore." in mail.body
    assert f"http://localhost/discussioni/messaggi/{post_id}" in smtp.links(mail)
    assert mail.message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert _queue_of(app) == [(world.member.id, False, True)]

    assert _pass(app) == 0  # nothing is sent twice
    assert len(smtp.to(world.member.email)) == 1


def test_the_worker_drops_what_should_no_longer_be_sent(app, world, smtp):
    thread_id, _ = new_thread(app, world.reserved, world.member, title=TITLE)
    deleted = add_reply(app, thread_id, world.coordinator, "Scritto per errore.")
    tell_followers(app)  # told before it was deleted
    with app.app_context():
        post = db.session.get(Post, deleted)
        post.deleted_at = post.created_at
        db.session.commit()
    add_reply(app, thread_id, world.coordinator, "Dopo che ha lasciato lo spazio.")
    tell_followers(app)
    with app.app_context():  # the member leaves the reserved space before the worker runs
        spaces.remove_member(db.session.get(Space, world.reserved.id),
                             db.session.get(User, world.member.id))
        db.session.commit()

    assert _pass(app) == 2
    assert smtp.to(world.member.email) == []
    assert _queue_of(app) == [(world.member.id, False, True)] * 2


def test_a_long_running_worker_sees_who_left_since_its_last_pass(app, world, smtp):
    thread_id, _ = new_thread(app, world.reserved, world.member, title=TITLE)
    with app.app_context():  # one context for both passes, as `--watch` keeps one
        add_reply(app, thread_id, world.coordinator, "Quando era ancora membro.")
        assert delivery.send_pending().settled == 1
        add_reply(app, thread_id, world.coordinator, "Poco prima che lasciasse lo spazio.")
        tell_followers(app)
        with app.app_context():
            spaces.remove_member(db.session.get(Space, world.reserved.id),
                                 db.session.get(User, world.member.id))
            db.session.commit()
        assert delivery.send_pending().settled == 1  # settled, not sent
    [mail] = smtp.to(world.member.email)
    assert "Quando era ancora membro." in mail.body


def test_who_switched_to_the_daily_summary_gets_it_there(app, world, smtp, client):
    thread_id, _ = new_thread(app, world.reserved, world.member, title=TITLE)
    add_reply(app, thread_id, world.coordinator, "Prima del cambio di preferenza.")
    tell_followers(app)
    client.login(world.member.email)
    client.post("/notifiche/preferenze", {"email_frequency": "daily"})

    assert _pass(app) == 1
    assert smtp.to(world.member.email) == []
    assert _queue_of(app) == [(world.member.id, False, False)]  # left for the summary
    result = app.test_cli_runner().invoke(send_notification_summaries)
    assert "Riepiloghi inviati: 1 (1 notifiche)." in result.output, result.output
    [mail] = smtp.to(world.member.email)
    assert "Prima del cambio di preferenza." in mail.body


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # nobody listens once the socket is closed


def test_when_the_mail_server_is_down_the_emails_wait(app, make_app, world, smtp):
    thread_id, _ = new_thread(app, world.reserved, world.member, title=TITLE)
    add_reply(app, thread_id, world.coordinator, "Mentre il server di posta è fermo.")
    tell_followers(app)
    down = make_app(NOTIFICATION_EMAIL_WORKER=True, MAIL_PORT=_closed_port())

    with down.app_context():
        assert delivery.send_pending() == delivery.Pass(0, mail_server_down=True)
    assert _queue_of(app) == [(world.member.id, True, False)]  # still waiting
    down_cli = down.test_cli_runner().invoke(send_notification_emails)
    assert down_cli.exit_code == 1 and "Server di posta non raggiungibile" in down_cli.output

    result = app.test_cli_runner().invoke(send_notification_emails)
    assert result.exit_code == 0, result.output
    assert "Email di notifica inviate o chiuse: 1." in result.output
    [mail] = smtp.to(world.member.email)
    assert "Mentre il server di posta è fermo." in mail.body


def test_the_reply_itself_builds_no_email(app, world, smtp, monkeypatch):
    from cop import mail

    built = []
    real = mail.build_message
    monkeypatch.setattr(mail, "build_message", lambda *a, **k: built.append(a) or real(*a, **k))
    thread_id, _ = new_thread(app, world.reserved, world.member, title=TITLE)
    add_reply(app, thread_id, world.coordinator)
    assert built == []
    assert _pass(app) == 1
    assert len(built) == 1


def test_a_reply_costs_the_same_statements_with_3_or_30_followers(
        app, world, factory, count_queries):
    from cop.notifications import services as notifications
    from cop.notifications.models import Level

    thread_id, _ = new_thread(app, world.regional, world.coordinator, title=TITLE)

    def follow(n):
        for _ in range(n):
            person = factory.user()
            with app.app_context():
                notifications.set_level(db.session.get(User, person.id), Level.FOLLOW.value,
                                        space=db.session.get(Space, world.regional.id))
                db.session.commit()

    def reply_statements() -> int:
        with count_queries() as statements:
            add_reply(app, thread_id, world.coordinator, "Una risposta per tutti.")
        return len(statements)

    follow(3)
    few = reply_statements()
    tell_followers(app)
    follow(27)
    many = reply_statements()
    assert many == few
    tell_followers(app)
    with app.app_context():
        waiting = db.session.scalars(select(Notification.user_id).where(
            Notification.email_pending.is_(True))).all()
    assert len(waiting) == 3 + 30  # the first reply's three, the second's thirty


@pytest.mark.commits
def test_two_workers_at_once_send_each_email_exactly_once(app, world, smtp, factory):
    """Two workers (two servers) on one database: each pass claims its rows first (the new
    post to tell its followers of, then the emails), so nobody is told twice, no email leaves
    twice and none is left behind."""
    import threading

    readers = [factory.user(name=f"Lettrice {i}") for i in range(24)]
    for person in readers:
        factory.member(world.reserved, person)
    thread_id, _ = new_thread(app, world.reserved, world.member, title=TITLE)
    with app.app_context():  # everyone follows the thread: one reply tells 25 people
        from cop.discussions.models import Thread
        from cop.notifications import services

        thread = db.session.get(Thread, thread_id)
        for person in readers:
            services.set_level(db.session.get(User, person.id), "follow", thread=thread)
        db.session.commit()
    add_reply(app, thread_id, world.coordinator, "Una risposta per tutti.")
    with app.app_context():  # who follows the thread, to be told by whichever worker
        from cop.notifications.models import Subscription

        waiting = db.session.scalars(select(Subscription.user_id).where(
            Subscription.thread_id == thread_id, Subscription.user_id != world.coordinator.id,
            Subscription.level == "follow")).all()
    assert len(waiting) == 25

    start = threading.Barrier(2)
    errors = []

    def worker():
        try:
            with app.app_context():
                start.wait(timeout=30)
                while delivery.send_pending(limit=3).worked:
                    pass
        except Exception as error:  # reported below: a thread's exception would be lost
            errors.append(error)

    workers = [threading.Thread(target=worker) for _ in range(2)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(timeout=120)
    assert errors == []
    recipients = sorted(address for m in smtp.messages for address in m.to)
    with app.app_context():
        expected = sorted(db.session.scalars(select(User.email).where(User.id.in_(waiting))))
    assert recipients == expected  # each once
    assert sorted(user_id for user_id, _, _ in _queue_of(app)) == sorted(waiting)  # told once
    assert all(not pending and emailed for _, pending, emailed in _queue_of(app))


def test_a_post_removed_before_the_worker_came_tells_nobody(app, world, smtp):
    thread_id, _ = new_thread(app, world.reserved, world.member, title=TITLE)
    tell_followers(app)
    deleted = add_reply(app, thread_id, world.coordinator, "Scritto per errore.")
    hidden = add_reply(app, thread_id, world.coordinator, "Nascosto dalla coordinatrice.")
    kept = add_reply(app, thread_id, world.coordinator, "Questa resta.")
    with app.app_context():
        db.session.get(Post, deleted).deleted_at = utcnow()
        db.session.get(Post, hidden).hidden = True
        db.session.commit()

    assert _pass(app) == 1
    with app.app_context():
        told = db.session.scalars(select(Notification.post_id)).all()
    assert told == [kept]
    [mail] = smtp.to(world.member.email)
    assert "Questa resta." in mail.body
    assert _fanouts(app) == 0


def test_the_worker_tells_those_who_followed_when_the_post_was_written(
        app, world, factory, smtp):
    """A reply is news to who followed the thread then; someone who starts following between
    the reply and the worker's pass is not told of it (the next reply, they are)."""
    from cop.discussions.models import Thread
    from cop.notifications import services as notifications

    late = factory.user(name="Arrivata Dopo")
    factory.member(world.reserved, late)
    thread_id, _ = new_thread(app, world.reserved, world.member, title=TITLE)
    tell_followers(app)
    add_reply(app, thread_id, world.coordinator, "Prima che la seguisse.")
    with app.app_context():
        notifications.set_level(db.session.get(User, late.id), "follow",
                                thread=db.session.get(Thread, thread_id))
        db.session.commit()
    add_reply(app, thread_id, world.coordinator, "Dopo che la segue.")

    assert _pass(app) == 3  # the member twice, the late follower once
    [mail] = smtp.to(late.email)
    assert "Dopo che la segue." in mail.body
    assert len(smtp.to(world.member.email)) == 2


def test_a_row_whose_post_is_gone_does_not_stop_the_worker(app, world, smtp):
    """The database deletes a post's fan-out row with it; a post removed by hand in SQL with
    its foreign keys off would leave the row behind: the worker drops it and goes on."""
    from sqlalchemy import text

    from cop.notifications.models import Fanout

    thread_id, _ = new_thread(app, world.reserved, world.member, title=TITLE)
    tell_followers(app)
    kept = add_reply(app, thread_id, world.coordinator, "Questa arriva.")
    with app.app_context():
        if db.session.get_bind().dialect.name == "postgresql":
            db.session.execute(text("SET LOCAL session_replication_role = replica"))
        else:  # checked only when the outermost transaction commits: the test's never does
            db.session.execute(text("PRAGMA defer_foreign_keys = ON"))
        db.session.add(Fanout(thread_id=thread_id, post_id=kept + 1000, followers="reply",
                              actor_id=world.coordinator.id, created_at=utcnow()))
        db.session.commit()
    assert _fanouts(app) == 2

    assert _pass(app) == 1
    [mail] = smtp.to(world.member.email)
    assert "Questa arriva." in mail.body
    assert _fanouts(app) == 0
