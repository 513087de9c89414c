"""Speed of the coordinators' daily work at the size of a real year, served as production
serves it.

Run from the project root::

    .venv/bin/python benchmarks/coordinators.py [--repeat 7] [--workers N] [--database-url URL]

It builds a portal with the demo content and the large year (``load_demo_content --size
large``: 300 members, 250 applications in the cohort taking applications and their 150
suggestions, 100 pairs under way with a year of contacts and check-ins), serves it with
gunicorn and the production settings (server.py), logs in as the demo coordinator through
the login form, and times over loopback, one request at a time:

- the matching workspace with its 150 suggestions (the median of ``--repeat`` renders);
- accepting one suggestion, and rejecting another (each the median over ``--repeat``
  suggestions; the time until the answer, a redirect back to the workspace);
- accepting all the suggestions left at once (about 135), as the workspace's bulk button;
- the applications list of that cohort (250 applications, 50 a page, with the counts of all
  250 above it), and its last page;
- the Needs attention screen and the admin's dashboard with its panel;
- a status change of 100 applications through the listing's bulk action (Waitlist): its
  confirmation page listing the 100, then the confirmation posted, after which the benchmark
  checks that all 100 changed and their e-mails wait in the outbox.

Each figure comes with the queries that request costs, counted in a Django process with the
same settings and database (a logged-in coordinator, the test client; a POST counted on a
suggestion of its own). Goals: the workspace under 300 ms, one accept or reject under 150 ms,
the bulk accept, the applications list, and the confirmation and the change of 100 under
2 s each. The exit status is 1 when a goal
is missed.
"""

import argparse
import json
import re
import statistics
import sys
import time
import urllib.parse
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from server import FORWARDED, Portal, _cookie, goals_report

COORDINATOR = "coordinator@example.org"
BULK_CHANGE_SIZE = 100
GOALS_MS = {
    "workspace": 300,
    "accept": 150,
    "reject": 150,
    "accept_all": 2000,
    "applications": 2000,
    "bulk_confirm": 2000,
    "bulk": 2000,
}

# The ids the benchmark works on, read from the site it built.
_IDS = """
import json
from django.utils import timezone
from cohorts.models import Application, CohortPage, MatchSuggestion
today = timezone.localdate()
cohort = CohortPage.objects.get(applications_open__lte=today, application_deadline__gte=today)
print(json.dumps({
    "cohort": cohort.pk,
    "suggestions": list(
        MatchSuggestion.objects.filter(cohort=cohort).order_by("pk").values_list("pk", flat=True)
    ),
    "applications": list(
        Application.objects.filter(cohort=cohort, status="accepted", role="mentee")
        .order_by("pk").values_list("pk", flat=True)
    ),
}))
"""

# Queries of one POST, as a logged-in coordinator (the test client checks no CSRF token).
_COUNT_POST = """
import json
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from members.models import User
client = Client(HTTP_X_FORWARDED_PROTO="https", HTTP_HOST="127.0.0.1")
client.force_login(User.objects.get(email=%(email)r))
client.get(%(path)r)
with CaptureQueriesContext(connection) as queries:
    status = client.post(%(path)r, %(data)s, headers=%(headers)s).status_code
assert status in (200, 302), status
print(json.dumps(len(queries)))
"""

_NOW = "from django.utils import timezone; print(timezone.now().isoformat())"

# What a bulk status change did: the applications now in that status among those asked, and
# the e-mails the outbox holds for them, queued since ``since`` (a moment in ISO format).
_STATUS_CHANGED = """
import json
from django.utils.dateparse import parse_datetime
from cohorts.models import Application, OutboxMessage
ids = %(ids)s
print(json.dumps({
    "changed": Application.objects.filter(pk__in=ids, status=%(status)r).count(),
    "queued": OutboxMessage.objects.filter(created_at__gte=parse_datetime(%(since)r)).count(),
}))
"""


class Forms(HTMLParser):
    """The page's forms: each its address, whether htmx posts it, its hidden inputs and its
    submit buttons (name, value)."""

    def __init__(self, page: str):
        super().__init__()
        self.forms: list[dict] = []
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("method", "").lower() == "post":
            self.forms.append(
                {"action": attrs.get("action") or "", "htmx": "hx-post" in attrs, "fields": [],
                 "buttons": []}
            )  # fmt: skip
        elif self.forms and tag == "input" and attrs.get("type") == "hidden":
            self.forms[-1]["fields"].append((attrs.get("name", ""), attrs.get("value", "")))
        elif self.forms and tag == "button" and attrs.get("name"):
            self.forms[-1]["buttons"].append((attrs["name"], attrs.get("value", "")))

    def with_field(self, name: str) -> dict:
        """The form with a hidden field of this name."""
        for form in self.forms:
            if any(field == name for field, _value in form["fields"]):
                return form
        raise LookupError(f"no form with a field {name}")

    def with_button(self, button: tuple[str, str], field: tuple[str, str] | None = None) -> dict:
        """The form with this submit button (and this hidden field, when given)."""
        for form in self.forms:
            if button in form["buttons"] and (field is None or field in form["fields"]):
                return form
        raise LookupError(f"no form with {button} {field or ''}")


class Coordinator:
    """A coordinator's browser: the session, and the CSRF token of the last page read."""

    def __init__(self, portal: Portal):
        self.portal = portal
        self.session = portal.login(COORDINATOR)
        self.csrf_cookie = ""
        self.token = ""
        self.page = ""

    @property
    def cookie(self) -> str:
        return self.session + (f"; csrftoken={self.csrf_cookie}" if self.csrf_cookie else "")

    def get(self, path: str) -> float:
        """Milliseconds until the page has arrived; keeps its CSRF token."""
        started = time.perf_counter()
        response = self.portal.get(path, cookie=self.cookie)
        body = response.read().decode()
        elapsed = (time.perf_counter() - started) * 1000
        assert response.status == 200, f"{path} answered {response.status}"
        self.csrf_cookie = _cookie(response, "csrftoken") or self.csrf_cookie
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body)
        self.token = token.group(1) if token else self.token
        self.page = body
        return elapsed

    def submit(self, path: str, form: dict, button: tuple[str, str]) -> float:
        """Milliseconds until the answer to ``form`` of the page at ``path``, sent with
        ``button`` as a browser sends it (by htmx when the form asks for it)."""
        fields = [(name, value) for name, value in form["fields"] if name != "csrfmiddlewaretoken"]
        return self.post(form["action"] or path, [*fields, button], htmx=form["htmx"])

    def post(self, path: str, data: list[tuple[str, str]], *, htmx: bool = False) -> float:
        """Milliseconds until the answer to a form posted to ``path``."""
        request = urllib.request.Request(
            self.portal.base_url + path,
            data=urllib.parse.urlencode([("csrfmiddlewaretoken", self.token), *data]).encode(),
            headers={
                **FORWARDED,
                "Cookie": self.cookie,
                "Referer": f"https://127.0.0.1:{self.portal.port}{path}",
                **({"HX-Request": "true"} if htmx else {}),
            },
        )
        started = time.perf_counter()
        response = self.portal._open(request)
        response.read()
        elapsed = (time.perf_counter() - started) * 1000
        assert response.status in (200, 302), f"POST {path} answered {response.status}"
        return elapsed


def median_of(times: list[float]) -> float:
    return statistics.median(times)


def count_post(portal: Portal, path: str, data: dict, *, htmx: bool) -> int:
    headers = {"HX-Request": "true"} if htmx else {}
    script = _COUNT_POST % {
        "email": COORDINATOR,
        "path": path,
        "data": repr(data),
        "headers": repr(headers),
    }
    return json.loads(portal.manage("shell", "-c", script).strip().splitlines()[-1])


def bulk_path(application_ids: list[int], action: str) -> str:
    """The address of a bulk action's confirmation page for these applications."""
    listing = "/admin/mentoring/applications/"
    query = urllib.parse.urlencode([("next", listing), *(("id", pk) for pk in application_ids)])
    return f"/admin/bulk/cohorts/application/{action}/?{query}"


def bulk_confirmation(me: "Coordinator", path: str) -> tuple[float, list[tuple[str, str]]]:
    """A bulk action's confirmation page, read as a coordinator reads it: its milliseconds,
    and the fields its form posts (the note left empty)."""
    shown = me.get(path)
    form = Forms(me.page).with_field("confirmed")
    fields = [(name, value) for name, value in form["fields"] if name != "csrfmiddlewaretoken"]
    return shown, [*fields, ("note", "")]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="", help="an empty database (default SQLite)")
    parser.add_argument("--workers", type=int, default=0, help="gunicorn workers")
    parser.add_argument("--repeat", type=int, default=7, help="renders and single actions timed")
    arguments = parser.parse_args()
    figures: dict[str, tuple[float, int, str]] = {}
    with Portal(
        database_url=arguments.database_url, workers=arguments.workers, demo_size="large"
    ) as portal:
        database = "PostgreSQL" if arguments.database_url else "SQLite"
        print(f"gunicorn at {portal.base_url}, {len(portal.worker_pids())} workers, {database}")
        ids = json.loads(portal.manage("shell", "-c", _IDS).strip().splitlines()[-1])
        workspace = f"/admin/mentoring/matching/{ids['cohort']}/"
        applications = f"/admin/mentoring/applications/?cohort={ids['cohort']}"
        suggestions = list(ids["suggestions"])
        repeat = arguments.repeat
        print(f"{len(suggestions)} suggestions, {len(ids['applications'])} accepted mentees")
        me = Coordinator(portal)

        queries = portal.query_counts([workspace], email=COORDINATOR)[workspace]
        renders = [me.get(workspace) for _ in range(repeat + 1)][1:]
        figures["workspace"] = (
            median_of(renders),
            queries,
            f"matching workspace, {len(suggestions)} suggestions",
        )

        for action in ("accept", "reject"):
            button = ("action", action)
            counted = str(suggestions.pop())
            form = Forms(me.page).with_button(button, ("suggestion", counted))
            data = dict([*form["fields"], button])
            queries = count_post(portal, form["action"] or workspace, data, htmx=form["htmx"])
            times = []
            for _ in range(repeat):
                me.get(workspace)
                suggestion = ("suggestion", str(suggestions.pop()))
                form = Forms(me.page).with_button(button, suggestion)
                times.append(me.submit(workspace, form, button))
            figures[action] = (median_of(times), queries, f"{action} one suggestion")

        me.get(workspace)
        button = ("action", "accept_all")
        form = Forms(me.page).with_button(button)
        left = sum(1 for name, _value in form["fields"] if name == "suggestion")
        elapsed = me.submit(workspace, form, button)
        figures["accept_all"] = (elapsed, -1, f"accept all {left} suggestions left")

        for name, path in (
            ("applications", applications),
            ("applications_last_page", applications + "&p=5"),
            ("attention", "/admin/mentoring/attention/"),
            ("dashboard", "/admin/"),
        ):
            queries = portal.query_counts([path], email=COORDINATOR)[path]
            times = [me.get(path) for _ in range(repeat + 1)][1:]
            label = {
                "applications": "applications list, 250 in the cohort, page 1",
                "applications_last_page": "applications list, page 5",
                "attention": "Needs attention screen",
                "dashboard": "admin dashboard with the Needs attention panel",
            }[name]
            figures[name] = (median_of(times), queries, label)

        changed = ids["applications"][:BULK_CHANGE_SIZE]
        since = portal.manage("shell", "-c", _NOW).strip().splitlines()[-1]
        waitlist, accept = bulk_path(changed, "waitlist"), bulk_path(changed, "accept")
        confirm_queries = portal.query_counts([waitlist], email=COORDINATOR)[waitlist]
        shown, fields = bulk_confirmation(me, waitlist)
        elapsed = me.post(waitlist, fields)
        done = json.loads(
            portal.manage("shell", "-c", _STATUS_CHANGED % {
                "ids": changed, "status": "waitlisted", "since": since,
            }).strip().splitlines()[-1]
        )  # fmt: skip
        assert done["changed"] == len(changed), done
        assert done["queued"] >= len(changed), done
        # The queries of the same change, counted on the way back (waitlisted to accepted).
        _shown, fields = bulk_confirmation(me, accept)
        queries = count_post(portal, accept, dict(fields), htmx=False)
        figures["bulk_confirm"] = (
            shown,
            confirm_queries,
            f"confirmation page of a bulk Waitlist of {len(changed)} applications",
        )
        figures["bulk"] = (
            elapsed,
            queries,
            f"Waitlist {done['changed']} applications, {done['queued']} e-mails queued",
        )

    print(f"\none request at a time, over loopback; the median of {repeat} where repeated")
    for key, (elapsed, queries, label) in figures.items():
        counted = (
            f"{queries} queries"
            if queries >= 0
            else {"accept_all": "3 queries a pair written"}.get(key, "")
        )
        print(f"  {label:62} {elapsed:8.1f} ms  {counted}")
    goals = {
        f"{figures[key][2]}: under {limit:,} ms": figures[key][0] < limit
        for key, limit in GOALS_MS.items()
    }
    return goals_report(goals)


if __name__ == "__main__":
    sys.exit(main())
