"""`make run` serves through `manage.py serve`: web and worker start together and stop together."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(url: str, seconds: float) -> int:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (loopback)
                return response.status
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"{url} did not answer within {seconds} s")


def descendants(pid: int) -> set[int]:
    found, frontier = set(), [pid]
    while frontier:
        parent = frontier.pop()
        children = Path(f"/proc/{parent}/task/{parent}/children")
        if children.exists():
            kids = {int(c) for c in children.read_text().split()}
            found |= kids
            frontier.extend(kids)
    return found


def wait_for_children(pid: int, *, at_least: int, seconds: float) -> set[int]:
    deadline = time.monotonic() + seconds
    while len(children := descendants(pid)) < at_least and time.monotonic() < deadline:
        time.sleep(0.3)
    assert len(children) >= at_least, children
    return children


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_serve_stops_web_and_worker_on_ctrl_c_or_sigterm(tmp_path, signum):
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.dev",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'serve.sqlite3'}",
    }
    env.pop("REDIS_URL", None)
    manage = [sys.executable, str(PROJECT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True, cwd=PROJECT)  # noqa: S603
    serve = subprocess.Popen(  # noqa: S603
        [*manage, "serve", "--port", str(port), "--noreload"],
        env=env,
        cwd=PROJECT,
        start_new_session=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
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
