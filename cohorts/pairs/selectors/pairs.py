"""Reads of a published pair: who may see it, who may read a note, and how the pair is doing.

Access is decided here and only here. ``pair_for_member`` says which pair a member may
open and read (their own, once published, and still after it ended: their history stays
theirs); ``pair_open_to`` says whether they may still add to it (the pair runs and they
have not closed their side), and ``pair_shared_open_to`` whether they may still add to what
their partner sees (their partner has not closed their side either); ``notes_visible_to``
says which notes a person may read (their own, and the ones their partner shared with
them). Coordinators, the chair, editors and superusers read no note through any of them.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Exists, Max, OuterRef, Q, Sum
from django.utils import timezone

from cohorts.choices import AfterEnd, ChangeRequestStatus, PairStatus
from cohorts.pairs.errors import PAIR_ENDED, PAIR_READ_ONLY
from cohorts.pairs.models import ConfidentialNote, ContactLog, Pair
from cohorts.pairs.models.pairs import FORMED_STATUSES
from cohorts.program.models import Application, CohortPage
from core.page_cache import content_cached
from members.choices import ContactMethod

OPEN_CHANGE_STATUSES = [
    ChangeRequestStatus.AWAITING_CONSENT,
    ChangeRequestStatus.AWAITING_APPROVAL,
]


# What a pair's own pages show besides the pair: its liaison and both people's profiles.
PAIR_PAGE_RELATED = ("liaison", "mentor__applicant__profile", "mentee__applicant__profile")
# What a pair's card on the dashboard shows: the cohort (from memory) and the two names.
CARD_FIELDS = (
    "cohort_id",
    "status",
    "ended_at",
    "end_reason",
    "mentor_after_end",
    "mentor_after_end_at",
    "mentee_after_end",
    "mentee_after_end_at",
    *(
        f"{side}__applicant__{field}"
        for side in ("mentor", "mentee")
        for field in ("first_name", "last_name", "email", "erased_at")
    ),
)


def pairs_for_member(*, user, related=PAIR_PAGE_RELATED):
    """The pairs a member is in, as mentor or mentee, once published: running or ended.

    The one rule of who may see a pair as a member: its two people, and only once it is
    published. Confirmed drafts are the subcommittee's until then; an ended pair stays
    readable to both (``pair_open_to`` says whether they may still add to it).
    """
    if not user.is_authenticated:
        return Pair.objects.none()
    return (
        Pair.objects.filter(
            Q(mentor__applicant=user) | Q(mentee__applicant=user),
            status__in=FORMED_STATUSES,
        )
        .select_related(*related)
        # Unordered: with this many joined columns, an ORDER BY costs the ORM more than
        # the query itself; a member has a pair or two, sorted in Python (newest_first).
        .order_by()
    )


def _with_cohorts(pairs) -> list[Pair]:
    """The pairs with their cohort pages, which change only when an editor publishes, from
    memory (core.page_cache.content_cached) rather than joined into every query."""
    pairs = list(pairs)
    for pair in pairs:
        cohort_id = pair.cohort_id
        pair.cohort = content_cached(
            f"cohort:{cohort_id}", lambda cohort_id=cohort_id: CohortPage.objects.get(pk=cohort_id)
        )
    return pairs


def pair_for_member(*, user, pair_id: int) -> Pair | None:
    """The pair if ``user`` is one of its two members and it was published, else None."""
    return next(iter(_with_cohorts(pairs_for_member(user=user).filter(pk=pair_id))), None)


def pair_role(*, pair: Pair, user) -> str:
    """ "mentor" or "mentee": the side ``user`` is on in ``pair``."""
    return "mentor" if pair.mentor.applicant_id == user.pk else "mentee"


@dataclass(frozen=True)
class AfterEndChoice:
    """One partner's choice after the formal end: "continue", "close" or "" (none yet)."""

    choice: str
    chosen_at: datetime.datetime | None

    @property
    def closed(self) -> bool:
        return self.choice == AfterEnd.CLOSE

    @property
    def label(self) -> str:
        return AfterEnd(self.choice).label if self.choice else ""


def pair_after_end_of(*, pair: Pair, role: str) -> AfterEndChoice:
    """The choice after the formal end of the pair's ``role`` ("mentor" or "mentee")."""
    return AfterEndChoice(
        getattr(pair, f"{role}_after_end"), getattr(pair, f"{role}_after_end_at")
    )


def pair_open_to(*, pair: Pair, user) -> bool:
    """Whether ``user`` may still add to their ``pair``: it runs (published, not ended) and
    they have not closed their side. Otherwise its record is theirs to read only."""
    if pair.status != PairStatus.PUBLISHED:
        return False
    return not pair_after_end_of(pair=pair, role=pair_role(pair=pair, user=user)).closed


def pair_partner_closed(*, pair: Pair, user) -> bool:
    """Whether ``user``'s partner closed their side of ``pair`` after the formal end."""
    partner_role = "mentee" if pair_role(pair=pair, user=user) == "mentor" else "mentor"
    return pair_after_end_of(pair=pair, role=partner_role).closed


def pair_shared_open_to(*, pair: Pair, user) -> bool:
    """Whether ``user`` may still add to what their partner sees of ``pair``: the shared
    record (contacts, goals, agreement), a shared note, a request for their consent. The
    pair must be open to both (``pair_open_to``): once the partner closed their side, or
    left the program (the pair ended), nothing more reaches them."""
    return pair_open_to(pair=pair, user=user) and not pair_partner_closed(pair=pair, user=user)


def pair_closed_message(*, pair: Pair) -> str:
    """Why a pair closed to a member (``pair_open_to`` is False) refuses a change: it has
    ended, or the member closed their side after the formal end."""
    return PAIR_ENDED if pair.status == PairStatus.ENDED else PAIR_READ_ONLY


def pair_open_for_member(*, user, pair_id: int) -> Pair | None:
    """The pair if ``user`` may read it and still add to it, else None."""
    pair = pair_for_member(user=user, pair_id=pair_id)
    return pair if pair is not None and pair_open_to(pair=pair, user=user) else None


def pair_partner_application(*, pair: Pair, user):
    return pair.mentee if pair_role(pair=pair, user=user) == "mentor" else pair.mentor


def notes_visible_to(*, user, pair: Pair):
    """The notes on ``pair`` that ``user`` may read: their own, and those their partner
    shared. Nobody else reads any, whatever their role; a person outside the pair gets none.
    """
    if pair_for_member(user=user, pair_id=pair.pk) is None:
        return ConfidentialNote.objects.none()
    return ConfidentialNote.objects.filter(
        Q(author=user) | Q(shared=True), pair=pair
    ).select_related("author")


def note_for_author(*, user, pair: Pair, note_id: int) -> ConfidentialNote | None:
    """A note its author may change, share or delete: only their own."""
    if pair_for_member(user=user, pair_id=pair.pk) is None:
        return None
    return ConfidentialNote.objects.filter(pk=note_id, pair=pair, author=user).first()


@dataclass(frozen=True)
class MemberPair:
    """One of a member's pairs, seen from their side."""

    pair: Pair
    role: str
    partner: object
    partner_application: Application


def newest_first(pairs) -> list[Pair]:
    """The pairs with their cohorts, the newest cohort first; in one cohort, a running pair
    before one that ended."""
    return sorted(
        _with_cohorts(pairs),
        key=lambda pair: (
            -pair.cohort.formal_start.toordinal(),
            pair.status != PairStatus.PUBLISHED,
            pair.pk,
        ),
    )


def dashboard_pairs(*, user) -> list[Pair]:
    """The member's pairs for their dashboard, running or ended, newest cohort first: only
    the columns a card shows, as the dashboard is the page members open most."""
    related = ("mentor__applicant", "mentee__applicant")
    pairs = pairs_for_member(user=user, related=related)
    return newest_first(pairs.only(*CARD_FIELDS))


def member_pairs(*, user) -> list[MemberPair]:
    """The member's pairs, running or ended, newest cohort first, with their partners'
    profiles."""
    rows = []
    related = ("mentor__applicant__profile", "mentee__applicant__profile")
    for pair in newest_first(pairs_for_member(user=user, related=related)):
        if pair.mentor.applicant_id == user.pk:
            rows.append(MemberPair(pair, "mentor", pair.mentee.applicant, pair.mentee))
        else:
            rows.append(MemberPair(pair, "mentee", pair.mentor.applicant, pair.mentor))
    return rows


@dataclass(frozen=True)
class MemberPlaces:
    """Whether a member has applied to any cohort, and whether they are in a published pair:
    what the main menu offers them."""

    applied: bool
    paired: bool


def member_places(*, user) -> MemberPlaces:
    """``MemberPlaces`` in one query: the member's applications, each marked when it is in
    a published pair."""
    if not user.is_authenticated:
        return MemberPlaces(applied=False, paired=False)
    published = Pair.objects.filter(
        Q(mentor=OuterRef("pk")) | Q(mentee=OuterRef("pk")), status=PairStatus.PUBLISHED
    )
    rows = list(
        Application.objects.filter(applicant=user)
        .order_by()
        .values_list(Exists(published), flat=True)
    )
    return MemberPlaces(applied=bool(rows), paired=any(rows))


def live_dashboard_page():
    """The live pair dashboard ("My mentoring"), from memory until content changes; None
    while there is none."""
    from cohorts.pairs.models import PairDashboardPage

    return content_cached("pair-dashboard-page", lambda: PairDashboardPage.objects.live().first())


def contact_logged_by_partner(
    *, pair: Pair, user, date: datetime.date, method: str, minutes: int
) -> ContactLog | None:
    """A contact the partner already logged on the same day, the same way and for as long:
    most likely the same meeting, which the member should not count twice."""
    return (
        ContactLog.objects.filter(pair=pair, date=date, method=method, minutes=minutes)
        .exclude(author=user)
        .first()
    )


# ---- Progress -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Progress:
    """Contact so far against the cohort's minimum, and against the point in the year."""

    minutes: int
    minimum_minutes: int
    by_method: list[tuple[str, int]]  # (method label, minutes), every method
    expected_minutes: int
    pace: str  # "met", "on track", "behind", "not started", "ended"
    contact_count: int
    last_contact: datetime.date | None

    @property
    def hours(self) -> Decimal:
        return (Decimal(self.minutes) / 60).quantize(Decimal("0.1"))

    @property
    def bar_value(self) -> int:
        """The minutes a progress bar shows: at most its maximum (the minimum, or 1 when the
        cohort sets none), as HTML requires of a <progress> value."""
        return min(self.minutes, self.minimum_minutes or 1)

    @property
    def percent(self) -> int:
        if not self.minimum_minutes:
            return 100
        return min(100, round(100 * self.minutes / self.minimum_minutes))


def year_fraction(*, cohort, today: datetime.date) -> float:
    """How far through the formal mentoring period ``today`` is, from 0 to 1."""
    total = (cohort.formal_end - cohort.formal_start).days or 1
    elapsed = (today - cohort.formal_start).days
    return min(1.0, max(0.0, elapsed / total))


def pair_progress(*, pair: Pair, today: datetime.date | None = None) -> Progress:
    """Hours by method, the pace against the year, in one query whatever the log's size."""
    today = today or timezone.localdate()
    rows = (
        ContactLog.objects.filter(pair=pair)
        .order_by()
        .values("method")
        .annotate(minutes=Sum("minutes"), count=Count("pk"), last=Max("date"))
    )
    per_method = {row["method"]: row["minutes"] or 0 for row in rows}
    minimum = int(pair.cohort.minimum_contact_hours * 60)
    minutes = sum(per_method.values())
    expected = round(minimum * year_fraction(cohort=pair.cohort, today=today))
    return Progress(
        minutes=minutes,
        minimum_minutes=minimum,
        by_method=[(label, per_method.get(value, 0)) for value, label in ContactMethod.choices],
        expected_minutes=expected,
        pace=_pace(minutes=minutes, minimum=minimum, expected=expected, today=today, pair=pair),
        contact_count=sum(row["count"] for row in rows),
        last_contact=max((row["last"] for row in rows), default=None),
    )


def _pace(*, minutes: int, minimum: int, expected: int, today, pair) -> str:
    if minutes >= minimum:
        return "met"
    if pair.status == PairStatus.ENDED:
        return "ended"
    if today < pair.cohort.formal_start:
        return "not started"
    return "on track" if minutes >= expected else "behind"


# ---- What is next --------------------------------------------------------------------------


CHECKIN_MONTHS = {"quarterly": 3, "monthly": 1}


def add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return datetime.date(year, month, min(day.day, 28))


def checkin_dates(*, cohort) -> list[datetime.date]:
    """The chair's check-ins: every quarter (or month) from the formal start to the end."""
    step = CHECKIN_MONTHS.get(cohort.checkin_cadence)
    if not step:
        return []
    dates, day = [], add_months(cohort.formal_start, step)
    while day <= cohort.formal_end:
        dates.append(day)
        day = add_months(day, step)
    return dates


def pair_next_steps(*, pair: Pair, today: datetime.date | None = None) -> list[tuple[str, object]]:
    """What comes next for a pair, soonest first: (what, date)."""
    today = today or timezone.localdate()
    cohort = pair.cohort
    steps = [
        ("Orientation", cohort.orientation_date),
        ("Formal mentoring starts", cohort.formal_start),
        ("Mid-way survey opens", cohort.midway_survey_opens),
        ("Mid-way survey closes", cohort.midway_survey_closes),
        ("Final survey opens", cohort.final_survey_opens),
        ("Final survey closes", cohort.final_survey_closes),
        ("Formal mentoring ends", cohort.formal_end),
    ]
    upcoming_checkin = next((d for d in checkin_dates(cohort=cohort) if d >= today), None)
    if upcoming_checkin:
        steps.append(("Check-in from the chair", upcoming_checkin))
    return sorted((step for step in steps if step[1] >= today), key=lambda step: step[1])[:3]


def pair_program_over(*, pair: Pair, today: datetime.date | None = None) -> bool:
    return (today or timezone.localdate()) > pair.cohort.formal_end


# ---- The pair's address on the dashboard ----------------------------------------------------


NO_PAGE = object()


def dashboard_url_for(*, pair: Pair, page=NO_PAGE, section: str = "", anchor: str = "") -> str:
    """The absolute address of the pair's own page on the live pair dashboard, for e-mails,
    or of one of its sections (``section``, e.g. "change"), at ``anchor`` when given; the
    member's account page while no dashboard page is live. A caller that builds many
    addresses passes the live dashboard `page` (or None) it looked up once."""
    from django.urls import reverse

    from cohorts.pairs.models import PairDashboardPage
    from core.links import absolute_url

    if page is NO_PAGE:
        page = PairDashboardPage.objects.live().first()
    parts = page.get_url_parts() if page else None
    if parts is None:
        return absolute_url(reverse("member_profile"))
    if section:
        route = page.reverse_subpage("pair_section", args=[pair.pk, section])
    else:
        route = page.reverse_subpage("pair", args=[pair.pk])
    return absolute_url(parts[2] + route) + (f"#{anchor}" if anchor else "")
