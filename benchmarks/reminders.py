"""Speed and memory of a quarterly check-in for a large cohort, from the dispatcher to the
mail server.

Run from the project root: ``.venv/bin/python benchmarks/reminders.py [--pairs N]
[--workers W] [--in-process] [--profile]``. A temporary SQLite file (WAL, as the settings
configure it) gets a cohort of N published pairs (2 x N participants) whose first check-in
is due. The dispatcher then writes one outbox row per participant and queues the delivery
tasks, and the tasks deliver every row to an SMTP server in this process (aiosmtpd in a
thread) that counts what arrives. By default a real ``manage.py qcluster`` with W workers
runs the tasks, as in production; ``--in-process`` calls ``outbox_deliver`` for each batch
here instead, one after the other. ``--profile`` times the stages of that in-process
delivery (rendering, building the MIME message, the SMTP conversation, the row updates).

The migrated database is cached in the system's temporary folder, keyed by the migration
files, since migrating takes longer than the benchmark. Building the cohort is not timed.
"""

import argparse
import hashlib
import os
import re
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from importlib.metadata import distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.cohorts.outbox.qcluster_process import (  # noqa: E402 (needs the project on the path)
    cluster_start,
    cluster_stop,
    worker_environment,
)
from tests.processes import free_port  # noqa: E402

SETTINGS = "portal.settings.dev"
# The SMTP server (aiosmtpd) and the cohort's builders come with the test requirements.
NEEDS = "benchmarks/reminders.py needs the test requirements: run `make bench-deps` first."
MESSAGE_ID = re.compile(rb"^Message-ID:\s*(\S+)", re.IGNORECASE | re.MULTILINE)
DELIVERY_TIMEOUT_SECONDS = 900
GOAL_SECONDS = 60


class Sink:
    """An SMTP server's handler that counts every message by its Message-ID."""

    def __init__(self):
        self.received: Counter[bytes] = Counter()
        self.first_at: float | None = None
        self.last_at: float | None = None
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        match = MESSAGE_ID.search(envelope.content)
        with self._lock:
            self.received[match[1] if match else b"?"] += 1
            self.last_at = time.perf_counter()
            self.first_at = self.first_at or self.last_at
        return "250 Message accepted for delivery"

    def totals(self) -> tuple[int, int]:
        """(messages received, messages received more than once)."""
        with self._lock:
            total = sum(self.received.values())
            return total, total - len(self.received)


def environment(database: Path, smtp_port: int, workers: int) -> dict[str, str]:
    """What this process and the worker read their settings from."""
    return {
        **worker_environment(database, smtp_port, workers),
        "DJANGO_SETTINGS_MODULE": SETTINGS,
    }


def migrated_template() -> Path:
    """A migrated database for this tree's migrations and these packages, made once and
    kept."""
    digest = hashlib.sha256()
    for path in sorted(ROOT.glob("*/migrations/*.py")):
        digest.update(path.name.encode() + path.read_bytes())
    for package in sorted(f"{d.metadata['Name']}=={d.version}" for d in distributions()):
        digest.update(package.encode())
    template = Path(tempfile.gettempdir()) / f"portal-benchmark-{digest.hexdigest()[:16]}.db"
    if not template.exists():
        print("migrating a new database (once for these migrations)...", flush=True)
        partial = template.with_suffix(".partial")
        partial.unlink(missing_ok=True)
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": SETTINGS}
        env["DATABASE_URL"] = f"sqlite:///{partial}"
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
            cwd=ROOT,
            env=env,
            check=True,
        )
        copy_database(partial, template)
        for leftover in partial.parent.glob(partial.name + "*"):
            leftover.unlink()
        for stale in template.parent.glob("portal-benchmark-*.db"):
            if stale != template:
                stale.unlink()
    return template


def copy_database(source: Path, target: Path) -> None:
    """Copy a SQLite database, its write-ahead log included."""
    origin, copy = sqlite3.connect(source), sqlite3.connect(target)
    try:
        origin.backup(copy)
    finally:
        origin.close()
        copy.close()


def unfinished() -> int:
    from cohorts.choices import OutboxStatus
    from cohorts.models import OutboxMessage

    waiting = [OutboxStatus.QUEUED, OutboxStatus.SENDING]
    return OutboxMessage.objects.filter(status__in=waiting).count()


def wait_for_delivery(process: subprocess.Popen | None) -> None:
    deadline = time.monotonic() + DELIVERY_TIMEOUT_SECONDS
    while unfinished() and time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise SystemExit("qcluster stopped before it delivered everything; see its log")
        time.sleep(0.1)


def cpu_seconds(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def group_peak_rss(group: int) -> int:
    """The largest peak resident size (VmHWM, KiB) among the processes of a group: Linux."""
    peak = 0
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            if os.getpgid(int(status.parent.name)) != group:
                continue
            fields = dict(line.split(":", 1) for line in status.read_text().splitlines())
        except (OSError, ValueError):
            continue  # the process ended meanwhile
        peak = max(peak, int(fields.get("VmHWM", "0 kB").split()[0]))
    return peak


def deliver_with_cluster(env: dict[str, str], log: Path) -> tuple[float, int]:
    """Seconds until a real qcluster delivered every row, and its processes' peak memory."""
    process = cluster_start(env, log)
    try:
        start = time.perf_counter()
        wait_for_delivery(process)
        seconds = time.perf_counter() - start
        return seconds, group_peak_rss(process.pid)
    finally:
        cluster_stop(process)


# What --profile times inside each delivery: (module, attribute, label).
STAGES = [
    ("cohorts.reminders.rendering", "Renderer.render", "render wording and templates"),
    ("cohorts.reminders.rendering", "Renderer.email", "build the e-mail (headers, .ics)"),
    ("django.core.mail.message", "EmailMessage.message", "MIME message (email package)"),
    ("django.core.mail.message", "MIMEMixin.as_bytes", "MIME message to bytes"),
    ("smtplib", "SMTP.sendmail", "SMTP conversation"),
    ("cohorts.outbox.services", "_claim", "claim the row (UPDATE)"),
    ("cohorts.outbox.services", "_finish", "mark it sent (UPDATE)"),
]


class StageTimer:
    """Wraps the functions in STAGES to add up the wall time spent in each."""

    def __init__(self):
        self.seconds: Counter[str] = Counter()

    def install(self) -> None:
        import importlib

        for module_name, attribute, label in STAGES:
            owner = importlib.import_module(module_name)
            *path, name = attribute.split(".")
            for part in path:
                owner = getattr(owner, part)
            setattr(owner, name, self._timed(getattr(owner, name), label))

    def _timed(self, function, label: str):
        def timed(*args, **kwargs):
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                self.seconds[label] += time.perf_counter() - start

        return timed

    def report(self, *, total: float, messages: int) -> None:
        print(f"where delivery time goes ({messages} messages, {total:.2f} s):")
        for _, _, label in STAGES:
            seconds = self.seconds[label]
            share = seconds / total * 100
            each = seconds / max(messages, 1) * 1000
            print(f"  {label:34} {seconds:6.2f} s {share:5.1f} % {each:6.2f} ms/message")
        rest = total - sum(self.seconds.values())
        print(f"  {'everything else':34} {rest:6.2f} s {rest / total * 100:5.1f} %")


def deliver_in_process(*, profile: bool) -> float:
    """Run each queued delivery task's batch here, one after the other."""
    from django_q.models import OrmQ

    from cohorts.outbox.services import outbox_deliver

    batches = [task.task["args"][0] for task in OrmQ.objects.order_by("pk")]
    timer = StageTimer() if profile else None
    if timer:
        timer.install()
    start = time.perf_counter()
    sent = sum(outbox_deliver(ids=ids) for ids in batches)
    seconds = time.perf_counter() - start
    OrmQ.objects.all().delete()
    if timer:
        timer.report(total=seconds, messages=sent)
    return seconds


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pairs", type=int, default=2500, help="published pairs")
    parser.add_argument("--workers", type=int, default=2, help="qcluster workers")
    parser.add_argument(
        "--in-process", action="store_true", help="deliver here, batch after batch"
    )
    parser.add_argument(
        "--profile", action="store_true", help="time the stages of in-process delivery"
    )
    return parser.parse_args()


def main() -> None:
    options = arguments()
    in_process = options.in_process or options.profile
    try:
        from aiosmtpd.controller import Controller
    except ImportError:
        raise SystemExit(NEEDS) from None

    sink = Sink()
    smtp = Controller(sink, hostname="127.0.0.1", port=free_port())
    smtp.start()
    folder = Path(tempfile.mkdtemp(prefix="portal-reminders-"))
    try:
        run(options, sink=sink, smtp_port=smtp.port, folder=folder, in_process=in_process)
    finally:
        smtp.stop()
        shutil.rmtree(folder, ignore_errors=True)


def run(options, *, sink: Sink, smtp_port: int, folder: Path, in_process: bool) -> None:
    database = folder / "db.sqlite3"
    copy_database(migrated_template(), database)
    env = environment(database, smtp_port, options.workers)
    os.environ.update(env)
    import django

    django.setup()
    from cohorts.models import OutboxMessage
    from cohorts.reminders.services.dispatch import reminders_dispatch
    from tests.cohorts.outbox.outbox_load import checkin_cohort, outbox_counts

    start = time.perf_counter()
    checkin_cohort(pairs=options.pairs)
    seeded = time.perf_counter() - start
    print(f"cohort: {options.pairs} published pairs built in {seeded:.1f} s (not timed)")

    start = time.perf_counter()
    dispatched = reminders_dispatch()
    dispatch_seconds = time.perf_counter() - start
    rows = OutboxMessage.objects.count()

    own_cpu, workers_cpu = cpu_seconds(resource.RUSAGE_SELF), cpu_seconds(resource.RUSAGE_CHILDREN)
    if in_process:
        how = "in-process, outbox_deliver batch after batch"
        delivery_seconds = deliver_in_process(profile=options.profile)
        worker_peak = 0
    else:
        how = f"a real qcluster, {options.workers} workers, ORM broker"
        delivery_seconds, worker_peak = deliver_with_cluster(env, folder / "qcluster.log")
    own_cpu = cpu_seconds(resource.RUSAGE_SELF) - own_cpu
    workers_cpu = cpu_seconds(resource.RUSAGE_CHILDREN) - workers_cpu
    received, duplicates = sink.totals()
    own_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    first = (sink.first_at - start - dispatch_seconds) if sink.first_at else 0.0
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())

    print(f"delivered by: {how}")
    print(f"machine: {os.cpu_count()} CPUs, load average {load}")
    print(f"rows written: {rows} (dispatcher: {dispatched})")
    print(f"outbox statuses: {outbox_counts()}")
    print(f"e-mails received: {received}")
    print(f"duplicates: {duplicates}")
    print(f"dispatch: {dispatch_seconds:.2f} s")
    print(f"delivery: {delivery_seconds:.2f} s (first e-mail after {first:.2f} s)")
    print(f"total: {dispatch_seconds + delivery_seconds:.2f} s (goal: under {GOAL_SECONDS} s)")
    if in_process:
        print(f"processor time while delivering: {own_cpu:.1f} s (SMTP server included)")
    else:
        print(
            f"processor time while delivering: qcluster {workers_cpu:.1f} s, "
            f"this process (SMTP server, polling) {own_cpu:.1f} s"
        )
    peaks = f"peak memory (resident): this process {own_peak / 1024:.0f} MiB"
    if worker_peak:
        peaks += f", largest qcluster process {worker_peak / 1024:.0f} MiB"
    print(peaks)
    if duplicates or received != rows:
        raise SystemExit("FAILED: every row must arrive exactly once")


if __name__ == "__main__":
    main()
