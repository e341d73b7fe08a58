"""cop.figure_store: figures stored in the database, read as stored until refreshed, refreshed
with a write only if it commits (tests/ops/test_two_servers.py shows two servers reading the
same figures)."""
from __future__ import annotations

from cop import figure_store
from cop.extensions import db


class Counter:
    def __init__(self):
        self.calls = 0

    def __call__(self):
        self.calls += 1
        return {"computed": self.calls}


def _stored_compute(counter):
    return lambda now: counter()


def test_stored_figures_are_read_as_stored_until_refreshed(app):
    compute = Counter()
    with app.app_context():
        figure_store.refresh("test.v1:part", _stored_compute(compute))
        db.session.commit()
        first = figure_store.stored("test.v1:part", _stored_compute(compute))
        assert first.data == {"computed": 1}
        assert figure_store.stored("test.v1:part", _stored_compute(compute)) == first
        figure_store.refresh("test.v1:part", _stored_compute(compute))
        db.session.commit()
        later = figure_store.stored("test.v1:part", _stored_compute(compute))
    assert later.data == {"computed": 2} and later.computed_at >= first.computed_at


def test_a_write_refreshes_its_figures_only_if_it_commits(app):
    compute = Counter()
    with app.app_context():
        figure_store.refresh("test.v1:part", _stored_compute(compute))
        db.session.commit()
        figure_store.stored("test.v1:part", _stored_compute(compute))  # a write's transaction
        figure_store.refresh_before_commit(db.session, "test.v1:part", _stored_compute(compute))
        db.session.rollback()  # the write did not happen: the figures stand
        db.session.commit()
        assert figure_store.stored("test.v1:part", _stored_compute(compute)).data == \
            {"computed": 1}
        figure_store.refresh_before_commit(db.session, "test.v1:part", _stored_compute(compute))
        assert compute.calls == 1  # nothing before the commit
        db.session.commit()
        assert figure_store.stored("test.v1:part", _stored_compute(compute)).data == \
            {"computed": 2}


def test_a_refresh_that_fails_leaves_the_write_alone(app, factory, caplog):
    from sqlalchemy import text

    from cop.auth.models import User

    person = factory.user(name="Prima")

    def broken(now):
        db.session.execute(text("SELECT * FROM no_such_table"))

    with app.app_context():
        db.session.get(User, person.id).name = "Dopo"
        figure_store.refresh_before_commit(db.session, "test.v1:part", broken)
        db.session.commit()
        db.session.expire_all()
        assert db.session.get(User, person.id).name == "Dopo"
    assert "figures test.v1:part: not refreshed with the write" in caplog.text
