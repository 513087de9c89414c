"""`make run` serves through `manage.py serve`: web and worker start together and stop together."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.processes import free_port, wait_for, wait_for_children

PROJECT = Path(__file__).resolve().parents[2]


def manage_serve(tmp_path: Path, port: int, *, output, drop: tuple[str, ...] = ()):
    """`manage.py serve` on a migrated SQLite file of its own, in a session of its own; the
    variables in ``drop`` are left out of its environment (REDIS_URL always is)."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.dev",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'serve.sqlite3'}",
    }
    for name in ("REDIS_URL", *drop):
        env.pop(name, None)
    manage = [sys.executable, str(PROJECT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True, cwd=PROJECT)  # noqa: S603
    return subprocess.Popen(  # noqa: S603
        [*manage, "serve", "--port", str(port), "--noreload"],
        env=env,
        cwd=PROJECT,
        start_new_session=True,
        stdout=output,
        stderr=subprocess.STDOUT,
    )


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_serve_stops_web_and_worker_on_ctrl_c_or_sigterm(tmp_path, signum):
    port = free_port()
    serve = manage_serve(tmp_path, port, output=subprocess.PIPE)
    try:
        assert wait_for(f"http://127.0.0.1:{port}/robots.txt", 60) == 200
        children = wait_for_children(serve.pid, at_least=3, seconds=30)  # web, qcluster, pool
        # Ctrl-C in a terminal signals the whole foreground group; SIGTERM comes from a supervisor.
        if signum == signal.SIGINT:
            os.killpg(serve.pid, signum)
        else:
            serve.send_signal(signum)
        output = serve.communicate(timeout=30)[0].decode()
    finally:
        if serve.poll() is None:
            os.killpg(serve.pid, signal.SIGKILL)
    assert serve.returncode == 0
    assert "Stopped the web server and the task worker." in output
    time.sleep(0.5)
    assert [pid for pid in children if Path(f"/proc/{pid}").exists()] == []
