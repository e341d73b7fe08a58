"""The demo stories and checklists: a dozen stories across the five cycles, linked to threads,
practices and meetings of their own space, seen by the demo sign-ins."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from cop.access.stories import load_story_subject
from cop.demo.services import DEMO_PASSWORD
from cop.demo.stories import STORIES
from cop.extensions import db
from cop.onboarding.models import OnboardingState
from cop.stories.models import Cycle, ValueStory

pytestmark = pytest.mark.demo  # seeded once per session (tests/conftest.py)


def test_demo_stories_and_checklists(app, client, new_client):
    with app.app_context():
        stories = db.session.scalars(select(ValueStory).order_by(ValueStory.id)).all()
        assert len(stories) == len(STORIES) >= 12
        # every story the seeder ties to a thread, practice or meeting found it
        assert sum(1 for s in stories if s.subject_type) == sum(1 for t in STORIES if t.about)
        assert {s.cycle for s in stories} == {c.value for c in Cycle}
        kinds = {s.subject_type for s in stories}
        assert kinds >= {"thread", "practice", "meeting", None}
        for story in stories:
            if story.subject_type:
                subject = load_story_subject(story.subject_type, story.subject_id)
                assert subject is not None and subject.space_id == story.space_id
                assert story.subject_title == subject.title
            assert story.body_html.startswith("<p>")
        veterans = db.session.scalars(select(OnboardingState.user_id)).all()
        assert len(veterans) == 2

    client.login("membro@cop.example", DEMO_PASSWORD)
    home = client.get("/").get_data(as_text=True)
    assert "I tuoi primi passi" in home
    page = client.get("/spazi/alleanza-milano-2/storie/").get_data(as_text=True)
    assert "Il modulo condiviso per le presenze del centro estivo" in page
    assert "Un&#39;ora di confronto che mi ha sbloccato" in page

    lead = new_client()
    lead.login("capofila@cop.example", DEMO_PASSWORD)
    page = lead.get("/spazi/alleanza-bergamo-1/").get_data(as_text=True)
    assert "Abbiamo copiato lo schema dello sportello" in page

    admin = new_client()
    admin.login("admin@cop.example", DEMO_PASSWORD)
    assert "I tuoi primi passi" not in admin.get("/").get_data(as_text=True)
