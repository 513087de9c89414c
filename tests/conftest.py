import json
import socket
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default as default_policy
from pathlib import Path

import pytest
from django.core.cache import cache
from wagtail.models import Page, Site

from portal.demo_content import demo_content_load
from tests.factories import HomePageFactory, SiteSettingsFactory

DATA_DIR = Path(__file__).resolve().parent / "data"


@pytest.fixture(autouse=True)
def empty_cache():
    """Rate-limit counters live in the cache; each test starts with none."""
    cache.clear()
    yield
    cache.clear()


def hostile_inputs_load() -> list[str]:
    """tests/data/hostile-inputs.json, for modules that need the list outside a fixture
    (hypothesis strategies are built at import)."""
    return json.loads((DATA_DIR / "hostile-inputs.json").read_text(encoding="utf-8"))


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
    return site.root_page.specific


@pytest.fixture
def demo_site(db) -> Site:
    """The whole demo site, as `make run` loads it."""
    demo_content_load()
    return Site.objects.get(is_default_site=True)


@dataclass
class Inbox:
    """Messages a real SMTP server on 127.0.0.1 received, parsed."""

    messages: list[EmailMessage] = field(default_factory=list)

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.content, policy=default_policy)
        message["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
        self.messages.append(message)
        return "250 Message accepted for delivery"


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
