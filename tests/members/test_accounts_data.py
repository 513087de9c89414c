"""A member's own data: the download holds theirs and nobody else's, and deleting the
account leaves no personal data behind."""

import json
import re

import pytest
from allauth.account.models import EmailAddress
from django.test import Client
from django.urls import reverse
from wagtail.log_actions import log

from members.choices import MembershipStatus
from members.models import FORMER_PARTICIPANT, AreaOfInterest, MemberProfile, User
from members.services import accounts
from members.services.accounts import WRONG_PASSWORD, member_account_delete, member_data_export
from tests.factories import USER_PASSWORD
from tests.helpers import places_holding
from tests.members.factories import EMAIL, FIRST, LAST, make_member
from tests.members.helpers import profile_data, text

pytestmark = pytest.mark.django_db

# ---- Data export ----------------------------------------------------------------------------


def test_export_holds_the_members_data_and_nobody_elses(member_client, member, areas):
    coordinator = make_member("coordinator.person@example.org", first_name="Cora")
    other = make_member("other.member@example.org", first_name="Ottoline", bio="Other bio")
    other.profile.areas.set(areas[2:])
    member_client.post(reverse("member_profile_edit"), profile_data(areas=areas[:2]))
    MemberProfile.objects.filter(user=member).update(
        membership_status=MembershipStatus.VERIFIED, decided_by=coordinator
    )

    response = member_client.get(reverse("member_data_export"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert re.match(
        r'attachment; filename="mentoring-data-[\d-]+\.json"', response["Content-Disposition"]
    )
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    data = json.loads(response.content)
    account = data["Your account"]
    assert account["E-mail address"] == EMAIL
    assert (account["First name"], account["Last name"]) == (FIRST, LAST)
    assert data["Your e-mail addresses"] == [
        {"E-mail address": EMAIL, "Confirmed": "Yes", "Primary": "Yes"}
    ]
    profile = data["Your profile"]
    assert profile["Institution"] == "Riverside Public Library"
    assert profile["Areas of interest"] == ["Map librarianship", "Rare books"]
    # Choices read as their labels, never as the codes the database keeps.
    assert profile["Membership status"] == "Verified member"
    assert profile["Preferred contact methods"] == ["Virtual (video call)", "E-mail"]
    body = response.content.decode()
    for someone_else in ["coordinator.person", "Cora", "other.member", "Ottoline", "Other bio"]:
        assert someone_else not in body
    assert "Digital humanities" not in body
    assert "password" not in body


def test_export_lists_successful_sign_ins_only(client, member):
    client.post(reverse("account_login"), {"login": EMAIL, "password": "wrong-password"})
    client.post(
        reverse("account_login"),
        {"login": EMAIL, "password": USER_PASSWORD},
        HTTP_USER_AGENT="Test browser",
    )
    sign_ins = member_data_export(user=member)["Your sign-ins"]
    assert [entry["Browser"] for entry in sign_ins] == ["Test browser"]


# ---- Deletion -------------------------------------------------------------------------------


def test_deleting_the_account_leaves_no_personal_data_and_keeps_the_row(client, member, areas):
    partner = make_member("partner.person@example.org", first_name="Pat", last_name="Partner")
    # Logs and login records that carry the person's name or address.
    client.post(reverse("account_login"), {"login": EMAIL, "password": "wrong-password"})
    client.post(reverse("account_login"), {"login": EMAIL, "password": USER_PASSWORD})
    client.post(reverse("member_profile_edit"), profile_data(areas=areas))
    log(instance=member.profile, action="wagtail.edit", user=partner)
    other_device = Client()
    other_device.force_login(member)
    assert places_holding(EMAIL, FIRST, LAST)

    response = client.post(reverse("member_account_delete"), {"password": USER_PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == reverse("member_account_deleted")
    assert places_holding(EMAIL, FIRST, LAST) == []
    erased = User.objects.get(pk=member.pk)
    assert erased.erased_at is not None
    assert str(erased) == erased.display_name == FORMER_PARTICIPANT
    assert not erased.is_active and not erased.has_usable_password()
    assert erased.email == f"erased-{member.pk}@erased.invalid"
    assert not MemberProfile.objects.filter(user=erased).exists()
    assert not EmailAddress.objects.filter(user=erased).exists()
    # Logged out here and on the other device; the partner is untouched.
    assert client.get(reverse("member_profile")).status_code == 302
    assert other_device.get(reverse("member_profile")).status_code == 302
    partner.refresh_from_db()
    assert (partner.email, partner.first_name) == ("partner.person@example.org", "Pat")
    assert AreaOfInterest.objects.filter(pk__in=[area.pk for area in areas]).count() == 3


def test_deletion_needs_the_right_password_and_changes_nothing_otherwise(member_client, member):
    response = member_client.post(reverse("member_account_delete"), {"password": "not-it"})
    assert response.status_code == 200
    page = text(response)
    assert "Your account was not deleted" in page
    assert WRONG_PASSWORD in page
    member.refresh_from_db()
    assert member.email == EMAIL and member.is_active and member.erased_at is None
    assert MemberProfile.objects.filter(user=member).exists()
    assert member_client.get(reverse("member_profile")).status_code == 200

    empty = member_client.post(reverse("member_account_delete"), {"password": ""})
    assert empty.status_code == 200
    assert User.objects.get(pk=member.pk).erased_at is None


def test_deletion_is_only_by_post(member_client, member):
    assert member_client.get(reverse("member_account_delete")).status_code == 200
    assert User.objects.get(pk=member.pk).erased_at is None


def test_a_deleted_account_cannot_log_in(client, member):
    member_account_delete(user=member, password=USER_PASSWORD)
    for login in [EMAIL, f"erased-{member.pk}@erased.invalid"]:
        response = client.post(
            reverse("account_login"), {"login": login, "password": USER_PASSWORD}
        )
        assert response.status_code == 200
        assert "_auth_user_id" not in client.session
    assert client.get(reverse("member_profile")).status_code == 302


def test_erasure_steps_registered_by_other_apps_run_first_and_can_roll_everything_back(
    member, monkeypatch
):
    monkeypatch.setattr(accounts, "ERASURE_STEPS", list(accounts.ERASURE_STEPS))
    seen = []

    @accounts.erasure_step("confidential notes")
    def erase_notes(*, user, emails):
        seen.append((user.email, set(emails)))

    member_account_delete(user=make_member("second@example.org"), password=USER_PASSWORD)
    assert seen == [("second@example.org", {"second@example.org"})]

    @accounts.erasure_step("failing step")
    def fail(*, user, emails):
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        member_account_delete(user=member, password=USER_PASSWORD)
    member.refresh_from_db()
    assert member.erased_at is None and member.email == EMAIL
    assert MemberProfile.objects.filter(user=member).exists()
    assert EmailAddress.objects.filter(user=member).exists()


def test_a_member_without_a_password_deletes_by_typing_their_address(member_client, member):
    """An account made by the association's sign-on has no password to confirm with: the
    member types the account's e-mail address instead."""
    member.set_unusable_password()
    member.save()
    member_client.force_login(member)
    page = text(member_client.get(reverse("member_account_delete")))
    assert "Your e-mail address" in page
    assert "Your password" not in page

    wrong = member_client.post(reverse("member_account_delete"), {"confirmation": "x@y.org"})
    assert wrong.status_code == 200
    assert accounts.WRONG_ADDRESS in text(wrong)
    assert User.objects.get(pk=member.pk).erased_at is None
    # A password, whatever it is, is never accepted for an account that has none.
    empty = member_client.post(reverse("member_account_delete"), {"password": ""})
    assert User.objects.get(pk=member.pk).erased_at is None
    assert empty.status_code == 200

    done = member_client.post(reverse("member_account_delete"), {"confirmation": EMAIL.upper()})
    assert done.status_code == 302
    assert User.objects.get(pk=member.pk).erased_at is not None
