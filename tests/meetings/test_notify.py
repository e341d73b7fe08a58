"""The meeting emails, through a real SMTP server: who gets them, in which language, and the
.ics they carry (REQUEST naming the recipient, CANCEL, the same UID and a growing SEQUENCE)."""
from __future__ import annotations

from datetime import UTC, date, datetime, time

from icalendar import Calendar

from cop.auth.models import User
from cop.extensions import db
from cop.meetings import services
from cop.meetings.models import Meeting
from cop.meetings.times import to_utc
from cop.notifications import services as notifications
from tests.meetings.helpers import Meetings
from tests.meetings.test_calendar import cancel, meeting_input, reschedule

UTC = UTC
# Summer time ends on Sunday 27 October 2030 (meetings that have ended invite nobody).
SATURDAY = to_utc(date(2030, 10, 26), time(10))  # 08:00 UTC, summer time
WHEN_IT = "sabato 26 ottobre 2030, 10:00–12:00"


def invite(app, meeting_id, actor_id, *user_ids) -> None:
    with app.app_context():
        services.invite(db.session.get(Meeting, meeting_id), db.session.get(User, actor_id),
                        user_ids=list(user_ids))
        db.session.commit()


def answer(app, meeting_id, user_id, value) -> None:
    with app.app_context():
        services.answer(db.session.get(Meeting, meeting_id), db.session.get(User, user_id), value)
        db.session.commit()


def subject(mail) -> str:
    """The subject as a person reads it (a folded header may come back with a double space)."""
    return " ".join(mail.subject.split())


def calendar_of(mail, method: str):
    parts = [p for p in mail.message.iter_attachments() if p.get_content_type() == "text/calendar"]
    assert len(parts) == 1, [p.get_content_type() for p in mail.message.iter_attachments()]
    [part] = parts
    assert part.get_param("method") == method and part.get_content_charset() == "utf-8"
    parsed = Calendar.from_ical(part.get_content())
    assert str(parsed["method"]) == method
    [event] = parsed.walk("VEVENT")
    return event


def test_an_invitation_is_a_request_naming_its_recipient_in_their_language(app, world, smtp,
                                                                           factory):
    english = factory.user(name="English Speaker", locale="en")
    mid = Meetings(app).make(world.reserved.slug, world.coordinator.id, starts=SATURDAY)
    assert smtp.messages == []
    invite(app, mid, world.coordinator.id, world.outsider.id, world.member.id, english.id,
           world.coordinator.id)
    assert smtp.to(world.coordinator.email) == []  # who invites is not told
    [mail] = smtp.to(world.outsider.email)
    assert subject(mail) == "Invito: Tavolo di coordinamento, sabato 26 ottobre 2030, 10:00"
    assert f"Quando: {WHEN_IT}" in mail.body and "Dove: Sala riunioni" in mail.body
    assert "Coordinatrice Alleanza ti invita all'incontro «Tavolo di coordinamento» dello " \
           "spazio «Alleanza Bergamo 1»" in mail.body
    assert smtp.links(mail)[:1] == [f"http://localhost/incontri/{mid}"]
    assert "/notifiche/disiscriviti/" in smtp.links(mail)[1]  # members may stop these emails
    event = calendar_of(mail, "REQUEST")
    assert str(event["uid"]) == f"meeting-{mid}@cop" and event["sequence"] == 0
    assert event.decoded("dtstart") == datetime(2030, 10, 26, 8, tzinfo=UTC)
    assert str(event["attendee"]) == f"mailto:{world.outsider.email}"
    assert event["attendee"].params["CN"] == "Persona Esterna"
    assert event["attendee"].params["PARTSTAT"] == "NEEDS-ACTION"
    assert str(event["organizer"]).startswith("mailto:noreply@")
    assert str(event["status"]) == "CONFIRMED"

    [member_mail] = smtp.to(world.member.email)
    assert str(calendar_of(member_mail, "REQUEST")["attendee"]) == f"mailto:{world.member.email}"
    [english_mail] = smtp.to(english.email)
    assert "Saturday 26 October 2030, 10:00–12:00" in english_mail.body
    assert len(smtp.messages) == 3

    smtp.messages.clear()
    invite(app, mid, world.coordinator.id, world.outsider.id)  # already invited: no new email
    assert smtp.messages == []


def test_people_who_turned_emails_off_are_not_invited_by_email(app, world, smtp):
    with app.app_context():
        notifications.set_email_frequency(db.session.get(User, world.outsider.id), "never")
        db.session.commit()
    mid = Meetings(app).make(world.reserved.slug, world.coordinator.id, starts=SATURDAY)
    invite(app, mid, world.coordinator.id, world.outsider.id, world.member.id)
    assert smtp.to(world.outsider.email) == []
    assert len(smtp.to(world.member.email)) == 1


def test_a_change_of_time_sends_everybody_invited_the_new_event(app, world, smtp, factory):
    mid = Meetings(app).make(world.reserved.slug, world.coordinator.id, starts=SATURDAY)
    gone = factory.user(name="Persona Disattivata")
    invite(app, mid, world.coordinator.id, world.outsider.id, world.member.id, gone.id,
           world.coordinator.id)
    answer(app, mid, world.member.id, "si")
    answer(app, mid, world.outsider.id, "forse")
    with app.app_context():
        db.session.get(User, gone.id).active = False
        db.session.commit()
    smtp.messages.clear()

    with app.app_context():  # only the description: calendars need not hear of it
        meeting = db.session.get(Meeting, mid)
        services.update_meeting(meeting, db.session.get(User, world.coordinator.id),
                                meeting_input(meeting, description="Nuova descrizione"))
        db.session.commit()
    assert smtp.messages == []

    sunday = to_utc(date(2030, 10, 27), time(10))  # 09:00 UTC: summer time is over
    reschedule(app, mid, world.coordinator.id, sunday)
    assert sorted(m.to[0] for m in smtp.messages) == sorted([world.outsider.email,
                                                             world.member.email])
    [mail] = smtp.to(world.member.email)
    assert subject(mail) == "Incontro modificato: Tavolo di coordinamento, " \
                            "domenica 27 ottobre 2030, 10:00"
    assert "Quando: domenica 27 ottobre 2030, 10:00–12:00" in mail.body
    event = calendar_of(mail, "REQUEST")
    assert str(event["uid"]) == f"meeting-{mid}@cop" and event["sequence"] == 1
    assert event.decoded("dtstart") == datetime(2030, 10, 27, 9, tzinfo=UTC)
    assert event["attendee"].params["PARTSTAT"] == "ACCEPTED"
    [outsider_mail] = smtp.to(world.outsider.email)
    assert calendar_of(outsider_mail, "REQUEST")["attendee"].params["PARTSTAT"] == "TENTATIVE"


def test_a_cancellation_is_a_cancel_with_the_next_sequence(app, world, smtp):
    mid = Meetings(app).make(world.reserved.slug, world.coordinator.id, starts=SATURDAY)
    invite(app, mid, world.coordinator.id, world.outsider.id, world.member.id,
           world.coordinator.id)
    reschedule(app, mid, world.coordinator.id, to_utc(date(2030, 10, 26), time(14)))
    smtp.messages.clear()
    cancel(app, mid, world.coordinator.id, "La sala non è disponibile.")
    assert smtp.to(world.coordinator.email) == []
    [mail] = smtp.to(world.outsider.email)
    assert subject(mail) == "Incontro annullato: Tavolo di coordinamento, " \
                            "sabato 26 ottobre 2030, 14:00"
    assert "previsto per sabato 26 ottobre 2030, 14:00–16:00." in mail.body
    assert "Motivo: La sala non è disponibile." in mail.body
    event = calendar_of(mail, "CANCEL")
    assert str(event["uid"]) == f"meeting-{mid}@cop" and event["sequence"] == 2
    assert str(event["status"]) == "CANCELLED"
    assert str(event["attendee"]) == f"mailto:{world.outsider.email}"
    assert len(smtp.to(world.member.email)) == 1
    smtp.messages.clear()
    cancel(app, mid, world.coordinator.id)  # already cancelled: nothing more
    assert smtp.messages == []


def test_the_minutes_go_to_the_participants_for_review_and_once_approved(app, world, smtp):
    mid = Meetings(app).past(world.reserved.slug, world.coordinator.id)
    invite(app, mid, world.coordinator.id, world.outsider.id, world.member.id,
           world.coordinator.id)
    answer(app, mid, world.member.id, "si")
    answer(app, mid, world.coordinator.id, "si")
    answer(app, mid, world.outsider.id, "no")
    smtp.messages.clear()
    with app.app_context():
        services.send_minutes_for_review(db.session.get(Meeting, mid),
                                         db.session.get(User, world.coordinator.id))
        db.session.commit()
    [mail] = smtp.messages
    assert mail.to == [world.member.email]
    assert mail.subject == "Verbale da rivedere: Tavolo di coordinamento"
    assert "a cui hai partecipato" in mail.body
    assert smtp.links(mail)[:1] == [f"http://localhost/incontri/{mid}"]
    assert "/notifiche/disiscriviti/" in smtp.links(mail)[1]  # members may stop these emails
    assert not list(mail.message.iter_attachments())
    smtp.messages.clear()
    with app.app_context():
        services.approve_minutes(db.session.get(Meeting, mid),
                                 db.session.get(User, world.coordinator.id))
        db.session.commit()
    [mail] = smtp.messages
    assert mail.to == [world.member.email]
    assert mail.subject == "Verbale approvato: Tavolo di coordinamento"


def test_nothing_is_sent_when_the_transaction_rolls_back(app, world, smtp):
    mid = Meetings(app).make(world.reserved.slug, world.coordinator.id, starts=SATURDAY)
    with app.app_context():
        services.invite(db.session.get(Meeting, mid), db.session.get(User, world.coordinator.id),
                        user_ids=[world.member.id])
        db.session.rollback()
    assert smtp.messages == []
