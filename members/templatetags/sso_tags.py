"""What the login, sign-up and logout pages show of the association's sign-on."""

from django import template
from django.conf import settings
from django.urls import reverse

from members.sso import sso_button_label, sso_enabled

register = template.Library()


@register.simple_tag(takes_context=True)
def sso_login(context) -> dict:
    """The sign-on button's address and label, and whether the password login is offered.

    ``{% sso_login as sso %}``: ``sso.enabled``, ``sso.url``, ``sso.label``,
    ``sso.password_login`` (always true while the sign-on is not configured).
    """
    if not sso_enabled():
        return {"enabled": False, "password_login": True}
    url = reverse("openid_connect_login", kwargs={"provider_id": settings.SSO_PROVIDER_ID})
    return {
        "enabled": True,
        "url": url,
        "label": sso_button_label(),
        "password_login": settings.SSO_PASSWORD_LOGIN,
    }


@register.simple_tag(takes_context=True)
def sso_linked(context) -> bool:
    """Whether the logged-in member's account is linked to the association's sign-on."""
    user = context.get("user")
    if not sso_enabled() or user is None or not user.is_authenticated:
        return False
    return user.socialaccount_set.filter(provider=settings.SSO_PROVIDER_ID).exists()
