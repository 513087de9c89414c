"""A real django-q2 worker (`manage.py qcluster`) as a child process, and a real SMTP server
for it to send to, for the tests and the benchmark that drive the outbox the way production
does. Nothing here imports Django."""

import asyncio
import os
import signal
import subprocess
import sys
import threading
import time
from contextlib import suppress
from email.parser import BytesParser
from email.policy import default as default_policy
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
STOP_SECONDS = 15


def worker_environment(database: Path | str, smtp_port: int, workers: int) -> dict[str, str]:
    """The settings a worker (and the process driving it) read: a SQLite file (a path) or
    any database URL, the ORM broker, and plain SMTP to a server on loopback."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.dev",
        "DATABASE_URL": database if isinstance(database, str) else f"sqlite:///{database}",
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


def manage_shell(env: dict[str, str], code: str) -> str:
    """Run Python in a `manage.py shell` with these settings; returns what it printed."""
    result = subprocess.run(  # noqa: S603 (own argv)
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    if result.returncode:
        raise RuntimeError(result.stderr[-3000:])
    return result.stdout


def wait_until(condition, *, what: str, log: Path, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"Timed out waiting until {what}. Log:\n{log.read_text()[-3000:]}")
        time.sleep(0.02)


class SlowSink:
    """An SMTP server's handler that takes its time over each message and records every
    Message-ID it accepted, in order."""

    def __init__(self, delay: float):
        self.delay = delay
        self.message_ids: list[str] = []
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        headers = BytesParser(policy=default_policy).parsebytes(envelope.content, headersonly=True)
        with self._lock:
            self.message_ids.append(str(headers["Message-ID"]))
        await asyncio.sleep(self.delay)
        return "250 Message accepted for delivery"

    @property
    def count(self) -> int:
        with self._lock:
            return len(self.message_ids)
