"""Which address a request comes from: behind the trusted proxy each real client counts on
its own, and nobody escapes a limit by writing an X-Forwarded-For header of their own.

The rate limits (allauth's sign-up and login limits, the contact form's, django-axes' log of
failures) all key on the client's address. Behind Caddy every request reaches gunicorn from
the proxy's address, so without the proxy's X-Forwarded-For every member shared one counter;
with it trusted from anyone, a client could name any address it liked."""

import pytest
from allauth.core.internal.httpkit import get_client_ip as allauth_client_ip
from axes.helpers import get_client_ip_address as axes_client_ip
from django.test import Client, RequestFactory
from django.urls import reverse

from members.models import User
from tests.helpers import settings_with

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.2"
STRANGER = "203.0.113.50"
PASSWORD = "a-long-pass-phrase-2026"


def seen_by_every_limit(request_meta: dict) -> set[str]:
    """The client address allauth, django-axes and the portal's own limits each find for a
    request with ``request_meta``, after the portal's middleware has looked at it."""
    from django.conf import settings
    from django.utils.module_loading import import_string

    request = RequestFactory().get("/", **request_meta)
    seen = {}

    def view(request):
        seen["allauth"] = allauth_client_ip(request)
        seen["axes"] = axes_client_ip(request)
        seen["ratelimit"] = import_string(settings.RATELIMIT_IP_META_KEY)(request)

    import_string("core.clients.TrustedProxyMiddleware")(view)(request)
    return set(seen.values())


def test_production_settings_trust_the_proxy_the_environment_names():
    shown = settings_with(
        "portal.settings.dev", TRUSTED_PROXY_COUNT="1", FORWARDED_ALLOW_IPS="10.0.0.2"
    )
    assert shown["clients"] == {
        "allauth_proxies": 1,
        "proxies": 1,
        "forwarded_allow_ips": ["10.0.0.2"],
        "axes": "core.clients.client_ip",
        "ratelimit": "core.clients.client_ip",
        # The page cache answers a hit first and never reads the client's address; every
        # other request meets the proxy's check before anything else.
        "first_middleware": [
            "core.page_cache.AnonymousPageCacheMiddleware",
            "core.clients.TrustedProxyMiddleware",
        ],
    }
    unset = settings_with("portal.settings.dev")["clients"]
    assert (unset["proxies"], unset["forwarded_allow_ips"]) == (0, ["127.0.0.1", "::1"])


def test_behind_the_trusted_proxy_each_client_is_itself(behind_proxy):
    meta = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "198.51.100.7"}
    assert seen_by_every_limit(meta) == {"198.51.100.7"}
    # What a client wrote itself comes before the address the proxy appended: ignored.
    meta["HTTP_X_FORWARDED_FOR"] = "192.0.2.1, 198.51.100.8"
    assert seen_by_every_limit(meta) == {"198.51.100.8"}


def test_a_forged_x_forwarded_for_from_an_untrusted_peer_is_ignored(behind_proxy):
    meta = {"REMOTE_ADDR": STRANGER, "HTTP_X_FORWARDED_FOR": "198.51.100.7"}
    assert seen_by_every_limit(meta) == {STRANGER}
    # Nor can a malformed header from the proxy's side make the address up, or fail.
    for header in ("not-an-address", "", " , "):
        meta = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": header}
        assert seen_by_every_limit(meta) == {PROXY}


def sign_up(client: Client, number: int):
    return client.post(
        reverse("account_signup"),
        {
            "email": f"person{number}@example.org",
            "first_name": "Mei",
            "last_name": f"Haddad{number}",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )


def test_sign_ups_from_many_clients_behind_the_proxy_are_counted_apart(site, behind_proxy):
    """Eleven people behind the proxy sign up within the hour: allauth allows ten an hour
    from one address, and every one of them gets through."""
    for number in range(11):
        client = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"198.51.100.{number + 1}")
        assert sign_up(client, number).status_code == 302, number
    assert User.objects.count() == 11


def test_one_client_forging_addresses_is_still_one_client(site, behind_proxy):
    """A client that reaches gunicorn directly and writes a new X-Forwarded-For each time is
    counted by its own address: its eleventh sign-up in the hour is refused."""
    answers = []
    for number in range(11):
        client = Client(REMOTE_ADDR=STRANGER, HTTP_X_FORWARDED_FOR=f"198.51.100.{number + 1}")
        answers.append(sign_up(client, number).status_code)
    assert answers == [302] * 10 + [429]
    assert User.objects.count() == 10
