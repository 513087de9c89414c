"""The address of the client a request comes from, for every limit that counts by address:
allauth's sign-up and login limits, django-axes' log of failed logins, and the portal's own
limits (django-ratelimit).

Behind the TLS proxy every request reaches gunicorn from the proxy's address; the proxy
names the real client in X-Forwarded-For. That header is believed only when the request
comes from an address in ``FORWARDED_ALLOW_IPS`` (the proxy), and then only the entry the
proxy itself wrote: ``TRUSTED_PROXY_COUNT`` entries from the right, one per proxy of the
site's own. Anything a client wrote there itself sits further left and is ignored; from any
other peer the whole header is dropped, so a client that reaches gunicorn directly cannot
name an address of its choosing.
"""

import functools
import ipaddress

from django.conf import settings

FORWARDED_FOR = "HTTP_X_FORWARDED_FOR"


@functools.cache
def _networks(allowed: tuple[str, ...]) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    return tuple(ipaddress.ip_network(item, strict=False) for item in allowed if item != "*")


def _address(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def peer_is_trusted_proxy(peer: str) -> bool:
    """Whether ``peer`` (REMOTE_ADDR) is the site's own proxy (``FORWARDED_ALLOW_IPS``; "*"
    trusts every peer, as gunicorn's setting of the same name does)."""
    allowed = tuple(settings.FORWARDED_ALLOW_IPS)
    if "*" in allowed:
        return True
    address = _address(peer or "")
    if address is None:
        return False
    ip = ipaddress.ip_address(address)
    return any(ip in network for network in _networks(allowed))


def forwarded_client(meta) -> str | None:
    """The client address the trusted proxy wrote into X-Forwarded-For, or None when the
    request did not come through it or the header does not hold a valid one."""
    count = settings.TRUSTED_PROXY_COUNT
    header = meta.get(FORWARDED_FOR, "")
    if count < 1 or not header or not peer_is_trusted_proxy(meta.get("REMOTE_ADDR", "")):
        return None
    entries = header.split(",")
    if len(entries) < count:
        return None
    return _address(entries[-count])


def client_ip(request) -> str:
    """The address of the client that sent ``request``: what the trusted proxy says, else
    the peer's own address (``AXES_CLIENT_IP_CALLABLE``, ``RATELIMIT_IP_META_KEY``, and the
    account adapter's ``get_client_ip``)."""
    return forwarded_client(request.META) or request.META.get("REMOTE_ADDR") or "0.0.0.0"  # noqa: S104


class TrustedProxyMiddleware:
    """First in MIDDLEWARE: leaves X-Forwarded-For only when the proxy wrote a valid client
    address in it, reduced to that address, so that every reader of the header (allauth's
    own ``get_client_ip`` with ``ALLAUTH_TRUSTED_PROXY_COUNT``, gunicorn's access log aside)
    finds the same client as ``client_ip``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if FORWARDED_FOR in request.META:
            client = forwarded_client(request.META)
            if client is None:
                del request.META[FORWARDED_FOR]
            else:
                # allauth takes the TRUSTED_PROXY_COUNT-th entry from the right.
                request.META[FORWARDED_FOR] = ", ".join(
                    [client] * max(settings.TRUSTED_PROXY_COUNT, 1)
                )
        return self.get_response(request)
