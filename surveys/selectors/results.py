"""Reads for a survey's results: how many of the people asked answered, by role, and what the
answers add up to, question by question; and the response rates of a cohort's surveys for the
program's reports.

Anonymity by construction: answers are read only from ``SurveyResponse.form_data``, which
names nobody, in the order of the responses' random keys; ``SurveyParticipation`` is only
counted, never read row by row. A question answered by fewer than ``MIN_ANSWERS`` people shows
no figures and no texts ("Too few answers to report"), so whoever knows who answered cannot
read a lone person's answer. Results cost the same few queries for five responses or five
hundred: the answers come in one query and are added up here.
"""

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q

from cohorts.reports.selectors.reports import SurveyPageRate
from surveys.choices import AUDIENCE_ROLES, CHOICE_QUESTION_TYPES, RespondentRole, SurveyKind
from surveys.models import SurveyFormField, SurveyPage, SurveyParticipation, SurveyResponse
from surveys.selectors.surveys import cohorts_pair_sides, survey_audience

# Below this many answers a question's figures and texts are not shown.
MIN_ANSWERS = 5
TOO_FEW = "Too few answers to report"
RATINGS = range(1, 6)
RATING, CHOICE, TEXT = "rating", "choice", "text"
ALL_ROLES = "Everyone"
ROLE_NAMES = {RespondentRole.MENTOR: "Mentors", RespondentRole.MENTEE: "Mentees"}


def _percent(part: int, whole: int) -> int | None:
    return round(100 * part / whole) if whole else None


# ---- Response rates ---------------------------------------------------------------------------


@dataclass(frozen=True)
class RoleRate:
    """How many people of one role were asked, and how many of them answered."""

    role: str
    invited: int
    answered: int

    @property
    def percent(self) -> int | None:
        return _percent(self.answered, self.invited)


def survey_role_rates(*, page: SurveyPage) -> list[RoleRate]:
    """For each role the survey is for, then for everyone: invited (its audience, from
    ``survey_audience``) and answered (its participations, counted). A member who is both
    mentor and mentee is invited in both roles and answers in one, and counts once in the
    last row."""
    audience = survey_audience(page=page)
    answered = dict(
        SurveyParticipation.objects.filter(page=page)
        .order_by()
        .values_list("role")
        .annotate(count=Count("pk"))
    )
    rates = [
        RoleRate(
            ROLE_NAMES[role],
            sum(1 for _user, row_role in audience if row_role == role),
            answered.get(role, 0),
        )
        for role in AUDIENCE_ROLES[page.audience]
    ]
    everyone = len({user_id for user_id, _role in audience})
    return [*rates, RoleRate(ALL_ROLES, everyone, sum(answered.values()))]


def cohorts_survey_rates(*, cohorts) -> dict[int, list[SurveyPageRate]]:
    """For each of ``cohorts``, by cohort id: one rate per live survey, mid-way first, with
    the people in its audience and the participations. Four queries for any number of
    cohorts of any size (the year-on-year report), none when no cohort has a page under it
    (only a page under a cohort can be its survey)."""
    rates = {cohort.pk: [] for cohort in cohorts}
    parents = {cohort.path: cohort for cohort in cohorts if cohort.numchild}
    if not parents:
        return rates
    under = Q()
    for cohort in parents.values():
        under |= Q(path__startswith=cohort.path, depth=cohort.depth + 1)
    surveys = sorted(
        SurveyPage.objects.live().filter(under),
        key=lambda page: (SurveyKind.values.index(page.kind), page.pk),
    )
    if not surveys:
        return rates
    answered = dict(
        SurveyParticipation.objects.filter(page__in=surveys)
        .order_by()
        .values_list("page_id")
        .annotate(count=Count("pk"))
    )
    with_surveys = {parents[page.path[: -SurveyPage.steplen]] for page in surveys}
    sides = cohorts_pair_sides(cohorts=with_surveys)
    for page in surveys:
        cohort = parents[page.path[: -SurveyPage.steplen]]
        roles = AUDIENCE_ROLES[page.audience]
        taking_part = sides[cohort.pk][page.kind]
        invited = len({user_id for user_id, role in taking_part if role in roles})
        rates[cohort.pk].append(
            SurveyPageRate(page.get_kind_display(), invited, answered.get(page.pk, 0), page.pk)
        )
    return rates


# ---- What the answers add up to ---------------------------------------------------------------


@dataclass(frozen=True)
class OptionCount:
    """How many people gave one answer, and their share of those who answered the question."""

    label: str
    count: int
    percent: int | None


@dataclass(frozen=True)
class QuestionResult:
    """One question's results. A suppressed question (fewer than ``MIN_ANSWERS`` answers)
    carries no counts, average or texts at all, so nothing can show them by mistake."""

    number: int
    label: str
    kind: str  # RATING, CHOICE or TEXT
    answers: int
    options: list[OptionCount] = field(default_factory=list)
    average: Decimal | None = None
    texts: list[str] = field(default_factory=list)

    @property
    def suppressed(self) -> bool:
        return self.answers < MIN_ANSWERS


@dataclass(frozen=True)
class SurveyResults:
    """A survey's results: response rates by role, responses and each question's figures."""

    page: SurveyPage
    rates: list[RoleRate]
    responses: int
    questions: list[QuestionResult]


def survey_results(*, page: SurveyPage) -> SurveyResults:
    """Everything the results screen and its CSV show, in a fixed number of queries."""
    questions = list(page.get_form_fields())
    answers = list(
        SurveyResponse.objects.filter(page=page).order_by("id").values_list("form_data", flat=True)
    )
    builder = page.form_builder(questions)
    return SurveyResults(
        page=page,
        rates=survey_role_rates(page=page),
        responses=len(answers),
        questions=[
            question_result(
                number=number,
                question=question,
                values=[data.get(question.clean_name) for data in answers],
                choices=[label for label, _ in builder.get_formatted_field_choices(question)],
            )
            for number, question in enumerate(questions, start=1)
        ],
    )


def question_result(
    *, number: int, question: SurveyFormField, values: list, choices: list[str]
) -> QuestionResult:
    """One question's results from every response's answer to it (None where unanswered)."""
    if question.field_type == RATING:
        return _rating_result(number, question.label, values)
    if question.field_type in CHOICE_QUESTION_TYPES:
        return _choice_result(number, question.label, values, choices)
    texts = [text for value in values if (text := _text(value))]
    if len(texts) < MIN_ANSWERS:
        return QuestionResult(number, question.label, TEXT, len(texts))
    return QuestionResult(number, question.label, TEXT, len(texts), texts=texts)


def _rating_result(number: int, label: str, values: list) -> QuestionResult:
    ratings = [rating for value in values if (rating := _rating(value)) is not None]
    if len(ratings) < MIN_ANSWERS:
        return QuestionResult(number, label, RATING, len(ratings))
    counts = Counter(ratings)
    options = [
        OptionCount(str(rating), counts[rating], _percent(counts[rating], len(ratings)))
        for rating in RATINGS
    ]
    average = (Decimal(sum(ratings)) / len(ratings)).quantize(Decimal("0.1"))
    return QuestionResult(number, label, RATING, len(ratings), options, average)


def _choice_result(number: int, label: str, values: list, choices: list[str]) -> QuestionResult:
    """Counts of each answer offered; a checkbox answer counts each option ticked, and an
    answer no longer offered (the question was edited) is counted after the others."""
    chosen = [picked for value in values if (picked := _choices(value))]
    if len(chosen) < MIN_ANSWERS:
        return QuestionResult(number, label, CHOICE, len(chosen))
    counts = Counter(option for picked in chosen for option in set(picked))
    others = sorted(set(counts) - set(choices))
    options = [
        OptionCount(option, counts[option], _percent(counts[option], len(chosen)))
        for option in [*choices, *others]
    ]
    return QuestionResult(number, label, CHOICE, len(chosen), options)


def _rating(value) -> int | None:
    if isinstance(value, bool):
        return None
    try:
        rating = int(value)
    except (TypeError, ValueError):
        return None
    return rating if rating in RATINGS else None


def _choices(value) -> list[str]:
    if isinstance(value, list):
        return [str(option) for option in value if str(option)]
    return [str(value)] if value not in (None, "") else []


def _text(value) -> str:
    return str(value).strip() if value is not None else ""


@dataclass(frozen=True)
class Respondents:
    """Who the survey is for, split into who has answered and who has not, by name, for the
    coordinators to chase the rest. Names only, in alphabetical order: never the day or
    the order of answering, which could be matched against the answers."""

    answered: list[str]
    waiting: list[str]


def survey_respondents(*, page: SurveyPage) -> Respondents:
    """Two queries: the audience's accounts, and the ids of those who answered."""
    from django.contrib.auth import get_user_model

    from surveys.selectors.surveys import survey_audience, survey_respondent_ids

    audience = {user_id for user_id, _role in survey_audience(page=page)}
    answered = survey_respondent_ids(page=page)
    users = get_user_model().objects.filter(pk__in=audience | answered)
    names = {user.pk: user.display_name for user in users.order_by("last_name", "first_name")}
    return Respondents(
        answered=sorted((names[pk] for pk in answered if pk in names), key=str.casefold),
        waiting=sorted((names[pk] for pk in audience - answered if pk in names), key=str.casefold),
    )
