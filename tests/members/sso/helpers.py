"""Logging in through the test provider, as a browser would, and what a login left behind."""

import datetime

from allauth.socialaccount.models import SocialAccount, SocialToken
from django.urls import reverse

from members.models import User

LOGIN_PATH = reverse("openid_connect_login", kwargs={"provider_id": "association"})


def claims(email: str, **more) -> dict:
    """A member's claims at the provider: verified ``email``, Mei Haddad, a member number
    and a membership that runs another year; ``more`` adds or replaces claims."""
    next_year = datetime.date.today() + datetime.timedelta(days=365)
    return {
        "email": email,
        "email_verified": True,
        "given_name": "Mei",
        "family_name": "Haddad",
        "member_number": "M200001",
        "membership_expires": next_year.isoformat(),
        **more,
    }


def start(client):
    """Start a login on the portal; the provider's authorisation address it redirects to."""
    response = client.post(LOGIN_PATH)
    assert response.status_code == 302, response.content[:500]
    return response["Location"]


def provider_login(client, provider, login: str) -> str:
    """Start a login and log in at the provider as ``login``; the callback address (path
    and query) the provider sent the browser back to."""
    callback = provider.authorize(start(client), login, "http://testserver/")
    return callback.removeprefix("http://testserver")


def sso_login(client, provider, login: str):
    """The whole login as ``login``: the portal's answer to the provider's callback."""
    return client.get(provider_login(client, provider, login))


def written() -> tuple[int, int, int]:
    """Users, linked sign-on accounts and stored tokens: what a refused login must not add."""
    return User.objects.count(), SocialAccount.objects.count(), SocialToken.objects.count()
