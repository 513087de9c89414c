"""Accounts log in by e-mail address; there are no usernames."""

import pytest
from django.contrib.auth import authenticate, get_user_model
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
