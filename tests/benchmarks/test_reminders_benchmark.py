"""benchmarks/reminders.py without the test requirements says which command installs them,
instead of ending on "No module named 'aiosmtpd'"."""

import subprocess
import sys

from tests.helpers import PROJECT

WITHOUT_AIOSMTPD = (
    "import runpy, sys; sys.modules['aiosmtpd'] = None; "
    "sys.argv = ['benchmarks/reminders.py', '--pairs', '1']; "
    "runpy.run_path('benchmarks/reminders.py', run_name='__main__')"
)


def test_the_reminders_benchmark_names_the_install_command_it_needs():
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", WITHOUT_AIOSMTPD],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1] == (
        "benchmarks/reminders.py needs the test requirements: run `make bench-deps` first."
    )
