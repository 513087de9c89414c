"""Speed of the pages people read most, served as production serves them.

Run from the project root (needs wrk: ``apt-get install wrk``)::

    .venv/bin/python benchmarks/web.py [--seconds 15] [--workers N] [--database-url URL]

It builds a portal with the demo content (server.py), serves it with gunicorn and loads it
with ``wrk -t2 -c16 --latency`` over loopback, one bounded run per page:

- the home page (the program overview) and a resource page, as an anonymous reader: the
  first visit renders the page, the rest come from the page cache;
- a participant's dashboard (``/my-mentoring/``), logged in: sixteen sessions of the demo
  mentor and mentee take turns; every request reads its session and its member, and each
  session is renewed (written) when a minute old, as on the live site.

It prints each page's requests per second, p50 and p99 latency, errors and database queries,
then the compression and cache headers of a static file.

Then the ceiling: a Django application with one view and no middleware
(benchmarks/bare_app.py), started beside the portal with the same gunicorn workers, sends
the overview's bytes; wrk loads it and the portal's overview in turn, five times each. Each
pair of runs, a few seconds apart, gives a ratio; their median tells how close a page from
the page cache comes to a bare view on the same machine at the same moment (a busy machine
moves both alike).

It checks the goals: the overview at 1,000 requests/s or more with p99 under 50 ms and at
0.8 or more of the bare view's rate, the dashboard at p99 under 150 ms, static files
compressed and cached for a year or more. The exit status is 1 when a goal is missed.
"""

import re
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from server import (
    DASHBOARD,
    PARTICIPANTS,
    BareApp,
    goals_report,
    portal_from_arguments,
    wrk_run,
)

HOME = "/"
RESOURCE = "/resources/guide-for-mentors/"
SESSIONS_PER_PARTICIPANT = 8
ONE_YEAR = 365 * 24 * 3600
CEILING_ROUNDS = 5
CEILING_GOAL = 0.8


def static_file_headers(portal) -> list[tuple[str, str, str, int]]:
    """(encoding asked, file, Content-Encoding, max-age) for the site's stylesheet."""
    page = portal.get(HOME).read().decode()
    stylesheet = re.search(r'href="(/static/[^"]+\.css)"', page).group(1)
    rows = []
    for encoding in ("br", "gzip"):
        response = portal.get(stylesheet, headers={"Accept-Encoding": encoding})
        max_age = re.search(r"max-age=(\d+)", response.headers.get("Cache-Control", ""))
        rows.append(
            (
                encoding,
                stylesheet,
                response.headers.get("Content-Encoding", "none"),
                int(max_age.group(1)) if max_age else 0,
            )
        )
    return rows


def ceiling_runs(portal, seconds: int) -> tuple[list[float], list[float]]:
    """Requests/s of the bare view and of the cached overview, alternating, CEILING_ROUNDS
    runs each."""
    body = portal.get(HOME).read()
    bare_rates, overview_rates = [], []
    with BareApp(
        workers=len(portal.worker_pids()), body=body, log=portal.workdir / "bare.log"
    ) as bare:
        for _ in range(CEILING_ROUNDS):
            bare_rates.append(wrk_run(bare.base_url, [("/", "")], seconds=seconds).rps)
            overview_rates.append(wrk_run(portal.base_url, [(HOME, "")], seconds=seconds).rps)
    return bare_rates, overview_rates


def main() -> int:
    with portal_from_arguments(__doc__.splitlines()[0]) as (portal, arguments):
        print(f"gunicorn at {portal.base_url}, {len(portal.worker_pids())} workers")
        anonymous_queries = portal.query_counts([HOME, RESOURCE])
        dashboard_queries = portal.query_counts([DASHBOARD], email=PARTICIPANTS[0])

        cookies = [
            portal.login(email) for email in PARTICIPANTS for _ in range(SESSIONS_PER_PARTICIPANT)
        ]
        for cookie in cookies:
            response = portal.get(DASHBOARD, cookie=cookie)
            assert response.status == 200, f"dashboard answered {response.status}"
        for path in (HOME, RESOURCE):
            portal.get(path)  # the first visit fills the page cache

        seconds = arguments.seconds
        runs = {
            "home (anonymous)": (HOME, wrk_run(portal.base_url, [(HOME, "")], seconds=seconds)),
            "resource page (anonymous)": (
                RESOURCE,
                wrk_run(portal.base_url, [(RESOURCE, "")], seconds=seconds),
            ),
            "dashboard (logged in)": (
                DASHBOARD,
                wrk_run(portal.base_url, [(DASHBOARD, c) for c in cookies], seconds=seconds),
            ),
        }
        print(f"\nwrk -t2 -c16 -d{arguments.seconds}s, over loopback")
        for name, (path, load) in runs.items():
            queries = {**anonymous_queries, **dashboard_queries}[path]
            cached = " to render, 0 from the page cache" if path != DASHBOARD else ""
            print(f"  {name:27} {load.line()}  {queries} queries{cached}")

        print("\nstatic files")
        static = static_file_headers(portal)
        for encoding, path, content_encoding, max_age in static:
            print(
                f"  Accept-Encoding: {encoding:4} {path}  Content-Encoding: {content_encoding}  "
                f"max-age {max_age} s ({max_age / ONE_YEAR:.1f} years)"
            )

        bare_rates, overview_rates = ceiling_runs(portal, seconds)
        ratios = [
            overview / bare for bare, overview in zip(bare_rates, overview_rates, strict=True)
        ]
        ratio = statistics.median(ratios)
        print(
            f"\nthe overview against a bare Django view sending the same bytes "
            f"({CEILING_ROUNDS} runs each, in turn)"
        )
        for name, rates in (("bare view", bare_rates), ("overview (page cache)", overview_rates)):
            each = ", ".join(f"{rate:.0f}" for rate in rates)
            print(f"  {name:27} {statistics.median(rates):8.0f} req/s median  (runs: {each})")
        each = ", ".join(f"{r:.2f}" for r in ratios)
        print(f"  ratio {ratio:.2f}, the median of each pair's (runs: {each})")

    home, dashboard = runs["home (anonymous)"][1], runs["dashboard (logged in)"][1]
    goals = {
        "overview: 1,000 requests/s or more": home.rps >= 1000,
        "overview: p99 under 50 ms": home.p99_ms < 50,
        f"overview: {CEILING_GOAL} or more of a bare view's rate": ratio >= CEILING_GOAL,
        "dashboard: p99 under 150 ms": dashboard.p99_ms < 150,
        "no errors": all(load.errors == 0 for _, load in runs.values()),
        "static files compressed (br and gzip)": [row[2] for row in static] == ["br", "gzip"],
        "static files cached for a year or more": all(row[3] >= ONE_YEAR for row in static),
    }
    return goals_report(goals)


if __name__ == "__main__":
    sys.exit(main())
