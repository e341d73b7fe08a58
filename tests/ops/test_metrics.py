"""/metrics: hidden (404) unless the bearer of METRICS_TOKEN asks, or with METRICS_ALLOW_LOOPBACK
the machine itself; request durations by endpoint, SQL statements per request, the email
queue and the scheduled commands' last runs read from the database; several processes added
up in prometheus_client's multiprocess mode. Runs are recorded in `job_runs`."""
from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import click
import pytest
from flask.cli import with_appcontext
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import select

from cop.database import utcnow
from cop.extensions import db
from cop.notifications.models import Notification
from cop.ops import services
from cop.ops.models import EMAIL_WORKER, JobRun

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "metrics-token-for-the-tests"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
DURATION = "cop_http_request_duration_seconds"
STATEMENTS = "cop_http_request_sql_statements"


def _samples(text: str) -> dict:
    """{(sample name, ((label, value), ...)): value} of an exposition."""
    return {(sample.name, tuple(sorted(sample.labels.items()))): sample.value
            for family in text_string_to_metric_families(text) for sample in family.samples}


def _value(samples: dict, name: str, **labels) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def _scrape(client) -> dict:
    response = client.get("/metrics", headers=AUTH)
    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    return _samples(response.get_data(as_text=True))


@pytest.fixture
def metrics_app(make_app):
    return make_app(METRICS_TOKEN=TOKEN)


def test_metrics_do_not_exist_without_configuration(client):
    for headers in ({}, AUTH, {"Authorization": "Bearer "}):
        response = client.get("/metrics", headers=headers)
        assert response.status_code == 404
        assert "Pagina non trovata" in response.get_data(as_text=True)  # as any unknown page


@pytest.mark.parametrize("authorization", [
    None, "Bearer wrong-token", f"Bearer {TOKEN}x", f"Basic {TOKEN}", TOKEN, "Bearer"])
def test_a_wrong_or_missing_token_is_404(metrics_app, authorization):
    headers = {"Authorization": authorization} if authorization else {}
    assert metrics_app.test_client().get("/metrics", headers=headers).status_code == 404


def test_loopback_only_when_allowed_and_not_through_a_proxy(make_app):
    app = make_app(METRICS_ALLOW_LOOPBACK=True)
    local = {"REMOTE_ADDR": "127.0.0.1"}
    client = app.test_client()
    assert client.get("/metrics", environ_base=local).status_code == 200
    assert client.get("/metrics", environ_base={"REMOTE_ADDR": "::1"}).status_code == 200
    assert client.get("/metrics", environ_base={"REMOTE_ADDR": "192.0.2.7"}).status_code == 404
    # nginx on the same machine without ProxyFix: every request would come from loopback
    through_nginx = client.get("/metrics", environ_base=local,
                               headers={"X-Forwarded-For": "192.0.2.7"})
    assert through_nginx.status_code == 404
    # with ProxyFix (PROXY_FIX_HOPS) the address is the one nginx saw
    proxied = make_app(METRICS_ALLOW_LOOPBACK=True, PROXY_FIX_HOPS=1).test_client()
    assert proxied.get("/metrics", environ_base=local,
                       headers={"X-Forwarded-For": "192.0.2.7"}).status_code == 404
    assert proxied.get("/metrics", environ_base=local).status_code == 200
    assert make_app().test_client().get("/metrics", environ_base=local).status_code == 404


def test_requests_are_measured_by_endpoint_never_by_address(metrics_app):
    client = metrics_app.test_client()
    before = _scrape(client)
    assert client.get("/").status_code == 200
    assert client.get("/health/live?token=abc").status_code == 200
    assert client.get("/no/such/page/4711").status_code == 404
    assert client.open("/health/live", method="BREW").status_code == 405
    after = _scrape(client)

    def count(**labels):
        return (_value(after, f"{DURATION}_count", **labels)
                - _value(before, f"{DURATION}_count", **labels))

    assert count(endpoint="main.home", method="GET", status="2xx") == 1
    assert count(endpoint="health.live", method="GET", status="2xx") == 1
    assert count(endpoint="404", method="GET", status="4xx") == 1  # no route: its status
    assert count(endpoint="405", method="other", status="4xx") == 1  # odd methods: one label
    assert _value(after, f"{DURATION}_bucket", endpoint="main.home", method="GET", status="2xx",
                  le="+Inf") >= 1
    labels = {dict(key[1]).get("endpoint") for key in after if key[0].startswith(DURATION)}
    assert not [label for label in labels if label and "/" in label]  # no address is a label


@pytest.mark.commits  # the statements are counted on the app's engine, not the test's connection
def test_sql_statements_per_request(metrics_app):
    client = metrics_app.test_client()
    before = _scrape(client)
    assert client.get("/health/ready").status_code == 200  # SELECT 1, the schema, the queue...
    assert client.get("/health/live").status_code == 200  # nothing
    after = _scrape(client)

    def grew(name, endpoint):
        return (_value(after, f"{STATEMENTS}_{name}", endpoint=endpoint)
                - _value(before, f"{STATEMENTS}_{name}", endpoint=endpoint))

    assert grew("count", "health.ready") == 1
    assert grew("sum", "health.ready") >= 3
    assert grew("count", "health.live") == 1
    assert grew("sum", "health.live") == 0


def test_the_email_queue_as_the_database_has_it(metrics_app, world):
    client = metrics_app.test_client()
    assert _value(_scrape(client), "cop_email_queue_depth") == 0
    assert _value(_scrape(client), "cop_email_queue_oldest_age_seconds") == 0
    with metrics_app.app_context():
        for minutes, pending in ((3, True), (45, True), (3 * 24 * 60, False)):
            db.session.add(Notification(
                user_id=world.member.id, kind="reply", subject_type="thread",
                subject_id=1, email_pending=pending,
                created_at=utcnow() - timedelta(minutes=minutes)))
        db.session.commit()
    samples = _scrape(client)
    assert _value(samples, "cop_email_queue_depth") == 2
    assert 45 * 60 <= _value(samples, "cop_email_queue_oldest_age_seconds") < 46 * 60


def test_a_scheduled_command_records_its_success(metrics_app):
    started = utcnow().timestamp()
    result = metrics_app.test_cli_runner().invoke(args=["cop", "clean-uploads"])
    assert result.exit_code == 0, result.output
    client = metrics_app.test_client()
    samples = _scrape(client)
    last = _value(samples, "cop_job_last_success_timestamp_seconds", job="clean-uploads")
    assert started - 1 <= last <= utcnow().timestamp()
    assert ("cop_job_last_failure_timestamp_seconds", (("job", "clean-uploads"),)) not in samples
    ready = client.get("/health/ready").get_json()["checks"]["jobs_last_success"]
    assert ready["ok"] is True
    assert datetime.fromisoformat(ready["detail"]["clean-uploads"]).timestamp() == pytest.approx(
        last)


def test_a_failing_command_records_its_failure_and_keeps_the_last_success(metrics_app):
    fail = True

    @click.command("flaky")
    @with_appcontext
    @services.scheduled("flaky-job")
    def flaky():
        if fail:
            raise click.ClickException("Server di posta non raggiungibile")

    runner = metrics_app.test_cli_runner()
    assert runner.invoke(flaky).exit_code == 1
    fail = False
    assert runner.invoke(flaky).exit_code == 0
    fail = True
    assert runner.invoke(flaky).exit_code == 1
    with metrics_app.app_context():
        run = db.session.get(JobRun, "flaky-job")
        assert run.last_error == "ClickException: Server di posta non raggiungibile"
        assert run.last_success_at < run.last_failure_at == run.updated_at
    samples = _scrape(metrics_app.test_client())
    assert _value(samples, "cop_job_last_failure_timestamp_seconds", job="flaky-job") > 0
    assert _value(samples, "cop_job_last_success_timestamp_seconds", job="flaky-job") > 0


def test_send_notification_emails_is_recorded_but_not_in_watch_mode(metrics_app, monkeypatch):
    from cop.notifications import delivery

    runner = metrics_app.test_cli_runner()
    assert runner.invoke(args=["cop", "send-notification-emails"]).exit_code == 0
    with metrics_app.app_context():
        assert db.session.get(JobRun, "send-notification-emails").last_success_at is not None

    monkeypatch.setattr(delivery, "watch", lambda poll: 0)  # --watch returns at once here
    monkeypatch.setattr("cop.notifications.cli.signal.signal", lambda *args: None)
    with metrics_app.app_context():
        db.session.execute(JobRun.__table__.delete())
        db.session.commit()
    assert runner.invoke(args=["cop", "send-notification-emails", "--watch"]).exit_code == 0
    with metrics_app.app_context():
        assert db.session.scalars(select(JobRun.name)).all() == []


def test_the_worker_records_each_pass(metrics_app):
    from cop.notifications import delivery

    with metrics_app.app_context():
        delivery.watch(0, passes=2)
        worker = db.session.get(JobRun, EMAIL_WORKER)
        assert worker.last_success_at == worker.updated_at
    samples = _scrape(metrics_app.test_client())
    assert _value(samples, "cop_email_worker_last_pass_timestamp_seconds") == pytest.approx(
        worker.updated_at.timestamp())


def test_recording_leaves_the_callers_session_alone(metrics_app):
    with metrics_app.app_context():
        db.session.add(JobRun(name="not-for-the-record"))
        services.record_success("recorded")
        assert [run.name for run in db.session.new] == ["not-for-the-record"]  # not flushed
        db.session.rollback()
        assert db.session.scalars(select(JobRun.name)).all() == ["recorded"]


_WORKER = """
import sys
from cop import create_app
from cop.extensions import db

database, requests, scrape = sys.argv[1], int(sys.argv[2]), sys.argv[3] == "scrape"
app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": database,
                  "METRICS_TOKEN": "t", "RATELIMIT_STORAGE_URI": "memory://"})
with app.app_context():
    db.create_all()
client = app.test_client()
for _ in range(requests):
    assert client.get("/health/live").status_code == 200
if scrape:
    response = client.get("/metrics", headers={"Authorization": "Bearer t"})
    assert response.status_code == 200
    sys.stdout.write(response.get_data(as_text=True))
"""


def test_multiprocess_mode_adds_up_the_workers(tmp_path):
    """prometheus_client reads PROMETHEUS_MULTIPROC_DIR when first imported, so each "gunicorn
    worker" is a process of its own: the first answers two requests and ends, the second one
    request and a scrape, which counts all three."""
    shared = tmp_path / "prometheus"
    shared.mkdir()
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(shared)}
    database = f"sqlite:///{tmp_path}/multiprocess.db"

    def worker(requests: int, then: str) -> str:
        done = subprocess.run([sys.executable, "-c", _WORKER, database, str(requests), then],
                              cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        return done.stdout

    worker(2, "exit")
    assert list(shared.glob("histogram_*.db"))  # measures are written to the shared folder
    samples = _samples(worker(1, "scrape"))
    assert _value(samples, f"{DURATION}_count", endpoint="health.live", method="GET",
                  status="2xx") == 3
    assert _value(samples, "cop_email_queue_depth") == 0  # from the scraping process only
    assert [key for key in samples if key[0] == "cop_email_queue_depth"] == [
        ("cop_email_queue_depth", ())]
