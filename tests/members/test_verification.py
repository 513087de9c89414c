"""Membership verification: by the roster when the e-mail is confirmed, or by a coordinator."""

import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse

from members.choices import MembershipStatus, VerificationMethod
from members.models import MemberProfile
from members.selectors import (
    CANNOT_APPLY_DECLINED,
    CANNOT_APPLY_LAPSED,
    CANNOT_APPLY_PENDING,
    member_eligibility,
)
from members.services.verification import DECLINE_REASON_REQUIRED
from tests.factories import MemberRosterFactory, member
from tests.members.helpers import sign_up

pytestmark = pytest.mark.django_db


def confirm_email(client, email):
    [message] = [m for m in mail.outbox if email in m.to]
    link = re.search(r"https?://[^\s]+/accounts/confirm-email/[^\s]+/", message.body).group(0)
    path = (
        link.split("testserver", 1)[-1]
        if "testserver" in link
        else re.sub(r"^https?://[^/]+", "", link)
    )
    assert client.post(path).status_code == 302


def test_email_on_an_unexpired_roster_entry_is_verified_once_confirmed(client, site):
    MemberRosterFactory(email="mei.haddad@example.edu", member_number="M100001")
    profile = sign_up(client, "Mei.Haddad@Example.edu")
    assert profile.membership_status == MembershipStatus.PENDING  # not before confirmation

    confirm_email(client, "mei.haddad@example.edu")

    profile.refresh_from_db()
    assert profile.membership_status == MembershipStatus.VERIFIED
    assert profile.verification_method == VerificationMethod.ROSTER
    assert profile.member_number == "M100001"
    assert member_eligibility(user=profile.user).allowed


def test_member_number_with_the_same_last_name_verifies(client, site):
    MemberRosterFactory(member_number="M100002", last_name="Haddad", email="old@example.edu")
    profile = sign_up(client, "new.address@example.org", member_number=" m100002 ")
    confirm_email(client, "new.address@example.org")
    profile.refresh_from_db()
    assert profile.membership_status == MembershipStatus.VERIFIED


@pytest.mark.parametrize(
    ("roster", "member_number", "last_name"),
    [
        ({"member_number": "M100003", "last_name": "Lindqvist"}, "M100003", "Haddad"),
        (
            {"email": "mei@example.edu", "membership_expires": datetime.date(2020, 1, 1)},
            "",
            "Haddad",
        ),
        ({"member_number": "M100004"}, "", "Haddad"),
    ],
    ids=["number-with-another-name", "expired-membership", "no-match"],
)
def test_anyone_else_waits_for_a_coordinator(client, site, roster, member_number, last_name):
    MemberRosterFactory(**roster)
    email = roster.get("email", "someone@example.org")
    profile = sign_up(client, email, member_number=member_number, last_name=last_name)
    confirm_email(client, email)
    profile.refresh_from_db()
    assert profile.membership_status == MembershipStatus.PENDING
    assert member_eligibility(user=profile.user).reason == CANNOT_APPLY_PENDING


def coordinator_decides(client, coordinator, profile, data):
    client.force_login(coordinator)
    return client.post(reverse("members_member:decide", args=[profile.pk]), data)


def test_coordinator_verifies_and_the_person_is_told_by_email(
    client, site, smtp_inbox, django_capture_on_commit_callbacks
):
    pending = member("pending.person@example.org", status=MembershipStatus.PENDING)
    coordinator = member("coordinator@example.org", groups=["Coordinators"])
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_decides(
            client,
            coordinator,
            pending.profile,
            {"decision": "verify", "membership_expires": "2027-06-30", "reason": ""},
        )
    assert response.status_code == 302
    profile = MemberProfile.objects.get(user=pending)
    assert profile.membership_status == MembershipStatus.VERIFIED
    assert profile.verification_method == VerificationMethod.COORDINATOR
    assert profile.decided_by == coordinator
    assert profile.membership_expires == datetime.date(2027, 6, 30)
    [message] = smtp_inbox.messages
    assert message["X-Envelope-To"] == "pending.person@example.org"
    assert message["Subject"] == "Mentoring Program: Your membership is verified"
    assert "You can now apply" in message.get_body(("plain",)).get_content()


def test_declining_needs_a_reason_which_the_person_receives(
    client, site, django_capture_on_commit_callbacks
):
    pending = member("pending.person@example.org", status=MembershipStatus.PENDING)
    coordinator = member("coordinator@example.org", groups=["Coordinators"])
    with django_capture_on_commit_callbacks(execute=True):
        refused = coordinator_decides(
            client, coordinator, pending.profile, {"decision": "decline", "reason": " "}
        )
    assert DECLINE_REASON_REQUIRED in refused.content.decode()
    assert MemberProfile.objects.get(user=pending).membership_status == MembershipStatus.PENDING
    assert mail.outbox == []

    reason = "No membership found under this name; renewed members take a week to appear."
    with django_capture_on_commit_callbacks(execute=True):
        coordinator_decides(
            client, coordinator, pending.profile, {"decision": "decline", "reason": reason}
        )
    profile = MemberProfile.objects.get(user=pending)
    assert profile.membership_status == MembershipStatus.DECLINED
    assert member_eligibility(user=pending).reason == CANNOT_APPLY_DECLINED
    [message] = mail.outbox
    assert message.to == ["pending.person@example.org"]
    assert reason in message.body


def test_decision_page_shows_roster_look_alikes_and_escapes_them(client, site):
    pending = member("mei@example.org", status=MembershipStatus.PENDING, member_number="M9")
    pending.last_name = "Haddad"
    pending.save()
    MemberRosterFactory(last_name="Haddad", first_name="<script>alert(1)</script>")
    MemberRosterFactory(member_number="M9", last_name="Other")
    MemberRosterFactory(last_name="Unrelated")
    coordinator = member("coordinator@example.org", groups=["Coordinators"])
    client.force_login(coordinator)
    html = client.get(reverse("members_member:decide", args=[pending.profile.pk])).content.decode()
    assert html.count("<tr><td>") == 2
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_only_coordinators_decide(client, site):
    pending = member("pending@example.org", status=MembershipStatus.PENDING)
    editor = member("editor@example.org", groups=["Editors"])
    client.force_login(editor)
    url = reverse("members_member:decide", args=[pending.profile.pk])
    assert client.post(url, {"decision": "verify"}).status_code in {302, 403}
    assert MemberProfile.objects.get(user=pending).membership_status == MembershipStatus.PENDING


def test_a_lapsed_membership_blocks_applying_and_says_when_it_ended():
    lapsed = member(membership_expires=datetime.date(2025, 12, 31))
    eligibility = member_eligibility(user=lapsed, today=datetime.date(2026, 1, 1))
    assert not eligibility.allowed
    assert eligibility.reason == CANNOT_APPLY_LAPSED.format(date=datetime.date(2025, 12, 31))
    assert eligibility.reason == "Your membership expired on December 31, 2025."
    assert member_eligibility(user=lapsed, today=datetime.date(2025, 12, 31)).allowed
