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
