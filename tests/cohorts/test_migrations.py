"""Data migrations of the cohorts app."""

import importlib

import pytest
from django.apps import apps
from django.utils import timezone

from cohorts.choices import ApplicationStatus, ChangeRequestStatus, PairStatus
from cohorts.models import ChangeRequest
from tests.cohorts.factories import make_pair

pytestmark = pytest.mark.django_db

partner_left = importlib.import_module("cohorts.migrations.0012_partner_left_the_program")


def test_pairs_whose_member_was_erased_before_end_as_partner_left(cohort):
    left_behind = make_pair(cohort, mentee=("Gone", "Mentee"), record_only=True)
    untouched = make_pair(
        cohort, mentor=("Still", "Here"), mentee=("Also", "Here"), record_only=True
    )
    ChangeRequest.objects.create(pair=left_behind, requested_by=None, reason="")
    gone = left_behind.mentee.applicant
    gone.erased_at = timezone.now()
    gone.save()

    partner_left.end_pairs_of_erased_members(apps, None)

    left_behind.refresh_from_db()
    assert left_behind.status == PairStatus.ENDED
    assert left_behind.end_reason == "partner left the program"
    assert ChangeRequest.objects.get().status == ChangeRequestStatus.CLOSED
    assert left_behind.mentee.status == ApplicationStatus.WITHDRAWN
    assert left_behind.mentor.status == ApplicationStatus.ACCEPTED
    untouched.refresh_from_db()
    assert untouched.status == PairStatus.PUBLISHED


liaison_erased = importlib.import_module("cohorts.migrations.0014_liaison_erased")


def test_pairs_whose_liaison_was_erased_before_lose_the_liaison_and_are_marked(cohort):
    from tests.factories import member

    gone, staying = member("gone@example.org"), member("staying@example.org")
    left = make_pair(cohort, record_only=True, liaison=gone)
    kept = make_pair(
        cohort,
        mentor=("Still", "Here"),
        mentee=("Also", "Here"),
        record_only=True,
        liaison=staying,
    )
    gone.erased_at = timezone.now()
    gone.save()

    liaison_erased.clear_erased_liaisons(apps, None)

    left.refresh_from_db()
    assert (left.liaison, left.liaison_erased_at) == (None, gone.erased_at)
    kept.refresh_from_db()
    assert (kept.liaison, kept.liaison_erased_at) == (staying, None)


change_closed = importlib.import_module("cohorts.migrations.0015_change_closed_with_a_side")


def test_open_changes_on_a_pair_with_a_closed_side_close(cohort):
    closed_side = make_pair(cohort, record_only=True, mentee_after_end="close")
    running = make_pair(
        cohort, mentor=("Still", "Here"), mentee=("Also", "Here"), record_only=True
    )
    waiting = ChangeRequest.objects.create(pair=closed_side, requested_by=None, reason="")
    decided = ChangeRequest.objects.create(
        pair=closed_side, requested_by=None, reason="", status=ChangeRequestStatus.DECLINED
    )
    untouched = ChangeRequest.objects.create(pair=running, requested_by=None, reason="")

    change_closed.close_changes_of_closed_sides(apps, None)

    statuses = dict(ChangeRequest.objects.values_list("pk", "status"))
    assert statuses == {
        waiting.pk: ChangeRequestStatus.CLOSED_SIDE,
        decided.pk: ChangeRequestStatus.DECLINED,
        untouched.pk: ChangeRequestStatus.AWAITING_CONSENT,
    }
