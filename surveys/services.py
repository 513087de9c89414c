"""Writes for the surveys: recording an answer, and copying a survey into another cohort.

The rules of answering, in one place:

- Only while the survey is open (``survey_window``: opening day to closing day, included).
- Only by a participant of the cohort in the survey's audience, in a role they hold there
  (``survey_state``); a "both" member of a survey for both chooses the role.
- Once per person and survey. A second tab or a double click is refused with
  ``ALREADY_ANSWERED``; the unique constraint on (page, user) catches the last race, and
  nothing of the second answer is written.
- The participation (who, role, day) and the response (answers, role, random key, no person,
  and no time but the survey's opening day) are written together in one transaction, or
  neither is.
"""

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from cohorts.program.models import CohortPage
from surveys.choices import SurveyWindow
from surveys.models import KIND_TAKEN, SurveyPage, SurveyParticipation, SurveyResponse
from surveys.selectors.surveys import (
    survey_copy_allowed,
    survey_default_dates,
    survey_of_kind,
    survey_state,
)

SURVEY_NOT_OPEN = "This survey opens on {date:%B %-d, %Y}."
SURVEY_NOT_SCHEDULED = "This survey has no dates yet."
SURVEY_CLOSED = "This survey closed: the last day to answer was {date:%B %-d, %Y}."
NOT_IN_AUDIENCE = "This survey is not for you, so your answers were not recorded."
ALREADY_ANSWERED = "You have already answered this survey, so these answers were not recorded."
COPY_NOT_ALLOWED = "You may not copy this survey into that cohort."


def survey_answer(*, page: SurveyPage, user, role: str, answers: dict[str, Any]) -> SurveyResponse:
    """Record ``user``'s answers to ``page`` as ``role``: a participation that names them
    and a response that does not. Raises ``ValidationError`` (codes ``already_answered``,
    ``not_open``, ``closed``, ``not_in_audience``) and writes nothing when refused."""
    state = survey_state(page=page, user=user)
    if state.participation is not None:
        raise ValidationError(ALREADY_ANSWERED, code="already_answered")
    _check_window(state.window, opens=state.opens, closes=state.closes)
    if role not in state.roles:
        raise ValidationError(NOT_IN_AUDIENCE, code="not_in_audience")
    today = timezone.localdate()
    try:
        with transaction.atomic():
            SurveyParticipation.objects.create(page=page, user=user, role=role, answered_on=today)
            # The response keeps the survey's opening day, not the day of answering: a
            # lone mentee answering on some day must not be told apart by that day.
            return SurveyResponse.objects.create(
                page=page, role=role, form_data=answers, submit_time=_start_of(state.opens)
            )
    except IntegrityError as error:
        raise ValidationError(ALREADY_ANSWERED, code="already_answered") from error


def _check_window(window: str, *, opens, closes) -> None:
    if window == SurveyWindow.CLOSED:
        raise ValidationError(SURVEY_CLOSED.format(date=closes), code="closed")
    if window == SurveyWindow.NOT_OPEN:
        if opens is None:
            raise ValidationError(SURVEY_NOT_SCHEDULED, code="not_open")
        raise ValidationError(SURVEY_NOT_OPEN.format(date=opens), code="not_open")


def _start_of(day: datetime.date) -> datetime.datetime:
    """Midnight at the start of ``day`` in the site's time zone."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def survey_copy_to_cohort(*, page: SurveyPage, cohort: CohortPage, user) -> SurveyPage:
    """Copy ``page`` and its questions into ``cohort`` as an unpublished draft with the
    cohort's dates for its kind. Answers are not copied. Raises ``PermissionDenied`` when
    ``user`` may not, and ``ValidationError`` when the cohort has a survey of the kind."""
    if not survey_copy_allowed(page=page, cohort=cohort, user=user):
        raise PermissionDenied(COPY_NOT_ALLOWED)
    other = survey_of_kind(cohort=cohort, kind=page.kind)
    if other is not None:
        raise ValidationError(
            KIND_TAKEN.format(
                cohort=cohort.title, kind=page.get_kind_display().lower(), title=other.title
            ),
            code="kind_taken",
        )
    opens, closes = survey_default_dates(cohort=cohort, kind=page.kind)
    update_attrs = {"opens": opens, "closes": closes, "slug": _free_slug(cohort, page.slug)}
    with transaction.atomic():
        copy = page.copy(
            to=cohort,
            update_attrs=update_attrs,
            keep_live=False,
            copy_revisions=False,
            user=user,
            log_action="wagtail.copy",
        )
    return copy.specific


def _free_slug(cohort: CohortPage, slug: str) -> str:
    """``slug``, or ``slug-2``, ``slug-3``… if a page under the cohort already has it."""
    taken = set(cohort.get_children().values_list("slug", flat=True))
    candidate, number = slug, 1
    while candidate in taken:
        number += 1
        candidate = f"{slug}-{number}"
    return candidate
