"""What the tests of the coordinators' pair screens share: the screens' addresses, a published
pair made by hand, a contact, an export and a posted action, and the people who use the
screens.

The fixtures are named with ``name=`` so that a test module imports them without its tests'
arguments shadowing the import."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cohorts.choices import ApplicationStatus, ChangeRequestStatus, PairSource, PairStatus, Role
from cohorts.models import ContactLog, Pair
from members.roles import CHAIR, COORDINATORS
from tests.cohorts.program.test_application_admin import apply, make_cohort
from tests.factories import member

INDEX = "cohorts_pair:index"
INSPECT = "cohorts_pair:inspect"
VIEW_LOG = "cohorts_pairviewlog:index"
C = ChangeRequestStatus


# Helpers -------------------------------------------------------------------------------


def make_pair(cohort, mentor=("Mina", "Mentor"), mentee=("Tee", "Mentee"), **fields) -> Pair:
    """A published pair of two accepted applications by new members."""
    now = timezone.now()
    mentor_app = apply(
        cohort,
        first=mentor[0],
        last=mentor[1],
        institution=f"{mentor[1]} Library",
        role=Role.MENTOR,
        mentee_capacity=1,
        status=ApplicationStatus.ACCEPTED,
    )
    mentee_app = apply(
        cohort,
        first=mentee[0],
        last=mentee[1],
        institution=f"{mentee[1]} College",
        status=ApplicationStatus.ACCEPTED,
    )
    defaults = {
        "status": PairStatus.PUBLISHED,
        "source": PairSource.MANUAL,
        "confirmed_at": now,
        "published_at": now,
    }
    return Pair.objects.create(
        cohort=cohort, mentor=mentor_app, mentee=mentee_app, **{**defaults, **fields}
    )


def contact(pair, *, minutes: int, day: datetime.date, summary: str = "", **fields):
    return ContactLog.objects.create(
        pair=pair,
        author=pair.mentee.applicant,
        date=day,
        minutes=minutes,
        method=fields.pop("method", "email"),
        summary=summary,
        **fields,
    )


def export(client, export_format: str, **params) -> bytes:
    response = client.get(reverse(INDEX), {**params, "export": export_format})
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def post(client, pair, action: str, **data):
    return client.post(reverse(INSPECT, args=[pair.pk]), {"action": action, **data})


# Fixtures ------------------------------------------------------------------------------


@pytest.fixture(name="cohort")
def fixture_cohort(home):
    return make_cohort(home, 2026)


@pytest.fixture(name="coordinator")
def fixture_coordinator(client, site):
    user = member("coordinator@example.org", groups=[COORDINATORS])
    user.first_name, user.last_name = "Cora", "Ordinator"
    user.save()
    client.force_login(user)
    return user


@pytest.fixture(name="chair")
def fixture_chair(site):
    user = member("chair@example.org", groups=[CHAIR])
    user.first_name, user.last_name = "Chai", "Rperson"
    user.save()
    return user


@pytest.fixture(name="pair")
def fixture_pair(cohort):
    return make_pair(cohort)


@pytest.fixture(name="superuser")
def fixture_superuser(site):
    user = member("root@example.org")
    user.is_superuser = True
    user.save()
    return user
