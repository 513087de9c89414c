"""Deployment checks (`manage.py check --deploy`) for settings Django itself does not know."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def check_public_address_and_mail(app_configs, **kwargs):
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
    if settings.EMAIL_BACKEND != "django.core.mail.backends.smtp.EmailBackend":
        problems.append(
            Warning(
                "No SMTP server is set: the portal's e-mail is only written to the log.",
                hint="Set EMAIL_HOST (and EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD).",
                id="portal.W002",
            )
        )
    return problems
