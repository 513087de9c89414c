"""What the pair dashboard's tests share: a cohort under way, the dashboard page, a published
pair whose partners told the subcommittee things the other must never see, and helpers to
build the dashboard's addresses and read its pages.

The fixtures are named with ``name=`` so that a test module imports them without its tests'
arguments shadowing the import."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from cohorts.choices import Role
from cohorts.matching import services as matching
from cohorts.models import Pair, PairDashboardPage
from members.models import MemberProfile
from members.roles import COORDINATORS
from tests.cohorts.factories import CohortIndexPageFactory, CohortPageFactory
from tests.cohorts.program.test_application_admin import apply
from tests.factories import member

TODAY = timezone.localdate()
MENTEE_PRIVATE = "Identity preference only the subcommittee reads"
MENTOR_AVOID = "Someone the mentor must not be paired with"


# Fixtures --------------------------------------------------------------------------------


@pytest.fixture(name="cohort")
def fixture_cohort(home):
    """A cohort under way: formal mentoring started 150 days ago, ends in about 183 days."""
    index = CohortIndexPageFactory(parent=home)
    return CohortPageFactory(
        parent=index, title="2026 cohort", slug="cohort-2026", opens=-287, deadline=-228
    )


@pytest.fixture(name="dashboard")
def fixture_dashboard(home) -> PairDashboardPage:
    return home.add_child(instance=PairDashboardPage(title="My mentoring", slug="my-mentoring"))


@pytest.fixture(name="coordinator")
def fixture_coordinator(site):
    return member("coordinator@example.org", groups=[COORDINATORS])


def publish_pair(cohort, coordinator, mentor, mentee) -> Pair:
    pair = matching.pair_by_hand(
        cohort=cohort, mentor_id=mentor.pk, mentee_id=mentee.pk, user=coordinator
    )
    matching.pairs_publish(cohort=cohort, user=coordinator)
    pair.refresh_from_db()
    return pair


@pytest.fixture(name="pair")
def fixture_pair(cohort, coordinator) -> Pair:
    """Maria Mentor mentors Theo Mentee; both told the subcommittee things Theo and Maria
    must never see of each other."""
    mentor = apply(
        cohort,
        role=Role.MENTOR,
        mentee_capacity=1,
        first="Maria",
        last="Mentor",
        institution="Riverside College Library",
        library_type="academic",
        offer="Eighteen years of <b>cataloging</b>.",
        avoid_pairing_with=MENTOR_AVOID,
        status="accepted",
    )
    mentee = apply(
        cohort,
        first="Theo",
        last="Mentee",
        institution="Oakwood Public Library",
        library_type="public",
        goals="Learn RDA.\nMeet people at Midwinter.",
        identity_preferences=MENTEE_PRIVATE,
        contact_methods=["virtual", "email"],
        status="accepted",
    )
    MemberProfile.objects.filter(user=mentor.applicant).update(
        pronouns="she/her", position="Metadata Librarian", bio="Cataloger since 2008."
    )
    return publish_pair(cohort, coordinator, mentor, mentee)


@pytest.fixture(name="mentor")
def fixture_mentor(pair):
    return pair.mentor.applicant


@pytest.fixture(name="mentee")
def fixture_mentee(pair):
    return pair.mentee.applicant


# Helpers -----------------------------------------------------------------------------------


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def url(dashboard, pair=None, section="", item=None) -> str:
    """A dashboard address, built from the page's own routes."""
    if pair is None:
        return dashboard.url
    if item is not None:
        return dashboard.url + dashboard.reverse_subpage(
            "pair_item", args=[pair.pk, section, item]
        )
    if section:
        return dashboard.url + dashboard.reverse_subpage("pair_section", args=[pair.pk, section])
    return dashboard.url + dashboard.reverse_subpage("pair", args=[pair.pk])


def html(response) -> str:
    return response.content.decode()


def assert_private(response) -> None:
    cache_control = response.headers.get("Cache-Control", "")
    assert "private" in cache_control and "no-store" in cache_control, cache_control


def contact_data(**overrides) -> dict:
    data = {
        "date": (TODAY - datetime.timedelta(days=3)).isoformat(),
        "minutes": "45",
        "method": "virtual",
        "conference": "",
        "summary": "We talked about RDA.",
    }
    return {**data, **overrides}
