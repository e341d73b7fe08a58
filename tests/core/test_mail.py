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
