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
        from cop.auth.models import User
        from cop.network.models import Organisation

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


def test_without_a_mail_server_every_message_is_written_attachments_and_all(
        make_app, tmp_path):
    """Meeting invitations carry an .ics and digests an HTML part: multipart messages."""
    app = make_app(MAIL_SERVER=None, MAIL_FOLDER=str(tmp_path))
    with app.test_request_context():
        messages = []
        for n in range(5):
            message = EmailMessage()
            message["To"], message["From"] = f"p{n}@esempio.it", "cop@esempio.it"
            message["Subject"] = f"Invito {n}"
            message.set_content(f"Sei invitata all'incontro {n}: http://localhost/incontri/{n}")
            message.add_alternative(f"<p>Incontro {n}</p>", subtype="html")
            message.add_attachment(b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", maintype="text",
                                   subtype="calendar", filename="invito.ics")
            messages.append(message)
        mail.send_all(messages)
    written = sorted(path.read_bytes() for path in tmp_path.glob("*.eml"))
    assert len(written) == 5
    assert all(b"invito.ics" in data for data in written)
