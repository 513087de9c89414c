"""One login door, with the same rules for everyone, superusers included.

The admin's login addresses (Wagtail's ``/admin/login/``, and Django's ``/django-admin/login/``
before that admin was removed) checked passwords themselves: an account whose e-mail address
is unconfirmed signed in there and then reached its account page, and Wagtail's password
reset sent an e-mail to anyone who asked. Now every sign-in goes through the members' login
(allauth), where the lockout (axes), the rate limits and the confirmed-address rule hold,
and Wagtail's password reset is off.
"""

import re
from urllib.parse import quote

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse

from members.models import User
from tests.factories import USER_PASSWORD, UserFactory, member
from tests.helpers import html
from tests.security.toolkit import form_data

pytestmark = pytest.mark.django_db

DOORS = ["/admin/login/", "/django-admin/login/", "/accounts/login/"]
ADMIN_PAGE = "/admin/pages/"


def knock(client: Client, door: str, email: str, password: str, **extra):
    """POST a login to ``door`` as its form would (allauth's field is ``login``, Wagtail's and
    Django's is ``username``; each form ignores the other)."""
    data = {"login": email, "username": email, "password": password}
    return client.post(door, data, REMOTE_ADDR="203.0.113.7", **extra)


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


@pytest.fixture
def superuser(site):
    """A superuser whose e-mail address is confirmed."""
    user = member("root.admin@example.org")
    user.is_superuser = user.is_staff = True
    user.save()
    return user


@pytest.fixture
def unconfirmed_superuser(site):
    """A superuser whose e-mail address has not been confirmed."""
    user = UserFactory(email="unconfirmed.root@example.org", is_superuser=True, is_staff=True)
    EmailAddress.objects.create(user=user, email=user.email, verified=False, primary=True)
    return user


@pytest.mark.parametrize("door", DOORS)
def test_no_door_lets_a_guessed_password_through_the_lockout(client, superuser, door):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        knock(client, door, superuser.email, "wrong-password")
    response = knock(client, door, superuser.email, USER_PASSWORD)
    assert not signed_in(client)
    if door == "/accounts/login/":
        assert response.status_code == 429


@pytest.mark.parametrize("door", DOORS)
def test_no_door_signs_in_an_unconfirmed_address(client, unconfirmed_superuser, door):
    knock(client, door, unconfirmed_superuser.email, USER_PASSWORD)
    assert not signed_in(client)
    profile = client.get(reverse("member_profile"))
    assert profile.status_code == 302 and profile["Location"].startswith("/accounts/login/")
    assert client.get("/admin/").status_code == 302


def test_the_admin_sends_to_the_members_login_and_back(client, superuser):
    to_admin_login = client.get(ADMIN_PAGE)
    assert to_admin_login.status_code == 302
    assert to_admin_login["Location"] == f"/admin/login/?next={quote(ADMIN_PAGE)}"
    to_members_login = client.get(to_admin_login["Location"])
    assert to_members_login.status_code == 302
    assert to_members_login["Location"] == f"/accounts/login/?next={quote(ADMIN_PAGE)}"
    form = client.get(to_members_login["Location"])
    assert f'name="next" value="{ADMIN_PAGE}"' in html(form)

    back = knock(client, "/accounts/login/?next=" + quote(ADMIN_PAGE), superuser.email,
                 USER_PASSWORD)  # fmt: skip
    assert back.status_code == 302 and back["Location"] == ADMIN_PAGE
    assert client.get(ADMIN_PAGE).status_code == 200
    # Logged in already: the admin's login address goes straight to the page asked for.
    assert client.get("/admin/login/?next=/admin/forms/")["Location"] == "/admin/forms/"


def test_the_admin_login_keeps_next_inside_the_site(client):
    response = client.get("/admin/login/?next=https://evil.example/admin/")
    assert response["Location"] == "/accounts/login/?next=/admin/"


def test_a_password_posted_to_the_admin_login_is_never_checked(client, superuser):
    response = knock(client, "/admin/login/?next=/admin/", superuser.email, USER_PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/admin/"
    assert not signed_in(client)


def test_a_member_without_the_admin_is_sent_to_their_account_not_round_in_circles(client, site):
    client.force_login(member("plain.member@example.org"))
    to_login = client.get("/admin/")
    to_account = client.get(to_login["Location"])
    assert to_account.status_code == 302 and to_account["Location"] == reverse("member_profile")
    page = client.get(to_account["Location"])
    assert page.status_code == 200
    assert "You do not have permission to access the admin." in html(page)


def test_logging_out_of_the_admin_ends_at_the_members_login(client, superuser):
    client.force_login(superuser)
    out = client.post(reverse("wagtailadmin_logout"))
    assert not signed_in(client)
    assert client.get(out["Location"])["Location"] == "/accounts/login/?next=/admin/"


def test_a_new_superuser_confirms_the_address_before_the_first_login(client, site):
    """``createsuperuser`` records no e-mail address: the first login sends the confirmation
    e-mail and signs nobody in until the address is confirmed."""
    User.objects.create_superuser("new.root@example.org", USER_PASSWORD)
    first = knock(client, "/accounts/login/?next=/admin/", "new.root@example.org", USER_PASSWORD)
    assert first.status_code == 302
    assert first["Location"] == reverse("account_email_verification_sent")
    assert not signed_in(client)
    [confirmation] = mail.outbox
    link = re.search(r"http://testserver(/accounts/confirm-email/\S+/)", confirmation.body)
    client.post(link.group(1))
    assert EmailAddress.objects.get(email="new.root@example.org").verified
    client.logout()
    again = knock(client, "/accounts/login/?next=/admin/", "new.root@example.org", USER_PASSWORD)
    assert again["Location"] == "/admin/" and signed_in(client)


def test_wagtails_password_reset_sends_nothing(client, superuser):
    for address in ("/admin/password_reset/", "/admin/password_reset/done/"):
        assert client.get(address).status_code == 404
    response = client.post("/admin/password_reset/", {"email": superuser.email})
    assert response.status_code == 404
    assert mail.outbox == []


def test_the_admin_account_page_changes_neither_password_nor_address(client, superuser):
    """Changing them there skipped the address confirmation, the rate limits and the notice
    e-mail of the members' account pages, where both are done."""
    client.force_login(superuser)
    account = client.get(reverse("wagtailadmin_account"))
    data = {}
    for panels in account.context["panels_by_tab"].values():
        for panel in panels:
            form = panel.get_form()
            data |= {f"{form.prefix}-{name}": value for name, value in form_data(form).items()}
    for field in ("name_email-email", "password-old_password", "password-new_password1"):
        assert f'name="{field}"' not in html(account)
    response = client.post(
        reverse("wagtailadmin_account"),
        {
            **data,
            "name_email-first_name": "Rooted",
            "name_email-email": "taken.over@example.org",
            "password-old_password": USER_PASSWORD,
            "password-new_password1": "a-brand-new-phrase",
            "password-new_password2": "a-brand-new-phrase",
        },
    )
    assert response.status_code == 302
    superuser.refresh_from_db()
    assert superuser.first_name == "Rooted"
    assert superuser.email == "root.admin@example.org"
    assert superuser.check_password(USER_PASSWORD)
