"""Error reports to Sentry, switched on by SENTRY_DSN, that carry no personal data.

sentry-sdk 3 replaces ``send_default_pii`` with ``data_collection``; every category of it
that could hold personal data is off here: who the user is, cookies, request bodies, query
strings, database query parameters, task arguments and the variables of stack frames
(a frame may hold a confidential note's text). Request headers are kept to a few harmless
ones. ``event_scrub`` then removes all of those from every event once more (``before_send``)
along with breadcrumbs' data, extra values and path segments that look like tokens, so no
note text, token or address leaves the portal even if a default of the SDK changes.

Nothing here imports Django's models: settings call ``sentry_init`` while they load.
"""

import re
from typing import Any

FILTERED = "[Filtered]"
# Request headers an event may keep; every other one (Cookie, Authorization, X-CSRFToken,
# Referer with its query string, X-Forwarded-For with the visitor's address) is dropped.
KEPT_HEADERS = {"accept", "accept-language", "content-length", "content-type", "host"}
KEPT_REQUEST_KEYS = {"method", "url", "headers"}
# A path segment this long, or of letters, digits and : - _ with a digit in it, is a
# signed token (check-in, unsubscribe, e-mail confirmation, password reset links).
TOKEN_SEGMENT = re.compile(r"^(?=.*\d)[\w:-]{16,}$|^.{40,}$")
DATA_COLLECTION = {
    "user_info": False,
    "cookies": {"mode": "off"},
    "http_headers": {"request": {"mode": "allowlist", "terms": sorted(KEPT_HEADERS)}},
    "http_bodies": [],
    "url_query_params": {"mode": "off"},
    "graphql": {"document": False, "variables": False},
    "gen_ai": {"inputs": False, "outputs": False},
    "mcp": {"inputs": False, "outputs": False},
    "database_query_data": False,
    "queues": False,
    "stack_frame_variables": False,
}


def sentry_options(*, dsn: str, environment: str, transport: Any = None) -> dict:
    """The options ``sentry_init`` gives sentry-sdk; errors only, no performance tracing."""
    from sentry_sdk.integrations.django import DjangoIntegration

    options = {
        "dsn": dsn,
        "environment": environment,
        "integrations": [DjangoIntegration()],
        "data_collection": DATA_COLLECTION,
        "max_request_body_size": "never",
        "before_send": event_scrub,
        "before_breadcrumb": breadcrumb_scrub,
        "traces_sample_rate": None,
        "send_client_reports": False,
    }
    if transport is not None:
        options["transport"] = transport
    return options


def sentry_init(*, dsn: str, environment: str = "production", transport: Any = None) -> None:
    """Start reporting errors to the Sentry project of `dsn`; `transport` replaces the
    network (tests capture events with it)."""
    import sentry_sdk

    sentry_sdk.init(**sentry_options(dsn=dsn, environment=environment, transport=transport))


def event_scrub(event: dict, hint: dict | None = None) -> dict:
    """Remove from an event whatever could hold personal data or a note's text."""
    for key in ("user", "extra", "modules"):
        event.pop(key, None)
    if isinstance(event.get("request"), dict):
        event["request"] = _request_scrub(event["request"])
    for container in ("exception", "threads"):
        for value in (event.get(container) or {}).get("values") or []:
            _frames_scrub(value.get("stacktrace"))
    _frames_scrub(event.get("stacktrace"))
    crumbs = event.get("breadcrumbs")
    if isinstance(crumbs, dict):
        crumbs["values"] = [breadcrumb_scrub(crumb) for crumb in crumbs.get("values") or []]
    return event


def breadcrumb_scrub(crumb: dict, hint: dict | None = None) -> dict:
    """Keep what happened (category, level, message), never its data."""
    crumb.pop("data", None)
    return crumb


def _request_scrub(request: dict) -> dict:
    kept = {key: value for key, value in request.items() if key in KEPT_REQUEST_KEYS}
    if "url" in kept:
        kept["url"] = path_scrub(str(kept["url"]).split("?", 1)[0])
    headers = kept.get("headers") or {}
    kept["headers"] = {
        name: value for name, value in dict(headers).items() if name.lower() in KEPT_HEADERS
    }
    return kept


def path_scrub(url: str) -> str:
    """The address with every segment that looks like a token replaced."""
    prefix, _, path = url.rpartition("://")
    head, slash, rest = path.partition("/") if prefix else ("", "/", path.lstrip("/"))
    segments = [FILTERED if TOKEN_SEGMENT.match(part) else part for part in rest.split("/")]
    return (f"{prefix}://" if prefix else "") + head + slash + "/".join(segments)


def _frames_scrub(stacktrace: dict | None) -> None:
    for frame in (stacktrace or {}).get("frames") or []:
        frame.pop("vars", None)
