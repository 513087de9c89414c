"""Brute-force lockout per account, idle session expiry, and logout ending every session."""

import datetime

import pytest
import time_machine
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import USER_PASSWORD, member

pytestmark = pytest.mark.django_db

OFFICE = "203.0.113.7"


def member_login(client, email, password, address=OFFICE):
    return client.post(
        reverse("account_login"), {"login": email, "password": password}, REMOTE_ADDR=address
    )


def logged_in(client) -> bool:
    return client.get(reverse("member_profile")).status_code == 200


def test_fifth_failure_locks_the_account_but_not_a_colleague_on_the_same_address(site):
    target = member("target@example.org")
    colleague = member("colleague@example.org")
    attacker = Client()
    statuses = [
        member_login(attacker, "Target@Example.org", "wrong-password").status_code
        for _ in range(settings.AXES_FAILURE_LIMIT)
    ]
    # Four failures re-show the form; the fifth locks the account and says so.
    assert statuses == [200, 200, 200, 200, 429]

    right_password = member_login(attacker, target.email, USER_PASSWORD)
    assert right_password.status_code == 429
    assert not logged_in(attacker)
    other_address = member_login(Client(), target.email, USER_PASSWORD, address="198.51.100.9")
    assert other_address.status_code == 429

    office_mate = Client()
    assert member_login(office_mate, colleague.email, USER_PASSWORD).status_code == 302
    assert logged_in(office_mate)


def test_lockout_lasts_fifteen_minutes(site):
    from axes.models import AccessAttempt

    target = member("target@example.org")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        member_login(Client(), target.email, "wrong-password")
    assert member_login(Client(), target.email, USER_PASSWORD).status_code == 429
    assert settings.AXES_COOLOFF_TIME == datetime.timedelta(minutes=15)
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=16))
    assert member_login(Client(), target.email, USER_PASSWORD).status_code == 302


def test_staff_are_locked_out_alike_and_the_admin_login_checks_no_password(site):
    """The admin's login hands over to the members' login (tests/security/test_login_doors.py),
    so the lockout is the same for an editor as for any member."""
    target = member("editor.person@example.org", groups=["Editors"])
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        member_login(client, target.email, "nope")
    response = client.post("/admin/login/", {"username": target.email, "password": USER_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/admin/"
    assert member_login(client, target.email, USER_PASSWORD).status_code == 429


def test_sessions_expire_after_thirty_idle_minutes_and_each_request_renews_them(client, site):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    user = member("idle@example.org")
    client.force_login(user)
    session = Session.objects.get()
    Session.objects.update(expire_date=timezone.now() + datetime.timedelta(minutes=1))
    assert logged_in(client)
    renewed = Session.objects.get(pk=session.pk).expire_date - timezone.now()
    assert renewed > datetime.timedelta(minutes=29)

    Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    assert not logged_in(client)


def test_reading_pages_renews_the_session_at_most_once_a_minute(client, site):
    client.force_login(member("reader@example.org"))
    with time_machine.travel(timezone.now(), tick=False) as clock:
        assert logged_in(client)
        renewed = Session.objects.get().expire_date
        clock.shift(datetime.timedelta(seconds=30))
        with CaptureQueriesContext(connection) as queries:
            assert logged_in(client)
        assert not [q for q in queries if q["sql"].startswith(("UPDATE", "INSERT"))]
        assert Session.objects.get().expire_date == renewed

        clock.shift(datetime.timedelta(seconds=31))
        response = client.get(reverse("member_profile"))
        assert response.status_code == 200
        assert Session.objects.get().expire_date == renewed + datetime.timedelta(seconds=61)
        assert "sessionid" in response.cookies

        # Idle for the whole timeout, less the minute a renewal may lag: still logged in.
        clock.shift(datetime.timedelta(minutes=29))
        assert logged_in(client)
        clock.shift(datetime.timedelta(minutes=30, seconds=1))
        assert not logged_in(client)


def test_an_anonymous_visitor_gets_no_session(client, site):
    assert client.get("/").status_code == 200
    assert "sessionid" not in client.cookies
    assert not Session.objects.exists()


def test_logging_out_ends_every_session_of_the_account(site):
    user = member("two.devices@example.org")
    phone, laptop = Client(), Client()
    phone.force_login(user)
    laptop.force_login(user)
    assert logged_in(phone) and logged_in(laptop)
    phone.post(reverse("account_logout"))
    assert not logged_in(phone)
    assert not logged_in(laptop)
    assert member_login(laptop, user.email, USER_PASSWORD).status_code == 302
    assert logged_in(laptop)


def test_deactivating_an_account_ends_its_sessions(client, site):
    user = member("leaving@example.org")
    client.force_login(user)
    assert logged_in(client)
    user.is_active = False
    user.save()
    assert not logged_in(client)


def test_signup_and_password_reset_are_rate_limited(client, site):
    limits = settings.ACCOUNT_RATE_LIMITS
    assert limits["signup"] and limits["reset_password"]
    for _ in range(3):
        client.post(reverse("account_reset_password"), {"email": "someone@example.org"})
    blocked = client.post(reverse("account_reset_password"), {"email": "someone@example.org"})
    assert blocked.status_code == 429
