"""Fixtures of the members tests: areas of interest, and a member logged in or not."""

import pytest
from django.test import Client

from members.models import AreaOfInterest
from tests.members.factories import make_member


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
