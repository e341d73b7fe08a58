"""The benchmark's statement counter: off by default, exact when on."""
import pytest
from sqlalchemy import event

from cop.extensions import db
from tests.conftest import Client
from tests.factories import Factory


def test_no_header_unless_asked(client, world):
    client.login(world.member.email)
    assert "X-SQL-Statements" not in client.get("/spazi/").headers


@pytest.mark.commits  # the header counts on the app's own engine, not the test's connection
def test_header_counts_the_statements_of_the_request(make_app):
    app = make_app(SQL_COUNT_HEADER=True)
    world = Factory(app).world()
    client = Client(app)
    client.login(world.member.email)
    seen = []

    def record(*args):
        seen.append(args[2])

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        response = client.get(f"/spazi/{world.reserved.slug}/")
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert response.status_code == 200
    assert int(response.headers["X-SQL-Statements"]) == len(seen) > 3
