"""Accepting many suggestions at once costs a few queries per pair written, not a reload of
every pair and rule for each one; the rules still hold within one bulk accept."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cohorts.choices import ApplicationStatus, PairStatus, Role
from cohorts.matching import services
from cohorts.models import Application, MatchSuggestion, Pair
from tests.cohorts.factories import bulk_apply

pytestmark = pytest.mark.django_db

# A savepoint, the pair's row and the savepoint's release.
QUERIES_PER_PAIR = 3


@pytest.fixture
def suggested(cohort, coordinator):
    bulk_apply(cohort, 90)
    Application.objects.filter(cohort=cohort).update(
        status=ApplicationStatus.ACCEPTED, mentee_capacity=2
    )
    services.suggestions_run(cohort=cohort, user=coordinator)
    return list(MatchSuggestion.objects.filter(cohort=cohort).order_by("pk"))


def accept(cohort, coordinator, suggestions) -> int:
    with CaptureQueriesContext(connection) as queries:
        accepted, skipped = services.suggestions_accept(
            cohort=cohort, suggestion_ids=[s.pk for s in suggestions], user=coordinator
        )
    assert (accepted, skipped) == (len(suggestions), [])
    return len(queries)


def test_each_more_suggestion_accepted_costs_a_few_queries(cohort, coordinator, suggested):
    assert len(suggested) >= 40
    few = accept(cohort, coordinator, suggested[:5])
    many = accept(cohort, coordinator, suggested[5:40])
    assert many - few <= 30 * QUERIES_PER_PAIR


def test_a_bulk_accept_keeps_the_rules_between_its_own_pairs(cohort, coordinator):
    bulk_apply(cohort, 3)
    Application.objects.filter(cohort=cohort).update(status=ApplicationStatus.ACCEPTED)
    mentor = Application.objects.get(cohort=cohort, role=Role.MENTOR)
    mentor.mentee_capacity = 1
    mentor.save()
    mentee, both = (
        Application.objects.get(cohort=cohort, role=role) for role in (Role.MENTEE, Role.BOTH)
    )
    first = MatchSuggestion.objects.create(cohort=cohort, mentor=mentor, mentee=mentee, score=1)
    second = MatchSuggestion.objects.create(cohort=cohort, mentor=mentor, mentee=both, score=1)
    accepted, skipped = services.suggestions_accept(
        cohort=cohort, suggestion_ids=[first.pk, second.pk], user=coordinator
    )
    assert accepted == 1
    assert len(skipped) == 1 and "already has 1" in skipped[0]
    assert Pair.objects.filter(cohort=cohort, status=PairStatus.CONFIRMED).count() == 1
