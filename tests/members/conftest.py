"""Fixtures of the members tests: areas of interest, a member logged in or not, the
association's administrator, and a mentee in a pair who is about to leave."""

import pytest
from django.test import Client

from members.models import AreaOfInterest
from members.roles import COORDINATORS
from tests.cohorts.factories import (
    cohort_under_way,
    dashboard_page,
    dashboard_pair,
    every_kind_of_record,
)
from tests.factories import UserFactory
from tests.factories import member as verified_member
from tests.members.factories import make_member
from tests.members.helpers import LEAVER_WORDS


@pytest.fixture
def areas(db):
    """Three areas of interest, sorted: map librarianship, rare books, digital humanities."""
    return [
        AreaOfInterest.objects.create(name="Map librarianship", sort_order=1),
        AreaOfInterest.objects.create(name="Rare books", sort_order=2),
        AreaOfInterest.objects.create(name="Digital humanities", sort_order=3),
    ]


@pytest.fixture
def member(site):
    """Zephyrine Quillfeather, a pending member (``make_member``)."""
    return make_member()


@pytest.fixture
def member_client(member):
    """A client logged in as ``member``."""
    client = Client()
    client.force_login(member)
    return client


@pytest.fixture
def administrator(db):
    """Ada Admin, a superuser: the association's administrator."""
    return UserFactory(
        email="ada.admin@example.org", first_name="Ada", last_name="Admin", is_superuser=True
    )


@pytest.fixture
def leaving_pair(home):
    """Theo Mentee, mentored by Maria Mentor in a cohort under way (``dashboard_pair``), with
    one of every record a mentee writes in a year, each holding ``LEAVER_WORDS``
    (``every_kind_of_record``); Cora Ordinator coordinates. Returns the pair."""
    dashboard_page(home)
    coordinator = verified_member("c@example.org", groups=[COORDINATORS])
    coordinator.first_name, coordinator.last_name = "Cora", "Ordinator"
    coordinator.save()
    pair = dashboard_pair(cohort_under_way(home), coordinator)
    every_kind_of_record(pair, words=LEAVER_WORDS, shared_words="PAIR-RECORD")
    return pair
