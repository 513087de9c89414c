"""Reads about the surveys: which survey a cohort has, who may answer it, and who did.

Who may answer is decided here and only here (``_pair_sides``): the members of the cohort's
published pairs, and of its pairs that ended on or after the formal end (they still answer
the final survey), as the reminders count them; accounts that are inactive or erased are
left out. The final survey also asks the members whose pair ended earlier because their
partner left the program: they took part in the year, and mentors and mentees assess the
program at the end of the mentoring period. A member on the mentor side of one pair and
the mentee side of another holds both roles. A survey's audience takes the roles it names.
Dates are whole days in the site's time zone; a survey is open from its opening day to its
closing day, both included.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from cohorts.choices import PairStatus
from cohorts.pairs.models import Pair
from cohorts.pairs.services.pairs import PARTNER_LEFT
from cohorts.program.models import CohortPage
from core.formatting import day_display
from surveys.choices import AUDIENCE_ROLES, RespondentRole, SurveyKind, SurveyWindow
from surveys.models import SurveyPage, SurveyParticipation

SIDES = {RespondentRole.MENTOR: "mentor", RespondentRole.MENTEE: "mentee"}


# ---- The selectors the reminders and reports use ------------------------------------------


def survey_for(*, cohort: CohortPage, kind: str) -> SurveyPage | None:
    """The cohort's live survey of this kind ("midway" or "final"), if there is one."""
    return SurveyPage.objects.child_of(cohort).live().filter(kind=kind).first()


def survey_respondent_ids(*, page: SurveyPage) -> set[int]:
    """The ids of the people who answered the survey."""
    return set(SurveyParticipation.objects.filter(page=page).values_list("user_id", flat=True))


def survey_audience(*, page: SurveyPage) -> list[tuple[int, str]]:
    """(user id, role) for everyone the survey is for, sorted. A "both" member of a survey
    for both appears once per role: count distinct user ids for the number of people."""
    cohort = page.cohort
    if cohort is None:
        return []
    roles = AUDIENCE_ROLES[page.audience]
    return sorted(row for row in _pair_sides(cohort=cohort, kind=page.kind) if row[1] in roles)


def survey_answered(*, page: SurveyPage, user) -> SurveyParticipation | None:
    """The person's participation in the survey (role and day), or None if they have not
    answered."""
    if not user.is_authenticated:
        return None
    return SurveyParticipation.objects.filter(page=page, user=user).first()


def surveys_to_answer(*, user, pairs: list, today: datetime.date) -> list:
    """The open surveys of the member's cohorts that they may answer and have not, for the
    dashboard's "needs you now" (cohorts.pairs.selectors.needs); a few queries per cohort,
    whatever the number of pairs."""
    from cohorts.pairs.selectors.needs import Need, NeedLink

    cohorts = {pair.cohort_id: pair.cohort for pair in pairs}
    needs = []
    for cohort in cohorts.values():
        for page in SurveyPage.objects.child_of(cohort).live().order_by("path"):
            if survey_window(page=page, today=today)[0] != SurveyWindow.OPEN:
                continue
            state = survey_state(page=page, user=user, today=today)
            if not state.may_answer:
                continue
            needs.append(
                Need(
                    kind="survey",
                    text=(
                        f"The {page.title} is open until {day_display(state.closes)}. Your "
                        "answers are anonymous."
                    ),
                    links=(NeedLink("Answer the survey", url=page.url),),
                    cohort_id=cohort.pk,
                )
            )
    return needs


# ---- What the survey page decides on -------------------------------------------------------


@dataclass(frozen=True)
class SurveyState:
    """Where a survey is in its window, and where one person stands with it."""

    window: str
    opens: datetime.date | None
    closes: datetime.date | None
    # The roles in which the person may answer, mentor first; empty if the survey is not
    # for them.
    roles: tuple[str, ...]
    # Whether the person is in a pair of the cohort at all.
    participant: bool
    participation: SurveyParticipation | None

    @property
    def may_answer(self) -> bool:
        return self.window == SurveyWindow.OPEN and bool(self.roles) and not self.participation


def survey_state(*, page: SurveyPage, user, today: datetime.date | None = None) -> SurveyState:
    """The survey's window and ``user``'s roles and participation, for the page and the
    service that records an answer."""
    window, opens, closes = survey_window(page=page, today=today)
    cohort = page.cohort
    known = cohort is not None and user.is_authenticated
    sides = _pair_sides(cohort=cohort, kind=page.kind, user=user) if known else set()
    roles = tuple(role for role in AUDIENCE_ROLES[page.audience] if (user.pk, role) in sides)
    return SurveyState(
        window=window,
        opens=opens,
        closes=closes,
        roles=roles,
        participant=bool(sides),
        participation=survey_answered(page=page, user=user),
    )


def survey_preview_state(*, page: SurveyPage) -> SurveyState:
    """The state an editor's preview shows: open, to someone who may answer."""
    _window, opens, closes = survey_window(page=page)
    return SurveyState(SurveyWindow.OPEN, opens, closes, (RespondentRole.MENTOR,), True, None)


def survey_window(
    *, page: SurveyPage, today: datetime.date | None = None
) -> tuple[str, datetime.date | None, datetime.date | None]:
    """(window, opening day, closing day) of the survey on ``today`` (default: today)."""
    today = today or timezone.localdate()
    opens, closes = survey_dates(page=page)
    if opens is None or closes is None or today < opens:
        return SurveyWindow.NOT_OPEN, opens, closes
    if today > closes:
        return SurveyWindow.CLOSED, opens, closes
    return SurveyWindow.OPEN, opens, closes


def survey_dates(*, page: SurveyPage) -> tuple[datetime.date | None, datetime.date | None]:
    """The survey's own dates, or its cohort's for its kind where they are empty (a copy
    that no editor has saved yet)."""
    cohort = page.cohort if page.opens is None or page.closes is None else None
    opens, closes = survey_default_dates(cohort=cohort, kind=page.kind) if cohort else (None, None)
    return page.opens or opens, page.closes or closes


def survey_default_dates(*, cohort: CohortPage, kind: str) -> tuple[datetime.date, datetime.date]:
    """The cohort's opening and closing days for this kind of survey."""
    return getattr(cohort, f"{kind}_survey_opens"), getattr(cohort, f"{kind}_survey_closes")


def survey_of_kind(*, cohort: CohortPage, kind: str, exclude_pk: int | None = None):
    """The cohort's survey page of this kind, live or draft, other than ``exclude_pk``."""
    pages = SurveyPage.objects.child_of(cohort).filter(kind=kind)
    if exclude_pk is not None:
        pages = pages.exclude(pk=exclude_pk)
    return pages.first()


# ---- Copying a survey into another cohort --------------------------------------------------


@dataclass(frozen=True)
class CopyTargets:
    """Where a person may copy a survey: cohorts without one of its kind, and the cohorts
    skipped because they already have one."""

    cohorts: list[CohortPage]
    taken: list[tuple[CohortPage, SurveyPage]]


def survey_copy_allowed(*, page: SurveyPage, cohort: CohortPage, user) -> bool:
    """Whoever may copy the survey and add pages under the cohort may copy it there."""
    return (
        page.permissions_for_user(user).can_copy()
        and SurveyPage.can_create_at(cohort)
        and cohort.permissions_for_user(user).can_add_subpage()
    )


def survey_copy_targets(*, page: SurveyPage, user) -> CopyTargets:
    """Every other cohort ``user`` may copy the survey into, newest first."""
    parent = page.get_parent()
    cohorts, taken = [], []
    for cohort in CohortPage.objects.exclude(pk=parent.pk).order_by("-formal_start", "-pk"):
        if not survey_copy_allowed(page=page, cohort=cohort, user=user):
            continue
        other = survey_of_kind(cohort=cohort, kind=page.kind)
        if other is None:
            cohorts.append(cohort)
        else:
            taken.append((cohort, other))
    return CopyTargets(cohorts=cohorts, taken=taken)


# ---- Who takes part --------------------------------------------------------------------------


def _pair_sides(*, cohort: CohortPage, kind: str, user=None) -> set[tuple[int, str]]:
    """(user id, role) for each side of each pair of the cohort that takes part in its
    survey of ``kind``; only ``user``'s own when given."""
    return cohorts_pair_sides(cohorts=[cohort], user=user)[cohort.pk][kind]


def cohorts_pair_sides(*, cohorts, user=None) -> dict[int, dict[str, set[tuple[int, str]]]]:
    """``_pair_sides`` of each of ``cohorts``, by cohort id and then by survey kind: two
    queries for any number."""
    sides = {cohort.pk: {kind: set() for kind in SurveyKind.values} for cohort in cohorts}
    if not sides:
        return sides
    formal_end = {cohort.pk: cohort.formal_end for cohort in cohorts}
    taking_part = Q()
    for cohort in cohorts:
        taking_part |= Q(cohort=cohort) & (
            Q(status=PairStatus.PUBLISHED)
            | Q(status=PairStatus.ENDED, ended_at__date__gte=cohort.formal_end)
            | Q(status=PairStatus.ENDED, end_reason=PARTNER_LEFT)
        )
    pairs = Pair.objects.filter(taking_part).order_by()
    for role, side in SIDES.items():
        reachable = {
            f"{side}__applicant__is_active": True,
            f"{side}__applicant__erased_at__isnull": True,
        }
        if user is not None:
            reachable[f"{side}__applicant"] = user
        rows = pairs.filter(**reachable).values_list(
            "cohort_id", f"{side}__applicant_id", "status", "ended_at"
        )
        for cohort_id, user_id, status, ended_at in rows:
            ended_early = status == PairStatus.ENDED and (
                ended_at is None or timezone.localdate(ended_at) < formal_end[cohort_id]
            )
            # A pair that ended early is here because the partner left: the final survey only.
            kinds = [SurveyKind.FINAL] if ended_early else SurveyKind.values
            for kind in kinds:
                sides[cohort_id][kind].add((user_id, role))
    return sides
