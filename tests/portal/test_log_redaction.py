"""Logs carry no secret: gunicorn's access log, as gunicorn.conf.py configures it, and the
portal's own log write the addresses of e-mailed links with their tokens cut out."""

import datetime
import io
import logging
import re
import runpy
from types import SimpleNamespace
from urllib.parse import quote

import pytest
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from django.core import mail
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from gunicorn.config import Config

from cohorts.reminders.links import checkin_path, unsubscribe_path
from portal.log_redaction import REDACTED, SecretsFilter, secrets_redact
from tests.factories import member
from tests.helpers import PROJECT

# Routes with a parameter named like a secret that is none: the roster import's key names an
# upload in the coordinator's own session and is useless outside it.
NOT_SECRET = {"admin/mentoring/roster/import/<str:token>/"}
SECRET_NAMED = re.compile(r"token|key|uid", re.IGNORECASE)
PARAMETER = re.compile(r"<(?:\w+:)?(?P<name>\w+)>|\(\?P<(?P<group>\w+)>[^)]*\)")


def configured_logger():
    """The access logger gunicorn.conf.py configures, writing to a string."""
    cfg = Config()
    for name, value in runpy.run_path(str(PROJECT / "gunicorn.conf.py")).items():
        if name in cfg.settings:
            cfg.set(name, value)
    logger = cfg.logger_class(cfg)
    stream = io.StringIO()
    logger.access_log.handlers = [logging.StreamHandler(stream)]
    return logger, stream


def access_line(address: str, referer: str = "-") -> str:
    """The access-log line for a GET of ``address`` through a proxy, as gunicorn writes it."""
    logger, stream = configured_logger()
    path, _, query = address.partition("?")
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": address,
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "10.0.0.2",
        "HTTP_REFERER": referer,
        "HTTP_USER_AGENT": "Mail scanner/1.0",
    }
    response = SimpleNamespace(status="200 OK", sent=512, headers=[("Content-Type", "text/html")])
    request = SimpleNamespace(headers=[("X-FORWARDED-FOR", "198.51.100.4")])
    logger.access(response, request, environ, datetime.timedelta(milliseconds=12))
    return stream.getvalue()


def token_of(path: str) -> str:
    return path.rstrip("/").rsplit("/", 1)[1]


def test_gunicorn_conf_installs_the_redacting_logger():
    cfg = Config()
    cfg.set("logger_class", runpy.run_path(str(PROJECT / "gunicorn.conf.py"))["logger_class"])
    assert cfg.logger_class.__module__ == "portal.log_redaction"


@pytest.mark.parametrize("kind", ["check-in", "unsubscribe"])
def test_a_reminder_link_is_logged_without_its_token(kind):
    path = (
        checkin_path(message_id=4242, answer="going_well")
        if kind == "check-in"
        else unsubscribe_path(user_id=17, kind="survey")
    )
    line = access_line(path, referer=f"https://mentoring.example.org{path}")
    assert token_of(path) not in line
    assert line.count(f"/reminders/{kind}/{REDACTED}/") == 2  # the request and the referer
    assert line.startswith("198.51.100.4 10.0.0.2 - - [")
    assert '"Mail scanner/1.0" 12ms' in line and " 200 512 " in line


@pytest.mark.django_db
def test_password_reset_and_e_mail_confirmation_links_are_logged_without_their_keys(client, site):
    user = member("reset.me@example.org")
    client.post(reverse("account_reset_password"), {"email": user.email})
    reset = re.search(r"http://testserver(/accounts/password/reset/key/\S+/)", mail.outbox[0].body)
    confirm = reverse(
        "account_confirm_email",
        args=[EmailConfirmationHMAC(EmailAddress.objects.get(user=user)).key],
    )
    for path in (reset.group(1), confirm):
        line = access_line(path)
        assert token_of(path) not in line and REDACTED in line
    done = access_line("/accounts/password/reset/key/done/")
    assert "/accounts/password/reset/key/done/" in done


def test_gunicorns_error_log_names_a_failed_request_without_its_token():
    logger, _ = configured_logger()
    stream = io.StringIO()
    logger.error_log.handlers = [logging.StreamHandler(stream)]
    path = unsubscribe_path(user_id=17, kind="survey")
    try:
        raise RuntimeError("the view failed")
    except RuntimeError:
        # What gunicorn's worker writes when a request raises (workers/base.py).
        logger.exception("Error handling request %s %s", "GET", path)
    assert token_of(path) not in stream.getvalue()
    assert f"Error handling request GET /reminders/unsubscribe/{REDACTED}/" in stream.getvalue()


def test_secret_query_values_and_secret_addresses_in_next_are_cut():
    checkin = checkin_path(message_id=7, answer="need_help")
    line = access_line(f"/accounts/login/?next={quote(checkin, safe='')}&token=abc123&page=2")
    assert token_of(checkin) not in line and "abc123" not in line
    assert f"next={REDACTED}&token={REDACTED}&page=2" in line


def test_every_route_whose_parameter_names_a_secret_is_redacted():
    def walk(patterns, prefix=""):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern):
                yield route

    routes = {r for r in walk(get_resolver().url_patterns) if SECRET_NAMED.search(r)}
    checked = 0
    for route in sorted(routes - NOT_SECRET):
        if not PARAMETER.search(route):
            continue  # a fixed address such as /accounts/password/reset/key/done/
        path = "/" + PARAMETER.sub("S3CRET0", route).replace("^", "").replace("$", "")
        assert "S3CRET0" not in secrets_redact(path), route
        checked += 1
    assert checked >= 5


def test_the_portals_log_cuts_tokens_from_the_addresses_it_names():
    path = checkin_path(message_id=9, answer="going_well")
    record = logging.LogRecord("django.request", logging.WARNING, "", 0, "Gone: %s", (path,), None)
    assert SecretsFilter().filter(record)
    assert record.getMessage() == f"Gone: /reminders/check-in/{REDACTED}/"
    plain = logging.LogRecord("x", logging.INFO, "", 0, "Saved %s rows", (3,), None)
    SecretsFilter().filter(plain)
    assert (plain.msg, plain.args) == ("Saved %s rows", (3,))


def test_the_sign_on_callbacks_code_and_state_are_redacted():
    line = access_line(
        "/accounts/oidc/association/login/callback/?code=SplxlOBeZQQYbYS6WxSbIA"
        "&state=af0ifjsldkj&iss=https%3A%2F%2Flogin.example.org"
    )

    assert "SplxlOBeZQQYbYS6WxSbIA" not in line
    assert "af0ifjsldkj" not in line
    assert f"code={REDACTED}&state={REDACTED}&iss=https%3A%2F%2Flogin.example.org" in line
