"""The files a host without containers runs the portal with (deploy/systemd/): unit files
that systemd accepts, each with a restart policy, the environment file and a journal
identifier of its own."""

import configparser
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

UNITS = Path(settings.BASE_DIR) / "deploy" / "systemd"
EXECUTABLES = ("/opt/portal/.venv/bin/python", "/opt/portal/.venv/bin/gunicorn", "/bin/kill")


def unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str
    parser.read(UNITS / name)
    return parser


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="no systemd-analyze")
def test_systemd_accepts_every_unit(tmp_path):
    """`systemd-analyze verify` against a scratch root holding the system's own units and
    stand-ins for the portal's executables: it prints nothing for units it accepts."""
    shutil.copytree("/usr/lib/systemd/system", tmp_path / "usr/lib/systemd/system", symlinks=True)
    for executable in EXECUTABLES:
        path = tmp_path / executable.lstrip("/")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("#!/bin/sh\n")
        path.chmod(0o755)
    installed = tmp_path / "etc/systemd/system"
    installed.mkdir(parents=True)
    names = sorted(path.name for path in UNITS.glob("*.service"))
    for name in names:
        shutil.copy(UNITS / name, installed / name)

    result = subprocess.run(  # noqa: S603
        ["systemd-analyze", "verify", f"--root={tmp_path}"]
        + [f"/etc/systemd/system/{name}" for name in names],
        capture_output=True,
        text=True,
        check=False,
    )

    assert names == ["portal-release.service", "portal-web.service", "portal-worker.service"]
    assert result.returncode == 0 and result.stdout + result.stderr == ""


@pytest.mark.parametrize("name", ["portal-web.service", "portal-worker.service"])
def test_the_long_running_units_restart_and_stop_their_main_process_first(name):
    service = unit(name)["Service"]
    assert service["Restart"] == "on-failure"
    assert service["EnvironmentFile"] == "/etc/portal/portal.env"
    assert service["SyslogIdentifier"] == name.removesuffix(".service")
    # qcluster deadlocks when SIGTERM reaches its whole process group.
    assert service["KillMode"] == "mixed"
    assert unit(name)["Unit"]["Requires"] == "portal-release.service"


def test_the_release_unit_runs_the_first_start_steps_in_order():
    lines = (UNITS / "portal-release.service").read_text().splitlines()
    steps = [line.split("manage.py ")[1] for line in lines if line.startswith("ExecStart=")]
    assert steps == ["migrate --noinput", "bootstrap_site", "setup_schedules"]
