"""Mail leaves after commit: inline in tests, in a background thread in production."""
from email.message import EmailMessage

from sqlalchemy import text

from cop import mail
from cop.auth import services as auth_services
from cop.extensions import db
from tests.factories import Factory


def test_background_delivery_sends_everything_over_one_connection(make_app, smtp):
    app = make_app(MAIL_ASYNC=True)
    factory = Factory(app)
    organisation = factory.organisation()
    with app.test_request_context():
        from cop.network.models import Organisation
        from cop.auth.models import User

        inviter = db.session.get(User, factory.user(site_role="admin").id)
        org = db.session.get(Organisation, organisation.id)
        for n in range(3):
            auth_services.invite(inviter=inviter, email=f"nuova{n}@esempio.it", name="Nuova",
                                 organisation=org, space=None, space_role="membro", message="")
        db.session.commit()
    mail.wait_for_deliveries()
    assert sorted(m.to[0] for m in smtp.messages) == [
        "nuova0@esempio.it", "nuova1@esempio.it", "nuova2@esempio.it"]


def test_a_rolled_back_transaction_sends_nothing(app, smtp):
    message = EmailMessage()
    message["To"], message["From"], message["Subject"] = "x@esempio.it", "cop@esempio.it", "Prova"
    message.set_content("Prova")
    with app.app_context():
        db.session.execute(text("SELECT 1"))  # a service's transaction is under way
        mail.queue(db.session, message)
        db.session.rollback()
        db.session.execute(text("SELECT 1"))
        mail.queue(db.session, message)
        db.session.commit()
    assert [m.subject for m in smtp.messages] == ["Prova"]  # only the committed one


def test_the_emails_of_a_reply_are_built_after_the_request_in_the_background(make_app, smtp):
    """A reply tells every follower: their emails are rendered by the background delivery
    (mail.queue_job), not while the person who replied waits; links use SERVER_URL."""
    from cop.auth.models import User
    from cop.discussions import services as discussions
    from cop.notifications import services as notifications
    from cop.spaces.models import Space

    app = make_app(MAIL_ASYNC=True, SERVER_URL="https://cop.esempio.it")
    factory = Factory(app)
    space = factory.space(name="Spazio aperto", visibility="regionale")
    author, follower, replier = (factory.user(name=n) for n in ("Autrice", "Seguace", "Replica"))
    with app.test_request_context():
        written = discussions.create_thread(db.session.get(Space, space.id),
                                            db.session.get(User, author.id), title="Orari",
                                            kind="domanda", body="Come fate?")
        notifications.set_level(db.session.get(User, follower.id), "follow",
                                thread=written.thread)
        db.session.commit()
        thread_id = written.thread.id
    mail.wait_for_deliveries()
    smtp.messages.clear()
    with app.test_request_context():
        from cop.discussions.models import Thread

        post = discussions.reply(db.session.get(Thread, thread_id),
                                 db.session.get(User, replier.id), body="Noi così").post
        db.session.commit()
        post_id = post.id
    mail.wait_for_deliveries()
    told = {m.to[0]: m for m in smtp.messages}
    assert set(told) == {author.email, follower.email}
    assert f"https://cop.esempio.it/discussioni/messaggi/{post_id}" in told[follower.email].body
    assert "Noi così" in told[follower.email].body
