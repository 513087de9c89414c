"""What the login, sign-up and logout pages show of the sign-on, with it configured and
without; the password login switched off; logging out everywhere."""

import pytest
from allauth.socialaccount.models import SocialAccount
from django.urls import reverse

from members.adapters import PASSWORD_LOGIN_OFF
from portal.settings.sso import openid_connect_providers
from tests.factories import member
from tests.members.helpers import text
from tests.members.sso.helpers import claims, sso_login

pytestmark = pytest.mark.django_db

BUTTON = "Log in with your Library Association account"
PASSWORD = "a-long-pass-phrase-2026"


@pytest.fixture
def configured(settings, site):
    """The sign-on configured (no provider needs to answer to render a page)."""
    settings.SSO_ISSUER = "https://login.example.org"
    settings.SSO_CLIENT_ID, settings.SSO_CLIENT_SECRET = "portal", "secret"
    settings.SSO_ASSOCIATION = "Library Association"
    settings.SOCIALACCOUNT_PROVIDERS = openid_connect_providers(
        issuer=settings.SSO_ISSUER,
        client_id="portal",
        secret="secret",
        scopes=["openid"],
        name="x",
    )


@pytest.mark.parametrize("page", ["account_login", "account_signup"])
def test_without_the_sign_on_the_pages_are_as_before(client, site, page):
    body = client.get(reverse(page)).content.decode()

    assert "sso-login" not in body
    assert 'name="password' in body or 'name="password1"' in body


@pytest.mark.parametrize("page", ["account_login", "account_signup"])
def test_the_sign_on_button_comes_first(client, configured, page):
    body = client.get(reverse(page)).content.decode()

    assert BUTTON in body
    assert body.index(BUTTON) < body.index('type="password"')
    assert 'action="/accounts/oidc/association/login/"' in body


def test_with_the_password_login_off_only_the_button_is_offered(client, configured, settings):
    settings.SSO_PASSWORD_LOGIN = False
    user = member("mei@example.org")
    user.set_password(PASSWORD)
    user.save()

    page = client.get(reverse("account_login")).content.decode()
    posted = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    signup = client.get(reverse("account_signup"))

    assert BUTTON in page and 'type="password"' not in page
    assert posted.status_code == 200
    assert PASSWORD_LOGIN_OFF.format(label=BUTTON) in text(posted)
    assert "_auth_user_id" not in client.session
    assert "Sign up closed" in text(signup) or "closed" in text(signup).lower()


def test_a_member_who_never_used_the_sign_on_sees_no_log_out_everywhere(client, configured):
    client.force_login(member("mei@example.org"))

    assert "Log out everywhere" not in text(client.get(reverse("account_logout")))


def test_log_out_everywhere_ends_the_portal_session_then_the_providers(sso, client):
    sso.accounts(mei=claims("mei@example.org"))
    sso_login(client, sso, "mei")
    assert "Log out everywhere" in text(client.get(reverse("account_logout")))

    response = client.post(reverse("sso_logout_everywhere"))

    assert response.status_code == 302
    assert response["Location"].startswith(f"{sso.issuer}/session/end?client_id={sso.client_id}")
    assert "post_logout_redirect_uri=http%3A%2F%2Ftestserver%2F" in response["Location"]
    assert "_auth_user_id" not in client.session
    assert SocialAccount.objects.count() == 1


def test_the_login_form_may_be_redirected_to_the_provider_and_nowhere_else(client, configured):
    policy = client.get(reverse("account_login"))["Content-Security-Policy"]

    assert "form-action 'self' https://login.example.org;" in policy + ";"


def test_without_the_sign_on_forms_post_to_the_portal_only(client, site):
    policy = client.get(reverse("account_login"))["Content-Security-Policy"]

    assert "form-action 'self';" in policy + ";"
