"""The mentor's letter of service: whether it may be issued for a pair, and what it states.

A letter is issued, once formal mentoring has ended, to the mentor of a pair that was
published, took part until the end and met the cohort's minimum hours.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone

from cohorts.choices import PairStatus
from cohorts.pairs.models import ContactLog, Pair
from cohorts.pairs.models.pairs import FORMED_STATUSES
from cohorts.pairs.selectors.pairs import pair_role
from core.formatting import day_display, hours_display, hours_from_minutes

LETTER_MENTORS_ONLY = (
    "The letter of service recognizes the time a mentor gives to the program, so it is "
    "issued to the mentor of a pair only."
)
LETTER_NOT_PUBLISHED = "This pair was never published, so no letter of service can be issued."
LETTER_NOT_YET = (
    "The letter of service can be issued once formal mentoring has ended, after {end}. "
    "Come back then."
)
LETTER_ENDED_EARLY = (
    "This pair ended on {ended}, before formal mentoring ended on {end}: a letter of "
    "service is issued for a pair that took part until the end of the year."
)
LETTER_MINIMUM_NOT_MET = (
    "This pair recorded {hours} hour{hours_plural} of contact, short of the program's "
    "minimum of {minimum} hour{minimum_plural}, so no letter of service can be issued. A "
    "meeting missing from the contact log can still be recorded on the pair's page."
)

# What the mentor reads of their mentee's choice to be named in the letter (the mentee
# chooses on their own pair page; until they agree, the letter leaves them out).
LETTER_NAMES_MENTEE = (
    "Your mentee agreed to be named in your letter of service: it says you mentored {mentee}."
)
LETTER_LEAVES_MENTEE_OUT = (
    "Your mentee has not agreed to be named in your letter of service, so it does not name "
    "them. They choose on their own pair page, and can change their mind at any time."
)
LETTER_MENTEE_LEFT = "Your mentee left the program, so your letter of service does not name them."


def _plural(hours: str) -> str:
    return "" if Decimal(hours) == 1 else "s"


@dataclass(frozen=True)
class Letter:
    """A mentor's letter of service for one pair: what it states, or why it cannot be issued
    (``refusal``, empty when it can)."""

    pair: Pair
    refusal: str
    hours: str
    minimum_hours: str
    issued_on: datetime.date

    @property
    def allowed(self) -> bool:
        return not self.refusal

    @property
    def mentor_name(self) -> str:
        return self.pair.mentor.applicant.display_name

    @property
    def mentee_name(self) -> str:
        """The mentee's name, only when the mentee chose to appear in the letter; empty
        until then, and once the mentee has left the portal."""
        mentee = self.pair.mentee.applicant
        if mentee.erased_at or not self.pair.mentee_named_in_letter:
            return ""
        return mentee.display_name

    @property
    def mentee_naming_note(self) -> str:
        """For the mentor: whether the letter names their mentee, and why (the mentee's
        choice, or their leaving the program), so the letter holds no surprise."""
        mentee = self.pair.mentee.applicant
        if mentee.erased_at:
            return LETTER_MENTEE_LEFT
        if self.mentee_name:
            return LETTER_NAMES_MENTEE.format(mentee=self.mentee_name)
        return LETTER_LEAVES_MENTEE_OUT


def letter_for_member(*, user, pair: Pair, today: datetime.date | None = None) -> Letter:
    """The letter ``user`` may open for their own ``pair``: only its mentor gets one."""
    if pair_role(pair=pair, user=user) != "mentor":
        return _letter(pair, refusal=LETTER_MENTORS_ONLY, today=today)
    return letter_for_pair(pair=pair, today=today)


def letter_for_pair(*, pair: Pair, today: datetime.date | None = None) -> Letter:
    """The mentor's letter for ``pair``, issued once formal mentoring has ended to a pair
    that was published, took part until the end and met the cohort's minimum hours."""
    today = today or timezone.localdate()
    cohort = pair.cohort
    minutes = ContactLog.objects.filter(pair=pair).aggregate(total=Sum("minutes"))["total"] or 0
    hours, minimum = (
        hours_display(hours_from_minutes(minutes)),
        hours_display(cohort.minimum_contact_hours),
    )
    refusal = ""
    if pair.status not in FORMED_STATUSES:
        refusal = LETTER_NOT_PUBLISHED
    elif today <= cohort.formal_end:
        refusal = LETTER_NOT_YET.format(end=day_display(cohort.formal_end))
    elif _ended_early(pair):
        ended = timezone.localdate(pair.ended_at)
        refusal = LETTER_ENDED_EARLY.format(
            ended=day_display(ended), end=day_display(cohort.formal_end)
        )
    elif minutes < cohort.minimum_contact_hours * 60:
        refusal = LETTER_MINIMUM_NOT_MET.format(
            hours=hours,
            hours_plural=_plural(hours),
            minimum=minimum,
            minimum_plural=_plural(minimum),
        )
    return Letter(pair, refusal, hours, minimum, today)


def _ended_early(pair: Pair) -> bool:
    if pair.status != PairStatus.ENDED or pair.ended_at is None:
        return False
    return timezone.localdate(pair.ended_at) <= pair.cohort.formal_end


def _letter(pair: Pair, *, refusal: str, today: datetime.date | None) -> Letter:
    minimum = hours_display(pair.cohort.minimum_contact_hours)
    return Letter(pair, refusal, "", minimum, today or timezone.localdate())
