"""Helpers the tests of every app share: the data files, reading responses, admin messages
and the admin's sidebar menu, a logged-in client, aware datetimes, the settings a fresh
process reads, and the inbox of the ``smtp_inbox`` fixture. Builders of records are in the
factories modules; fixtures are in the conftest.py files."""

import datetime
import json
import os
import subprocess
import sys
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default as default_policy
from pathlib import Path

from django.test import Client
from django.utils import timezone

PROJECT = Path(__file__).resolve().parents[1]
DATA_DIR = Path(__file__).resolve().parent / "data"
# What the Wagtail admin says to a user without the permission a screen needs.
PERMISSION_DENIED = "Sorry, you do not have permission to access this area."


def hostile_inputs_load() -> list[str]:
    """tests/data/hostile-inputs.json, for modules that need the list outside a fixture
    (hypothesis strategies are built at import)."""
    return json.loads((DATA_DIR / "hostile-inputs.json").read_text(encoding="utf-8"))


def html(response) -> str:
    """A response's body as text."""
    return response.content.decode()


def messages_of(response) -> list[str]:
    """The messages (``django.contrib.messages``) the request behind ``response`` added."""
    from django.contrib.messages import get_messages

    return [str(message).strip() for message in get_messages(response.wsgi_request)]


def client_for(user) -> Client:
    """A new test client logged in as ``user``."""
    client = Client()
    client.force_login(user)
    return client


def sidebar_menu(page: str) -> list[dict]:
    """The Wagtail admin sidebar's main menu in ``page`` (an admin page's HTML), read from
    the JSON props the sidebar is rendered from: one dict per item, with its ``name``,
    ``label`` and ``url``, and a sub-menu's items under ``items``."""
    start = page.index('id="wagtail-sidebar-props"')
    start = page.index(">", start) + 1
    props = json.loads(page[start : page.index("</script>", start)])
    module = next(m for m in props["modules"] if m["_type"] == "wagtail.sidebar.MainMenuModule")

    def item(packed: dict) -> dict:
        details = dict(packed["_args"][0])
        if packed["_type"] == "wagtail.sidebar.SubMenuItem":
            details["items"] = [item(child) for child in packed["_args"][1]]
        return details

    return [item(packed) for packed in module["_args"][0]]


def aware(year: int, month: int, day: int, hour: int = 12) -> datetime.datetime:
    """That day and hour in the current time zone."""
    return timezone.make_aware(datetime.datetime(year, month, day, hour))


SHOW_SETTINGS = (
    "import json, django; django.setup(); from django.conf import settings as s; "
    "db = s.DATABASES['default']; "
    "print(json.dumps({'engine': db['ENGINE'], 'name': str(db['NAME']), "
    "'host': db.get('HOST'), 'user': db.get('USER'), 'password': db.get('PASSWORD'), "
    "'options': db.get('OPTIONS', {}), 'q': s.Q_CLUSTER, 'email': s.EMAIL_BACKEND, "
    "'cache': s.CACHES['default']['BACKEND'], 'caches': {k: v['BACKEND'] for k, v in "
    "s.CACHES.items()}, 'hosts': s.ALLOWED_HOSTS, 'debug': s.DEBUG, "
    "'admins': s.ADMINS, 'site_url': s.SITE_URL, "
    "'log_formatter': s.LOGGING.get('handlers', {}).get('console', {}).get('formatter'), "
    "'sentry': __import__('sentry_sdk').get_client().is_active(), "
    "'backup_dir': str(getattr(s, 'BACKUP_DIR', '')), "
    "'backup_keep': getattr(s, 'BACKUP_KEEP', None), "
    "'backup_recipients': getattr(s, 'BACKUP_AGE_RECIPIENTS', None), 'clients': {"
    "'allauth_proxies': getattr(s, 'ALLAUTH_TRUSTED_PROXY_COUNT', 0), "
    "'proxies': getattr(s, 'TRUSTED_PROXY_COUNT', None), "
    "'forwarded_allow_ips': getattr(s, 'FORWARDED_ALLOW_IPS', None), "
    "'axes': getattr(s, 'AXES_CLIENT_IP_CALLABLE', None), "
    "'ratelimit': getattr(s, 'RATELIMIT_IP_META_KEY', None), "
    "'first_middleware': s.MIDDLEWARE[:2]}}))"
)


def settings_with(module: str, show: str = SHOW_SETTINGS, **env) -> dict:
    """What settings ``module`` gives in a fresh process under the environment ``env`` (the
    database, task queue, e-mail, caches, hosts, debug, admins, public address, log format,
    whether Sentry is on, the backups' folder, count and recipients, and client addresses; or
    what the script ``show`` prints), or {"error": its last line} when it refuses to load."""
    clean = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", show],
        env={**clean, "DJANGO_SETTINGS_MODULE": module, **env},
        cwd=PROJECT,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode:
        return {"error": result.stderr.strip().splitlines()[-1]}
    return json.loads(result.stdout.strip().splitlines()[-1])


@dataclass
class Inbox:
    """Messages a real SMTP server on 127.0.0.1 received, parsed."""

    messages: list[EmailMessage] = field(default_factory=list)

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.content, policy=default_policy)
        message["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
        self.messages.append(message)
        return "250 Message accepted for delivery"


SEARCHED_TYPES = {"CharField", "TextField", "JSONField", "EmailField", "SlugField"}


def places_holding(*needles: str) -> list[str]:
    """Every model column (and decoded session) in which any of the needles appears."""
    from django.apps import apps
    from django.contrib.sessions.models import Session

    found = []
    needles = [needle.lower() for needle in needles]
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        fields = [
            field
            for field in model._meta.concrete_fields
            if field.get_internal_type() in SEARCHED_TYPES
        ]
        if not fields:
            continue
        for row in model._base_manager.values_list(*[column.attname for column in fields]):
            for column, value in zip(fields, row, strict=True):
                value = value if isinstance(value, str) else json.dumps(value, default=str)
                if any(needle in value.lower() for needle in needles):
                    found.append(f"{model._meta.label}.{column.name}")
    for session in Session.objects.all():
        decoded = json.dumps(session.get_decoded(), default=str).lower()
        if any(needle in decoded for needle in needles):
            found.append(f"session {session.pk}")
    return found
