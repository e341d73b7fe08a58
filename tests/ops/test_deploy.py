"""deploy/: what the Region's IT staff install (README, "Installing for the Region").

- gunicorn starts with deploy/gunicorn.conf.py against a SQLite database of its own, answers
  /health/live and /health/ready, trusts the local proxy's X-Forwarded-Proto, and stops
  cleanly; the config's defaults and its prometheus-client hooks.
- deploy/cop.env.example names real settings and gives them production's values and types;
  deploy/cop-flask runs a command as the units do.
- the systemd units pass `systemd-analyze verify` (with the virtualenv's programs pointed at
  stand-ins, since /opt/cop does not exist here; a misspelt key still fails), every timer
  starts a unit that exists and a `flask cop` command that exists.
- the nginx site passes `nginx -t` with a throwaway certificate, and in front of gunicorn it
  redirects to https, serves /static/ with a year's cache for versioned URLs, keeps /metrics
  and /health/ to this machine, and refuses bodies over the app's limit. Skipped, saying so,
  where nginx is not installed (.ci/run installs it).
- static URLs carry a version of the file's content (cop/static_versions.py), which is what
  lets nginx cache /static/ for a year.

No test here touches the shared test database or its fixtures: the server gets a SQLite file
of its own, the other apps an empty database in memory.
"""
from __future__ import annotations

import http.client
import json
import os
import re
import runpy
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from types import SimpleNamespace

import pytest
from flask import Flask, request, url_for

from cop import create_app
from cop.cli import cop_cli
from cop.config import Defaults
from cop.static_versions import file_version

try:  # now, while PROMETHEUS_MULTIPROC_DIR is unset: prometheus-client reads it once, at its
    import prometheus_client  # noqa: F401  first import, and the tests below set it
except ImportError:
    pass

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
UNITS = DEPLOY / "systemd"
GUNICORN_CONF = DEPLOY / "gunicorn.conf.py"
VENV_BIN = "/opt/cop/.venv/bin/"
BIN = Path(sys.executable).parent
STARTUP_SECONDS = 90  # two cores shared by the suite: importing the app takes a while there
_UNVERIFIED = ssl._create_unverified_context()  # nginx's throwaway certificate


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _clean_environment(**settings: str) -> dict[str, str]:
    """This process's environment without any cop, gunicorn or metrics setting, plus ours."""
    env = {name: value for name, value in os.environ.items()
           if not name.startswith(("COP_", "GUNICORN_", "PROMETHEUS_", "FLASK_"))}
    env.update(settings)
    return env


def _load_config(monkeypatch, **environment: str) -> dict:
    for name in [n for n in os.environ if n.startswith(("GUNICORN_", "PROMETHEUS_"))]:
        monkeypatch.delenv(name)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(GUNICORN_CONF))


# --- gunicorn -----------------------------------------------------------------------------

def test_gunicorn_config_defaults(monkeypatch):
    config = _load_config(monkeypatch)
    assert config["bind"] == ["127.0.0.1:8000"]
    assert 1 <= config["workers"] <= config["MAX_DEFAULT_WORKERS"]
    assert config["accesslog"] is None
    assert set(config["forwarded_allow_ips"].split(",")) == {"127.0.0.1", "::1"}
    assert config["timeout"] > 0 and config["graceful_timeout"] > 0
    # Without the metrics directory, no hook at all.
    assert "child_exit" not in config and "on_starting" not in config

    config = _load_config(monkeypatch, GUNICORN_BIND="127.0.0.1:9000, [::1]:9000",
                          GUNICORN_WORKERS="3", GUNICORN_TIMEOUT="20")
    assert config["bind"] == ["127.0.0.1:9000", "[::1]:9000"]
    assert (config["workers"], config["timeout"]) == (3, 20)


def test_metrics_hooks_empty_the_directory_and_mark_dead_workers(monkeypatch, tmp_path):
    metrics = tmp_path / "metrics"
    config = _load_config(monkeypatch, PROMETHEUS_MULTIPROC_DIR=str(metrics))

    config["on_starting"](None)  # creates the directory when missing
    assert metrics.is_dir()
    (metrics / "counter_111.db").write_bytes(b"left by an earlier run")
    config["on_starting"](None)
    assert list(metrics.iterdir()) == []

    pytest.importorskip("prometheus_client")
    dead, alive = metrics / "gauge_livesum_4242.db", metrics / "gauge_livesum_4343.db"
    dead.write_bytes(b"")
    alive.write_bytes(b"")
    config["child_exit"](None, SimpleNamespace(pid=4242))
    assert not dead.exists() and alive.exists()


def test_metrics_hook_loads_and_runs_without_prometheus_client(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "prometheus_client", None)  # import fails, as if missing
    config = _load_config(monkeypatch, PROMETHEUS_MULTIPROC_DIR=str(tmp_path))
    config["child_exit"](None, SimpleNamespace(pid=4242))  # nothing to do, nothing raised


def _get(url: str, headers: dict | None = None):
    outgoing = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(outgoing, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def _wait_until_answering(process: subprocess.Popen, url: str, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while True:
        if process.poll() is not None:
            pytest.fail(f"{Path(process.args[0]).name} stopped with status "
                        f"{process.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(url, timeout=2, context=_UNVERIFIED):
                return
        except urllib.error.HTTPError:
            return  # it answers
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        if time.monotonic() > deadline:
            pytest.fail(f"nothing answered {url} within {STARTUP_SECONDS} s:\n{log.read_text()}")
        time.sleep(0.1)  # the next look at the port


def _logged(log: Path, text: str, seconds: float = 10) -> None:
    """nginx writes a request's access line after it has answered: look until it is there."""
    deadline = time.monotonic() + seconds
    while text not in (log.read_text() if log.exists() else ""):
        if time.monotonic() > deadline:
            pytest.fail(f"{text!r} not in {log.name} within {seconds} s")
        time.sleep(0.05)  # the next look at the log


@contextmanager
def _gunicorn(directory: Path):
    """gunicorn with deploy/gunicorn.conf.py on a free loopback port, on a SQLite database of
    its own (migrated here), with the settings of deploy/cop.env.example that matter here;
    stopped with SIGTERM at the end, which must end it cleanly."""
    gunicorn = BIN / "gunicorn"
    assert gunicorn.exists(), "gunicorn missing: pip install -e '.[dev,deploy]' (make install)"
    metrics = directory / "metrics"
    metrics.mkdir()
    (metrics / "counter_1.db").write_bytes(b"left by an earlier run")
    port = _free_port()
    env = _clean_environment(
        COP_DATABASE_URL=f"sqlite:///{directory / 'cop.db'}",
        COP_SECRET_KEY="deploy-test-secret",
        COP_UPLOAD_FOLDER=str(directory / "uploads"),
        COP_MAIL_FOLDER=str(directory / "mail"),
        COP_PROXY_FIX_HOPS="1",
        GUNICORN_BIND=f"127.0.0.1:{port}",
        GUNICORN_WORKERS="1",
        PROMETHEUS_MULTIPROC_DIR=str(metrics),
    )
    subprocess.run([str(BIN / "flask"), "--app", "cop", "db", "upgrade"], cwd=ROOT, env=env,
                   check=True, capture_output=True, text=True, timeout=300)
    log = directory / "gunicorn.log"
    with open(log, "w") as output:
        process = subprocess.Popen(
            [str(gunicorn), "--config", str(GUNICORN_CONF), "cop:create_app()"],
            cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT)
    server = SimpleNamespace(port=port, base=f"http://127.0.0.1:{port}", metrics=metrics)
    try:
        _wait_until_answering(process, f"{server.base}/health/live", log)
        yield server
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
            pytest.fail("gunicorn did not stop within 60 s of SIGTERM")
    output = log.read_text()
    assert process.returncode == 0, output
    assert "Shutting down: Master" in output
    assert "Traceback" not in output, output


def test_gunicorn_serves_the_app_with_the_deploy_config(tmp_path):
    with _gunicorn(tmp_path) as server:
        assert not (server.metrics / "counter_1.db").exists()  # emptied by on_starting

        status, headers, body = _get(f"{server.base}/health/live")
        assert status == 200
        assert headers["Content-Type"] == "application/json"
        assert json.loads(body) == {"status": "ok"}

        status, _, body = _get(f"{server.base}/health/ready")
        assert status == 200, body
        assert json.loads(body)["checks"]["migrations"]["ok"] is True

        # nginx says the visitor came over https: the app believes it (HSTS), and only then.
        _, headers, _ = _get(f"{server.base}/health/live", {"X-Forwarded-Proto": "https"})
        assert "Strict-Transport-Security" in headers
        _, headers, _ = _get(f"{server.base}/health/live")
        assert "Strict-Transport-Security" not in headers


# --- the environment file -----------------------------------------------------------------

ENV_EXAMPLE = DEPLOY / "cop.env.example"


def _env_file(text: str, commented_too: bool = False) -> dict[str, str]:
    """KEY=value lines as systemd's EnvironmentFile reads them (quotes around a value go)."""
    values = {}
    for line in text.splitlines():
        if commented_too and re.match(r"#[A-Z_]+=", line):
            line = line[1:]
        match = re.fullmatch(r"([A-Z_][A-Z0-9_]*)=(.*)", line)
        if match:
            value = match.group(2)
            if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
                value = value[1:-1]
            values[match.group(1)] = value
    return values


def test_env_example_names_real_settings():
    """Each COP_ name of the example (commented ones too) is a setting the code reads."""
    source = "\n".join(path.read_text() for path in (ROOT / "cop").rglob("*.py"))
    names = _env_file(ENV_EXAMPLE.read_text(), commented_too=True)
    settings = [name.removeprefix("COP_") for name in names if name.startswith("COP_")]
    assert len(settings) >= 15
    unknown = [name for name in settings
               if not hasattr(Defaults, name) and f'"{name}"' not in source]
    assert unknown == []
    gunicorn = GUNICORN_CONF.read_text()
    assert [n for n in names if n.startswith("GUNICORN_") and n not in gunicorn] == []


def test_env_example_gives_production_values(monkeypatch):
    values = _env_file(ENV_EXAMPLE.read_text())
    for name in [n for n in os.environ if n.startswith("COP_")]:
        monkeypatch.delenv(name)
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    config = Flask(__name__).config
    config.from_prefixed_env("COP")  # as create_app reads them
    assert config["DATABASE_URL"].startswith("postgresql://")
    assert config["PROXY_FIX_HOPS"] == 1
    assert config["NOTIFICATION_EMAIL_WORKER"] is True
    assert config["RATELIMIT_STORAGE_URI"].startswith("redis://")
    assert config["MAIL_PORT"] == 587 and config["MAIL_USE_TLS"] is True
    assert config["MAIL_DEFAULT_SENDER"].endswith("<noreply@cop.regione.lombardia.it>")
    assert config["SERVER_URL"].startswith("https://")
    assert config["UPLOAD_FOLDER"] == "/var/lib/cop/uploads"
    assert config["BACKUP_FOLDER"] == "/var/backups/cop"
    assert not config["SECRET_KEY"]  # no key anybody could read here: step 5 makes one


def test_cop_flask_runs_the_command_as_the_services_do(tmp_path):
    """deploy/cop-flask hands the command to systemd-run with the units' user, directory and
    environment file (a stand-in systemd-run here writes down what it was given)."""
    (tmp_path / "systemd-run").write_text('#!/bin/sh\nprintf "%s\\n" "$@"\n')
    (tmp_path / "systemd-run").chmod(0o755)
    result = subprocess.run(
        [str(DEPLOY / "cop-flask"), "cop", "create-admin", "--email", "a b@example.it"],
        env={**os.environ, "PATH": f"{tmp_path}:{os.environ['PATH']}"},
        stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr
    arguments = result.stdout.splitlines()
    web = _unit_settings(UNITS / "cop-web.service")
    assert "--pipe" in arguments and "--wait" in arguments  # no terminal: a pipe
    assert f"--uid={web['User'][0]}" in arguments
    assert f"--working-directory={web['WorkingDirectory'][0]}" in arguments
    assert f"--property=EnvironmentFile={web['EnvironmentFile'][0]}" in arguments
    assert arguments[-7:] == [f"{VENV_BIN}flask", "--app", "cop", "cop", "create-admin",
                              "--email", "a b@example.it"]


def test_one_proxy_hop_trusted_as_in_the_env_example():
    """COP_PROXY_FIX_HOPS=1 (werkzeug's ProxyFix, cop/__init__.py): the address and scheme
    nginx saw, never what the visitor wrote before it in X-Forwarded-For."""
    hops = _env_file(ENV_EXAMPLE.read_text())["COP_PROXY_FIX_HOPS"]
    app = _bare_app(PROXY_FIX_HOPS=json.loads(hops))
    app.add_url_rule("/_seen", "seen", lambda: f"{request.remote_addr} {request.scheme}")
    response = app.test_client().get("/_seen", environ_base={"REMOTE_ADDR": "127.0.0.1"},
                                     headers={"X-Forwarded-For": "6.6.6.6, 203.0.113.7",
                                              "X-Forwarded-Proto": "https"})
    assert response.get_data(as_text=True) == "203.0.113.7 https"


# --- systemd ------------------------------------------------------------------------------

def _units() -> list[Path]:
    return sorted([*UNITS.glob("*.service"), *UNITS.glob("*.timer")])


def _unit_settings(path: Path) -> dict[str, list[str]]:
    settings: dict[str, list[str]] = {}
    for line in path.read_text().splitlines():
        if "=" in line and not line.startswith(("#", ";", "[")):
            name, value = line.split("=", 1)
            settings.setdefault(name.strip(), []).append(value.strip())
    return settings


def _verify(units: list[Path]) -> list[str]:
    """`systemd-analyze verify`; the lines it writes about our units (none: all well)."""
    result = subprocess.run(["systemd-analyze", "verify", *map(str, units)],
                            capture_output=True, text=True, timeout=120)
    names = {unit.name for unit in units} | {"cop-task@i.service"}  # the template's instance
    lines = [line for line in (result.stdout + result.stderr).splitlines()
             if any(name in line for name in names)]
    if result.returncode != 0 and not lines:
        lines = [f"exit status {result.returncode}", result.stderr]
    return lines


def _copies_with_programs_here(directory: Path) -> list[Path]:
    """The units, with /opt/cop/.venv/bin/ pointing at stand-ins in `directory`: verify checks
    that each ExecStart program exists, and /opt/cop exists only on the Region's servers."""
    programs = directory / "bin"
    programs.mkdir()
    for name in ("gunicorn", "flask"):
        (programs / name).write_text("#!/bin/sh\nexit 0\n")
        (programs / name).chmod(0o755)
    units = directory / "units"
    units.mkdir()
    for unit in _units():
        (units / unit.name).write_text(unit.read_text().replace(VENV_BIN, f"{programs}/"))
    return sorted(units.iterdir())


@pytest.fixture
def verifiable_units(tmp_path):
    if shutil.which("systemd-analyze") is None:
        pytest.skip("systemd-analyze is not installed")
    return _copies_with_programs_here(tmp_path)


def test_systemd_units_verify(verifiable_units):
    assert len(verifiable_units) >= 9
    assert _verify(verifiable_units) == []


@pytest.mark.parametrize("unit, line, broken", [
    ("cop-web.service", "Type=notify", "Typ=notify"),
    ("cop-send-digests.timer", "OnCalendar=*-*-* *:05:00", "OnCalendar=every hour or so"),
])
def test_systemd_verify_catches_a_mistake(verifiable_units, unit, line, broken):
    """The filter above hides nothing that matters: a misspelt key, a bad calendar."""
    path = next(p for p in verifiable_units if p.name == unit)
    assert line in path.read_text()
    path.write_text(path.read_text().replace(line, broken))
    assert _verify(verifiable_units) != []


def test_every_timer_runs_a_real_unit_and_command():
    _bare_app()
    commands = set(cop_cli.commands)  # with every feature's, once an app is built
    timers = sorted(UNITS.glob("*.timer"))
    assert {t.stem for t in timers} >= {"cop-send-digests", "cop-send-reminders",
                                        "cop-send-notification-summaries",
                                        "cop-clean-uploads", "cop-backup"}
    for timer in timers:
        settings = _unit_settings(timer)
        assert settings["Persistent"] == ["true"], timer.name
        (unit,) = settings["Unit"]
        template = re.sub(r"@[^.]+\.", "@.", unit)
        assert (UNITS / template).exists(), f"{timer.name}: no {template}"
        if "@" in unit:  # cop-task@<command>.service runs `flask cop <command>`
            assert unit.split("@")[1].removesuffix(".service") in commands, timer.name
    (backup,) = _unit_settings(UNITS / "cop-backup.service")["ExecStart"]
    assert backup.endswith("flask --app cop cop backup --dir /var/backups/cop --keep 14")
    assert "backup" in commands


def test_services_share_the_environment_and_the_hardening():
    for service in sorted(UNITS.glob("*.service")):
        settings = _unit_settings(service)
        assert settings["User"] == ["cop"], service.name
        assert settings["EnvironmentFile"] == ["/etc/cop/cop.env"], service.name
        assert settings["NoNewPrivileges"] == ["yes"], service.name
        assert settings["ProtectSystem"] == ["strict"], service.name
        assert settings["PrivateTmp"] == ["yes"], service.name
        writable = settings["ReadWritePaths"][0].split()
        assert {"/opt/cop/instance", "/var/lib/cop/uploads", "/var/backups/cop"} <= set(writable)
    web = _unit_settings(UNITS / "cop-web.service")
    assert web["Restart"] == ["on-failure"]
    assert web["ExecStart"] == [f"{VENV_BIN}gunicorn --config /opt/cop/deploy/gunicorn.conf.py "
                                "cop:create_app()"]
    assert _unit_settings(UNITS / "cop-worker.service")["ExecStart"] == [
        f"{VENV_BIN}flask --app cop cop send-notification-emails --watch"]


# --- nginx --------------------------------------------------------------------------------

SITE = DEPLOY / "nginx" / "cop.conf"


def _size(value: str) -> int:
    units = {"k": 1024, "m": 1024 ** 2, "g": 1024 ** 3}
    return int(value[:-1]) * units[value[-1].lower()] if value[-1].isalpha() else int(value)


def test_nginx_body_limit_is_the_apps():
    (limit,) = re.findall(r"^\s*client_max_body_size\s+(\S+);", SITE.read_text(), re.MULTILINE)
    assert _size(limit) == Defaults.MAX_CONTENT_LENGTH


def _nginx() -> str:
    nginx = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/sbin")
    if nginx is None:
        pytest.skip("nginx is not installed (apt-get install nginx-light): "
                    "deploy/nginx/cop.conf not checked")
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed: no test certificate for nginx -t")
    return nginx


def _site_here(directory: Path) -> Path:
    """A minimal nginx.conf that includes the site, its certificate and key made here."""
    certificate, key = directory / "cop.pem", directory / "cop.key"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=cop.example.it", "-keyout", str(key), "-out", str(certificate)],
                   check=True, capture_output=True, timeout=120)
    (directory / "logs").mkdir()
    (directory / "temp").mkdir()
    site = SITE.read_text()
    site = re.sub(r"(ssl_certificate\s+)\S+;", rf"\g<1>{certificate};", site)
    site = re.sub(r"(ssl_certificate_key\s+)\S+;", rf"\g<1>{key};", site)
    site = site.replace("/var/log/nginx/", f"{directory}/logs/")
    (directory / "cop.conf").write_text(site)
    mime = "include /etc/nginx/mime.types;" if Path("/etc/nginx/mime.types").exists() else ""
    config = directory / "nginx.conf"
    config.write_text(f"""
pid {directory}/nginx.pid;
error_log {directory}/logs/error.log;
events {{}}
http {{
    {mime}
    access_log {directory}/logs/access.log;
    client_body_temp_path {directory}/temp/body;
    proxy_temp_path {directory}/temp/proxy;
    fastcgi_temp_path {directory}/temp/fastcgi;
    uwsgi_temp_path {directory}/temp/uwsgi;
    scgi_temp_path {directory}/temp/scgi;
    include {directory}/cop.conf;
}}
""")
    return config


def test_nginx_accepts_the_site(tmp_path):
    nginx = _nginx()
    config = _site_here(tmp_path)
    result = subprocess.run([nginx, "-t", "-p", str(tmp_path), "-e", str(tmp_path / "error.log"),
                             "-c", str(config)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr


def test_nginx_accepts_the_site_beside_debians_own_settings(tmp_path):
    """As installed: Debian's nginx.conf (its gzip, ssl and log settings) with the site in
    sites-enabled, so that nothing of the site clashes with what Debian sets."""
    nginx = _nginx()
    debian = Path("/etc/nginx/nginx.conf")
    if not debian.exists():
        pytest.skip("no /etc/nginx/nginx.conf to include the site in")
    _site_here(tmp_path)
    main = debian.read_text()
    assert "include /etc/nginx/sites-enabled/*;" in main
    main = main.replace("include /etc/nginx/sites-enabled/*;", f"include {tmp_path}/cop.conf;")
    main = re.sub(r"(?m)^\s*(pid|error_log|access_log)\s[^;]*;", "", main)
    main = main.replace("http {", f"http {{\n\taccess_log {tmp_path}/logs/access.log;", 1)
    config = tmp_path / "debian-nginx.conf"
    config.write_text(f"pid {tmp_path}/nginx.pid;\n{main}")
    # nginx's own prefix (no -p): Debian's modules are named relative to it
    result = subprocess.run([nginx, "-t", "-e", str(tmp_path / "error.log"), "-c", str(config)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr


def test_nginx_catches_a_mistake(tmp_path):
    nginx = _nginx()
    config = _site_here(tmp_path)
    site = tmp_path / "cop.conf"
    site.write_text(site.read_text().replace("client_max_body_size 60m;",
                                             "client_max_body_size 60 m;"))
    result = subprocess.run([nginx, "-t", "-p", str(tmp_path), "-e", str(tmp_path / "error.log"),
                             "-c", str(config)], capture_output=True, text=True, timeout=60)
    assert result.returncode != 0


# --- static files' versions ---------------------------------------------------------------

def _bare_app(**config):
    """An app on an empty in-memory database: the page below reads nothing from it, and so
    these tests need neither the shared test database nor its fixtures."""
    return create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "x",
                       "TESTING": True, "RATELIMIT_STORAGE_URI": "memory://", **config})


def _stylesheet_url(client) -> str:
    response = client.get("/accessibilita")
    assert response.status_code == 200
    (url,) = re.findall(r'href="(/static/css/cop\.css[^"]*)"', response.get_data(as_text=True))
    return url


def test_static_urls_carry_a_version_of_the_content(tmp_path):
    static = tmp_path / "static"
    shutil.copytree(ROOT / "static" / "css", static / "css")

    def stylesheet_url():  # each app is a new process's worth of versions
        app = _bare_app()
        app.static_folder = str(static)
        return _stylesheet_url(app.test_client())

    first = stylesheet_url()
    assert first == f"/static/css/cop.css?v={file_version(str(static), 'css/cop.css')}"
    assert re.fullmatch(r"/static/css/cop\.css\?v=[0-9a-f]{10}", first)
    assert stylesheet_url() == first  # the same file, the same URL

    (static / "css" / "cop.css").write_text("/* changed */ body { color: black; }")
    second = stylesheet_url()
    assert second != first
    assert second == f"/static/css/cop.css?v={file_version(str(static), 'css/cop.css')}"


def test_a_versioned_url_serves_the_file():
    client = _bare_app().test_client()
    response = client.get(_stylesheet_url(client))
    assert response.status_code == 200
    assert response.data == (ROOT / "static" / "css" / "cop.css").read_bytes()
    response.close()


def test_a_missing_file_gets_no_version():
    app = _bare_app()
    with app.test_request_context():
        assert url_for("static", filename="css/nothing-here.css") == "/static/css/nothing-here.css"
        assert url_for("static", filename="../pyproject.toml") == "/static/../pyproject.toml"


def _request(port: int, path: str, *, tls: bool = True, method: str = "GET",
             headers: dict | None = None, source: str = "127.0.0.1"):
    """One request to nginx, as if to cop.example.it, from the loopback address `source`."""
    if tls:
        connection = http.client.HTTPSConnection("127.0.0.1", port, timeout=30,
                                                 context=_UNVERIFIED, source_address=(source, 0))
    else:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30,
                                                source_address=(source, 0))
    try:
        connection.request(method, path, headers={"Host": "cop.example.it", **(headers or {})})
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


def test_nginx_in_front_of_gunicorn(tmp_path):
    """The site as served: https only, /static/ from disk (a year for versioned URLs, an hour
    for the rest), the app behind it told of https, /metrics and /health/ for this machine
    only, bodies over the app's limit refused."""
    nginx = _nginx()
    config = _site_here(tmp_path)
    http_port, https_port = _free_port(), _free_port()
    with _gunicorn(tmp_path) as server:
        site = tmp_path / "cop.conf"
        text = site.read_text()
        text = re.sub(r"\n\s*listen \[::\]:\d+[^;]*;", "", text)
        text = text.replace("listen 80;", f"listen 127.0.0.1:{http_port};")
        text = text.replace("listen 443 ", f"listen 127.0.0.1:{https_port} ")
        text = text.replace("server 127.0.0.1:8000;", f"server 127.0.0.1:{server.port};")
        text = text.replace("alias /opt/cop/static/;", f"alias {ROOT}/static/;")
        site.write_text(text)
        log = tmp_path / "nginx.log"
        with open(log, "w") as output:
            process = subprocess.Popen(
                [nginx, "-p", str(tmp_path), "-e", str(tmp_path / "error.log"),
                 "-c", str(config), "-g", "daemon off;"], stdout=output, stderr=subprocess.STDOUT)
        try:
            _wait_until_answering(process, f"https://127.0.0.1:{https_port}/health/live", log)

            status, headers, _ = _request(http_port, "/accessibilita?x=1", tls=False)
            assert status == 301
            assert headers["Location"] == "https://cop.example.it/accessibilita?x=1"
            status, headers, _ = _request(http_port, "/", tls=False, headers={"Host": "x.test"})
            assert headers["Location"] == "https://cop.example.it/"  # the site's name, always

            status, headers, body = _request(https_port, "/health/live")
            assert (status, json.loads(body)) == (200, {"status": "ok"})
            assert "Strict-Transport-Security" in headers  # the app knows it is https
            if headers.get("X-Request-ID"):  # the app took nginx's id: one id in both logs
                _logged(tmp_path / "logs" / "cop.access.log", f"id={headers['X-Request-ID']} ")

            version = file_version(str(ROOT / "static"), "css/cop.css")
            status, headers, body = _request(https_port, f"/static/css/cop.css?v={version}")
            assert status == 200
            assert body == (ROOT / "static" / "css" / "cop.css").read_bytes()
            cache = ", ".join(headers.get_all("Cache-Control"))
            assert "max-age=31536000" in cache and "immutable" in cache
            assert headers["X-Content-Type-Options"] == "nosniff"

            status, headers, _ = _request(https_port, "/static/css/fonts.css")
            assert status == 200
            cache = ", ".join(headers.get_all("Cache-Control"))
            assert "max-age=3600" in cache and "immutable" not in cache

            # From another address than this machine's own (127.0.0.2 is not in the allow list)
            for path in ("/metrics", "/health/ready"):
                assert _request(https_port, path, source="127.0.0.2")[0] == 403, path
            assert _request(https_port, "/health/ready")[0] == 200
            assert _request(https_port, "/metrics")[0] != 403  # passed on to the app

            too_big = {"Content-Length": str(Defaults.MAX_CONTENT_LENGTH + 1),
                       "Content-Type": "application/octet-stream"}
            assert _request(https_port, "/accedi", method="POST", headers=too_big)[0] == 413
        finally:
            process.send_signal(signal.SIGQUIT)  # nginx's graceful stop
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
