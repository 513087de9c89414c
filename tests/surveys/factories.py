"""Factories for the surveys app: a cohort's survey with one question of each type and the
answers to it, a member in two pairs of a cohort, and the demo's mid-way survey.

``add_survey(cohort)`` adds the mid-way survey (``QUESTIONS``) under a cohort; the 2026
cohort's mid-way survey is open on ``IN_WINDOW``. ``ANSWERS`` answer every question, as the
survey's form posts them::

    survey = add_survey(make_cohort(home, 2026))
    time_machine.move_to(IN_WINDOW, tick=False)
    client.post(survey.url, ANSWERS)
"""

import datetime
import zoneinfo

from django.utils import timezone

from cohorts.choices import ApplicationStatus, Role
from cohorts.matching.services import pair_by_hand, pairs_publish
from surveys.choices import SurveyAudience, SurveyKind
from surveys.models import SurveyFormField, SurveyPage
from tests.cohorts.factories import ApplicationFactory
from tests.factories import member

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

# The demo's mid-way survey asks these; ``midway_survey`` adds a survey like it to a cohort
# without one.
MIDWAY_USEFUL = "How useful has the program been so far?"
MIDWAY_TIME = "How easy has it been to find time to meet?"
MIDWAY_RECOMMEND = "Would you recommend the program to a colleague?"
MIDWAY_BETTER = "What would make the second half of the year better?"
MIDWAY_QUESTIONS = [
    (MIDWAY_USEFUL, "rating", "", True),
    (MIDWAY_TIME, "rating", "", True),
    (MIDWAY_RECOMMEND, "radio", "Yes\nNot sure\nNo", True),
    (MIDWAY_BETTER, "multiline", "", False),
]


def add_survey(cohort, *, kind=SurveyKind.MIDWAY, audience=SurveyAudience.BOTH, **fields):
    """A live survey of ``kind`` for ``audience`` under ``cohort`` asking ``QUESTIONS`` (the
    first two required), on the cohort's dates for that kind unless ``fields`` say::

        add_survey(cohort)
        add_survey(cohort, kind=SurveyKind.FINAL, audience=SurveyAudience.MENTEES)
    """
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
    """A member accepted as both, mentor in one published pair and mentee in another::

    user = both_member(cohort)
    """
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


def midway_survey(cohort) -> SurveyPage:
    """The cohort's mid-way survey, open today: the demo's, or one added like it
    (``MIDWAY_QUESTIONS``), published open from yesterday for thirty days::

        survey = midway_survey(pair.cohort)
    """
    survey = SurveyPage.objects.child_of(cohort).filter(kind="midway").first()
    today = timezone.localdate()
    if survey is None:
        fields = [
            SurveyFormField(label=label, field_type=kind, choices=choices, required=required)
            for label, kind, choices, required in MIDWAY_QUESTIONS
        ]
        survey = cohort.add_child(
            instance=SurveyPage(title="Mid-way survey", slug="midway-survey", form_fields=fields)
        )
    survey = survey.specific
    survey.opens = today - datetime.timedelta(days=1)
    survey.closes = today + datetime.timedelta(days=30)
    survey.save_revision().publish()
    return survey
