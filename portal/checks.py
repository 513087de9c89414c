"""Deployment checks (`manage.py check --deploy`) for settings Django itself does not know.
(A missing SMTP server is not a warning: production settings refuse to start without one.)"""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def check_public_address(app_configs, **kwargs):
    problems = []
    if not settings.SITE_URL.startswith("https://"):
        problems.append(
            Warning(
                "SITE_URL is not an https:// address, so links in e-mails and the admin "
                "point to the wrong place.",
                hint="Set SITE_URL to the portal's public address, e.g. https://mentoring.example.org",
                id="portal.W001",
            )
        )
    return problems


@register(Tags.security, deploy=True)
def check_client_addresses(app_configs, **kwargs):
    # Production always sits behind a TLS proxy (SECURE_PROXY_SSL_HEADER): without its
    # X-Forwarded-For every visitor has the proxy's address, so a few failed logins from
    # anywhere would lock out every member, and ten sign-ups an hour would stop all others.
    if settings.TRUSTED_PROXY_COUNT > 0:
        return []
    return [
        Warning(
            "TRUSTED_PROXY_COUNT is 0: the rate limits and the login lockout count every "
            "visitor behind the proxy as one client.",
            hint=(
                "Set TRUSTED_PROXY_COUNT to the number of proxies of the site's own (1 behind "
                "Caddy) and FORWARDED_ALLOW_IPS to the proxy's address (Security → Limits)."
            ),
            id="portal.W003",
        )
    ]
