"""Fixtures of the tests of the coordinators' application screens: a coordinator logged in,
two areas of interest, and applications in every state across two cohorts. The 2026 cohort
is tests/cohorts/conftest.py's ``cohort``."""

import pytest

from cohorts.choices import ApplicationStatus, Role
from members.choices import LibraryType
from members.models import AreaOfInterest
from members.roles import COORDINATORS
from tests.cohorts.factories import apply, make_cohort
from tests.factories import member

S = ApplicationStatus


@pytest.fixture
def coordinator(client, site):
    """A coordinator, logged in to ``client``."""
    user = member("coordinator@example.org", groups=[COORDINATORS])
    client.force_login(user)
    return user


@pytest.fixture
def areas(db):
    """Cataloging and Leadership, the first two areas of interest (migrations seed a few;
    these two sort first)."""
    return [
        AreaOfInterest.objects.get_or_create(name="Cataloging", defaults={"sort_order": 0})[0],
        AreaOfInterest.objects.get_or_create(name="Leadership", defaults={"sort_order": 1})[0],
    ]


@pytest.fixture
def applications(cohort, home, areas):
    """Five submitted-or-later applications across two cohorts, and one draft."""
    older = make_cohort(home, 2025)
    return {
        "mentor": apply(
            cohort,
            first="Mina",
            last="Mentor",
            institution="Riverside Public Library",
            library_type=LibraryType.PUBLIC,
            role=Role.MENTOR,
            attends_midwinter=True,
            areas=[areas[0]],
        ),
        "mentee": apply(
            cohort,
            first="Tee",
            last="Mentee",
            institution="State University",
            library_type=LibraryType.ACADEMIC,
            role=Role.MENTEE,
            status=S.ACCEPTED,
            attends_annual=True,
            areas=[areas[1]],
        ),
        "both": apply(
            cohort,
            first="Bo",
            last="Both",
            institution="State University",
            library_type=LibraryType.ACADEMIC,
            role=Role.BOTH,
            attends_midwinter=True,
            attends_annual=True,
            areas=areas,
        ),
        "waitlisted": apply(
            cohort,
            first="Wai",
            last="Waiting",
            institution="County Schools",
            library_type=LibraryType.SCHOOL,
            role=Role.MENTEE,
            status=S.WAITLISTED,
        ),
        "older": apply(older, first="Ola", last="Older", role=Role.MENTOR),
        "draft": apply(cohort, first="Dra", last="Draft", status=S.DRAFT, submitted_at=None),
    }
