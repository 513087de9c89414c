"""A member number binds to one account. Numbers are printed on cards and invoices, so
someone who knows another member's number and last name must not become that member: a
second account claiming a number already held waits for a coordinator, who sees both."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from members.choices import MembershipStatus
from members.models import MemberProfile
from members.services.roster import roster_import_apply, roster_import_preview
from tests.factories import MemberRosterFactory, member
from tests.members.helpers import sign_up

pytestmark = pytest.mark.django_db


def sign_up_and_confirm(email: str, *, member_number: str, last_name: str) -> MemberProfile:
    """Sign up as ``email`` and follow the confirmation link, as a person would."""
    client = Client()
    sign_up(client, email, member_number=member_number, last_name=last_name)
    [message] = [m for m in mail.outbox if email in m.to]
    path = re.search(r"http://testserver(/accounts/confirm-email/\S+/)", message.body)[1]
    assert client.post(path).status_code == 302
    return MemberProfile.objects.get(user__email=email)


def test_an_impostor_with_someones_number_and_last_name_is_not_verified(client, site):
    MemberRosterFactory(member_number="M100002", last_name="Haddad", email="mei@example.edu")
    real = sign_up_and_confirm("mei@example.edu", member_number="", last_name="Haddad")
    assert real.membership_status == MembershipStatus.VERIFIED
    assert real.member_number == "M100002"

    impostor = sign_up_and_confirm(
        "someone@example.org", member_number="m100002", last_name="Haddad"
    )

    assert impostor.membership_status == MembershipStatus.PENDING
    real.refresh_from_db()
    assert real.membership_status == MembershipStatus.VERIFIED
    held = MemberProfile.objects.filter(
        member_number__iexact="M100002", membership_status=MembershipStatus.VERIFIED
    )
    assert list(held) == [real]

    coordinator = member("coordinator@example.org", groups=["Coordinators"])
    client.force_login(coordinator)
    page = client.get(reverse("members_member:decide", args=[impostor.pk])).content.decode()
    assert "Member number M100002 is already held" in page
    assert "mei@example.edu" in page and "someone@example.org" in page


def test_the_first_claim_by_number_binds_it_and_a_second_one_waits(site):
    """Whoever claims a number first by number and last name holds it; the next account,
    even with the roster's e-mail address, waits for a coordinator to sort them out."""
    MemberRosterFactory(member_number="M100005", last_name="Haddad", email="mei@example.edu")
    first = sign_up_and_confirm("first@example.org", member_number="M100005", last_name="Haddad")
    second = sign_up_and_confirm("mei@example.edu", member_number="", last_name="Haddad")
    assert first.membership_status == MembershipStatus.VERIFIED
    assert second.membership_status == MembershipStatus.PENDING


def test_a_roster_import_verifies_no_second_claim_either(site):
    """Confirming a roster import verifies people waiting whose number is now on the roster,
    but never a second account for a number already held."""
    holder = member("holder@example.org", member_number="M100009")
    waiting = member(
        "waiting@example.org", status=MembershipStatus.PENDING, member_number="M100009"
    )
    waiting.last_name = holder.last_name
    waiting.save()
    csv = (
        "member_number,email,first_name,last_name,membership_expires\n"
        f"M100009,other@example.edu,Mei,{holder.last_name},2099-01-01\n"
    )
    roster_import_apply(preview=roster_import_preview(text=csv))
    waiting.profile.refresh_from_db()
    assert waiting.profile.membership_status == MembershipStatus.PENDING
