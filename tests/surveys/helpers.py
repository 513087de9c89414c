"""Builders and constants shared by the survey tests (and the reminder tests that need a
survey page): a cohort's survey with one question of each type, and the answers to it."""

import datetime
import zoneinfo

from django.urls import reverse

from cohorts.choices import ApplicationStatus, Role
from cohorts.matching.services import pair_by_hand, pairs_publish
from cohorts.models import CohortPage
from surveys.choices import SurveyAudience, SurveyKind
from surveys.models import (
    SurveyFormField,
    SurveyPage,
)
from tests.cohorts.factories import ApplicationFactory, published_pair
from tests.cohorts.program.test_application_admin import make_cohort
from tests.factories import UserFactory, member

CHICAGO = zoneinfo.ZoneInfo("America/Chicago")
# The 2026 cohort's mid-way survey runs November 1 to 30, 2026 (cycle_dates).
IN_WINDOW = datetime.datetime(2026, 11, 10, 14, 37, tzinfo=CHICAGO)
QUESTIONS = [
    ("How useful was the program so far?", "rating", ""),
    ("Would you recommend it?", "radio", "Yes\nNo"),
    ("How did you meet?", "checkboxes", "Video call\nTelephone\nIn person"),
    ("Which conference?", "dropdown", "Midwinter\nAnnual"),
    ("One word for it", "singleline", ""),
    ("Anything else?", "multiline", ""),
]
ANSWERS = {
    "how_useful_was_the_program_so_far": "4",
    "would_you_recommend_it": "Yes",
    "how_did_you_meet": ["Video call", "In person"],
    "which_conference": "Annual",
    "one_word_for_it": "Useful",
    "anything_else": "More meetings next year.",
}


def clock(time_machine):
    time_machine.move_to(IN_WINDOW, tick=False)
    return time_machine


def cohort(home, clock) -> CohortPage:
    return make_cohort(home, 2026)


def pair(cohort):
    return published_pair(cohort, mentor=member("mentor@example.org"), mentee=member())


def survey(cohort) -> SurveyPage:
    return add_survey(cohort)


def admin(db):
    return UserFactory(is_superuser=True, is_staff=True)


def add_survey(cohort, *, kind=SurveyKind.MIDWAY, audience=SurveyAudience.BOTH, **fields):
    questions = [
        SurveyFormField(label=label, field_type=kind_, choices=choices, required=index < 2)
        for index, (label, kind_, choices) in enumerate(QUESTIONS)
    ]
    defaults = {
        "title": f"{SurveyKind(kind).label} {cohort.title}",
        "slug": kind,
        "intro": "Ten minutes, five questions.",
        "thank_you_text": "Thank you for helping the subcommittee.",
    }
    page = SurveyPage(
        kind=kind, audience=audience, form_fields=questions, **{**defaults, **fields}
    )
    return cohort.add_child(instance=page)


def both_member(cohort):
    """A member accepted as both, mentor in one published pair and mentee in another."""
    both = member()
    accepted = {"cohort": cohort, "status": ApplicationStatus.ACCEPTED}
    application = ApplicationFactory(applicant=both, role=Role.BOTH, mentee_capacity=1, **accepted)
    mentee = ApplicationFactory(applicant=member(), role=Role.MENTEE, **accepted)
    mentor = ApplicationFactory(
        applicant=member(), role=Role.MENTOR, mentee_capacity=1, **accepted
    )
    pair_by_hand(cohort=cohort, mentor_id=application.pk, mentee_id=mentee.pk, user=None)
    pair_by_hand(cohort=cohort, mentor_id=mentor.pk, mentee_id=application.pk, user=None)
    pairs_publish(cohort=cohort, user=None)
    return both


def answer(client, user, page, data=None, **extra):
    client.force_login(user)
    return client.post(page.url, {**ANSWERS, **(data or {})}, **extra)


def html(response) -> str:
    return response.content.decode()


def export(client, survey, format_="csv") -> str:
    url = reverse("wagtailforms:list_submissions", args=[survey.pk])
    response = client.get(url, {"export": format_})
    assert response.status_code == 200
    return b"".join(response.streaming_content).decode()
