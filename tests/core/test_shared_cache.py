"""cop.shared_cache: figures kept between requests, renewed by the writes that change them once
they commit, and a cache that cannot answer is a miss (tests/ops/test_two_servers.py shows two
servers sharing them through Redis)."""
from __future__ import annotations

from cop import shared_cache
from cop.extensions import db


class Counter:
    def __init__(self):
        self.calls = 0

    def __call__(self):
        self.calls += 1
        return {"computed": self.calls}


def test_kept_until_a_committed_write_renews_them(app):
    compute = Counter()
    with app.app_context():
        assert shared_cache.remember("test.v1", "part", 300, compute) == {"computed": 1}
        assert shared_cache.remember("test.v1", "part", 300, compute) == {"computed": 1}
        assert shared_cache.remember("test.v1", "other", 300, compute) == {"computed": 2}

        shared_cache.forget_after_commit(db.session, "test.v1")
        db.session.rollback()  # the write did not happen: the figures stand
        assert shared_cache.remember("test.v1", "part", 300, compute) == {"computed": 1}

        shared_cache.forget_after_commit(db.session, "test.v1")
        assert shared_cache.remember("test.v1", "part", 300, compute) == {"computed": 1}
        db.session.commit()  # renewed only now, for every part of the family
        assert shared_cache.remember("test.v1", "part", 300, compute) == {"computed": 3}
        assert shared_cache.remember("test.v1", "other", 300, compute) == {"computed": 4}
        assert shared_cache.remember("another.v1", "part", 0, compute) == {"computed": 5}
        assert shared_cache.remember("another.v1", "part", 0, compute) == {"computed": 6}


def test_figures_computed_before_a_change_are_never_read_after_it(app):
    """A server that read the data before another committed a change stores what it computed
    under the old generation, which nobody reads again (a plain delete could lose this race)."""
    calls = []

    def compute_while_a_change_commits():
        calls.append(1)
        if len(calls) == 1:
            shared_cache.forget("test.v1")  # the other server's commit, mid-computation
        return len(calls)

    with app.app_context():
        assert shared_cache.remember("test.v1", "part", 300, compute_while_a_change_commits) == 1
        assert shared_cache.remember("test.v1", "part", 300, compute_while_a_change_commits) == 2
        assert shared_cache.remember("test.v1", "part", 300, compute_while_a_change_commits) == 2


def test_a_refused_value_is_computed_again(app):
    compute = Counter()
    with app.app_context():
        shared_cache.remember("test.v1", "part", 300, compute)
        assert shared_cache.remember("test.v1", "part", 300, compute,
                                     fresh=lambda kept: False) == {"computed": 2}
        assert shared_cache.remember("test.v1", "part", 300, compute) == {"computed": 2}


def test_a_cache_that_cannot_answer_is_a_miss(make_app, caplog):
    app = make_app(CACHE_TYPE="RedisCache", CACHE_REDIS_URL="redis://127.0.0.1:1/0")
    compute = Counter()
    with app.app_context():
        assert shared_cache.remember("test.v1", "part", 300, compute) == {"computed": 1}
        assert shared_cache.remember("test.v1", "part", 300, compute) == {"computed": 2}
        shared_cache.forget("test.v1")
    assert "shared cache: could not read test.v1 part" in caplog.text


def test_the_cache_is_shared_as_soon_as_redis_is_named(make_app):
    from cop.extensions import cache

    app = make_app(CACHE_TYPE=None, CACHE_REDIS_URL="redis://127.0.0.1:6379/5")
    assert app.config["CACHE_TYPE"] == "RedisCache"
    assert app.config["CACHE_OPTIONS"] == {"socket_timeout": 1, "socket_connect_timeout": 1}
    with app.app_context():
        client = cache.cache._write_client
        assert client.connection_pool.connection_kwargs["db"] == 5  # the URL's database
    assert make_app().config["CACHE_TYPE"] == "SimpleCache"
