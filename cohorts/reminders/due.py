"""What the dispatcher sends on a given day: every dated reminder of every live cohort, each
with the window of days in which it may still go out, and who receives it.

A reminder is due from the first day of its window to the last; a dispatcher that was down
for days sends it late, once, while it still makes sense (a deadline reminder never goes out
after the deadline). Who receives it is worked out when it is first due.
"""

import datetime
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Q, Sum
from django.db.models.functions import Coalesce

from cohorts.choices import AfterEnd, ApplicationStatus, PairStatus
from cohorts.choices import ReminderKind as Kind
from cohorts.pairs.models import Pair
from cohorts.pairs.selectors.pairs import add_months, checkin_dates, year_fraction
from cohorts.program.models import Application, CohortPage
from cohorts.program.surveys import cohort_surveys
from members.choices import MembershipStatus

DAY = datetime.timedelta(days=1)
# How long after its day a reminder may still go out, when nothing else bounds it.
LATE_DAYS = 13

Recipients = list[tuple[int, int | None]]


@dataclass(frozen=True)
class Due:
    """One dated reminder of one cohort: (kind, period) is its place in the year."""

    kind: str
    cohort: CohortPage
    period: str
    first_day: datetime.date
    last_day: datetime.date
    recipients: Callable[[], Recipients]
    # One message per (person, object): a person in two pairs behind on contact hears of each.
    per_object: bool = False


def reminders_due(*, today: datetime.date) -> Iterator[Due]:
    """Every reminder of every live cohort whose window includes `today`."""
    for cohort in CohortPage.objects.live().order_by("pk"):
        for due in cohort_reminders(cohort=cohort, today=today):
            if due.first_day <= today <= due.last_day:
                yield due


def cohort_reminders(*, cohort: CohortPage, today: datetime.date) -> list[Due]:
    """The cohort's dated reminders over its whole year, in date order."""
    c = cohort

    def due(kind, period, first, last, recipients, per_object=False) -> Due:
        return Due(kind, c, period, first, last, recipients, per_object)

    def members():
        return verified_members(today=today)

    def not_applied():
        return members_not_applied(cohort=c, today=today)

    def active():
        return participants(cohort=c)

    def each_pair():
        return participants(cohort=c, each_pair=True)

    def behind():
        return pairs_behind(cohort=c, today=today)

    deadline, orientation = c.application_deadline, c.orientation_date
    midpoint = c.formal_start + (c.formal_end - c.formal_start) / 2
    two_months_before_end = add_months(c.formal_end, -2)
    reminders = [
        due(Kind.APPLICATIONS_OPEN, "open", c.applications_open, deadline - DAY, members),
        due(Kind.DEADLINE_APPROACHING, "d7", deadline - 7 * DAY, deadline - 2 * DAY, not_applied),
        due(Kind.DEADLINE_APPROACHING, "d1", deadline - DAY, deadline, not_applied),
        due(Kind.ORIENTATION, "d7", orientation - 7 * DAY, orientation - 2 * DAY, active),
        due(Kind.ORIENTATION, "d1", orientation - DAY, orientation, active),
        due(
            Kind.PROGRAM_STARTS, "start", c.formal_start, c.formal_start + LATE_DAYS * DAY, active
        ),
        *_checkins(cohort=c, recipients=each_pair),
        due(Kind.BEHIND_ON_CONTACT, "midway", midpoint, midpoint + LATE_DAYS * DAY, behind, True),
        due(
            Kind.BEHIND_ON_CONTACT,
            "late",
            two_months_before_end,
            two_months_before_end + LATE_DAYS * DAY,
            behind,
            True,
        ),
    ]
    reminders += _surveys(cohort=c)
    reminders.append(
        due(Kind.PROGRAM_ENDS, "end", c.formal_end, c.formal_end + LATE_DAYS * DAY, active)
    )
    return sorted(reminders, key=lambda d: d.first_day)


def _surveys(*, cohort: CohortPage) -> list[Due]:
    """Each live survey of the cohort when it opens, and 7 days before it closes, to the
    people it is for who have not answered it yet. A cohort without a survey page gets no
    survey reminders."""
    surveys = cohort_surveys()
    found = []
    for kind in ("midway", "final"):
        page = surveys.survey_for(cohort=cohort, kind=kind)
        opens, closes = surveys.survey_dates(page=page) if page else (None, None)
        if opens is None or closes is None:
            continue

        def not_answered(page=page) -> Recipients:
            return survey_not_answered(page=page)

        found += [
            Due(Kind.SURVEY_OPEN, cohort, kind, opens, closes - DAY, not_answered),
            Due(Kind.SURVEY_REMINDER, cohort, kind, closes - 7 * DAY, closes - DAY, not_answered),
        ]
    return found


def _checkins(*, cohort: CohortPage, recipients) -> list[Due]:
    """One check-in per quarter (or month) for each pair, so a member in two pairs answers
    for each: due until three weeks later or the next one."""
    dates = checkin_dates(cohort=cohort)
    prefix = cohort.checkin_cadence[0]
    found = []
    for number, day in enumerate(dates, start=1):
        following = dates[number] if number < len(dates) else cohort.formal_end + DAY
        last = min(day + 20 * DAY, following - DAY)
        found.append(
            Due(Kind.CHECKIN, cohort, f"{prefix}{number}", day, last, recipients, per_object=True)
        )
    return found


def checkin_period(period: str) -> str:
    """A check-in outbox row's period without its pair: "q2-41" is "q2"."""
    return period.split("-", 1)[0]


# ---- Who receives them ---------------------------------------------------------------------


def reachable_users():
    """Accounts that can receive e-mail: active, not erased, with an address."""
    return (
        get_user_model().objects.filter(is_active=True, erased_at__isnull=True).exclude(email="")
    )


def verified_members(*, today: datetime.date) -> Recipients:
    members = reachable_users().filter(profile__membership_status=MembershipStatus.VERIFIED)
    members = members.exclude(profile__membership_expires__lt=today)
    return [(pk, None) for pk in members.order_by("pk").values_list("pk", flat=True)]


def members_not_applied(*, cohort: CohortPage, today: datetime.date) -> Recipients:
    """Verified members with a draft application to the cohort, or none at all."""
    applied = set(
        Application.objects.filter(cohort=cohort)
        .exclude(status=ApplicationStatus.DRAFT)
        .values_list("applicant_id", flat=True)
    )
    return [row for row in verified_members(today=today) if row[0] not in applied]


def participants(
    *,
    cohort: CohortPage,
    each_pair: bool = False,
    sides: tuple[str, ...] = ("mentor", "mentee"),
) -> Recipients:
    """(person, their pair) for each member of a published pair of the cohort on one of
    ``sides``, once per person (their first pair), or with `each_pair` once per pair they
    are in. A member who closed their side is left out: the pair is over for them
    (``pair_open_to``), whatever their partner chose."""
    pairs = Pair.objects.filter(status=PairStatus.PUBLISHED, cohort=cohort).order_by("pk")
    seen: dict[int, int] = {}
    found: set[tuple[int, int]] = set()
    for side in sides:
        reachable = {
            f"{side}__applicant__is_active": True,
            f"{side}__applicant__erased_at__isnull": True,
        }
        rows = (
            pairs.filter(**reachable)
            .exclude(**{f"{side}_after_end": AfterEnd.CLOSE})
            .values_list("pk", f"{side}__applicant_id")
        )
        for pair_id, user_id in rows:
            seen.setdefault(user_id, pair_id)
            found.add((user_id, pair_id))
    return sorted(found) if each_pair else sorted(seen.items())


def survey_not_answered(*, page) -> Recipients:
    """(person, the survey page) for everyone the survey is for who has not answered it and
    can receive e-mail."""
    surveys = cohort_surveys()
    answered = surveys.survey_respondent_ids(page=page)
    audience = {user_id for user_id, _role in surveys.survey_audience(page=page)} - answered
    reachable = set(reachable_users().filter(pk__in=audience).values_list("pk", flat=True))
    return [(user_id, page.pk) for user_id in sorted(reachable)]


def pairs_behind(*, cohort: CohortPage, today: datetime.date) -> Recipients:
    """Both partners of each published pair whose hours are below the pace that reaches
    the cohort's minimum by the end (the dashboard's "behind"), in one query; a partner who
    closed their side is left out, as in ``participants``."""
    minimum = int(cohort.minimum_contact_hours * 60)
    expected = round(minimum * year_fraction(cohort=cohort, today=today))
    pairs = (
        Pair.objects.filter(cohort=cohort, status=PairStatus.PUBLISHED)
        .annotate(minutes=Coalesce(Sum("contacts__minutes"), 0))
        .filter(minutes__lt=min(expected, minimum))
        .values_list(
            "pk",
            "mentor__applicant_id",
            "mentee__applicant_id",
            "mentor_after_end",
            "mentee_after_end",
        )
        .order_by("pk")
    )
    reachable = set(
        reachable_users()
        .filter(Q(applications__cohort=cohort))
        .values_list("pk", flat=True)
        .distinct()
    )
    return [
        (user_id, pair_id)
        for pair_id, mentor_id, mentee_id, mentor_after, mentee_after in pairs
        for user_id, after_end in ((mentor_id, mentor_after), (mentee_id, mentee_after))
        if user_id in reachable and after_end != AfterEnd.CLOSE
    ]
