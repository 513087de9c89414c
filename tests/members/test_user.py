"""Accounts log in by e-mail address; there are no usernames."""

from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.db import IntegrityError

pytestmark = pytest.mark.django_db


def test_user_is_created_and_authenticated_by_email(rf):
    User = get_user_model()
    user = User.objects.create_user(
        email="Mei.Haddad@Example.EDU", password="a-long-pass-phrase", first_name="Mei"
    )
    assert user.email == "mei.haddad@example.edu"
    assert not hasattr(user, "username") or user.username is None
    assert User.USERNAME_FIELD == "email"
    request = rf.post("/accounts/login/")
    assert (
        authenticate(request, email="mei.haddad@example.edu", password="a-long-pass-phrase")
        == user
    )


def test_email_is_unique():
    User = get_user_model()
    User.objects.create_user(email="a@example.org", password="x")
    with pytest.raises(IntegrityError):
        User.objects.create_user(email="a@example.org", password="y")


def test_superuser_can_open_the_wagtail_admin(client):
    User = get_user_model()
    admin = User.objects.create_superuser(email="admin@example.org", password="a-long-pass-phrase")
    client.force_login(admin)
    response = client.get("/admin/")
    assert response.status_code == 200
    assert "Dashboard" in response.content.decode()


def test_createsuperuser_without_input_needs_only_an_email_and_a_password(client, monkeypatch):
    """The first start's documented command: no name, no prompt, then the admin opens."""
    monkeypatch.setenv("DJANGO_SUPERUSER_EMAIL", "Chair@Example.org")
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "a-long-pass-phrase-2027")
    for name in ("DJANGO_SUPERUSER_FIRST_NAME", "DJANGO_SUPERUSER_LAST_NAME"):
        monkeypatch.delenv(name, raising=False)

    call_command("createsuperuser", "--noinput", stdout=StringIO())

    user = get_user_model().objects.get()
    assert user.is_superuser and user.is_staff and user.email == "chair@example.org"
    # Every login goes through the members' login, with a confirmed address (Security).
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
    response = client.post(
        "/accounts/login/?next=/admin/",
        {"login": user.email, "password": "a-long-pass-phrase-2027"},
    )
    assert response.status_code == 302 and response.url == "/admin/"
    assert client.get("/admin/").status_code == 200
