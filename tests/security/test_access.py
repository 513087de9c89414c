"""Access control, tested as a whole.

Every URL of the portal, generated from the URL configuration and from the page tree
(routable pages included), is requested by every role with GET and POST. No response is a
server error; the portal's own screens answer each role as they should; and two canaries,
one in a private note and one in a shared note, appear only in the responses of the people
allowed to read them. Afterwards the canaries are looked for in every table of the
database (search index and task queue included), in the captured logs and in every e-mail.

A URL pattern or a route whose parameters this module cannot fill fails the test: a new
URL cannot be forgotten.
"""

import logging
import re

import pytest
from django.core import mail
from django.db import connection, transaction
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import Page

from cohorts.models import ContactLog, PairDashboardPage, PairGoal
from cohorts.pairs.services.notes import note_add
from cohorts.pairs.services.pairs import contact_add, goal_add, support_request_send
from cohorts.pairs.views.dashboard import SECTIONS
from cohorts.program.selectors import cohort_events
from members.models import MemberProfile
from members.roles import CHAIR, COORDINATORS, EDITORS
from tests.cohorts.factories import make_pair
from tests.factories import member

pytestmark = pytest.mark.django_db

PRIVATE_CANARY = "CANARY-private-4f1d9e"
SHARED_CANARY = "CANARY-shared-b7c20a"
ROLES = [
    "anonymous",
    "pending",
    "member",
    "mentor",
    "mentee",
    "other_participant",
    "coordinator",
    "chair",
    "editor",
    "superuser",
]
READS_PRIVATE = {"mentee"}
READS_SHARED = {"mentee", "mentor"}
PROGRAM_STAFF = {"coordinator", "chair", "superuser"}
# Wagtail's, Django's and allauth's own screens answer every non-staff member alike (a login
# redirect), so they are walked by these roles; the portal's own URLs by every role. Django's
# own admin is not installed (tests/security/test_admin_crawl.py).
FRAMEWORK_ROLES = {"anonymous", "member", "coordinator", "editor", "superuser"}
PORTAL_PREFIXES = ("/admin/mentoring/", "/accounts/profile/", "/accounts/delete/", "/search/")
CONVERTER = re.compile(r"<(?:(?P<kind>\w+):)?(?P<name>\w+)>")
REGEX_GROUP = re.compile(r"\(\?P<(?P<name>\w+)>[^)]*\)")


class World:
    """The people and records every role is tried against."""

    def __init__(self, home):
        from tests.cohorts.factories import make_cohort

        today = timezone.localdate()
        cohort = make_cohort(home, today.year if today.month >= 6 else today.year - 1)
        self.dashboard = home.add_child(
            instance=PairDashboardPage(title="My mentoring", slug="my-mentoring")
        )
        self.pair = make_pair(cohort, mentor=member(), mentee=member())
        self.other_pair = make_pair(cohort, mentor=member(), mentee=member())
        mentee = self.pair.mentee.applicant
        self.private = note_add(pair=self.pair, user=mentee, text=PRIVATE_CANARY)
        self.shared = note_add(pair=self.pair, user=mentee, text=SHARED_CANARY, shared=True)
        contact_add(
            pair=self.pair, user=mentee, date=cohort.formal_start, minutes=30, method="email"
        )
        goal_add(pair=self.pair, user=mentee, text="Finish the RDA course.")
        support_request_send(pair=self.pair, user=mentee, message="Could we talk?")
        self.users = self._users()
        self._task_cluster_at_work()

    def _task_cluster_at_work(self) -> None:
        """Every schedule declared and just run, as on a live site: /healthz answers 200."""
        import io

        from django.core.management import call_command

        from portal.health import WATCHED
        from tests.portal.factories import task_run

        call_command("setup_schedules", stdout=io.StringIO())
        for name, _ in WATCHED.values():
            task_run(name, seconds_ago=30)

    def _users(self) -> dict:
        superuser = member("root@example.org")
        superuser.is_superuser = superuser.is_staff = True
        superuser.save()
        return {
            "anonymous": None,
            "pending": member("walk.pending@example.org", status="pending"),
            "member": member("plain.member@example.org"),
            "mentor": self.pair.mentor.applicant,
            "mentee": self.pair.mentee.applicant,
            "other_participant": self.other_pair.mentee.applicant,
            "coordinator": member("walk.coordinator@example.org", groups=[COORDINATORS]),
            "chair": member("walk.chair@example.org", groups=[CHAIR]),
            "editor": member("walk.editor@example.org", groups=[EDITORS]),
            "superuser": superuser,
        }

    # ---- values for URL parameters, by name ------------------------------------------------

    def value(self, name: str, route: str) -> list[str]:
        by_name = {
            "pair_id": [self.pair.pk, self.other_pair.pk],
            "cohort_id": [self.pair.cohort_id],
            "page_id": [self.dashboard.pk, self.pair.cohort_id],
            "parent_page_id": [self.dashboard.pk],
            "item_id": self.item_ids(),
            "section": sorted({name for name, _ in SECTIONS}),
            "event": [event.slug for event in cohort_events(cohort=self.pair.cohort)],
        }
        if name in by_name:
            return [str(v) for v in by_name[name]]
        if name in {"pk", "object_id", "id", "user_id", "profile_id", "application_id"}:
            return [str(v) for v in self.object_ids(route)]
        return ["x"]

    def object_ids(self, route: str) -> list[int]:
        if "application" in route:
            return [self.pair.mentee_id]
        if "member" in route or "user" in route:
            profile = MemberProfile.objects.get(user=self.pair.mentee.applicant)
            return [profile.pk, self.pair.mentee.applicant_id]
        return [self.pair.pk, self.private.pk]

    def item_ids(self) -> list[int]:
        contact = ContactLog.objects.filter(pair=self.pair).first()
        goal = PairGoal.objects.filter(pair=self.pair).first()
        return [self.private.pk, self.shared.pk, contact.pk, goal.pk]


def fill(route: str, world: World, pattern) -> list[str]:
    """Every concrete path for a route, one per combination of parameter values."""
    paths = [route]
    for regex in (CONVERTER, REGEX_GROUP):
        expanded = []
        for path in paths:
            names = [m.group("name") for m in regex.finditer(path)]
            options = [path]
            for name in names:
                options = [
                    regex.sub(lambda m, v=v: v, option, count=1)
                    for option in options
                    for v in world.value(name, route)
                ]
            expanded += options
        paths = expanded
    return ["/" + p.lstrip("^").rstrip("$").replace("\\", "") for p in paths]


def urlconf_paths(world: World) -> list[str]:
    def walk(patterns, prefix=""):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern) and route:
                yield route

    routes = [r for r in walk(get_resolver().url_patterns) if "(?P<url_path>" not in r]
    paths = []
    for route in routes:
        paths += fill(route, world, None)
    return sorted(set(paths))


def page_paths(world: World) -> list[str]:
    """Every page of the tree, and every route of every routable page."""
    paths = []
    for page in Page.objects.live().specific():
        url = page.url
        if not url:
            continue
        paths.append(url)
        if isinstance(page, RoutablePageMixin):
            for pattern in page.get_subpage_urls():
                paths += [url + p.lstrip("/") for p in fill(str(pattern.pattern), world, pattern)]
    return sorted(set(paths))


def walked_paths(world: World, role: str) -> list[str]:
    urls = urlconf_paths(world)
    if role not in FRAMEWORK_ROLES:
        urls = [path for path in urls if path.startswith(PORTAL_PREFIXES)]
    return urls + page_paths(world)


# ---- What each role should get from the portal's own screens ---------------------------------


def expected(role: str, path: str, world: World, method: str) -> set[int] | None:
    """The statuses allowed for this role and path, or None where only the general rules
    (no server error, no canary) apply."""
    dashboard = world.dashboard.url
    if path.startswith(dashboard) and path != dashboard:
        return _dashboard_statuses(role, path, world, dashboard)
    if path.startswith("/admin/mentoring/"):
        if role == "anonymous" or role not in PROGRAM_STAFF | {"editor"}:
            return {302}
        if role == "editor":
            return {302, 404}  # refused, or no such record
        if "/pair-views/" in path and role != "superuser":
            return {302}
        return {200, 302, 404, 405}
    return None


def _dashboard_statuses(role, path, world, dashboard) -> set[int]:
    if role == "anonymous":
        return {302}
    pair_id = int(path[len(dashboard) :].split("/")[0])
    owners = {
        world.pair.pk: {"mentor", "mentee"},
        world.other_pair.pk: {"other_participant"},
    }
    if role in owners.get(pair_id, set()):
        return {200, 302, 400, 404, 405}
    return {404}


# ---- The walk ---------------------------------------------------------------------------------


def request(client, method: str, path: str):
    """One request whose writes are rolled back, so the walk sees the same world throughout."""
    with transaction.atomic():
        response = client.get(path) if method == "GET" else client.post(path, {})
        transaction.set_rollback(True)
    return response


def body(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


@pytest.fixture
def world(home) -> World:
    return World(home)


@pytest.mark.parametrize("role", ROLES)
def test_every_url_answers_every_role_as_it_should(client, world, role, caplog):
    caplog.set_level(logging.INFO)
    user = world.users[role]
    paths = walked_paths(world, role)
    assert any(p.startswith(world.dashboard.url + str(world.pair.pk)) for p in paths)
    failures = []
    client.raise_request_exception = False  # a server error is recorded, not raised
    if user is not None:
        client.force_login(user)
    for method in ("GET", "POST"):
        for path in paths:
            if user is not None and "_auth_user_id" not in client.session:
                client.force_login(user)  # a logout URL ended the session
            response = request(client, method, path)
            text = body(response)
            if response.status_code >= 500:
                failures.append(f"{method} {path}: {response.status_code}")
            allowed = expected(role, path, world, method)
            if allowed is not None and response.status_code not in allowed:
                failures.append(f"{method} {path}: {response.status_code} not in {allowed}")
            if PRIVATE_CANARY in text and role not in READS_PRIVATE:
                failures.append(f"{method} {path}: private note shown to {role}")
            if SHARED_CANARY in text and role not in READS_SHARED:
                failures.append(f"{method} {path}: shared note shown to {role}")
    assert not failures, "\n".join(failures)
    assert PRIVATE_CANARY not in caplog.text and SHARED_CANARY not in caplog.text


def test_the_owners_do_read_their_notes(client, world):
    notes_url = world.dashboard.url + f"{world.pair.pk}/notes/"
    client.force_login(world.users["mentee"])
    page = body(client.get(notes_url))
    assert PRIVATE_CANARY in page and SHARED_CANARY in page
    client.force_login(world.users["mentor"])
    page = body(client.get(notes_url))
    assert SHARED_CANARY in page and PRIVATE_CANARY not in page


def test_no_canary_in_the_database_logs_or_mail(client, world, caplog):
    caplog.set_level(logging.INFO)
    client.force_login(world.users["mentee"])
    client.get(world.dashboard.url + f"{world.pair.pk}/notes/")
    hits = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"SELECT * FROM {quoted}")  # noqa: S608
            for row in cursor.fetchall():
                text = repr(row)
                if "CANARY-" in text:
                    hits.append(table)
    assert hits == []
    assert "CANARY-" not in caplog.text
    for message in mail.outbox:
        assert "CANARY-" not in message.subject + message.body
