"""CSRF: every state-changing URL refuses a request without a token.

The walk builds a concrete address for every pattern of the project's URLconf (values for
its arguments come from real objects of a small world: a cohort under way with its
application page, survey, dashboard and a published pair, the contact page, members and
a superuser), then POSTs to it with a client that enforces CSRF checks and carries a CSRF
cookie but no token, logged in as a user who could otherwise use the page. Every answer
must be 403 and no table of the project may change.

Wagtail serves its pages through one catch-all pattern, so the page routes that take a
POST (contact form, application, survey, every dashboard section, ...) are listed in
``page_routes`` and walked one by one.

Why 403 and nothing else: Django's CsrfViewMiddleware refuses the request in
``process_view``, before any view runs, so a GET-only view answers 403 too (never 405),
and an address whose object is missing answers 403 (never 404). A view that answers
anything else was reached without a token (``csrf_exempt``, or a middleware that answers
first) and is reported. https://docs.djangoproject.com/en/5.2/ref/csrf/

Completeness: every pattern of the resolver is either walked or listed in ``SKIPPED`` with
its reason, so a new URL cannot escape the walk.
"""

import datetime
import re

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection
from django.http import HttpResponse
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, path, resolve
from django.urls.resolvers import RegexPattern
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from wagtail.models import Collection, Page, Revision, Site, Workflow

from cohorts.choices import OPTIONAL_REMINDERS, ReminderKind
from cohorts.models import (
    Announcement,
    Application,
    ApplicationPage,
    OutboxMessage,
    Pair,
    PairDashboardPage,
)
from cohorts.outbox.services import outbox_add
from cohorts.reminders import links
from home.models import SiteSettings
from members.models import MemberProfile, MemberRoster
from members.roles import COORDINATORS
from tests.cohorts.factories import make_cohort, make_pair
from tests.factories import UserFactory, contact_page, member
from tests.surveys.factories import add_survey

pytestmark = pytest.mark.django_db

PROJECT_APPS = ("cohorts", "members", "home", "surveys", "resources")
# Patterns that the walk does not POST to, each with its reason.
SHADOWED = "shadowed: an earlier pattern with the same address answers (walked there)"
SNIPPET_CREATE = "wagtail.snippets.views.chooser.SnippetCreateView"
MODELS_WITH_SNIPPET_CHOOSER = (
    "resources/resourcetopic",
    "cohorts/remindertemplate",
    "members/areaofinterest",
)
SKIPPED = {
    # portal/urls.py replaces these Wagtail views with its own, listed first.
    "admin/failwhale/ wagtail.admin.views.home.error_test": SHADOWED,
    "admin/choose-external-link/ wagtail.admin.views.chooser.ExternalLinkView": SHADOWED,
    "admin/pages/<int:page_id>/copy/ wagtail.admin.viewsets.pages.view_router": SHADOWED,
    "admin/redirects/import/process/ wagtail.contrib.redirects.views.process_import": SHADOWED,
    "admin/forms/ wagtail.contrib.forms.views.FormPagesListView": SHADOWED,
    "admin/forms/results/ wagtail.contrib.forms.views.FormPagesListView": SHADOWED,
    "admin/login/ wagtail.admin.views.account.LoginView": SHADOWED,
    # The portal's snippet choosers offer no "create" tab (portal/urls.py answers 404).
    **{
        f"admin/snippets/choose/{model}/create/ {SNIPPET_CREATE}": SHADOWED
        for model in MODELS_WITH_SNIPPET_CHOOSER
    },
    # members/urls.py starts the sign-on's login in its own view (members/sso/views.py).
    "accounts/oidc/^(?P<provider_id>[^/]+)/login/ "
    "allauth.socialaccount.providers.openid_connect.views.login": SHADOWED,
    # members/urls.py serves never-cached copies of allauth's account URLs before
    # allauth.urls; allauth's own patterns stay only for reverse().
    **{
        f"accounts/{route} allauth.account.views.{view} (shadowed)": SHADOWED
        for route, view in [
            ("login/", "LoginView"),
            ("logout/", "LogoutView"),
            ("inactive/", "AccountInactiveView"),
            ("signup/", "SignupView"),
            ("reauthenticate/", "ReauthenticateView"),
            ("email/", "EmailView"),
            ("confirm-email/", "email_verification_sent"),
            ("password/change/", "PasswordChangeView"),
            ("password/set/", "PasswordSetView"),
            ("password/reset/", "PasswordResetView"),
            ("login/code/confirm/", "ConfirmLoginCodeView"),
            (r"^confirm-email/(?P<key>[-:\w]+)/$", "ConfirmEmailView"),
            ("password/reset/key/done/", "PasswordResetFromKeyDoneView"),
            (
                r"^password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$",
                "PasswordResetFromKeyView",
            ),
            ("password/reset/done/", "PasswordResetDoneView"),
        ]
    },
}
# Views that skip Django's CSRF check on purpose, and why. The walk POSTs to them with a
# forged token and expects a refusal (400) that changes nothing.
EXEMPT_BY_DESIGN = {
    "reminders/unsubscribe/<str:token>/ cohorts.reminders.views.unsubscribe": (
        "RFC 8058 one-click unsubscribe: mail providers POST without cookies or token; the "
        "signed token is the proof, and it can only stop one optional kind of e-mail"
    ),
}
# Django REST framework views are csrf_exempt and enforce CSRF themselves for a session
# login (SessionAuthentication.enforce_csrf); the walk checks they answer 403.
DRF_MODULES = ("wagtail.admin.api.", "wagtail.documents.api.", "wagtail.images.api.")
# Concrete text for the regular-expression pieces of the URLconf.
REGEX_SAMPLES = {
    r"(?P<url>.*)$": "no-such-page/",
    r"^((?:[\w\-]+/)*)$": "",
    r"^(?P<app_label>wagtaildocs|wagtailimages|taggit|django_q|account|axes|auth)/$": "auth/",
    r"^(\d+)/(.*)$": "{document}/guide.pdf",
    r"^.*/$": "no-such-admin-page/",
    r"^confirm-email/(?P<key>[-:\w]+)/$": "confirm-email/not-a-key/",
    r"^(?P<provider_id>[^/]+)/": "association/",
    r"^documents/": "documents/",
    r"^images/": "images/",
    r"^pages/": "pages/",
    r"^password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$": (
        "password/reset/key/1-set-password/"
    ),
    (
        r"^(?P<pk>\d+)/revisions/compare/(?P<revision_id_a>live|earliest|\d+)"
        r"\.\.\.(?P<revision_id_b>live|latest|\d+)/$"
    ): "{page}/revisions/compare/earliest...latest/",
}
# The model behind an admin address's ``pk``, by a piece of the address.
PK_MODELS = {
    "mentoring/applications/": Application,
    "mentoring/pairs/": Pair,
    "mentoring/members/": MemberProfile,
    "mentoring/roster/": MemberRoster,
    "mentoring/announcements/": Announcement,
    "mentoring/outbox/": OutboxMessage,
    "collections/": Collection,
    "workflows/": Workflow,
    "users/": get_user_model(),
    "groups/": Group,
    "sites/": Site,
    "settings/": SiteSettings,
    "api/main/pages/": Page,
}
ROUTE_ARGUMENT = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


# The world ---------------------------------------------------------------------------------


@pytest.fixture(name="world")
def fixture_world(home, django_capture_on_commit_callbacks) -> dict:
    """Real objects for every argument the walk fills, and the users who would be let in."""
    today = timezone.localdate()
    cohort = make_cohort(home, today.year if today.month >= 6 else today.year - 1)
    application_page = cohort.add_child(instance=ApplicationPage(title="Apply", slug="apply"))
    dashboard = home.add_child(
        instance=PairDashboardPage(title="My mentoring", slug="my-mentoring")
    )
    pair = make_pair(cohort)
    contact = contact_page(home)
    survey = add_survey(cohort)
    mentor = pair.mentor.applicant
    [message_id] = outbox_add(
        kind=ReminderKind.CHECKIN, cohort=cohort, period="q1", recipients=[(mentor.pk, pair.pk)]
    )
    revision = contact.save_revision()
    return {
        "home": home,
        "cohort": cohort,
        "application_page": application_page,
        "dashboard": dashboard,
        "pair": pair,
        "contact": contact,
        "survey": survey,
        "revision": revision,
        "message_id": message_id,
        "member": mentor,
        "admin": UserFactory(is_superuser=True, is_staff=True),
        "coordinator": member(groups=[COORDINATORS]),
    }


def page_routes(world) -> list[str]:
    """Every address Wagtail serves through its catch-all that takes a POST (and the GET-only
    ones beside them): forms on pages, the application, the survey, the dashboard's sections."""
    dashboard, pair = world["dashboard"], world["pair"]
    pair_url = dashboard.url + dashboard.reverse_subpage("pair", args=[pair.pk])
    sections = ["contacts", "agreement", "goals", "notes", "support", "change", "end", "letter"]
    items = ["contacts-edit", "contacts-delete", "goals", "notes-edit", "notes-share"]
    items += ["notes-delete", "goals-delete"]
    return [
        "/",
        world["contact"].url,
        world["cohort"].url,
        world["cohort"].url + "calendar/",
        world["application_page"].url,
        world["survey"].url,
        dashboard.url,
        pair_url,
        *[f"{pair_url}{section}/" for section in sections],
        *[f"{pair_url}{section}/1/" for section in items],
    ]


# The walk ----------------------------------------------------------------------------------


def view_name(pattern: URLPattern) -> str:
    view = getattr(pattern.callback, "view_class", None) or pattern.callback
    return f"{view.__module__}.{getattr(view, '__name__', type(view).__name__)}"


def pattern_key(route: str, pattern: URLPattern) -> str:
    return f"{route} {view_name(pattern)}"


def concrete_path(route_pieces: list[tuple[object, bool]], world) -> str:
    """The address of a pattern, its arguments filled with the world's objects."""
    text = ""
    for piece, is_regex in route_pieces:
        piece = REGEX_SAMPLES[str(piece)] if is_regex else str(piece)
        text += piece
    text = text.format(page=world["contact"].pk, document=1)
    return "/" + ROUTE_ARGUMENT.sub(lambda match: argument(match, text, world), text)


def argument(match, route: str, world) -> str:
    name, converter = match["name"], match["converter"] or "str"
    if converter == "int" or name.endswith("_id") or name == "pk":
        return str(object_id(name, route, world))
    return str_argument(name, route, world)


def object_id(name: str, route: str, world) -> int:
    pages = {"page_id", "parent_page_id", "page_to_move_id", "destination_id", "page_pk"}
    if name in pages:
        return (
            world["home"].pk if "parent" in name or "destination" in name else world["contact"].pk
        )
    named = {"cohort_id": world["cohort"].pk, "pair_id": world["pair"].pk}
    named.update(revision_id=world["revision"].pk, session_id=1)
    if name in named:
        return named[name]
    snippet = re.search(r"snippets/(?:choose/)?(\w+)/(\w+)/", route)
    model = apps.get_model(*snippet.groups()) if snippet else None
    for piece, candidate in PK_MODELS.items():
        model = model or (candidate if piece in route else None)
    row = model.objects.order_by("pk").first() if model else None
    # No row of that kind in the world (images, documents, tasks): any id does, since the
    # CSRF check answers before a view looks it up.
    return row.pk if row else 1


def str_argument(name: str, route: str, world) -> str:
    values = {
        "app_label": "home",
        "model_name": "standardpage",
        "app_name": "resources",
        "content_type_app_name": "home",
        "content_type_model_name": "standardpage",
        "action": "delete",
        "action_name": "approve",
        "filter_spec": "original",
        "object_id": str(world["contact"].pk),
        "uidb64": "MQ",
        "token": "set-password",
        "event": "deadline",
    }
    if "settings/" in route:
        values.update(app_name="home", model_name="sitesettings")
    if "/bulk/" in route:
        values.update(app_label="wagtailcore", model_name="page")
    if "roster/import/" in route:
        values["token"] = "not-a-preview"
    return values.get(name, "x")


def pieces_of(patterns=None, prefix=(), seen=None):
    """(key, pattern pieces, URLPattern) for every pattern, depth first. A key is the route
    and the view; a second pattern with the same key is marked "(shadowed)"."""
    seen = set() if seen is None else seen
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        piece = (entry.pattern, isinstance(entry.pattern, RegexPattern))
        if isinstance(entry, URLResolver):
            yield from pieces_of(entry.url_patterns, (*prefix, piece), seen)
            continue
        route = "".join(str(p) for p, _ in (*prefix, piece))
        key = pattern_key(route, entry)
        key += " (shadowed)" if key in seen else ""
        seen.add(key)
        yield key, [*prefix, piece], entry


def token_paths(world) -> dict[str, str]:
    """The reminder links, with real signed tokens."""
    return {
        "reminders/check-in/<str:token>/": links.checkin_path(
            message_id=world["message_id"], answer="going_well"
        ),
        # A forged link: the view is csrf_exempt by design (EXEMPT_BY_DESIGN).
        "reminders/unsubscribe/<str:token>/": links.unsubscribe_path(
            user_id=world["member"].pk, kind=sorted(OPTIONAL_REMINDERS)[0]
        ).replace("/unsubscribe/", "/unsubscribe/forged"),
    }


def user_for(address: str, world):
    if address.startswith("/admin/"):
        return world["admin"]
    return world["member"]


def row_counts() -> dict[str, int]:
    """Rows in every table of the project's apps and of the Wagtail tables a form could
    write, counted in one query (the walk counts before and after each of ~500 requests)."""
    model_list = [m for label in PROJECT_APPS for m in apps.get_app_config(label).get_models()]
    model_list += [Page, Revision, get_user_model(), Group, Site, Collection]
    tables = [connection.ops.quote_name(m._meta.db_table) for m in model_list]
    # Table names come from the models, never from input.
    counts = ", ".join(f"(SELECT COUNT(*) FROM {table})" for table in tables)  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {counts}")
        row = cursor.fetchone()
    return {m._meta.label: count for m, count in zip(model_list, row, strict=True)}


def csrf_client(user) -> Client:
    """A client that enforces CSRF and holds a CSRF cookie, so the only thing missing from
    its POSTs is the token."""
    client = Client(enforce_csrf_checks=True)
    client.raise_request_exception = False
    client.cookies[settings.CSRF_COOKIE_NAME] = _get_new_csrf_string()
    if user is not None:
        client.force_login(user)
    return client


def post_without_token(addresses: list[str], world, exempt=()) -> list[str]:
    """POST to each address as the user who could use it (and anonymously for the account
    pages); the problems found, one line each. ``exempt`` addresses must answer 400."""
    clients = {}
    problems = []
    for address in addresses:
        users = [user_for(address, world)]
        if address.startswith("/accounts/"):
            users.append(None)
        for user in users:
            client = clients.setdefault(user, csrf_client(user))
            before = row_counts()
            response = client.post(address, {"title": "Forged", "message": "Forged"})
            changed = {k: (v, c) for k, c in row_counts().items() if (v := before[k]) != c}
            expected = 400 if address in exempt else 403
            if response.status_code != expected or changed:
                who = user.email if user else "anonymous"
                problems.append(f"{address} as {who}: {response.status_code}, changed {changed}")
    return problems


def walk_plan(world) -> tuple[list[str], set[str], set[str]]:
    """The addresses to POST to, the keys of the patterns they reach, and the addresses of
    the views exempt by design."""
    tokens = token_paths(world)
    addresses, covered, exempt = [], set(), set()
    for key, pieces, _ in pieces_of():
        if key in SKIPPED:
            continue
        route = key.split(" ")[0]
        address = tokens.get(route) or concrete_path(pieces, world)
        addresses.append(address)
        covered.add(key)
        if key in EXEMPT_BY_DESIGN:
            exempt.add(address)
    return addresses, covered, exempt


# Tests -------------------------------------------------------------------------------------


def test_every_url_and_page_route_refuses_a_post_without_a_csrf_token(world):
    addresses, _, exempt = walk_plan(world)
    addresses += page_routes(world)
    assert post_without_token(addresses, world, exempt) == []
    # About 340 since Django's own admin and its model pages left the URLconf.
    assert len(addresses) > 300


def test_only_documented_views_skip_the_csrf_check():
    exempt = {
        key
        for key, _, pattern in pieces_of()
        if getattr(pattern.callback, "csrf_exempt", False) and key not in SKIPPED
    }
    drf = {key for key in exempt if key.split(" ")[1].startswith(DRF_MODULES)}
    assert exempt - drf == set(EXEMPT_BY_DESIGN)


def test_every_walked_address_reaches_the_pattern_it_stands_for(world):
    tokens = token_paths(world)
    wrong = []
    for key, pieces, pattern in pieces_of():
        if key in SKIPPED:
            continue
        address = tokens.get(key.split(" ")[0]) or concrete_path(pieces, world)
        if resolve(address.split("?")[0]).func is not pattern.callback:
            wrong.append(f"{key} -> {address}")
    assert wrong == []


def test_the_page_routes_reach_their_pages(world):
    """Each listed page route is a real page (or sub-page) of the world: a GET from the
    member answers without a 404 except the item addresses whose item 1 may not exist."""
    client = Client()
    client.force_login(world["member"])
    for address in page_routes(world):
        if re.search(r"/\d+/[\w-]+/1/$", address):
            continue
        assert client.get(address).status_code != 404, address


def test_every_pattern_is_walked_or_skipped_with_a_reason(world):
    every = {key for key, _, _ in pieces_of()}
    _, covered, _ = walk_plan(world)
    assert every == covered | set(SKIPPED)
    assert not covered & set(SKIPPED)
    assert set(SKIPPED) <= every, "a skipped pattern no longer exists"
    project = {k for k in covered if k.split(" ")[1].startswith(PROJECT_APPS)}
    assert any(k.startswith("admin/mentoring/") for k in project)


def test_skipped_patterns_are_shadowed_by_a_walked_pattern(world):
    """The address of each skipped pattern reaches a pattern that the walk covers."""
    _, covered, _ = walk_plan(world)
    callbacks = {pattern.callback for key, _, pattern in pieces_of() if key in covered}
    for key, pieces, _ in pieces_of():
        if key in SKIPPED:
            assert SKIPPED[key] == SHADOWED
            assert resolve(concrete_path(pieces, world)).func in callbacks, key


# Self-check: the walk flags a view that skips the CSRF check --------------------------------


@csrf_exempt
def forged_write(request):
    Group.objects.create(name=f"forged {datetime.datetime.now().timestamp()}")
    return HttpResponse("written")


def guarded_write(request):
    Group.objects.create(name="guarded")
    return HttpResponse("written")


urlpatterns = [path("exempt/", forged_write), path("guarded/", guarded_write)]


@override_settings(ROOT_URLCONF=__name__)
def test_the_walk_flags_a_csrf_exempt_view(world):
    problems = post_without_token(["/exempt/", "/guarded/"], world)
    assert len(problems) == 1
    assert problems[0].startswith("/exempt/ as ") and "auth.Group" in problems[0]
    assert not Group.objects.filter(name="guarded").exists()
