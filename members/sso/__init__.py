"""Single sign-on with the association's identity provider through django-allauth's
``openid_connect`` provider: settings in portal/settings/base.py (SSO_*), the rules of
accounts and membership in members/services/sso.py."""

from django.conf import settings


def sso_enabled() -> bool:
    """Whether the association's sign-on is configured (SSO_ISSUER)."""
    return bool(settings.SSO_ISSUER)


def sso_button_label() -> str:
    return settings.SSO_BUTTON_LABEL or f"Log in with your {settings.SSO_ASSOCIATION} account"
