"""Processes the tests start and watch: a free port on loopback, an address to wait for, the
children a process has started, and `manage.py serve` on a database of its own. Nothing here
imports Django."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(url: str, seconds: float) -> int:
    """The status of the first answer from ``url`` within ``seconds``."""
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
