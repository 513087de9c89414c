"""A member number is verified automatically (roster or sign-on) for one account only: the
database refuses a second, whatever the case, while a coordinator's decision is free; and
the migration that brought the rule sends the later of two holders back to a coordinator."""

import datetime
import importlib

import pytest
from django.apps import apps
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from members.choices import MembershipStatus, VerificationMethod
from members.models import MemberProfile
from tests.factories import member

pytestmark = pytest.mark.django_db

number_once = importlib.import_module("members.migrations.0009_member_number_verified_once")
CONSTRAINT = "member_number_verified_automatically_once"


def verified(email: str, number: str, method: str = VerificationMethod.ROSTER, **fields):
    return MemberProfile.objects.get(
        user=member(email, member_number=number, verification_method=method, **fields)
    )


def test_a_second_account_verified_automatically_with_the_number_is_refused():
    verified("first@example.org", "M100")
    with pytest.raises(IntegrityError), transaction.atomic():
        verified("second@example.org", "m100", method=VerificationMethod.SIGN_ON)


def test_a_coordinators_decision_and_pending_claims_are_not_bound_by_it():
    verified("first@example.org", "M100")
    verified("decided@example.org", "M100", method=VerificationMethod.COORDINATOR)
    member("waiting@example.org", status=MembershipStatus.PENDING, member_number="M100")

    assert MemberProfile.objects.filter(member_number="M100").count() == 3


def test_the_migration_sends_the_later_holders_back_to_a_coordinator():
    with connection.cursor() as cursor:
        # The database as it was before the rule (the test's transaction restores it).
        cursor.execute(f'DROP INDEX "{CONSTRAINT}"')
    now = timezone.now()
    first = verified("first@example.org", "M100", verified_at=now - datetime.timedelta(days=9))
    later = verified("later@example.org", "m100", verified_at=now)
    coordinator = verified("chosen@example.org", "M100", method=VerificationMethod.COORDINATOR)
    alone = verified("alone@example.org", "M200", method=VerificationMethod.SIGN_ON)

    number_once.later_holders_wait(apps, None)
    number_once.later_holders_wait(apps, None)

    statuses = dict(MemberProfile.objects.values_list("pk", "membership_status"))
    assert statuses == {
        first.pk: MembershipStatus.VERIFIED,
        later.pk: MembershipStatus.PENDING,
        coordinator.pk: MembershipStatus.VERIFIED,
        alone.pk: MembershipStatus.VERIFIED,
    }
    later.refresh_from_db()
    assert (later.member_number, later.verification_method, later.verified_at) == (
        "m100",
        "",
        None,
    )
