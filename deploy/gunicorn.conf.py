"""gunicorn's settings for the app servers (docs/deployment.md); values from the environment."""

import os
import shutil
import tempfile

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "3"))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
# Longer than the proxy keeps an idle upstream connection (nginx: 60 s): otherwise a request
# sent on a connection gunicorn is just closing is lost ("connection reset"), as the load test
# showed with gunicorn's default of 2 s.
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "75"))
# No control socket: it sits in $HOME, which two servers on one machine would share.
control_socket_disable = True
# Heartbeat files in memory: a container's overlay filesystem can stall them.
_shm = "/dev/shm"  # noqa: S108 (gunicorn's own advice, a directory only it writes)
worker_tmp_dir = _shm if os.path.isdir(_shm) else None

# The request log names neither the client's address nor the query string: nothing in it may
# link a survey answer or a code to a person (docs/privacy.md). %(U)s is the path alone.
accesslog = "-"
access_log_format = "%(m)s %(U)s %(s)s %(B)s %(M)sms"
_json = os.environ.get("UNGKULTUR_LOG_FORMAT", "json") == "json"
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": "ungkultur.core.log_format.JsonFormatter",
            "fmt": "%(levelname)s %(name)s %(message)s",
            "rename_fields": {"levelname": "level", "name": "logger"},
            "timestamp": "time",
        },
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if _json else "text",
            "stream": "ext://sys.stdout",
        }
    },
    "loggers": {
        "gunicorn.error": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "gunicorn.access": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}

# django-prometheus in several processes: each writes its counters to files in this directory
# and /metrics adds them up. It must start empty and belong to this server alone; the workers
# inherit the variable (only the app servers get it: other processes write no such files).
_metrics_dir = os.environ.setdefault(
    "PROMETHEUS_MULTIPROC_DIR",
    os.path.join(tempfile.gettempdir(), f"ungkultur-prometheus-{bind.rsplit(':', 1)[-1]}"),
)


def on_starting(server):
    if _metrics_dir:
        shutil.rmtree(_metrics_dir, ignore_errors=True)
        os.makedirs(_metrics_dir, exist_ok=True)


def child_exit(server, worker):
    if _metrics_dir:
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
