"""What needs a member now on their pairs, for the top of the dashboard and of each pair's
page: a change of partner waiting for their answer, a check-in to answer, an open survey
they have not answered, a pair behind the pace, and the orientation ahead with its
calendar file.

Each kind comes from a provider: a function ``provider(*, user, pairs, today)`` returning
``Need`` rows. This module holds the ones about the pair's own record; the features above
the pairs add theirs when they start (the check-ins from cohorts.reminders in
CohortsConfig.ready, the surveys from SurveysConfig.ready). Every provider reads all the
member's pairs in a fixed number of queries, so the list costs the same for one pair or
three. A provider registered ``after_end`` also hears of the pairs that have ended for the
member (the final survey, which a member whose partner left still answers); the others
only of the pairs running.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.dateformat import format as date_format

from cohorts.choices import ChangeRequestStatus
from cohorts.pairs.models import ChangeRequest, Pair
from cohorts.pairs.selectors.pairs import Progress, pair_partner_application, pair_progress
from core.formatting import day_display, minutes_as_hours

# The order the list shows them in: what someone else waits on first.
ORDER = ("change", "checkin", "survey", "behind", "orientation")
# Anchors on the pair's pages that needs and e-mails lead to.
NEEDS_ANCHOR = "needs-now"
ADD_CONTACT_ANCHOR = "add-contact"
ANSWER_CHANGE_ANCHOR = "answer-change"


@dataclass(frozen=True)
class NeedLink:
    """Where to act: an address (``url``), or a place on the pair's own pages (``section``,
    "" for the pair's page, and ``anchor``) that the dashboard turns into an address."""

    label: str
    url: str = ""
    section: str = ""
    anchor: str = ""


@dataclass(frozen=True)
class Need:
    """One thing waiting for the member: about one pair (``pair_id``) or, with none, about
    every pair of the cohort ``cohort_id``."""

    kind: str
    text: str
    links: tuple[NeedLink, ...]
    pair_id: int | None = None
    cohort_id: int | None = None
    extra: dict = field(default_factory=dict, compare=False)

    def concerns(self, pair: Pair) -> bool:
        if self.pair_id is not None:
            return self.pair_id == pair.pk
        return self.cohort_id == pair.cohort_id


Provider = Callable[..., list[Need]]
# Each provider, and whether it hears of the pairs that have ended for the member.
_providers: dict[Provider, bool] = {}


def pair_needs_register(provider: Provider, *, after_end: bool = False) -> None:
    """Add a provider of needs (see the module's docstring); each is added once."""
    _providers.setdefault(provider, after_end)


def member_needs(
    *,
    user,
    pairs: list[Pair],
    today: datetime.date,
    progress: dict[int, Progress] | None = None,
    ended: list[Pair] = (),
) -> list[Need]:
    """What waits for ``user`` on ``pairs`` (their running published pairs, cohorts loaded)
    and, from the providers registered ``after_end``, on ``ended`` (the pairs that have
    ended for them), most pressing first. ``progress`` by pair id, when the caller has it
    already, saves reading the contact log again."""
    found = []
    if pairs:
        found += changes_to_answer(user=user, pairs=pairs)
        found += pairs_behind(user=user, pairs=pairs, today=today, progress=progress)
        found += orientations_ahead(pairs=pairs, today=today)
    for provider, after_end in _providers.items():
        heard = [*pairs, *ended] if after_end else pairs
        if heard:
            found += provider(user=user, pairs=heard, today=today)
    return sorted(found, key=lambda need: ORDER.index(need.kind))


def partner_name(*, pair: Pair, user) -> str:
    return pair_partner_application(pair=pair, user=user).applicant.display_name


# ---- The pair's own record -------------------------------------------------------------------


def changes_to_answer(*, user, pairs: list[Pair]) -> list[Need]:
    """A change of partner the partner asked for, waiting for the member's consent: one
    query for every pair."""
    by_id = {pair.pk: pair for pair in pairs}
    waiting = (
        ChangeRequest.objects.filter(
            pair_id__in=by_id, status=ChangeRequestStatus.AWAITING_CONSENT
        )
        .exclude(requested_by=user)
        .order_by()
        .values_list("pair_id", flat=True)
        .distinct()
    )
    return [
        Need(
            kind="change",
            text=(
                f"{partner_name(pair=by_id[pair_id], user=user)} asks for a change of partner. "
                "The subcommittee waits for your answer: do you agree?"
            ),
            links=(NeedLink("Answer the request", section="change", anchor=ANSWER_CHANGE_ANCHOR),),
            pair_id=pair_id,
        )
        for pair_id in waiting
    ]


def pairs_behind(
    *, user, pairs: list[Pair], today: datetime.date, progress: dict[int, Progress] | None
) -> list[Need]:
    """A pair behind the pace that reaches the cohort's minimum by the end."""
    needs = []
    for pair in pairs:
        known = (progress or {}).get(pair.pk) or pair_progress(pair=pair, today=today)
        if known.pace != "behind":
            continue
        needs.append(
            Need(
                kind="behind",
                text=(
                    f"Your pair with {partner_name(pair=pair, user=user)} is behind the pace: "
                    f"about {minutes_as_hours(known.expected_minutes)} hours of contact are "
                    f"expected by now, and {minutes_as_hours(known.minutes)} are logged. "
                    "Plan your next meeting, and log the ones you had."
                ),
                links=(NeedLink("Log a contact", anchor=ADD_CONTACT_ANCHOR),),
                pair_id=pair.pk,
            )
        )
    return needs


def orientations_ahead(*, pairs: list[Pair], today: datetime.date) -> list[Need]:
    """The cohort's orientation, from the day the pair is published until it has passed,
    with its calendar file."""
    needs, seen = [], set()
    for pair in pairs:
        cohort = pair.cohort
        if cohort.pk in seen or cohort.orientation_date < today:
            continue
        seen.add(cohort.pk)
        when = day_display(cohort.orientation_date)
        if cohort.orientation_time:
            when += f" at {date_format(cohort.orientation_time, 'g:i A')}"
        calendar = cohort.url + cohort.reverse_subpage("calendar_event", args=["orientation"])
        needs.append(
            Need(
                kind="orientation",
                text=f"The orientation for {cohort.title} is on {when}.",
                links=(NeedLink("Add it to your calendar (.ics)", url=calendar),),
                cohort_id=cohort.pk,
            )
        )
    return needs
