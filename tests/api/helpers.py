"""API tokens for tests (made through the service, as the profile form does) and a JSON
client that sends them."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from cop.api import services
from cop.api.models import SCOPES, ApiToken
from cop.auth.models import User
from cop.extensions import db
from cop.meetings.models import Meeting


def make_token(app, user_id: int, scopes=SCOPES, days: int = 30, name: str = "Monitoraggio"):
    with app.app_context():
        _token, secret = services.create_token(db.session.get(User, user_id), name, list(scopes),
                                               date.today() + timedelta(days=days))
        db.session.commit()
        return secret


def stored_token(app, **where) -> ApiToken:
    with app.app_context():
        token = db.session.scalar(select(ApiToken).filter_by(**where))
        db.session.expunge(token)
        return token


def api(app, path: str, secret: str | None = None, **kwargs):
    headers = kwargs.pop("headers", {})
    if secret is not None:
        headers["Authorization"] = f"Bearer {secret}"
    return app.test_client().get(path, headers=headers, **kwargs)


def approve_minutes(app, meeting_id: int) -> None:
    """Mark the minutes approved (what the four-eyes approval ends with; tested in
    tests/meetings): readers of the meeting then read its decisions and actions."""
    with app.app_context():
        meeting = db.session.get(Meeting, meeting_id)
        meeting.minutes_status = "approvato"
        db.session.commit()
