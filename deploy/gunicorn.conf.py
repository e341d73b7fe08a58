"""gunicorn's settings for cop in production (deploy/systemd/cop-web.service starts it).

    gunicorn --config deploy/gunicorn.conf.py 'cop:create_app()'

The environment may change a few of them (cop-web.service reads /etc/cop/cop.env):

- GUNICORN_BIND     where to listen; default 127.0.0.1:8000, the local nginx's upstream
                    (deploy/nginx/cop.conf). Several addresses: separated by commas.
- GUNICORN_WORKERS  sync worker processes; default 2 × cores + 1, at most 8. Each holds at
                    most one database connection at a time while it answers.
- GUNICORN_TIMEOUT  seconds a request may take before its worker is restarted; default 60.
- GUNICORN_LOG_LEVEL  default info.

The application's settings (database, mail, ...) are COP_* variables: deploy/cop.env.example.

PROMETHEUS_MULTIPROC_DIR set (cop-web.service sets it to its runtime directory): the workers
write their metrics there (prometheus-client's multiprocess mode); the directory is emptied
when gunicorn starts, and the figures of a worker that exits are marked dead.
"""
import os
from pathlib import Path

MAX_DEFAULT_WORKERS = 8


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))  # the cores this process may use (cpusets)
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _int_from_env(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


bind = [address.strip() for address in
        os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split(",") if address.strip()]
workers = _int_from_env("GUNICORN_WORKERS", min(2 * _cores() + 1, MAX_DEFAULT_WORKERS))
worker_class = "sync"  # nginx buffers requests and responses, so slow clients hold no worker
timeout = _int_from_env("GUNICORN_TIMEOUT", 60)
graceful_timeout = 30  # on stop or reload, requests under way get this long to finish
keepalive = 5

# Only the nginx on this machine may tell gunicorn (X-Forwarded-Proto) that the request came
# over https; the application itself trusts X-Forwarded-* through COP_PROXY_FIX_HOPS=1.
forwarded_allow_ips = "127.0.0.1,::1"

accesslog = None  # nginx writes the access log; the application logs what matters itself
errorlog = "-"  # stderr: systemd's journal (journalctl -u cop-web)
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
proc_name = "cop-web"


def _multiprocess_dir() -> str | None:
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR") or None


if _multiprocess_dir():

    def on_starting(server):
        """Empty the metrics directory: files left by the workers of an earlier run would
        be added to this run's figures."""
        directory = Path(_multiprocess_dir())
        directory.mkdir(parents=True, exist_ok=True)
        for path in directory.iterdir():
            if path.is_file() or path.is_symlink():
                path.unlink()

    def child_exit(server, worker):
        """A worker has exited: its live gauges no longer count."""
        try:  # inside the hook, so that this file loads where prometheus-client is missing
            from prometheus_client import multiprocess
        except ImportError:
            return
        multiprocess.mark_process_dead(worker.pid)
