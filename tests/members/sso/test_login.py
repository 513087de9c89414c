"""Logging in with the association's sign-on, against a real OpenID Connect provider
(oidc-provider on loopback): accounts are created, linked and refreshed from its claims,
and every answer the portal cannot trust is refused with nothing written."""

import datetime

import pytest
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount, SocialToken
from django.core import mail
from django.urls import reverse

from home.models import SiteSettings
from members.choices import MembershipStatus, VerificationMethod
from members.models import MemberProfile, User
from members.services.sso import ALREADY_LINKED, UNCONFIRMED_ADDRESS, UNVERIFIED_AT_PROVIDER
from members.sso.adapter import (
    NONCE_MISMATCH,
    PROVIDER_DOWN,
    STATE_UNKNOWN,
    UNTRUSTED_IDENTITY,
)
from tests.factories import member
from tests.members.helpers import text
from tests.members.sso.helpers import claims, provider_login, sso_login, start, written

pytestmark = pytest.mark.django_db


def test_first_login_creates_a_verified_account_without_password_or_confirmation(sso, client):
    sso.accounts(mei=claims("Mei.Haddad@example.org"))

    response = sso_login(client, sso, "mei")

    assert response.status_code == 302
    assert response["Location"] == reverse("member_profile")
    user = User.objects.get()
    assert (user.email, user.first_name, user.last_name) == (
        "mei.haddad@example.org",
        "Mei",
        "Haddad",
    )
    assert not user.has_usable_password()
    assert EmailAddress.objects.get(user=user).verified
    profile = MemberProfile.objects.get(user=user)
    assert profile.membership_status == MembershipStatus.VERIFIED
    assert profile.verification_method == VerificationMethod.SIGN_ON
    assert profile.member_number == "M200001"
    assert profile.membership_expires == datetime.date.today() + datetime.timedelta(days=365)
    assert SocialAccount.objects.get().uid == "mei"
    assert SocialToken.objects.get().token_secret, (
        "the refresh token is kept for the daily refresh"
    )
    assert mail.outbox == []
    page = client.get(reverse("member_profile"))
    assert "Verified member" in text(page)


def refused(response, message: str) -> None:
    assert response.status_code == 400
    assert message in response.content.decode().replace("&#x27;", "'")
    assert "_auth_user_id" not in response.wsgi_request.session


def test_an_account_with_the_same_confirmed_address_is_linked_not_duplicated(sso, client):
    existing = member("mei.haddad@example.org", status=MembershipStatus.PENDING)
    sso.accounts(mei=claims("mei.haddad@example.org"))

    response = sso_login(client, sso, "mei")

    assert response.status_code == 302
    assert User.objects.get() == existing
    assert SocialAccount.objects.get().user == existing
    assert existing.has_usable_password(), "linking leaves the password as it was"
    assert MemberProfile.objects.get(user=existing).membership_status == MembershipStatus.VERIFIED
    assert int(client.session["_auth_user_id"]) == existing.pk
    assert [message.to for message in mail.outbox] == [["mei.haddad@example.org"]]


def test_an_account_holding_the_member_number_is_linked_and_takes_the_new_address(sso, client):
    existing = member("old.address@example.org", member_number="M200001")
    sso.accounts(mei=claims("mei.haddad@example.org"))

    sso_login(client, sso, "mei")

    existing.refresh_from_db()
    assert User.objects.get() == existing
    assert existing.email == "mei.haddad@example.org"
    assert SocialAccount.objects.get().user == existing


def test_an_unconfirmed_address_is_not_enough_to_link(sso, client):
    squatter = User.objects.create_user("mei.haddad@example.org", password="x-long-password-1")
    EmailAddress.objects.create(user=squatter, email=squatter.email, verified=False, primary=True)
    sso.accounts(mei=claims("mei.haddad@example.org"))
    before = written()

    response = sso_login(client, sso, "mei")

    refused(response, UNCONFIRMED_ADDRESS.format(email="mei.haddad@example.org"))
    assert written() == before
    assert not SocialAccount.objects.filter(user=squatter).exists()


def test_an_address_the_provider_did_not_verify_links_nothing(sso, client):
    member("mei.haddad@example.org")
    sso.accounts(mei=claims("mei.haddad@example.org", email_verified=False))
    before = written()

    response = sso_login(client, sso, "mei")

    refused(response, UNVERIFIED_AT_PROVIDER.format(email="mei.haddad@example.org"))
    assert written() == before


def test_lapsed_claims_show_the_lapsed_state_and_renewal_link(sso, client, site):
    site_settings = SiteSettings.for_site(site)
    site_settings.membership_renewal_url = "https://example.org/renew"
    site_settings.save()
    expired = datetime.date.today() - datetime.timedelta(days=10)
    sso.accounts(mei=claims("mei@example.org", membership_expires=expired.strftime("%-m/%-d/%Y")))

    sso_login(client, sso, "mei")

    profile = MemberProfile.objects.get()
    assert profile.membership_status == MembershipStatus.VERIFIED
    assert profile.membership_expires == expired
    page = text(client.get(reverse("member_profile")))
    assert "Membership lapsed" in page
    assert f"expired on {expired:%B} {expired.day}, {expired.year}" in page
    assert (
        'href="https://example.org/renew"'
        in client.get(reverse("member_profile")).content.decode()
    )


def test_each_login_refreshes_name_address_and_membership(sso, client):
    sso.accounts(mei=claims("mei@example.org"))
    sso_login(client, sso, "mei")
    client.logout()
    lapsed = datetime.date.today() - datetime.timedelta(days=1)
    sso.accounts(
        mei=claims(
            "mei.new@example.org", family_name="Haddad-Lee", membership_expires=lapsed.isoformat()
        )
    )

    sso_login(client, sso, "mei")

    user = User.objects.get()
    assert (user.email, user.last_name) == ("mei.new@example.org", "Haddad-Lee")
    assert EmailAddress.objects.get(user=user, primary=True).email == "mei.new@example.org"
    assert MemberProfile.objects.get().membership_expires == lapsed
    assert SocialAccount.objects.count() == 1


def test_a_member_number_another_account_holds_waits_for_a_coordinator(sso, client):
    holder = member("holder@example.org", member_number="M200001")
    member("mei@example.org", status=MembershipStatus.PENDING)
    sso.accounts(mei=claims("mei@example.org"))

    sso_login(client, sso, "mei")

    mei = MemberProfile.objects.get(user__email="mei@example.org")
    assert mei.membership_status == MembershipStatus.PENDING
    assert mei.member_number == "M200001"
    assert MemberProfile.objects.get(user=holder).membership_status == MembershipStatus.VERIFIED


@pytest.mark.parametrize(
    "fault",
    [
        {"aud": "another-site"},
        {"iss": "http://127.0.0.1:1/"},
        {"exp": 1_000_000_000},
    ],
    ids=["wrong audience", "wrong issuer", "expired"],
)
def test_an_id_token_the_portal_cannot_trust_is_refused_and_writes_nothing(sso, client, fault):
    sso.accounts(mei=claims("mei@example.org"))
    sso.faults(id_token=fault)

    response = sso_login(client, sso, "mei")

    refused(response, UNTRUSTED_IDENTITY)
    assert written() == (0, 0, 0)


def test_an_id_token_with_another_logins_nonce_is_refused(sso, client):
    sso.accounts(mei=claims("mei@example.org"))
    sso.faults(id_token={"nonce": "the-nonce-of-an-earlier-login"})

    response = sso_login(client, sso, "mei")

    refused(response, NONCE_MISMATCH)
    assert written() == (0, 0, 0)


def test_a_replayed_callback_is_refused(sso, client, django_user_model):
    sso.accounts(mei=claims("mei@example.org"))
    callback = provider_login(client, sso, "mei")
    client.get(callback)
    client.logout()
    before = written()

    again = client.get(callback)

    refused(again, STATE_UNKNOWN)
    assert written() == before


def test_a_provider_whose_token_endpoint_fails_is_reported(sso, client):
    sso.accounts(mei=claims("mei@example.org"))
    sso.faults(token_status=503)

    response = sso_login(client, sso, "mei")

    refused(response, PROVIDER_DOWN)
    assert written() == (0, 0, 0)


def test_a_provider_that_does_not_answer_is_reported(sso, client, settings):
    settings.SOCIALACCOUNT_PROVIDERS["openid_connect"]["APPS"][0]["settings"]["server_url"] = (
        "http://127.0.0.1:9/"
    )

    response = client.post(reverse("openid_connect_login", kwargs={"provider_id": "association"}))

    assert response.status_code == 503
    assert PROVIDER_DOWN.replace("'", "&#x27;") in response.content.decode()
    assert written() == (0, 0, 0)


def test_login_starts_with_pkce_a_state_and_a_nonce(sso, client):
    location = start(client)

    for parameter in ("code_challenge=", "code_challenge_method=S256", "state=", "nonce="):
        assert parameter in location


def test_a_number_held_by_an_account_linked_elsewhere_makes_a_new_account_wait(sso, client):
    holder = member("holder@example.org", member_number="M200001")
    SocialAccount.objects.create(user=holder, provider="association", uid="someone-else")
    sso.accounts(mei=claims("mei@example.org"))

    response = sso_login(client, sso, "mei")

    assert response.status_code == 302
    mei = MemberProfile.objects.get(user__email="mei@example.org")
    assert (mei.membership_status, mei.member_number) == (MembershipStatus.PENDING, "M200001")
    assert SocialAccount.objects.get(uid="mei").user == mei.user
    assert MemberProfile.objects.get(user=holder).membership_status == MembershipStatus.VERIFIED


def test_an_address_linked_to_another_identity_is_refused(sso, client):
    existing = member("mei@example.org")
    SocialAccount.objects.create(user=existing, provider="association", uid="someone-else")
    sso.accounts(mei=claims("mei@example.org"))
    before = written()

    response = sso_login(client, sso, "mei")

    refused(response, ALREADY_LINKED.format(email="mei@example.org"))
    assert written() == before
