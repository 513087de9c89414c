"""Fixtures of the tests of the program's e-mail: the 2030 cohort with a published pair, or
with the people an announcement reaches or must not reach, a coordinator and an editor."""

import pytest

from cohorts.choices import ApplicationStatus, PairStatus, Role
from members.roles import COORDINATORS, EDITORS
from tests.cohorts.factories import apply, make_cohort, make_pair
from tests.factories import member


@pytest.fixture
def cohort(home):
    """The 2030 cohort, on the seed's dates (``make_cohort``)."""
    return make_cohort(home, 2030)


@pytest.fixture
def pair(cohort, django_capture_on_commit_callbacks):
    """A published pair of ``cohort`` whose "you are matched" e-mails have gone."""
    with django_capture_on_commit_callbacks(execute=True):
        return make_pair(cohort)


@pytest.fixture
def coordinator():
    """A coordinator, not logged in."""
    return member("coordinator@example.org", groups=[COORDINATORS])


@pytest.fixture
def editor():
    """An editor, not logged in."""
    return member("editor@example.org", groups=[EDITORS])


@pytest.fixture
def people(cohort) -> dict:
    """Two published pairs, an applicant not paired, and people no announcement reaches: a
    withdrawn and a draft application, an inactive applicant and an ended pair."""
    first = make_pair(cohort, mentor=("Ann", "Mentor"), mentee=("Bea", "Mentee"), record_only=True)
    second = make_pair(
        cohort, mentor=("Cal", "Mentor"), mentee=("Dee", "Mentee"), record_only=True
    )
    ended = make_pair(
        cohort,
        mentor=("Old", "Mentor"),
        mentee=("Old", "Mentee"),
        record_only=True,
        status=PairStatus.ENDED,
    )
    waiting = apply(cohort, first="Eve", last="Waiting", role=Role.MENTOR)
    withdrawn = apply(cohort, first="Fay", last="Gone", status=ApplicationStatus.WITHDRAWN)
    draft = apply(cohort, first="Gus", last="Draft", status=ApplicationStatus.DRAFT)
    inactive = apply(cohort, first="Hal", last="Inactive")
    inactive.applicant.is_active = False
    inactive.applicant.save(update_fields=["is_active"])
    return {
        "mentors": {first.mentor.applicant.email, second.mentor.applicant.email},
        "mentees": {first.mentee.applicant.email, second.mentee.applicant.email},
        "waiting": waiting.applicant.email,
        "ended": {ended.mentor.applicant.email, ended.mentee.applicant.email},
        "nobody": {withdrawn.applicant.email, draft.applicant.email, inactive.applicant.email},
    }
