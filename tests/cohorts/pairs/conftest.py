"""Fixtures of the pairs tests: the pair the coordinators' screens look at, and the chair and
the superuser beside the coordinator (tests/cohorts/conftest.py)."""

import pytest

from members.roles import CHAIR
from tests.cohorts.factories import make_pair
from tests.factories import member


@pytest.fixture
def chair(site):
    """Chai Rperson, the chair."""
    user = member("chair@example.org", groups=[CHAIR])
    user.first_name, user.last_name = "Chai", "Rperson"
    user.save()
    return user


@pytest.fixture
def pair(cohort):
    """Mina Mentor mentors Tee Mentee: a published pair's row, written directly."""
    return make_pair(cohort, record_only=True)


@pytest.fixture
def superuser(site):
    """A superuser, root@example.org."""
    user = member("root@example.org")
    user.is_superuser = True
    user.save()
    return user
