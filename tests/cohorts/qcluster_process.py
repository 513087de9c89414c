"""A real django-q2 worker (`manage.py qcluster`) as a child process, for the tests and the
benchmark that drive the outbox the way production does. Nothing here imports Django."""

import os
import signal
import socket
import subprocess
import sys
from contextlib import suppress
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
STOP_SECONDS = 15


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def worker_environment(database: Path, smtp_port: int, workers: int) -> dict[str, str]:
    """The settings a worker (and the process driving it) read: a SQLite file, the ORM
    broker, and plain SMTP to a server on loopback."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.dev",
        "DATABASE_URL": f"sqlite:///{database}",
        "REDIS_URL": "",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_port),
        "EMAIL_USE_TLS": "false",
        "EMAIL_USE_SSL": "false",
        "EMAIL_HOST_USER": "",
        "EMAIL_HOST_PASSWORD": "",
        "Q_WORKERS": str(workers),
        "LOG_LEVEL": "WARNING",
    }


def cluster_start(env: dict[str, str], log: Path) -> subprocess.Popen:
    """A qcluster in a session of its own, so the whole group can be killed at once."""
    with log.open("ab") as output:
        return subprocess.Popen(
            [sys.executable, "manage.py", "qcluster"],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def cluster_stop(process: subprocess.Popen) -> None:
    """SIGTERM to the main process only (its pool deadlocks if the group gets it), then
    SIGKILL to whatever is left of the group."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        with suppress(subprocess.TimeoutExpired):
            process.wait(timeout=STOP_SECONDS)
    cluster_kill(process)


def cluster_kill(process: subprocess.Popen) -> None:
    """SIGKILL to the whole group: a crash, as the worker would meet it."""
    with suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()
