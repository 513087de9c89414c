"""A member's own account: sign-up, the account pages in the site's layout, logging in,
password and e-mail changes, and what each membership status is told."""

import datetime
import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from home.models import SiteSettings
from members.choices import MembershipStatus
from members.models import MemberProfile, User
from tests.factories import USER_PASSWORD
from tests.members.factories import EMAIL
from tests.members.helpers import text

pytestmark = pytest.mark.django_db

# ---- Sign-up --------------------------------------------------------------------------


def test_signup_creates_a_pending_profile_with_the_member_number_and_sends_a_link(client, site):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "new.member@example.edu",
            "first_name": "Mei",
            "last_name": "Haddad",
            "member_number": " M123456 ",
            "password1": "a-long-pass-phrase",
            "password2": "a-long-pass-phrase",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    user = User.objects.get(email="new.member@example.edu")
    assert (user.first_name, user.last_name) == ("Mei", "Haddad")
    assert user.profile.membership_status == MembershipStatus.PENDING
    assert user.profile.member_number == "M123456"
    [message] = mail.outbox
    assert message.subject == "Confirm your e-mail address"
    assert "Hello from the Mentoring Program!" in message.body
    assert re.search(r"http://testserver/accounts/confirm-email/\S+/", message.body)
    page = client.get(response["Location"])
    assert "Check your e-mail" in text(page)


def test_signup_form_asks_for_names_and_member_number_and_never_a_username(client, site):
    page = text(client.get(reverse("account_signup")))
    for label in ["E-mail address", "First name", "Last name", "Member number (optional)"]:
        assert label in page
    assert "Password again" in page
    assert "username" not in page.lower()


# ---- Every account page renders in the site's layout --------------------------------------

VISITOR_PAGES = {
    "/accounts/login/": "Log in",
    "/accounts/signup/": "Sign up",
    "/accounts/password/reset/": "Reset your password",
    "/accounts/password/reset/done/": "Check your e-mail",
    "/accounts/password/reset/key/1-not-a-key/": "This link has expired",
    "/accounts/password/reset/key/done/": "Your password is changed",
    "/accounts/confirm-email/": "Check your e-mail",
    "/accounts/confirm-email/not-a-key/": "This link has expired",
    "/accounts/inactive/": "This account is closed",
    "/accounts/deleted/": "Your account is deleted",
}
MEMBER_PAGES = {
    "/accounts/profile/": "Your account",
    "/accounts/profile/edit/": "Edit your profile",
    "/accounts/delete/": "Delete your account",
    "/accounts/email/": "Change your e-mail address",
    "/accounts/password/change/": "Change your password",
    "/accounts/logout/": "Log out",
    "/accounts/reauthenticate/": "Confirm it is you",
}


@pytest.mark.parametrize(("url", "heading"), VISITOR_PAGES.items())
def test_visitor_account_pages_render_in_the_site_layout(client, site, url, heading):
    response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert re.search(rf"<h1>\s*{re.escape(heading)}\s*</h1>", body)
    assert body.count("<h1") == 1
    assert '<link rel="stylesheet" href="/static/css/site.css">' in body
    assert 'class="site-header"' in body and 'class="site-footer"' in body
    assert "username" not in text(response).lower()


@pytest.mark.parametrize(("url", "heading"), MEMBER_PAGES.items())
def test_member_account_pages_render_and_are_never_cached(member_client, url, heading):
    response = member_client.get(url)
    assert response.status_code == 200
    assert re.search(rf"<h1>\s*{re.escape(heading)}\s*</h1>", response.content.decode())
    assert "username" not in text(response).lower()
    cache_control = response["Cache-Control"]
    assert "private" in cache_control and "no-store" in cache_control


def test_member_pages_need_a_login(client, site):
    for name in ["member_profile", "member_profile_edit", "member_data_export"]:
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    assert client.get(reverse("member_account_delete")).status_code == 302


def test_header_offers_login_and_signup_to_visitors_and_logout_to_members(client, member):
    visitor = client.get("/accounts/login/").content.decode()
    assert 'href="/accounts/login/">Log in</a>' in visitor
    assert 'href="/accounts/signup/">Sign up</a>' in visitor
    client.force_login(member)
    page = client.get(reverse("member_profile")).content.decode()
    bar = re.search(r'<nav class="account-bar".*?</nav>', page, re.S).group(0)
    assert 'href="/accounts/profile/">Your account</a>' in bar
    assert 'action="/accounts/logout/" method="post"' in bar
    assert 'name="csrfmiddlewaretoken"' in bar
    assert client.post(reverse("account_logout")).status_code == 302
    assert client.get(reverse("member_profile")).status_code == 302


def test_login_goes_to_the_account_page(client, member):
    response = client.post(reverse("account_login"), {"login": EMAIL, "password": USER_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("member_profile")
    assert "You're logged in." in text(client.get(response["Location"]))


def test_a_locked_account_is_told_why_and_offered_a_password_reset(client, member):
    for _ in range(5):
        client.post(reverse("account_login"), {"login": EMAIL, "password": "wrong-password"})
    response = client.post(reverse("account_login"), {"login": EMAIL, "password": USER_PASSWORD})
    assert response.status_code == 429
    page = text(response)
    assert "Your account is locked" in page
    assert "locked for 15 minutes" in page
    assert f'href="{reverse("account_reset_password")}"' in response.content.decode()


def test_password_reset_by_e_mail_link(client, member):
    client.post(reverse("account_reset_password"), {"email": EMAIL})
    [message] = mail.outbox
    assert message.subject == "Reset your password"
    link = re.search(r"http://testserver(/accounts/password/reset/key/\S+/)", message.body)
    form_page = client.get(link.group(1), follow=True)
    assert "Choose a new password" in text(form_page)
    assert "New password again" in text(form_page)
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"password1": "a-brand-new-phrase", "password2": "a-brand-new-phrase"},
        follow=True,
    )
    assert "Your password is changed" in text(done)
    client.post(reverse("account_login"), {"login": EMAIL, "password": "a-brand-new-phrase"})
    assert client.get(reverse("member_profile")).status_code == 200


def test_password_change_keeps_the_member_logged_in(member_client, member):
    response = member_client.post(
        reverse("account_change_password"),
        {
            "oldpassword": USER_PASSWORD,
            "password1": "a-brand-new-phrase",
            "password2": "a-brand-new-phrase",
        },
        follow=True,
    )
    assert "Your password is changed." in text(response)
    member.refresh_from_db()
    assert member.check_password("a-brand-new-phrase")
    assert member_client.get(reverse("member_profile")).status_code == 200


def test_e_mail_change_waits_for_the_new_address_to_be_confirmed(member_client, member):
    response = member_client.post(
        reverse("account_email"), {"email": "zq.new@example.org", "action_add": ""}, follow=True
    )
    page = text(response)
    assert "We've sent a confirmation link to zq.new@example.org." in page
    assert "Changing to zq.new@example.org Not confirmed yet" in page
    member.refresh_from_db()
    assert member.email == EMAIL
    [message] = mail.outbox
    assert message.to == ["zq.new@example.org"]
    link = re.search(r"http://testserver(/accounts/confirm-email/\S+/)", message.body).group(1)
    confirm = member_client.get(link)
    assert "Is zq.new@example.org your e-mail address?" in text(confirm)
    member_client.post(link)
    member.refresh_from_db()
    assert member.email == "zq.new@example.org"
    assert list(EmailAddress.objects.filter(user=member).values_list("email", flat=True)) == [
        "zq.new@example.org"
    ]


# ---- Membership status --------------------------------------------------------------------


def test_pending_member_is_told_what_happens_next(member_client, member):
    MemberProfile.objects.filter(user=member).update(member_number="M555")
    page = text(member_client.get(reverse("member_profile")))
    assert "Pending verification" in page
    assert "What happens next" in page
    assert "using your member number M555" in page
    assert f"We e-mail you at {EMAIL}" in page


def test_verified_member_sees_until_when(member_client, member):
    expires = timezone.localdate() + datetime.timedelta(days=200)
    MemberProfile.objects.filter(user=member).update(
        membership_status=MembershipStatus.VERIFIED, membership_expires=expires
    )
    page = text(member_client.get(reverse("member_profile")))
    assert "Verified member" in page
    assert f"until {expires:%B} {expires.day}, {expires.year}" in page
    assert "Pending verification" not in page


def test_declined_member_sees_the_reason_and_how_to_reach_the_chair(member_client, member):
    MemberProfile.objects.filter(user=member).update(
        membership_status=MembershipStatus.DECLINED,
        decline_reason="No membership under <this> address.",
    )
    response = member_client.get(reverse("member_profile"))
    page = text(response)
    assert "Membership not verified" in page
    assert "No membership under <this> address." in page
    assert "No membership under &lt;this&gt; address." in response.content.decode()
    assert 'href="mailto:chair@example.org"' in response.content.decode()


def test_lapsed_member_is_shown_how_to_renew(member_client, member, site):
    SiteSettings.objects.filter(site=site).update(
        membership_renewal_url="https://association.example.org/renew"
    )
    MemberProfile.objects.filter(user=member).update(
        membership_status=MembershipStatus.VERIFIED,
        membership_expires=timezone.localdate() - datetime.timedelta(days=1),
    )
    response = member_client.get(reverse("member_profile"))
    page = text(response)
    assert "Membership lapsed" in page
    assert "cannot start a new application until you renew" in page
    assert 'href="https://association.example.org/renew"' in response.content.decode()
    assert "Verified member" not in page
