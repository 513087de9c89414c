"""Choices of the evaluation surveys: which survey of the year, for whom, answered as what."""

from django.db import models


class SurveyKind(models.TextChoices):
    """The value is the prefix of the cohort's date fields (``midway_survey_opens``)."""

    MIDWAY = "midway", "Mid-way survey"
    FINAL = "final", "Final survey"


class SurveyAudience(models.TextChoices):
    MENTORS = "mentors", "Mentors"
    MENTEES = "mentees", "Mentees"
    BOTH = "both", "Mentors and mentees"


class RespondentRole(models.TextChoices):
    """The side of a pair a person answers from; a "both" member holds both."""

    MENTOR = "mentor", "Mentor"
    MENTEE = "mentee", "Mentee"


class SurveyWindow(models.TextChoices):
    NOT_OPEN = "not_open", "Not open yet"
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


# The roles each audience takes in.
AUDIENCE_ROLES = {
    SurveyAudience.MENTORS: (RespondentRole.MENTOR,),
    SurveyAudience.MENTEES: (RespondentRole.MENTEE,),
    SurveyAudience.BOTH: (RespondentRole.MENTOR, RespondentRole.MENTEE),
}

# Question types editors may use; "rating" is the portal's own (five radio buttons).
QUESTION_TYPES = [
    ("rating", "Rating from 1 to 5"),
    ("radio", "Multiple choice: one answer (radio buttons)"),
    ("checkboxes", "Multiple choice: any answers (checkboxes)"),
    ("dropdown", "Multiple choice: one answer (drop-down list)"),
    ("singleline", "Single line of text"),
    ("multiline", "Several lines of text"),
]
CHOICE_QUESTION_TYPES = frozenset({"radio", "checkboxes", "dropdown"})
