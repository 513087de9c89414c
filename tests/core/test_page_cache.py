"""The anonymous page cache: a public page costs no query the second time, an editor's
change shows at once, and nothing personal, no form and no restricted page is ever kept."""

import re

import pytest
from django.contrib.auth.models import Group
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, PageViewRestriction, Site, get_page_models

from core.page_cache import SERVED_BY_CACHE, ViewRestrictionsFromMemory
from home.models import SiteSettings
from tests.factories import ContactPageFactory, ResourceTopicFactory, StandardPageFactory, member


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 60
    caches["pages"].clear()
    yield
    caches["pages"].clear()


@pytest.fixture
def about(home):
    return StandardPageFactory(parent=home, title="About the program", slug="about")


def test_second_anonymous_visit_is_served_from_the_cache_without_a_query(
    client, about, django_assert_num_queries
):
    first = client.get(about.url)
    assert first.status_code == 200
    assert first[SERVED_BY_CACHE] == "miss"
    with django_assert_num_queries(0):
        second = client.get(about.url)
    assert second.status_code == 200
    assert second[SERVED_BY_CACHE] == "hit"
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    # The headers added above the cache are still on every response.
    assert "Content-Security-Policy" in second
    assert "Permissions-Policy" in second


def test_publishing_a_change_shows_at_once(client, about):
    client.get(about.url)
    assert client.get(about.url)[SERVED_BY_CACHE] == "hit"

    about.title = "About our mentoring program"
    about.save_revision().publish()

    response = client.get(about.url)
    assert response[SERVED_BY_CACHE] == "miss"
    assert b"About our mentoring program" in response.content


def test_a_draft_is_never_shown_but_unpublishing_removes_the_page_at_once(client, about):
    client.get(about.url)
    about.title = "Draft title"
    about.save_revision()
    assert b"Draft title" not in client.get(about.url).content

    url = about.url
    about.unpublish()
    assert client.get(url).status_code == 404


def test_deleting_or_moving_a_page_shows_at_once(client, home, about):
    other = StandardPageFactory(parent=home, title="Other", slug="other")
    client.get(other.url)
    client.get(about.url)

    about.move(other, pos="last-child")
    old_address = client.get("/about/")
    assert old_address.status_code == 301  # Wagtail's automatic redirect
    assert old_address["Location"].endswith("/other/about/")
    assert client.get("/other/about/").status_code == 200

    other.delete()
    assert client.get("/other/").status_code == 404


def test_settings_and_snippet_changes_show_at_once(client, site, about):
    client.get(about.url)
    settings_row = SiteSettings.for_site(site)
    settings_row.program_name = "Peer Mentoring Circle"
    settings_row.save()
    response = client.get(about.url)
    assert response[SERVED_BY_CACHE] == "miss"
    assert b"Peer Mentoring Circle" in response.content

    client.get(about.url)
    ResourceTopicFactory(name="Leadership")
    assert client.get(about.url)[SERVED_BY_CACHE] == "miss"


def test_a_logged_in_member_is_never_served_or_stored(client, about):
    client.force_login(member("pat@example.org"))
    for _ in range(2):
        response = client.get(about.url)
        assert response.status_code == 200
        assert b"Your account" in response.content
        assert SERVED_BY_CACHE not in response
    client.logout()

    anonymous = client.get(about.url)
    assert anonymous[SERVED_BY_CACHE] == "miss"
    assert b"Your account" not in anonymous.content
    assert b"Log in" in anonymous.content


def test_a_page_with_a_form_is_never_cached(client, home):
    contact = ContactPageFactory(parent=home, title="Contact the chair", slug="contact")
    for _ in range(2):
        response = client.get(contact.url)
        assert response.status_code == 200
        assert b"csrfmiddlewaretoken" in response.content
        assert SERVED_BY_CACHE not in response
        assert "csrftoken" in response.cookies


def test_a_restricted_page_is_never_cached(client, home):
    members_only = StandardPageFactory(parent=home, title="Members only", slug="members")
    PageViewRestriction.objects.create(
        page=members_only, restriction_type=PageViewRestriction.LOGIN
    )
    for _ in range(2):
        response = client.get(members_only.url)
        assert response.status_code == 302
        assert SERVED_BY_CACHE not in response


def test_only_wagtail_pages_are_cached(client, site):
    for path in ("/healthz", "/search/?q=mentor", "/accounts/login/"):
        for _ in range(2):
            assert SERVED_BY_CACHE not in client.get(path)


def test_each_address_has_its_own_entry(client, about):
    client.get(about.url)
    response = client.get(about.url + "?topic=leadership")
    assert response[SERVED_BY_CACHE] == "miss"
    assert client.get(about.url, HTTP_HOST="127.0.0.1")[SERVED_BY_CACHE] == "miss"


def test_a_visitor_with_a_session_or_a_message_waiting_is_not_served(client, about):
    client.get(about.url)
    client.cookies["messages"] = "pending"
    assert SERVED_BY_CACHE not in client.get(about.url)
    del client.cookies["messages"]
    client.cookies["sessionid"] = "stale"
    assert SERVED_BY_CACHE not in client.get(about.url)


def test_the_cache_can_be_turned_off(client, settings, about):
    settings.PAGE_CACHE_SECONDS = 0
    for _ in range(2):
        assert SERVED_BY_CACHE not in client.get(about.url)


def test_the_site_of_a_request_is_found_in_memory_until_sites_change(client, home, about):
    client.force_login(member("reader@example.org"))
    client.get(about.url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(about.url).status_code == 200
    assert not [q for q in queries if "wagtailcore_site" in q["sql"]]

    # A second site on its own host name is found from its first request on.
    other_home = StandardPageFactory(parent=Page.get_first_root_node(), title="Other association")
    assert b"Other association" not in client.get("/", HTTP_HOST="other.example").content
    Site.objects.create(hostname="other.example", port=80, root_page=other_home)
    assert b"Other association" in client.get("/", HTTP_HOST="other.example").content


def test_making_a_page_private_takes_it_out_of_the_cache_at_once(client, about):
    client.get(about.url)
    assert client.get(about.url)[SERVED_BY_CACHE] == "hit"
    PageViewRestriction.objects.create(page=about, restriction_type=PageViewRestriction.LOGIN)
    assert client.get(about.url).status_code == 302


def test_a_member_finds_every_section_from_memory_and_a_new_one_at_once(client, home, about):
    client.force_login(member("reader@example.org"))
    client.get(about.url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(about.url).status_code == 200
    assert not [q for q in queries if 'FROM "wagtailcore_page"' in q["sql"] and "slug" in q["sql"]]
    assert client.get("/new-section/").status_code == 404
    StandardPageFactory(parent=home, title="New section", slug="new-section")
    assert client.get("/new-section/").status_code == 200
    about.unpublish()
    assert client.get(about.url or "/about/").status_code == 404


def test_every_page_type_reads_its_privacy_settings_from_memory():
    ours = [model for model in get_page_models() if model._meta.app_label != "wagtailcore"]
    assert len(ours) >= 10
    assert [model for model in ours if not issubclass(model, ViewRestrictionsFromMemory)] == []


def test_privacy_settings_are_read_from_memory_and_every_change_applies_at_once(
    client, home, about
):
    readers, others = Group.objects.create(name="Readers"), Group.objects.create(name="Others")
    reader = member("reader@example.org")
    reader.groups.add(readers)
    restriction = PageViewRestriction.objects.create(
        page=about, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.set([readers])
    client.force_login(reader)
    assert client.get(about.url).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert client.get(about.url).status_code == 200
    assert not [q for q in queries if "wagtailcore_pageviewrestriction" in q["sql"]]

    restriction.groups.set([others])
    assert client.get(about.url).status_code == 302
    restriction.delete()
    assert client.get(about.url).status_code == 200

    # A setting on an ancestor applies to the pages below it.
    PageViewRestriction.objects.create(page=home, restriction_type=PageViewRestriction.LOGIN)
    client.logout()
    assert client.get(about.url).status_code == 302


def menu_of(response) -> str:
    html = response.content.decode()
    return re.search(r'<nav class="main-nav" aria-label="Main">(.*?)</nav>', html, re.S).group(1)


def test_the_menu_and_footer_are_kept_per_page_and_follow_every_change(client, site, home, about):
    """Members' pages keep the menu and the footer in memory; the account bar never is."""
    about.show_in_menus = True
    about.save_revision().publish()
    reader = Client()
    reader.force_login(member("reader@example.org"))
    assert '<a href="/about/" aria-current="page">' in menu_of(reader.get(about.url))
    assert 'aria-current="page">Overview' in menu_of(reader.get(home.url))
    assert 'aria-current="page">Overview' not in menu_of(reader.get(about.url))

    about.title = "About our circle"
    about.save_revision().publish()
    assert "About our circle" in menu_of(reader.get(home.url))
    settings_row = SiteSettings.for_site(site)
    settings_row.footer_text = "Run by volunteers"
    settings_row.save()
    assert b"Run by volunteers" in reader.get(home.url).content

    visitor_page = client.get(home.url).content
    assert b"Log in" in visitor_page and b"Log out" not in visitor_page
    assert b"Log out" in reader.get(home.url).content


SECURITY_HEADERS = (
    "Content-Security-Policy",
    "Strict-Transport-Security",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "Cross-Origin-Opener-Policy",
    "Permissions-Policy",
    "X-Frame-Options",
)


def test_a_hit_carries_the_same_security_headers_as_the_miss(client, settings, about):
    settings.SECURE_HSTS_SECONDS = 31_536_000
    miss = client.get(about.url, secure=True)
    hit = client.get(about.url, secure=True)
    assert (miss[SERVED_BY_CACHE], hit[SERVED_BY_CACHE]) == ("miss", "hit")
    for header in SECURITY_HEADERS:
        assert header in miss, header
        assert hit[header] == miss[header], header


def test_a_hit_is_answered_before_any_other_middleware(client, monkeypatch, about):
    from csp.middleware import CSPMiddleware
    from django.middleware.security import SecurityMiddleware
    from whitenoise.middleware import WhiteNoiseMiddleware

    from core.clients import TrustedProxyMiddleware
    from portal.middleware import PermissionsPolicyMiddleware

    miss = client.get(about.url)

    def must_not_run(*args, **kwargs):
        raise AssertionError("a middleware below the page cache ran for a hit")

    for middleware, method in (
        (TrustedProxyMiddleware, "__call__"),
        (SecurityMiddleware, "process_request"),
        (SecurityMiddleware, "process_response"),
        (CSPMiddleware, "process_response"),
        (PermissionsPolicyMiddleware, "__call__"),
        (WhiteNoiseMiddleware, "__call__"),
    ):
        monkeypatch.setattr(middleware, method, must_not_run)
    hit = client.get(about.url)
    assert hit[SERVED_BY_CACHE] == "hit"
    assert hit.content == miss.content
    assert hit["Content-Security-Policy"] == miss["Content-Security-Policy"]


def test_a_page_stored_for_https_is_never_served_over_http(client, settings, about):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get(about.url, secure=True)[SERVED_BY_CACHE] == "miss"
    plain = client.get(about.url)
    assert plain.status_code == 301
    assert plain["Location"].startswith("https://")


def test_a_page_kept_in_memory_expires_with_the_shared_entry(client, monkeypatch, about):
    import time

    assert client.get(about.url)[SERVED_BY_CACHE] == "miss"
    assert client.get(about.url)[SERVED_BY_CACHE] == "hit"
    later = time.time() + 61
    monkeypatch.setattr(time, "time", lambda: later)
    assert client.get(about.url)[SERVED_BY_CACHE] == "miss"


def test_a_disallowed_host_is_refused_as_before(client, settings, about):
    settings.ALLOWED_HOSTS = ["testserver"]
    client.get(about.url)
    assert client.get(about.url, HTTP_HOST="evil.example").status_code == 400


def test_static_files_are_served_without_a_page_cache_lookup(client, monkeypatch, site):
    import core.page_cache

    def must_not_run(*args, **kwargs):
        raise AssertionError("the page cache looked up a static file")

    monkeypatch.setattr(core.page_cache, "_cache", must_not_run)
    assert client.get("/static/cohorts/reports.css").status_code == 200
