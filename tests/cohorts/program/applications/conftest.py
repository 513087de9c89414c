"""Fixtures of the tests of the member's application page: an open application page, two
areas of interest, and a verified member who applies."""

import pytest

from tests.cohorts.factories import AreaOfInterestFactory, open_application_page
from tests.factories import member


@pytest.fixture
def areas(db):
    """Cataloguing and Leadership, two new areas of interest."""
    return [AreaOfInterestFactory(name="Cataloguing"), AreaOfInterestFactory(name="Leadership")]


@pytest.fixture
def apply_page(home):
    """An application page whose cohort opened ten days ago and closes in ten."""
    return open_application_page(home)


@pytest.fixture
def applicant(areas):
    """Ada, a verified member in Denver whose profile names the first of ``areas``."""
    user = member(
        "ada.applicant@example.org",
        career_stage="mid",
        years_experience=8,
        time_zone="America/Denver",
        contact_methods=["telephone"],
    )
    user.profile.areas.set(areas[:1])
    return user


@pytest.fixture
def applicant_client(client, applicant):
    """``client`` logged in as ``applicant``."""
    client.force_login(applicant)
    return client
