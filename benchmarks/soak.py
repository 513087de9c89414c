"""An hour of a busy day, compressed: anonymous readers and logged-in participants together,
with the gunicorn workers never recycled, so that any leak would show.

Run from the project root (needs wrk: ``apt-get install wrk``)::

    .venv/bin/python benchmarks/soak.py [--requests 36000] [--round-seconds 20]

It builds a portal with the demo content (server.py) and serves it with gunicorn with
``--max-requests 0``. Each round is a bounded wrk run (16 connections) over a mix of
requests: 70% anonymous readers over every page in the sitemap, 30% participants (the demo
mentor and mentee, eight sessions each) on their dashboard, their pair's page and sections,
and their profile. Rounds go on until the whole run has served ``--requests`` requests (by
default 36,000: an hour at ten requests a second, more than the association's busiest
hour), at most ``--max-rounds``.

After a warm-up round, it records the resident memory (RSS) of every worker, then again
after each round, and prints the figures. It checks the goals: no error (every response 200,
no socket error) and the workers' memory at the end no more than 20% above the warm-up
figure. The exit status is 1 when a goal is missed.
"""

import argparse
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from server import DASHBOARD, PARTICIPANTS, Portal, goals_report, wrk_run

SESSIONS_PER_PARTICIPANT = 8
ANONYMOUS_SHARE = 0.7
MEMORY_GROWTH_LIMIT = 0.20


def public_paths(portal: Portal) -> list[str]:
    """Every page in the sitemap that an anonymous reader may read (the application form
    and the dashboard send them to the login page first)."""
    sitemap = portal.get("/sitemap.xml").read().decode()
    paths = [re.sub(r"^https?://[^/]+", "", loc) for loc in re.findall(r"<loc>([^<]+)", sitemap)]
    return [path for path in paths if portal.get(path).status == 200]


def participant_paths(portal: Portal, cookie: str) -> list[str]:
    """The participant's dashboard, their pair's page and its sections, and their profile."""
    dashboard = portal.get(DASHBOARD, cookie=cookie).read().decode()
    pair = re.search(rf'href="({re.escape(DASHBOARD)}\d+/)"', dashboard).group(1)
    pair_page = portal.get(pair, cookie=cookie).read().decode()
    sections = set(re.findall(rf'href="({re.escape(pair)}[a-z-]+/)"', pair_page))
    return [DASHBOARD, pair, *sorted(sections), "/accounts/profile/"]


def request_mix(portal: Portal) -> list[tuple[str, str]]:
    anonymous = [(path, "") for path in public_paths(portal)]
    logged_in = []
    for email in PARTICIPANTS:
        cookies = [portal.login(email) for _ in range(SESSIONS_PER_PARTICIPANT)]
        paths = participant_paths(portal, cookies[0])
        logged_in += [(path, cookie) for cookie in cookies for path in paths]
    for path, cookie in logged_in:
        status = portal.get(path, cookie=cookie).status
        assert status == 200, f"{path} answered {status}"
    # Interleave the two kinds in the wanted proportion, in a fixed order.
    anonymous_per_logged_in = ANONYMOUS_SHARE / (1 - ANONYMOUS_SHARE)
    mix, owed = [], 0.0
    for index in range(max(len(anonymous), len(logged_in)) * 4):
        mix.append(logged_in[index % len(logged_in)])
        owed += anonymous_per_logged_in
        while owed >= 1:
            mix.append(anonymous[index % len(anonymous)])
            owed -= 1
    return mix


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=36_000)
    parser.add_argument("--round-seconds", type=int, default=20)
    parser.add_argument("--max-rounds", type=int, default=15)
    parser.add_argument("--database-url", default="", help="an empty database (default SQLite)")
    arguments = parser.parse_args()

    with Portal(database_url=arguments.database_url, max_requests=False) as portal:
        mix = request_mix(portal)
        distinct = {path for path, _ in mix}
        print(
            f"gunicorn at {portal.base_url}, {len(portal.worker_pids())} workers, never "
            f"recycled; {len(distinct)} pages in the mix, "
            f"{sum(1 for _, c in mix if not c) / len(mix):.0%} anonymous"
        )
        warm_up = wrk_run(portal.base_url, mix, seconds=arguments.round_seconds)
        baseline = portal.worker_rss_mib()
        print(f"warm-up   {warm_up.line()}  workers {sum(baseline.values()):7.1f} MiB")

        served, errors, rounds = 0, warm_up.errors, 0
        while served < arguments.requests and rounds < arguments.max_rounds:
            rounds += 1
            load = wrk_run(portal.base_url, mix, seconds=arguments.round_seconds)
            served += load.requests
            errors += load.errors
            rss = portal.worker_rss_mib()
            print(f"round {rounds:2}  {load.line()}  workers {sum(rss.values()):7.1f} MiB")
        replaced = set(rss) != set(baseline)

    growth = sum(rss.values()) / sum(baseline.values()) - 1
    print(
        f"\n{served} requests after the warm-up, {errors} errors; workers' memory "
        f"{sum(baseline.values()):.1f} MiB -> {sum(rss.values()):.1f} MiB ({growth:+.1%})"
    )
    for pid in sorted(baseline):
        print(f"  worker {pid}: {baseline[pid]:6.1f} MiB -> {rss.get(pid, 0):6.1f} MiB")
    goals = {
        f"{arguments.requests} requests served": served >= arguments.requests,
        "no errors": errors == 0,
        "no worker replaced during the run": not replaced,
        f"workers' memory grew by {MEMORY_GROWTH_LIMIT:.0%} or less": growth
        <= MEMORY_GROWTH_LIMIT,
    }
    return goals_report(goals)


if __name__ == "__main__":
    sys.exit(main())
