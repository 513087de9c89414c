"""Logs without the secrets some addresses carry.

A password-reset link, an e-mail confirmation link, a check-in answer link and an unsubscribe
link each hold a token that acts for its owner; Wagtail's password reset (turned off) would
too. Written to a log, anyone who reads the log could use them. ``secrets_redact`` puts
``REDACTED`` in place of those path segments, and of the values of query parameters that
carry a secret or an address holding one (``next=/reminders/check-in/...``).

Two users: gunicorn's access and error logs (``AccessLogger``, gunicorn.conf.py's
``logger_class``; the error log names the address of a request that failed) and the
portal's own log (``SecretsFilter`` on the console handler in settings), where Django names
the path of a refused request ("Not Found: /...").
"""

import logging
import re
from urllib.parse import unquote_plus

from gunicorn.glogging import Logger

REDACTED = "[redacted]"

# The address, up to and including the slash before the secret, and the secret: one path
# segment, or two for Wagtail's reset (uid and token). allauth's reset key is "<uid>-<key>",
# so its "done/" page keeps its name.
SECRET_PATHS = re.compile(
    r"(?P<kept>/accounts/password/reset/key/)[0-9A-Za-z]+-[^/?#\s\"]+"
    r"|(?P<kept2>/accounts/confirm-email/)[^/?#\s\"]+"
    r"|(?P<kept3>/reminders/(?:check-in|unsubscribe)/)[^/?#\s\"]+"
    r"|(?P<kept4>/admin/password_reset/confirm/)[^/?#\s\"]+/[^/?#\s\"]+"
)
# Query parameters whose value is a secret whatever it looks like.
# The sign-on's callback carries an authorisation code and a state; a logout, an ID token.
SECRET_PARAMETERS = frozenset(
    {"key", "token", "code", "password", "secret", "signature", "state", "nonce", "id_token_hint"}
)
QUERY_PARAMETER = re.compile(r"(?P<lead>^|[?&;])(?P<name>[^=&;?\s\"#]+)=(?P<value>[^&;\s\"#]*)")


def _kept_prefix(match: re.Match) -> str:
    kept = next(group for group in match.groups() if group is not None)
    return kept + REDACTED


def _parameter(match: re.Match) -> str:
    name, value = match["name"], match["value"]
    decoded = unquote_plus(value)
    if unquote_plus(name).lower() in SECRET_PARAMETERS or SECRET_PATHS.search(decoded):
        value = REDACTED
    return f"{match['lead']}{name}={value}"


def secrets_redact(text: str) -> str:
    """``text`` (a request line, a path, a query string, a full URL) with every secret path
    segment and every secret query value replaced by ``REDACTED``; anything else unchanged."""
    return QUERY_PARAMETER.sub(_parameter, SECRET_PATHS.sub(_kept_prefix, text))


class RedactedAtoms(dict):
    """The texts one access-log line can use (gunicorn's atoms: the request line, path,
    query, referer, headers and environ), each given to the format with ``secrets_redact``
    applied, then with its quotes escaped as gunicorn's own ``SafeAtoms`` does. Only the
    few atoms the format names are redacted, not the fifty or so of every request."""

    def __getitem__(self, name):
        if name.startswith("{"):
            name = name.lower()  # a header or environ variable, as SafeAtoms reads it
        value = self.get(name, "-")
        if isinstance(value, str):
            return secrets_redact(value).replace('"', '\\"')
        return value


class AccessLogger(Logger):
    """Gunicorn's logger, writing access-log lines with ``secrets_redact`` applied to every
    text the format uses (``RedactedAtoms``), and error-log lines ("Error handling request
    /...") through ``SecretsFilter``."""

    atoms_wrapper_class = RedactedAtoms

    def setup(self, cfg):
        super().setup(cfg)
        if not any(isinstance(f, SecretsFilter) for f in self.error_log.filters):
            self.error_log.addFilter(SecretsFilter())


class SecretsFilter(logging.Filter):
    """A logging filter that writes each record's message with ``secrets_redact`` applied,
    for the handlers of the portal's own log."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = secrets_redact(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True
