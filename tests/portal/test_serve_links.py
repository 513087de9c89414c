"""In development, links in e-mails open the server `make run PORT=` started: SITE_URL
follows the port served unless the environment sets it."""

import os
import signal
import subprocess
from pathlib import Path

import pytest

from tests.processes import PROJECT, free_port, manage_serve, wait_for, wait_for_children


def environ_of(pid: int) -> dict[str, str]:
    raw = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
    return dict(item.decode().split("=", 1) for item in raw if b"=" in item)


def serve_environments(tmp_path, port: int) -> list[dict[str, str]]:
    """The environments of the web server and the worker `manage.py serve` starts, with no
    SITE_URL set."""
    serve = manage_serve(tmp_path, port, output=subprocess.DEVNULL, drop=("SITE_URL",))
    try:
        assert wait_for(f"http://127.0.0.1:{port}/robots.txt", 60) == 200
        children = wait_for_children(serve.pid, at_least=2, seconds=30)
        return [environ_of(pid) for pid in children if Path(f"/proc/{pid}").exists()]
    finally:
        os.killpg(serve.pid, signal.SIGTERM)
        serve.wait(timeout=30)


def test_the_server_and_worker_get_site_url_from_the_port(tmp_path):
    port = free_port()
    environments = serve_environments(tmp_path, port)

    assert environments
    assert {env.get("SITE_URL") for env in environments} == {f"http://127.0.0.1:{port}"}


@pytest.mark.parametrize("site_url", [None, "https://mentoring.example.org"])
def test_make_run_gives_every_step_the_port_as_site_url_unless_it_is_set(tmp_path, site_url):
    """Every command of `make run` (the demo content names the site's port too) sees the
    SITE_URL of the port asked for, or the one the environment sets; a stand-in python
    records what each one was given."""
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    (venv / ".installed").touch()
    python = venv / "bin" / "python"
    python.write_text(f'#!/bin/sh\necho "$SITE_URL $*" >> {tmp_path / "calls"}\n')
    python.chmod(0o755)
    env = {key: value for key, value in os.environ.items() if key != "SITE_URL"}
    if site_url:
        env["SITE_URL"] = site_url
    subprocess.run(  # noqa: S603
        ["make", "-s", "run", "PORT=8123", f"VENV={venv}"],  # noqa: S607
        cwd=PROJECT,
        env=env,
        check=True,
        capture_output=True,
    )

    calls = (tmp_path / "calls").read_text().splitlines()
    expected = site_url or "http://127.0.0.1:8123"
    assert calls[-1] == f"{expected} manage.py serve --port 8123"
    assert {call.split()[0] for call in calls} == {expected}
