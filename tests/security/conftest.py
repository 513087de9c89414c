"""Fixtures of the security tests: the demo site, loaded once for a module, and the people
and pages of it (``Portal``)."""

import pytest

from tests.security.toolkit import Portal


@pytest.fixture(scope="module")
def demo_once(django_db_setup, django_db_blocker):
    """The demo site, loaded once for a module inside a transaction that is rolled back after
    its last test; each test runs in a savepoint within it (pytest-django's ``db``), so every
    test starts from the same demo site and the next module from an empty database."""
    from django.db import transaction

    from portal.demo_content import demo_content_load

    with django_db_blocker.unblock(), transaction.atomic():
        demo_content_load()
        yield
        transaction.set_rollback(True)


@pytest.fixture
def portal(demo_once, db) -> Portal:
    """The demo site: Maria Mentor mentors Theo Mentee in the cohort under way; another
    cohort takes applications; Colin Coordinator and Regina Chair run the program; Ada Admin
    is a superuser."""
    from cohorts.models import Pair, PairDashboardPage
    from members.models import User

    pair = Pair.objects.select_related("cohort", "mentor__applicant", "mentee__applicant").get(
        mentor__applicant__email="mentor@example.org"
    )
    people = {user.email: user for user in User.objects.all()}
    return Portal(pair=pair, dashboard=PairDashboardPage.objects.get(), people=people)


@pytest.fixture
def behind_proxy(settings):
    """The portal behind one trusted proxy at 10.0.0.2, as base.py configures it from
    TRUSTED_PROXY_COUNT=1 and FORWARDED_ALLOW_IPS=10.0.0.2."""
    settings.TRUSTED_PROXY_COUNT = settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    settings.FORWARDED_ALLOW_IPS = ["10.0.0.2"]
    return "10.0.0.2"
