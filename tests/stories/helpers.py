"""Value stories for tests: the form as a browser posts it, and subjects to tell about."""
from __future__ import annotations

from cop.auth.models import User
from cop.discussions import services as discussions
from cop.extensions import db
from cop.spaces.models import Space
from cop.stories import services


def story_form(**overrides) -> dict:
    data = {"cycle": "applicato", "title": "Lo sportello ora apre anche il sabato",
            "body": "Dopo la discussione abbiamo spostato **due ore** al sabato mattina."}
    data.update(overrides)
    return data


def thread(app, space_id: int, author_id: int, title: str = "Sportelli aperti il sabato?") -> int:
    with app.app_context():
        written = discussions.create_thread(
            db.session.get(Space, space_id), db.session.get(User, author_id), title=title,
            kind="domanda", body="Qualcuno ha provato?")
        db.session.commit()
        return written.thread.id


def answer(app, thread_id: int, author_id: int, body: str = "Noi sì, il sabato mattina.") -> None:
    """A reply: the thread is no longer brand new."""
    from cop.discussions.models import Thread

    with app.app_context():
        discussions.reply(db.session.get(Thread, thread_id), db.session.get(User, author_id),
                          body=body)
        db.session.commit()


def story(app, space_id: int, author_id: int, *, cycle: str = "applicato",
          title: str = "Una storia di prova", subject=None) -> int:
    """A story through the service; `subject` is (model, id)."""
    with app.app_context():
        about = db.session.get(*subject) if subject else None
        told = services.tell_story(db.session.get(Space, space_id),
                                   db.session.get(User, author_id),
                                   services.StoryInput(cycle, title, "Il testo della storia."),
                                   about)
        db.session.commit()
        return told.id
