"""Fixtures every test may use: an empty cache, the hostile inputs, the default site with its
home page, the whole demo site, and a real SMTP server's inbox."""

import socket

import pytest
from django.core.cache import caches
from wagtail.models import Page, Site

from portal.demo_content import demo_content_load
from tests.factories import HomePageFactory, SiteSettingsFactory
from tests.helpers import Inbox, hostile_inputs_load


@pytest.fixture(autouse=True)
def empty_cache():
    """Rate-limit counters live in the default cache, parts of pages in "memory"; each test
    starts with none."""
    for alias in ("default", "memory"):
        caches[alias].clear()
    yield
    for alias in ("default", "memory"):
        caches[alias].clear()


@pytest.fixture
def hostile_inputs() -> list[str]:
    """105 hostile strings (script injection, formulas, control characters, long text)."""
    return hostile_inputs_load()


@pytest.fixture
def site(db) -> Site:
    """A default site whose root is a fresh home page, with the chair in its settings."""
    root = Page.get_first_root_node()
    Page.objects.filter(depth=2).delete()
    home = HomePageFactory(parent=root)
    site = Site.objects.filter(is_default_site=True).first() or Site(is_default_site=True)
    site.hostname, site.port, site.root_page = "localhost", 80, home
    site.save()
    SiteSettingsFactory(site=site)
    return site


@pytest.fixture
def home(site):
    """The default site's home page."""
    return site.root_page.specific


@pytest.fixture
def demo_site(db) -> Site:
    """The whole demo site, as `make run` loads it."""
    demo_content_load()
    return Site.objects.get(is_default_site=True)


@pytest.fixture
def smtp_inbox(settings):
    """Route Django's mail through a real SMTP server and return what it receives."""
    from aiosmtpd.controller import Controller

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    yield inbox
    controller.stop()


@pytest.fixture
def limits_lifted(settings):
    """The hourly and daily limits raised out of reach, for tests that send many messages
    from one client or member to check something else (escaping, fuzzing); the limits
    themselves are tested in tests/security/test_flood.py."""
    for name in (
        "CONTACT_MESSAGES_PER_HOUR",
        "CONTACT_EMAILS_PER_HOUR",
        "HELP_REQUESTS_PER_DAY",
        "CHANGE_REQUESTS_PER_DAY",
    ):
        setattr(settings, name, 100_000)
