import os
import signal
import subprocess
import sys
import threading

from django.conf import settings
from django.core.management.base import BaseCommand

STOP_TIMEOUT_SECONDS = 15
# Addresses that listen on every interface; links in e-mails then name the loopback address.
ANY_ADDRESS = {"0.0.0.0", "::", "[::]"}  # noqa: S104 (names them, binds nothing)


def child_environment(*, host: str, port: str) -> dict[str, str]:
    """The environment of the web server and the worker: this one, with SITE_URL following
    the address served when it is not set, so the links in e-mails (the worker renders them)
    open this very server, whatever port `make run PORT=` chose."""
    environment = dict(os.environ)
    if not environment.get("SITE_URL"):
        shown = "127.0.0.1" if host in ANY_ADDRESS else host
        environment["SITE_URL"] = f"http://{shown}:{port}"
    return environment


class Command(BaseCommand):
    help = (
        "Run the web server and the django-q2 worker together; Ctrl-C or SIGTERM stops both. "
        "This is what `make run` starts."
    )

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", default="8000")
        parser.add_argument(
            "--noreload", action="store_true", help="Do not restart on code changes."
        )

    def handle(self, *args, host, port, noreload, **options):
        manage = [sys.executable, str(settings.BASE_DIR / "manage.py")]
        web_args = [*manage, "runserver", f"{host}:{port}", *(["--noreload"] if noreload else [])]
        # Each child gets a session of its own, so a Ctrl-C in the terminal reaches only this
        # process, which then stops the children in the order they need: the worker must get
        # SIGTERM on its main process alone, or its pool deadlocks.
        environment = child_environment(host=host, port=port)
        web = subprocess.Popen(  # noqa: S603 (own argv)
            web_args, start_new_session=True, env=environment
        )
        worker = subprocess.Popen(  # noqa: S603
            [*manage, "qcluster"], start_new_session=True, env=environment
        )
        self.stdout.write(
            f"Serving on http://{host}:{port}/ with the task worker; Ctrl-C stops both. "
            f"Links in e-mails start with {environment['SITE_URL']}."
        )
        stop = threading.Event()
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, lambda *_: stop.set())
        while not stop.wait(0.5):
            if web.poll() is not None or worker.poll() is not None:
                break
        self._stop(web, group=True)
        self._stop(worker, group=False)
        self.stdout.write("Stopped the web server and the task worker.")

    def _stop(self, process: subprocess.Popen, *, group: bool) -> None:
        if process.poll() is None:
            if group:
                os.killpg(process.pid, signal.SIGTERM)
            else:
                process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=STOP_TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
