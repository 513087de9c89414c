"""``load_demo_content --size large``: a realistic year at full size on top of the demo site,
the same on every load, added once."""

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from cohorts.choices import ApplicationStatus, PairStatus
from cohorts.models import (
    Application,
    CheckInAnswer,
    CohortPage,
    ContactLog,
    MatchSuggestion,
    Pair,
)
from cohorts.reports.selectors.attention import attention_counts
from members.models import MemberProfile

pytestmark = pytest.mark.django_db


def test_the_large_year_has_the_size_of_a_real_one_and_loads_once(settings):
    settings.DEMO_CONTENT_ALLOWED = True
    output = io.StringIO()
    call_command("load_demo_content", "--size", "large", stdout=output)
    assert "300 members" in output.getvalue()

    today = timezone.localdate()
    taking = CohortPage.objects.get(applications_open__lte=today, application_deadline__gte=today)
    under_way = CohortPage.objects.get(formal_start__lte=today, formal_end__gte=today)
    assert MemberProfile.objects.filter(user__email__endswith="@large.example.org").count() == 300
    large = Application.objects.filter(applicant__email__endswith="@large.example.org")
    assert large.filter(cohort=taking).count() == 250
    assert large.filter(cohort=taking, status=ApplicationStatus.SUBMITTED).count() == 40
    assert MatchSuggestion.objects.filter(cohort=taking).count() == 150
    pairs = Pair.objects.filter(cohort=under_way, status=PairStatus.PUBLISHED)
    assert pairs.count() == 101  # with the demo's own pair
    assert ContactLog.objects.filter(pair__cohort=under_way).count() > 300
    assert CheckInAnswer.objects.filter(cohort=under_way).count() > 100
    counts = attention_counts()
    assert counts["pending"] >= 5 and counts["quiet"] > 0 and counts["help"] == 3

    names = list(large.order_by("pk").values_list("applicant__last_name", flat=True)[:20])
    call_command("load_demo_content", "--size", "large", stdout=io.StringIO())
    assert MemberProfile.objects.filter(user__email__endswith="@large.example.org").count() == 300
    assert list(large.order_by("pk").values_list("applicant__last_name", flat=True)[:20]) == names
