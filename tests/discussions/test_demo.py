"""The demo content gives every demo person discussions to read, with consistent counters."""

import pytest
from sqlalchemy import func, select

from cop.demo.services import DEMO_PASSWORD
from cop.discussions.models import Post, Thread
from cop.extensions import db

pytestmark = pytest.mark.demo  # seeded once per session (tests/conftest.py)


def test_demo_discussions_are_there_and_consistent(app, client):
    with app.app_context():
        threads = db.session.scalars(select(Thread)).all()
        assert len(threads) >= 5
        for thread in threads:
            posts = db.session.scalar(select(func.count()).select_from(Post).where(
                Post.thread_id == thread.id))
            assert thread.post_count == posts and thread.reply_count == posts - 1
            latest = db.session.scalar(select(func.max(Post.created_at)).where(
                Post.thread_id == thread.id))
            assert thread.last_activity_at == latest
        assert any(t.answer_post_id for t in threads)
    client.login("capofila@cop.example", DEMO_PASSWORD)
    page = client.get("/discussioni").get_data(as_text=True)
    assert "Pre e post scuola: come coprite i pomeriggi del venerdì?" in page


def test_demo_mentions_leave_notifications_for_the_demo_referent(app, client):
    client.login("referente.bergamo@cop.example", DEMO_PASSWORD)
    page = client.get("/notifiche/").get_data(as_text=True)
    assert "ti ha menzionato in «Sportello caregiver: quali orari funzionano davvero?»" in page
