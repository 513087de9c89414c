"""The portal as production runs it, for the web benchmarks (web.py, soak.py): gunicorn with
gunicorn.conf.py and the production settings, whitenoise serving the collected static files,
a database holding the demo content, and wrk driving it over loopback.

Each run builds its own site in a temporary folder: a SQLite file by default, or an empty
database given as ``--database-url`` (PostgreSQL). Requests carry ``X-Forwarded-Proto:
https``, as the TLS proxy in front of the portal sets it.
"""

import argparse
import http.cookies
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.processes import free_port  # noqa: E402 (needs the project on the path)

DEMO_PASSWORD = "mentoring-demo"
PARTICIPANTS = ("mentor@example.org", "mentee@example.org")
DASHBOARD = "/my-mentoring/"
FORWARDED = {"X-Forwarded-Proto": "https"}

# Sends the given requests in turn, each a path and the Cookie header to send with it (empty
# for an anonymous reader), and counts the responses that are not 200: a redirect to the
# login page is a failure for a logged-in page.
WRK_SCRIPT = """
local threads = {}
function setup(thread)
  table.insert(threads, thread)
end
function init(args)
  not200 = 0
  n = 0
  entries = {%(entries)s}
end
function request()
  n = n + 1
  local entry = entries[(n %% #entries) + 1]
  local headers = {["X-Forwarded-Proto"] = "https"}
  if entry[2] ~= "" then
    headers["Cookie"] = entry[2]
  end
  return wrk.format("GET", entry[1], headers)
end
function response(status, headers, body)
  if status ~= 200 then
    not200 = not200 + 1
  end
end
function done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do
    total = total + thread:get("not200")
  end
  io.write(string.format("NOT200 %%d\\n", total))
end
"""


@dataclass
class Load:
    """What wrk measured."""

    requests: int
    seconds: float
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int

    def line(self) -> str:
        return (
            f"{self.rps:8.0f} req/s  p50 {self.p50_ms:6.1f} ms  p99 {self.p99_ms:6.1f} ms  "
            f"{self.requests} requests  {self.errors} errors"
        )


def _ms(value: str, unit: str) -> float:
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}[unit]


def wrk_parse(output: str) -> Load:
    requests = re.search(r"(\d+) requests in ([\d.]+)(\w+)", output)
    percentiles = {
        p: _ms(v, u)
        for p, v, u in re.findall(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s|m)\s*$", output, re.M)
    }
    socket_errors = sum(
        int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", output)
    )
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    not_200 = re.search(r"NOT200 (\d+)", output)
    seconds = _ms(requests.group(2), requests.group(3)) / 1000
    return Load(
        requests=int(requests.group(1)),
        seconds=seconds,
        rps=float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        p50_ms=percentiles["50"],
        p99_ms=percentiles["99"],
        errors=socket_errors
        + (int(non_2xx.group(1)) if non_2xx else 0)
        + (int(not_200.group(1)) if not_200 else 0),
    )


def wrk_run(
    base_url: str,
    requests: list[tuple[str, str]],
    *,
    seconds: int = 15,
    connections: int = 16,
    threads: int = 2,
) -> Load:
    """Send the (path, cookie) requests in turn with wrk for `seconds`; parse its figures."""
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: apt-get install wrk")
    entries = ", ".join(
        f"{{{json.dumps(path)}, {json.dumps(cookie)}}}" for path, cookie in requests
    )
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT % {"entries": entries})
    try:
        result = subprocess.run(
            ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency",
             "--timeout", "10s", "-s", script.name, base_url],
            capture_output=True, text=True, check=True, timeout=seconds + 60,
        )  # fmt: skip
    finally:
        os.unlink(script.name)
    return wrk_parse(result.stdout)


class Portal:
    """A freshly built portal served by gunicorn; use as a context manager."""

    def __init__(
        self,
        *,
        database_url: str = "",
        workers: int = 0,
        max_requests: bool = True,
        demo_size: str = "small",
    ):
        self.workdir = Path(tempfile.mkdtemp(prefix="portal-bench-"))
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.workers = workers
        self.max_requests = max_requests
        self.demo_size = demo_size
        self.log = self.workdir / "gunicorn.log"
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "portal.settings.production",
            "DATABASE_URL": database_url or f"sqlite:///{self.workdir / 'portal.sqlite3'}",
            "SECRET_KEY": "benchmark-" + os.urandom(16).hex(),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SITE_URL": "https://127.0.0.1",
            "NOTES_ENCRYPTION_KEYS": "YmVuY2htYXJrLW5vdGVzLWtleS1vbmx5LWZvci10aGU=",
            "MEDIA_ROOT": str(self.workdir / "media"),
            "REDIS_URL": "",
            # Production settings insist on an SMTP server; the benchmarks send no mail.
            "EMAIL_HOST": "smtp.invalid",
            "LOG_LEVEL": "WARNING",
            "PORT": str(self.port),
        }
        self.env.pop("WEB_CONCURRENCY", None)
        if workers:
            self.env["WEB_CONCURRENCY"] = str(workers)
        self.process: subprocess.Popen | None = None

    def manage(self, *args: str) -> str:
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT, env=self.env, capture_output=True, text=True, check=False,
        )  # fmt: skip
        if result.returncode:
            sys.exit(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
        return result.stdout

    def build(self) -> None:
        self.manage("migrate", "--noinput")
        self.manage("load_demo_content", "--force", "--size", self.demo_size)
        self.manage("collectstatic", "--noinput")
        self.manage("shell", "-c", _SET_SITE_HOST)

    def start(self) -> None:
        command = [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "portal.wsgi"]
        command += ["--bind", f"127.0.0.1:{self.port}"]
        if not self.max_requests:
            command += ["--max-requests", "0"]
        with self.log.open("ab") as output:
            self.process = subprocess.Popen(
                command, cwd=ROOT, env=self.env, stdout=output, stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if self.get("/healthz/web").status == 200:
                    self._wait_for_every_worker()
                    return
            except OSError:
                time.sleep(0.3)
        sys.exit(f"gunicorn did not answer; see {self.log}")

    def _wait_for_every_worker(self) -> None:
        """The first worker answers before the master has forked the others."""
        seen, steady_since = 0, time.monotonic()
        while time.monotonic() - steady_since < 1.0:
            count = len(self.worker_pids())
            if count != seen:
                seen, steady_since = count, time.monotonic()
            time.sleep(0.1)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, 15)
            self.process.wait(timeout=30)

    def __enter__(self):
        self.build()
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop()
        shutil.rmtree(self.workdir, ignore_errors=True)

    def get(self, path: str, *, cookie: str = "", headers: dict | None = None):
        request = urllib.request.Request(
            self.base_url + path,
            headers={**FORWARDED, **({"Cookie": cookie} if cookie else {}), **(headers or {})},
        )
        return self._open(request)

    def login(self, email: str) -> str:
        """Log in through the real login form; return the session's Cookie header. (The
        cookies are Secure, so they are carried by hand over this plain-http loopback.)"""
        page = self.get("/accounts/login/")
        csrf_cookie = _cookie(page, "csrftoken")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.read().decode())
        form = {"csrfmiddlewaretoken": token.group(1), "login": email, "password": DEMO_PASSWORD}
        request = urllib.request.Request(
            self.base_url + "/accounts/login/",
            data=urllib.parse.urlencode(form).encode(),
            headers={
                **FORWARDED,
                "Cookie": f"csrftoken={csrf_cookie}",
                "Referer": f"https://127.0.0.1:{self.port}/accounts/login/",
            },
        )
        response = self._open(request)
        session = _cookie(response, "sessionid")
        if response.status != 302 or not session:
            sys.exit(f"could not log in as {email}: {response.status}")
        return f"sessionid={session}"

    def _open(self, request):
        try:
            return urllib.request.build_opener(_NoRedirect).open(request, timeout=30)
        except urllib.error.HTTPError as response:
            return response

    def worker_pids(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()]

    def worker_rss_mib(self) -> dict[int, float]:
        sizes = {}
        for pid in self.worker_pids():
            status = Path(f"/proc/{pid}/status").read_text()
            sizes[pid] = int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1)) / 1024
        return sizes

    def query_counts(self, paths: list[str], *, email: str = "") -> dict[str, int]:
        """Queries each page costs when it is rendered (not served from the page cache),
        counted in a Django process with the same settings and database, anonymously or as
        the given member."""
        script = _COUNT_QUERIES % {"paths": json.dumps(paths), "email": json.dumps(email)}
        return json.loads(self.manage("shell", "-c", script).strip().splitlines()[-1])


class BareApp:
    """benchmarks/bare_app.py served by gunicorn with the portal's worker count, worker class,
    preloading and access log: the ceiling a page from the page cache is compared with. Its
    view sends ``body``; use as a context manager."""

    def __init__(self, *, workers: int, body: bytes, log: Path):
        self.workdir = Path(tempfile.mkdtemp(prefix="bare-bench-"))
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        (self.workdir / "body.html").write_bytes(body)
        self.workers, self.log = workers, log
        self.process: subprocess.Popen | None = None

    def __enter__(self):
        command = [
            sys.executable, "-m", "gunicorn", "--chdir", str(ROOT / "benchmarks"),
            "--bind", f"127.0.0.1:{self.port}", "--workers", str(self.workers),
            "--preload", "--max-requests", "10000", "--max-requests-jitter", "1000",
            "--access-logfile", "-", "--no-control-socket", "--worker-tmp-dir", "/dev/shm",
            "bare_app",
        ]  # fmt: skip
        env = {**os.environ, "BARE_BODY_FILE": str(self.workdir / "body.html")}
        env.pop("DJANGO_SETTINGS_MODULE", None)
        with self.log.open("ab") as output:
            # Started in its own folder, where gunicorn finds no gunicorn.conf.py to read.
            self.process = subprocess.Popen(
                command, cwd=self.workdir, env=env, stdout=output, stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(self.base_url + "/", timeout=5).read()
                time.sleep(1.0)  # the first worker answers before the others are forked
                return self
            except OSError:
                time.sleep(0.2)
        sys.exit(f"the bare application did not answer; see {self.log}")

    def __exit__(self, *exc):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, 15)
            self.process.wait(timeout=30)
        shutil.rmtree(self.workdir, ignore_errors=True)


def _cookie(response, name: str) -> str:
    for header in response.headers.get_all("Set-Cookie") or ():
        cookie = http.cookies.SimpleCookie(header)
        if name in cookie:
            return cookie[name].value
    return ""


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


# The demo site answers for the loopback address the benchmarks use.
_SET_SITE_HOST = """
from wagtail.models import Site
Site.objects.filter(is_default_site=True).update(hostname="127.0.0.1", port=443)
"""

_COUNT_QUERIES = """
import json
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from members.models import User
paths, email = %(paths)s, %(email)s
client = Client(HTTP_X_FORWARDED_PROTO="https", HTTP_HOST="127.0.0.1")
if email:
    client.force_login(User.objects.get(email=email))
counts = {}
for path in paths:
    # A visit before the one counted, as a busy site's pages are: the session renewed, the
    # menu in memory. A query string of its own keeps each visit out of the page cache.
    for visit in ("warm", "counted"):
        address = f"{path}?visit={visit}" if not email else path
        with CaptureQueriesContext(connection) as queries:
            status = client.get(address).status_code
        assert status == 200, (path, status)
    counts[path] = len(queries)
print(json.dumps(counts))
"""


def goals_report(goals: dict[str, bool]) -> int:
    """Print each goal met or missed; the exit status: 0 when all are met, else 1."""
    print("\ngoals")
    for goal, met in goals.items():
        print(f"  {'met   ' if met else 'MISSED'} {goal}")
    return 0 if all(goals.values()) else 1


@contextmanager
def portal_from_arguments(description: str, *, max_requests: bool = True):
    """Parse the benchmarks' common options and serve a portal for the duration."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--database-url", default="", help="an empty database (default SQLite)")
    parser.add_argument("--workers", type=int, default=0, help="gunicorn workers")
    parser.add_argument("--seconds", type=int, default=15, help="length of each wrk run")
    arguments = parser.parse_args()
    with Portal(
        database_url=arguments.database_url, workers=arguments.workers, max_requests=max_requests
    ) as portal:
        yield portal, arguments
