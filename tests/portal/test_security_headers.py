"""What every response tells the browser: the Content-Security-Policy (strict on the site,
the admin's own under /admin/), HSTS, nosniff, Referrer-Policy, Permissions-Policy, no
framing, and cookies that are Secure, HttpOnly and SameSite. No template carries inline
script, so the strict policy costs the site nothing."""

import re
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings

from tests.cohorts.pairs.dashboard.helpers import url
from tests.factories import USER_PASSWORD, UserFactory
from tests.helpers import client_for

PROJECT = Path(settings.BASE_DIR)
# What the development and test settings relax for http://127.0.0.1, as production has it.
PRODUCTION = ("SECURE_HSTS_SECONDS", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE")


@pytest.fixture(autouse=True)
def production_security(settings):
    from portal.settings import base

    for name in PRODUCTION:
        setattr(settings, name, getattr(base, name))


def policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in header.split(";") if part.strip())
    }


def assert_common_headers(response) -> None:
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
    assert "includeSubDomains" in response["Strict-Transport-Security"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    permissions = response["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in permissions


def assert_strict_policy(response) -> None:
    directives = policy(response)
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] == ["'self'"]
    assert directives["form-action"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/accounts/signup/", "/healthz/web"])
def test_public_pages_send_the_strict_policy_and_every_header(client, demo_site, path):
    response = client.get(path, secure=True)
    assert response.status_code == 200
    assert_common_headers(response)
    assert_strict_policy(response)


def test_a_participants_dashboard_sends_the_strict_policy(dashboard, pair, mentee):
    response = client_for(mentee).get(url(dashboard, pair), secure=True)
    assert response.status_code == 200
    assert_common_headers(response)
    assert_strict_policy(response)
    assert "no-store" in response["Cache-Control"] or "private" in response["Cache-Control"]


def test_the_admin_has_its_own_policy_that_still_forbids_other_origins(site):
    editor = UserFactory(is_superuser=True, is_staff=True)
    response = client_for(editor).get("/admin/", secure=True)
    assert response.status_code == 200
    assert_common_headers(response)
    directives = policy(response)
    # Wagtail's admin writes a few inline scripts; nothing from elsewhere may run.
    assert directives["script-src"] == ["'self'", "'unsafe-inline'"]
    assert directives["default-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'self'"]
    assert not any("http" in value for value in directives["script-src"])


def test_admin_avatars_come_from_the_portal_not_from_gravatar(site):
    # The admin's policy allows images from the portal only: a Gravatar picture would be
    # refused by the browser and show as a broken image beside every name.
    editor = UserFactory(is_superuser=True, is_staff=True)
    page = client_for(editor).get("/admin/", secure=True).content.decode()
    assert "gravatar" not in page.lower()


def test_session_and_csrf_cookies_are_secure_httponly_and_samesite(client, demo_site):
    user = UserFactory()
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    client.get("/accounts/login/", secure=True)
    csrf = client.cookies["csrftoken"]
    response = client.post(
        "/accounts/login/", {"login": user.email, "password": USER_PASSWORD}, secure=True
    )
    assert response.status_code == 302
    session = response.cookies[settings.SESSION_COOKIE_NAME]
    for cookie in (session, csrf):
        assert cookie["secure"] is True
        assert cookie["httponly"] is True
        assert cookie["samesite"] == "Lax"


def test_plain_http_is_sent_to_https_except_the_health_check(client, demo_site, settings):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/accounts/login/")
    assert response.status_code == 301
    assert response["Location"].startswith("https://")
    assert client.get("/healthz/web").status_code == 200


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I)
EVENT_HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I)
JAVASCRIPT_URL = re.compile(r"(href|src|action)\s*=\s*[\"']?\s*javascript:", re.I)


def project_templates() -> list[Path]:
    found = sorted(PROJECT.glob("templates/**/*.html"))
    for app in ("home", "resources", "cohorts", "members", "surveys", "portal"):
        found += sorted((PROJECT / app).glob("templates/**/*.html"))
    return found


def test_no_template_carries_inline_script_or_event_handlers():
    templates = project_templates()
    assert len(templates) > 50
    offenders = [
        str(path.relative_to(PROJECT))
        for path in templates
        if INLINE_SCRIPT.search(text := path.read_text(encoding="utf-8"))
        or EVENT_HANDLER.search(text)
        or JAVASCRIPT_URL.search(text)
    ]
    assert offenders == []


def test_the_template_scan_would_find_inline_script():
    assert INLINE_SCRIPT.search("<script>alert(1)</script>")
    assert not INLINE_SCRIPT.search('<script src="/static/x.js"></script>')
    assert not INLINE_SCRIPT.search('<script type="application/json" id="x">{}</script>')
    assert EVENT_HANDLER.search('<img src="x" onerror="alert(1)">')
    assert JAVASCRIPT_URL.search('<a href="javascript:alert(1)">')


def test_a_page_preview_may_be_framed_by_the_admin_only(site, rf):
    # The edit view shows the preview in a frame of its own. Wagtail renders it through the
    # middleware as a request for the page's own address, which must not carry the public
    # pages' frame-ancestors 'none'; the rest of the page's strict policy stays.
    editor = UserFactory(is_superuser=True, is_staff=True)
    original = rf.get("/admin/", secure=True)
    original.user = editor
    response = site.root_page.specific.make_preview_request(original_request=original)
    assert response.status_code == 200
    directives = policy(response)
    assert directives["frame-ancestors"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["default-src"] == ["'self'"]
    public = client_for(editor).get("/", secure=True)
    assert policy(public)["frame-ancestors"] == ["'none'"]
