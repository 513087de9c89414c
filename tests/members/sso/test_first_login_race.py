"""Two first logins with one member number at the same instant: the account holding it is
linked once, and the number is verified for one account only; the other person sees why
their membership waits.

SQLite (the test database) runs one writing transaction at a time, so the two logins cannot
truly overlap here. Each test makes the other login's write land in the window that
matters instead, from a hook on the database connection: after this login chose, just
before it writes (``on_query``). Without the lock or the constraint, both writes succeed.
"""

import contextlib

import pytest
from allauth.socialaccount.models import SocialAccount
from django.db import connection
from django.urls import reverse

from members.choices import MembershipStatus, VerificationMethod
from members.models import MemberProfile
from members.services.sso import NUMBER_HELD
from tests.factories import member
from tests.members.helpers import text
from tests.members.sso.helpers import claims, sso_login

pytestmark = pytest.mark.django_db


@contextlib.contextmanager
def on_query(containing: str, meanwhile, *, nth: int = 1, after: bool = False):
    """Run ``meanwhile`` once, just before (or ``after``) the ``nth`` query whose SQL holds
    ``containing``: another login's write, committed at that instant."""
    seen = []

    def wrapper(execute, sql, params, many, context):
        hit = containing in sql and len(seen) < nth and not seen.append(sql) and len(seen) == nth
        if hit and not after:
            meanwhile()
        result = execute(sql, params, many, context)
        if hit and after:
            meanwhile()
        return result

    with connection.execute_wrapper(wrapper):
        yield seen


def test_the_holder_of_a_number_is_linked_once_when_another_login_links_it_meanwhile(sso, client):
    holder = member("holder@example.org", member_number="M200001")
    sso.accounts(mei=claims("mei@example.org"))
    lock = 'SELECT "members_user"."id" AS "pk" FROM "members_user" WHERE "members_user"."id" ='

    def other_login_links_the_holder():
        SocialAccount.objects.create(user=holder, provider="association", uid="someone-else")

    with on_query(lock, other_login_links_the_holder) as happened:
        response = sso_login(client, sso, "mei")

    assert happened, "the chosen account is locked before it is linked"
    assert response.status_code == 302
    assert list(SocialAccount.objects.filter(user=holder).values_list("uid", flat=True)) == [
        "someone-else"
    ]
    mei = MemberProfile.objects.get(user__socialaccount__uid="mei")
    assert mei.user != holder
    assert (mei.membership_status, mei.member_number) == (MembershipStatus.PENDING, "M200001")
    page = text(client.get(reverse("member_profile")))
    assert NUMBER_HELD.format(number="M200001") in page


def test_a_number_verified_for_another_account_meanwhile_leaves_this_one_waiting(sso, client):
    other = member("other@example.org", status=MembershipStatus.PENDING, member_number="M200001")
    sso.accounts(mei=claims("mei@example.org"))
    # The check of the number's holders: first when choosing an account to link (none),
    # then just before the membership is written; the other login verifies it in between.
    holders_check = (
        '"members_memberprofile"."membership_status" = %s AND "members_user"."erased_at"'
    )

    def other_login_verifies_the_number():
        MemberProfile.objects.filter(user=other).update(
            membership_status=MembershipStatus.VERIFIED,
            verification_method=VerificationMethod.SIGN_ON,
        )

    with on_query(holders_check, other_login_verifies_the_number, nth=2, after=True) as happened:
        response = sso_login(client, sso, "mei")

    assert len(happened) == 2
    assert response.status_code == 302
    verified = MemberProfile.objects.filter(membership_status=MembershipStatus.VERIFIED)
    assert [p.user for p in verified] == [other]
    mei = MemberProfile.objects.get(user__email="mei@example.org")
    assert (mei.membership_status, mei.member_number) == (MembershipStatus.PENDING, "M200001")
    assert mei.verified_at is None and mei.verification_method == ""
    assert NUMBER_HELD.format(number="M200001") in text(client.get(reverse("member_profile")))


def test_a_second_person_with_the_same_number_waits_and_is_told_why(sso, client):
    sso.accounts(
        mei=claims("mei@example.org"),
        ana=claims("ana@example.org", given_name="Ana", family_name="Ruiz"),
    )
    sso_login(client, sso, "mei")
    client.logout()

    response = sso_login(client, sso, "ana")

    assert response.status_code == 302
    verified = MemberProfile.objects.filter(membership_status=MembershipStatus.VERIFIED)
    assert [p.user.email for p in verified] == ["mei@example.org"]
    ana = MemberProfile.objects.get(user__email="ana@example.org")
    assert ana.membership_status == MembershipStatus.PENDING
    assert NUMBER_HELD.format(number="M200001") in text(client.get(reverse("member_profile")))
