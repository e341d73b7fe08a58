"""Each app has its own configuration: building one never changes the next one's."""
from __future__ import annotations

from cop import create_app
from cop.config import Defaults


def test_an_app_adjusting_its_settings_leaves_the_defaults_and_other_apps_alone(tmp_path):
    sqlite = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'a.db'}",
                         "SECRET_KEY": "a", "TESTING": True})
    postgresql = create_app({"SQLALCHEMY_DATABASE_URI": "postgresql://nobody@127.0.0.1:1/none",
                             "SECRET_KEY": "b", "TESTING": True})
    assert sqlite.config["SQLALCHEMY_ENGINE_OPTIONS"]["connect_args"] == \
        {"check_same_thread": False}
    # SQLite's option would make psycopg refuse to connect
    assert "check_same_thread" not in \
        postgresql.config["SQLALCHEMY_ENGINE_OPTIONS"].get("connect_args", {})
    assert Defaults.SQLALCHEMY_ENGINE_OPTIONS == {}
