"""Absolute addresses for e-mails and other messages read outside the site.

They start with SITE_URL, the public address the operator configured, never with the
Wagtail Site record (whose host and port default to ``localhost:80``) or a request's host.
"""

from django.conf import settings


def absolute_url(path: str) -> str:
    """``path`` (from ``reverse()`` or a page) on the public site: SITE_URL + path."""
    return settings.SITE_URL.rstrip("/") + path


def page_absolute_url(page) -> str:
    """The public address of a Wagtail page, or "" when the page is not routable (not
    under any site's root)."""
    parts = page.get_url_parts()
    if parts is None:
        return ""
    return absolute_url(parts[2])


def site_host() -> str:
    """The host name of SITE_URL, for Message-IDs and calendar identifiers."""
    from urllib.parse import urlsplit

    return urlsplit(settings.SITE_URL).hostname or "localhost"
