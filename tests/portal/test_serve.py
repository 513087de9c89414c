"""`make run` serves through `manage.py serve`: web and worker start together and stop together."""

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from tests.processes import free_port, manage_serve, wait_for, wait_for_children


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
