"""The Nu HTML Checker (the W3C validator, `vnu.jar`, fetched by tests/e2e/fetch_vnu.py) finds
no error on the member's pages, rendered with a year's realistic record: the dashboard, the
pair's page (past the minimum hours, closed by one partner after the formal end, and ended when
a partner left the program), the confirmation of closing, notes, the letter of service, the
account page and the application page.

The pages are rendered by Django's test client and checked in one run of the checker, on
Java 17 or newer (`.ci/run` installs it when `java` is missing).
"""

import datetime

import pytest
from django.urls import reverse

from cohorts.choices import AfterEnd, PairStatus
from cohorts.models import Pair, PairAgreement, PairGoal
from cohorts.pairs.services import notes as note_services
from members.roles import COORDINATORS
from tests.cohorts.factories import (
    cohort_under_way,
    contact,
    dashboard_page,
    dashboard_pair,
    make_cohort,
    make_pair,
    open_application_page,
)
from tests.cohorts.pairs.dashboard.helpers import url
from tests.e2e.html_checker import validate
from tests.factories import member
from tests.helpers import client_for

# Like the live-server tests beside it: committed, then flushed and restored, so that no
# rolled-back row (a content type) stays in Django's caches for the tests that follow.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def year(home):
    """A pair under way past the minimum, with its agreement, goals and notes; and the same
    mentor's pair of 2024, over, its mentee having closed their side and agreed to be named
    in the letter."""
    cohort = cohort_under_way(home)
    dashboard = dashboard_page(home)
    pair = dashboard_pair(cohort, member("coordinator@example.org", groups=[COORDINATORS]))
    mentor, mentee = pair.mentor.applicant, pair.mentee.applicant
    start = cohort.formal_start
    for days, minutes, method in ((10, 75, "virtual"), (40, 63, "email"), (70, 30, "telephone")):
        contact(pair, minutes=minutes, day=start + datetime.timedelta(days=days), method=method)
    PairAgreement.objects.create(pair=pair, frequency="Every two weeks", methods=["virtual"])
    PairGoal.objects.create(pair=pair, text="Learn RDA.")
    note_services.note_add(pair=pair, user=mentor, text="Theo asked about RDA.\nFollow up.")
    note_services.note_add(pair=pair, user=mentee, text="Shared thoughts.", shared=True)

    past = make_cohort(home, 2024)
    earlier = make_pair(
        past,
        mentor=mentor,
        mentee=("Ann", "Earlier"),
        record_only=True,
        mentee_after_end=AfterEnd.CLOSE,
        mentee_after_end_at=datetime.datetime(2025, 5, 20, tzinfo=datetime.UTC),
        mentee_named_in_letter=True,
    )
    contact(earlier, minutes=130, day=datetime.date(2024, 7, 1), method="virtual")
    # The mentor's pair of 2023 ended when its mentee left the program.
    make_pair(
        make_cohort(home, 2023),
        mentor=mentor,
        mentee=("Lee", "Left"),
        record_only=True,
        status=PairStatus.ENDED,
        ended_at=datetime.datetime(2023, 11, 2, tzinfo=datetime.UTC),
        end_reason="partner left the program",
    )
    return dashboard, pair, earlier


def test_the_members_pages_are_valid_html(year, home, tmp_path):
    dashboard, pair, earlier = year
    mentor, mentee = pair.mentor.applicant, pair.mentee.applicant
    earlier_mentee = Pair.objects.get(pk=earlier.pk).mentee.applicant
    ended = Pair.objects.get(status=PairStatus.ENDED)
    applying = open_application_page(home)
    as_mentor, as_mentee, as_earlier = map(client_for, (mentor, mentee, earlier_mentee))
    pages = {
        "dashboard": as_mentor.get(url(dashboard)),
        "pair": as_mentor.get(url(dashboard, pair)),
        "pair-mentee": as_mentee.get(url(dashboard, pair)),
        "notes": as_mentor.get(url(dashboard, pair, "notes")),
        "pair-partner-closed": as_mentor.get(url(dashboard, earlier)),
        "confirm-close": as_mentor.post(url(dashboard, earlier, "end"), {"choice": "close"}),
        "pair-closed": as_earlier.get(url(dashboard, earlier)),
        "pair-ended": as_mentor.get(url(dashboard, ended)),
        "notes-closed": as_earlier.get(url(dashboard, earlier, "notes")),
        "notes-partner-closed": as_mentor.get(url(dashboard, earlier, "notes")),
        "change-partner-closed": as_mentor.get(url(dashboard, earlier, "change")),
        "letter": as_mentor.get(url(dashboard, earlier, "letter")),
        "letter-refused": as_mentor.get(url(dashboard, pair, "letter")),
        "account": as_mentor.get(reverse("member_profile")),
        "applying": as_mentor.get(applying.url),
    }
    for name, response in pages.items():
        assert response.status_code == 200, name
    assert "To whom it may concern" in pages["letter"].content.decode()
    assert "Close your side of the pair?" in pages["confirm-close"].content.decode()
    assert "Pairs that have ended" in pages["dashboard"].content.decode()
    assert "(partner left the program)" in pages["pair-ended"].content.decode()

    errors = validate({name: r.content.decode() for name, r in pages.items()}, tmp_path)

    assert {name: found for name, found in errors.items() if found} == {}
