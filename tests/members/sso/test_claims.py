"""The claims' membership rules (members/services/sso.py): the roster's formats and checks,
an "active member" flag or group, and a member number that binds to one account."""

import datetime

import pytest
from allauth.socialaccount.models import SocialAccount

from members.choices import MembershipStatus, VerificationMethod
from members.models import MemberProfile
from members.services.accounts import member_account_delete, member_data_export
from members.services.sso import membership_claims_read, membership_from_claims
from tests.factories import USER_PASSWORD, MemberRosterFactory, member

TODAY = datetime.date(2027, 3, 1)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2027-06-30", datetime.date(2027, 6, 30)),
        ("6/30/2027", datetime.date(2027, 6, 30)),
        ("2027-06-30T00:00:00.000+0000", datetime.date(2027, 6, 30)),
        (1_814_400_000, datetime.date(2027, 7, 1)),
        ("30/06/2027", None),
        ("2027-02-30", None),
        ("=HYPERLINK(1)", None),
        (True, None),
        ("", None),
    ],
)
def test_expiry_dates_follow_the_rosters_formats(value, expected):
    claimed = membership_claims_read(claims={"membership_expires": value}, today=TODAY)

    assert claimed.expires == expected
    assert claimed.active is (None if expected is None else expected >= TODAY)


def test_member_numbers_are_cleaned_as_on_the_roster():
    assert (
        membership_claims_read(claims={"member_number": " m100001 "}, today=TODAY).member_number
        == "M100001"
    )
    assert (
        membership_claims_read(claims={"member_number": "=1+1"}, today=TODAY).member_number == ""
    )
    assert (
        membership_claims_read(claims={"member_number": 100001}, today=TODAY).member_number
        == "100001"
    )


@pytest.mark.parametrize(
    ("active_value", "claim", "expected"),
    [
        ("", True, True),
        ("", "false", False),
        ("", "Active", True),
        ("member", ["staff", "Member"], True),
        ("member", ["staff"], False),
        ("member", "member", True),
        ("", None, None),
    ],
)
def test_an_active_member_flag_or_group(settings, active_value, claim, expected):
    settings.SSO_CLAIM_ACTIVE = "status"
    settings.SSO_ACTIVE_VALUE = active_value

    assert membership_claims_read(claims={"status": claim}, today=TODAY).active is expected


def test_an_inactive_flag_outweighs_a_future_expiry(settings):
    settings.SSO_CLAIM_ACTIVE = "active_member"

    claims = {"active_member": False, "membership_expires": "2028-01-01"}

    assert membership_claims_read(claims=claims, today=TODAY).active is False


@pytest.mark.django_db
def test_inactive_with_no_date_reads_as_lapsed_yesterday(settings):
    settings.SSO_CLAIM_ACTIVE = "active_member"
    user = member("mei@example.org", status=MembershipStatus.PENDING)

    profile = membership_from_claims(user=user, claims={"active_member": False})

    assert profile.membership_status == MembershipStatus.VERIFIED
    assert profile.membership_expires == datetime.date.today() - datetime.timedelta(days=1)
    assert profile.verification_method == VerificationMethod.SIGN_ON


@pytest.mark.django_db
def test_claims_silent_on_membership_leave_it_to_the_roster():
    user = member("mei@example.org", status=MembershipStatus.PENDING)
    MemberRosterFactory(email="mei@example.org", member_number="M300003")

    profile = membership_from_claims(user=user, claims={"member_number": "M300003"})

    assert profile.membership_status == MembershipStatus.VERIFIED
    assert profile.verification_method == VerificationMethod.ROSTER


@pytest.mark.django_db
def test_a_coordinators_decline_gives_way_to_the_association_saying_member():
    user = member("mei@example.org", status=MembershipStatus.DECLINED, decline_reason="Not found")

    profile = membership_from_claims(user=user, claims={"membership_expires": "2099-01-01"})

    assert profile.membership_status == MembershipStatus.VERIFIED
    assert profile.decline_reason == ""


@pytest.mark.django_db
def test_a_claimed_number_held_elsewhere_leaves_the_account_pending_with_the_claim():
    member("holder@example.org", member_number="M100001")
    user = member("mei@example.org", status=MembershipStatus.PENDING)

    profile = membership_from_claims(
        user=user, claims={"member_number": "m100001", "membership_expires": "2099-01-01"}
    )

    assert (profile.membership_status, profile.member_number) == ("pending", "M100001")
    assert MemberProfile.objects.filter(member_number__iexact="M100001").count() == 2


@pytest.mark.django_db
def test_a_deleted_account_keeps_no_link_to_the_sign_on_and_the_export_lists_it():
    user = member("mei@example.org")
    SocialAccount.objects.create(
        user=user, provider="association", uid="mei", extra_data={"userinfo": {"name": "Mei"}}
    )

    exported = member_data_export(user=user)
    member_account_delete(user=user, password=USER_PASSWORD)

    assert [link["identity"] for link in exported["sign-on"]] == ["mei"]
    assert not SocialAccount.objects.exists()
