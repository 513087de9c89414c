"""Reads behind "Needs attention": what waits for the subcommittee, in six kinds, each row
with the address of the screen where it is handled.

- calls for help nobody has answered yet (a pair's record, "Requests for help");
- "we need help" check-in answers that opened no call for help (the member had already asked
  as often as a day allows) and that no coordinator has answered since, for as long as the
  check-in's link lives;
- changes of partner the partner agreed to, waiting for a coordinator's decision;
- pairs under way with no contact logged in ``NO_CONTACT_WEEKS`` weeks, or behind the pace
  that reaches the cohort's minimum hours (the dashboard's "behind");
- published pairs whose liaison's account was deleted, until a coordinator names a liaison
  or decides on none (liaisons are optional: a pair that never had one is not listed);
- people waiting for their membership to be verified.

Each kind costs one query for its count (the dashboard panel) and one or two for its rows
(the screen), whatever the number of rows. Names, dates and numbers only: no call for help's
message, no check-in comment, no contact summary and no note is read here.
"""

import datetime
from dataclasses import dataclass
from types import SimpleNamespace

from django.conf import settings
from django.db.models import Exists, IntegerField, Max, OuterRef, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from cohorts.choices import ChangeRequestStatus, CheckInAnswerChoice, PairStatus
from cohorts.pairs.models import ChangeRequest, ContactLog, Pair, SupportRequest
from cohorts.pairs.selectors.listing import LISTED_STATUSES
from cohorts.pairs.selectors.pairs import year_fraction
from cohorts.reminders.links import CHECKIN_LINK_DAYS
from cohorts.reminders.models import CheckInAnswer
from members.choices import MembershipStatus
from members.models import MemberProfile

HELP, CHECKINS, CHANGES, QUIET = "help", "checkins", "changes", "quiet"
LIAISON, PENDING = "liaison", "pending"
# (key, heading) in the order the panel and the screen show them.
KINDS = (
    (HELP, "Calls for help"),
    (CHECKINS, '"We need help" check-in answers'),
    (CHANGES, "Changes of partner to decide"),
    (QUIET, "Pairs with no recent contact or behind the pace"),
    (LIAISON, "Pairs whose liaison left"),
    (PENDING, "Members waiting for verification"),
)
PAIR_SUPPORT_ANCHOR = "#pair-support"
PAIR_CHANGES_ANCHOR = "#pair-changes"
PAIR_LIAISON_ANCHOR = "#pair-liaison"
LIAISON_ERASED = "Their liaison's account was deleted"
PAIR_NAMES = ("pair__cohort", "pair__mentor__applicant", "pair__mentee__applicant")


@dataclass(frozen=True)
class AttentionRow:
    """One thing waiting: who, what about it, since when, and where it is handled."""

    who: str
    about: str
    since: datetime.date | datetime.datetime | None
    url: str
    cohort: str = ""


def _pair_url(pair_id: int, anchor: str = "") -> str:
    return reverse("cohorts_pair:inspect", args=[pair_id]) + anchor


def _pair_names(pair: Pair) -> str:
    return f"{pair.mentor.applicant.display_name} and {pair.mentee.applicant.display_name}"


# ---- The five kinds, as querysets -----------------------------------------------------------


def unanswered_help() -> QuerySet[SupportRequest]:
    """Calls for help with no answer yet, on pairs a coordinator can open."""
    return SupportRequest.objects.filter(
        answered_at__isnull=True, pair__status__in=LISTED_STATUSES
    )


def unfollowed_checkins(*, now: datetime.datetime | None = None) -> QuerySet[CheckInAnswer]:
    """ "We need help" answers that opened no call for help and that no coordinator's answer
    to the pair has followed, while the check-in's link lives."""
    now = now or timezone.now()
    answered_since = SupportRequest.objects.filter(
        pair=OuterRef("pair"), answered_at__gte=OuterRef("answered_at")
    )
    return CheckInAnswer.objects.filter(
        answer=CheckInAnswerChoice.NEED_HELP,
        support_request__isnull=True,
        pair__status=PairStatus.PUBLISHED,
        answered_at__gte=now - datetime.timedelta(days=CHECKIN_LINK_DAYS),
    ).exclude(Exists(answered_since))


def changes_to_decide() -> QuerySet[ChangeRequest]:
    """Changes of partner the partner agreed to, waiting for a coordinator."""
    return ChangeRequest.objects.filter(
        status=ChangeRequestStatus.AWAITING_APPROVAL, pair__status=PairStatus.PUBLISHED
    )


def liaison_left() -> QuerySet[Pair]:
    """Published pairs whose liaison's account was deleted and that no coordinator has given
    a liaison (or decided on none) since."""
    return Pair.objects.filter(
        status=PairStatus.PUBLISHED, liaison__isnull=True, liaison_erased_at__isnull=False
    )


def pending_members() -> QuerySet[MemberProfile]:
    return MemberProfile.objects.filter(membership_status=MembershipStatus.PENDING)


def _pairs_under_way(today: datetime.date) -> QuerySet[Pair]:
    """Published pairs of the cohorts in their formal mentoring period, with the minutes
    logged and the last contact's date (per-pair subqueries: no GROUP BY over the joins)."""
    contacts = ContactLog.objects.filter(pair=OuterRef("pk")).order_by().values("pair")
    return Pair.objects.filter(
        status=PairStatus.PUBLISHED,
        cohort__formal_start__lte=today,
        cohort__formal_end__gte=today,
    ).annotate(
        logged_minutes=Coalesce(
            contacts.annotate(total=Sum("minutes")).values("total")[:1],
            0,
            output_field=IntegerField(),
        ),
        latest_contact=contacts.annotate(latest=Max("date")).values("latest")[:1],
    )


def quiet_reason(
    *, cohort: dict, logged_minutes: int, latest_contact: datetime.date | None, today
) -> str:
    """Why a pair under way needs a look ("no contact for 9 weeks", "behind the pace"), or "".
    ``cohort`` holds its formal start and end and its minimum hours."""
    reasons = []
    since = latest_contact or cohort["formal_start"]
    if since <= today - datetime.timedelta(weeks=settings.NO_CONTACT_WEEKS):
        silent = (today - since).days // 7
        reasons.append(f"no contact for {silent} weeks" if latest_contact else "no contact yet")
    minimum = int(cohort["minimum_contact_hours"] * 60)
    expected = round(minimum * year_fraction(cohort=SimpleNamespace(**cohort), today=today))
    if logged_minutes < min(expected, minimum):
        reasons.append("behind the pace")
    return ", ".join(reasons)


COHORT_FIELDS = ("formal_start", "formal_end", "minimum_contact_hours")


def quiet_pair_reasons(*, today: datetime.date | None = None) -> dict[int, tuple]:
    """{pair id: (why, last contact)} for each pair under way that is silent or behind: one
    query of plain values, so the dashboard's count builds no model at all."""
    today = today or timezone.localdate()
    found = {}
    fields = [f"cohort__{name}" for name in COHORT_FIELDS]
    rows = _pairs_under_way(today).values_list("pk", "logged_minutes", "latest_contact", *fields)
    for pk, minutes, latest, *cohort in rows:
        why = quiet_reason(
            cohort=dict(zip(COHORT_FIELDS, cohort, strict=True)),
            logged_minutes=minutes,
            latest_contact=latest,
            today=today,
        )
        if why:
            found[pk] = (why, latest)
    return found


# ---- What the panel and the screen read ------------------------------------------------------


def attention_counts() -> dict[str, int]:
    """How many of each kind wait: one query per kind."""
    return {
        HELP: unanswered_help().count(),
        CHECKINS: unfollowed_checkins().count(),
        CHANGES: changes_to_decide().count(),
        QUIET: len(quiet_pair_reasons()),
        LIAISON: liaison_left().count(),
        PENDING: pending_members().count(),
    }


def attention_rows() -> dict[str, list[AttentionRow]]:
    """The rows of each kind, oldest first, each linking to where it is handled."""
    return {
        HELP: _help_rows(),
        CHECKINS: _checkin_rows(),
        CHANGES: _change_rows(),
        QUIET: _quiet_rows(),
        LIAISON: _liaison_rows(),
        PENDING: _pending_rows(),
    }


def _help_rows() -> list[AttentionRow]:
    rows = unanswered_help().select_related("author", *PAIR_NAMES).order_by("created_at", "pk")
    return [
        AttentionRow(
            who=_pair_names(request.pair),
            about="Asked by " + (request.author.display_name if request.author else "—"),
            since=request.created_at,
            url=_pair_url(request.pair_id, PAIR_SUPPORT_ANCHOR),
            cohort=request.pair.cohort.title,
        )
        for request in rows
    ]


def _checkin_rows() -> list[AttentionRow]:
    rows = unfollowed_checkins().select_related("user", *PAIR_NAMES).order_by("answered_at")
    return [
        AttentionRow(
            who=_pair_names(answer.pair),
            about=f"{answer.user.display_name} answered \u201cWe need help\u201d",
            since=answer.answered_at,
            url=_pair_url(answer.pair_id),
            cohort=answer.pair.cohort.title,
        )
        for answer in rows
    ]


def _change_rows() -> list[AttentionRow]:
    rows = (
        changes_to_decide()
        .select_related("requested_by", *PAIR_NAMES)
        .order_by("consented_at", "created_at", "pk")
    )
    return [
        AttentionRow(
            who=_pair_names(change.pair),
            about="Asked by "
            + (change.requested_by.display_name if change.requested_by else "—")
            + "; the partner agreed",
            since=change.consented_at or change.created_at,
            url=_pair_url(change.pair_id, PAIR_CHANGES_ANCHOR),
            cohort=change.pair.cohort.title,
        )
        for change in rows
    ]


def _quiet_rows() -> list[AttentionRow]:
    """The silent and slow pairs, longest silent first."""
    reasons = quiet_pair_reasons()
    pairs = Pair.objects.filter(pk__in=reasons).select_related(
        "cohort", "mentor__applicant", "mentee__applicant"
    )
    pairs = sorted(pairs, key=lambda pair: (reasons[pair.pk][1] or datetime.date.min, pair.pk))
    return [
        AttentionRow(
            who=_pair_names(pair),
            about=reasons[pair.pk][0][:1].upper() + reasons[pair.pk][0][1:],
            since=reasons[pair.pk][1],
            url=_pair_url(pair.pk),
            cohort=pair.cohort.title,
        )
        for pair in pairs
    ]


def _liaison_rows() -> list[AttentionRow]:
    rows = liaison_left().select_related("cohort", "mentor__applicant", "mentee__applicant")
    return [
        AttentionRow(
            who=_pair_names(pair),
            about=LIAISON_ERASED,
            since=pair.liaison_erased_at,
            url=_pair_url(pair.pk, PAIR_LIAISON_ANCHOR),
            cohort=pair.cohort.title,
        )
        for pair in rows.order_by("liaison_erased_at", "pk")
    ]


def _pending_rows() -> list[AttentionRow]:
    rows = pending_members().select_related("user").order_by("created_at", "pk")
    return [
        AttentionRow(
            who=profile.user.display_name,
            about=profile.user.email,
            since=profile.created_at,
            url=reverse("members_member:decide", args=[profile.pk]),
        )
        for profile in rows
    ]
