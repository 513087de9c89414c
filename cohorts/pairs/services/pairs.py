"""Writes of a published pair's shared record: contacts, agreement and goals, support
requests, changes of partner, the choice at the end of the year, the liaison, and the log of
coordinators' views.

The rules, in one place:

- Only the pair's two members write contacts, the agreement, goals, support requests and
  change requests (``pair_for_member``); only a contact's author edits or deletes it.
- A contact's date lies in the cohort's formal mentoring period and not in the future; it
  lasts 1 to 600 minutes; its method is one of ContactMethod; the summary is plain text. A
  pair logs at most 12 hours on one date, both partners' entries together.
- A pair has at most three goals; either partner marks one done or not done.
- A change of partner: one partner asks, with a reason only coordinators read; the other
  consents or not; a coordinator then approves (the pair ends, "changed by agreement", and
  both return to the matching workspace) or declines. Every step is recorded and e-mailed
  to the people it concerns through the outbox, sent after the commit.
- A member asks for help at most ``HELP_REQUESTS_PER_DAY`` times a day, and for a change
  of partner at most ``CHANGE_REQUESTS_PER_DAY`` times, whichever page or link they use;
  the refusal says when they can ask again.
- A member who deletes their account leaves the program: each of their published pairs ends
  ("partner left the program"), its open changes of partner close, and the partner and the
  subcommittee are told. A coordinator who deletes theirs leaves the pairs they were the
  liaison of without one, until another coordinator names a liaison (or decides on none).
- After the formal end each partner chooses for themselves: continue informally (the
  dashboard stays open, outside the program's reminders except the end-of-program survey)
  or close their side, which is final and told to the partner by e-mail; the pair ends once
  both have closed. A change of partner still open then closes ("a partner closed their
  side"), and the partner who asked for it is told.
- One rule for a pair that is over for a member, whatever ended it: once they closed their
  side, or the pair ended (closed by both, a change of partner, a partner who left), they
  still read its record, their notes and the letter, and add nothing more
  (``pair_open_to``); a refusal says which of the two it is.
- Nothing more reaches a partner for whom the pair is over: once they closed their side,
  the other, who may keep the pair open, no longer changes the shared record (contacts,
  goals, agreement) nor asks for a change of partner (``pair_shared_open_to``).
- The mentee decides whether their name appears in the mentor's letter of service; until
  they agree, it does not.

Every refusal is a ValidationError with one of this module's messages; nothing is written.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone

from cohorts.choices import AfterEnd, ChangeRequestStatus, ConferenceMeeting, PairStatus
from cohorts.pairs.errors import (
    CHANGE_TOO_MANY,
    DAY_FULL,
    FREQUENCY_TOO_LONG,
    GOAL_EMPTY,
    GOAL_TOO_LONG,
    HELP_TOO_MANY,
    MESSAGE_EMPTY,
    MESSAGE_TOO_LONG,
    MINUTES_OUT_OF_RANGE,
    PAIR_ENDED,
    PARTNER_CLOSED_CHANGE,
    PARTNER_CLOSED_RECORD,
    SUMMARY_TOO_LONG,
    UNKNOWN_CHOICE,
    UNKNOWN_CONFERENCE,
    UNKNOWN_METHOD,
)
from cohorts.pairs.models import (
    ChangeRequest,
    ContactLog,
    Pair,
    PairAgreement,
    PairGoal,
    PairViewLog,
    SupportRequest,
)
from cohorts.pairs.models.relationship import (
    CONTACT_MINUTES_MAX,
    CONTACT_MINUTES_MIN,
    GOAL_MAX_LENGTH,
    GOALS_MAX,
    MESSAGE_MAX_LENGTH,
    PAIR_MINUTES_PER_DAY_MAX,
    SUMMARY_MAX_LENGTH,
)
from cohorts.pairs.selectors.pairs import (
    OPEN_CHANGE_STATUSES,
    pair_after_end_of,
    pair_closed_message,
    pair_for_member,
    pair_open_to,
    pair_partner_application,
    pair_partner_closed,
    pair_program_over,
    pair_role,
)
from cohorts.pairs.services.emails import (
    change_request_tell,
    pair_closed_tell,
    partner_left_tell,
    support_answer_tell,
    support_request_tell,
)
from core.formatting import minutes_as_hours, moment_display
from core.limits import limit_consume
from members.choices import ContactMethod

NOT_YOUR_PAIR = "This is not one of your mentoring pairs."
SIDE_ALREADY_CLOSED = "You have closed your side of this pair; that choice is final."
LETTER_NAME_MENTEE_ONLY = (
    "Only the mentee chooses whether their name appears in the mentor's letter of service."
)
DATE_OUTSIDE_PROGRAM = (
    "Choose a date within the formal mentoring period, {start:%B %-d, %Y} to {end:%B %-d, %Y}."
)
DATE_IN_FUTURE = "A contact cannot be in the future; record it once it has happened."
NOT_YOUR_CONTACT = "Only the person who recorded a contact can change or delete it."
TOO_MANY_GOALS = f"A pair sets up to {GOALS_MAX} goals."
CHANGE_ALREADY_OPEN = "A change of partner is already under way for this pair."
CHANGE_NOT_YOURS_TO_ANSWER = "Only your partner's request asks for your consent."
CHANGE_NOT_WAITING = "This request is no longer waiting for that step."
NOT_OVER_YET = "The formal mentoring period is not over yet; choose after {end:%B %-d, %Y}."
ALREADY_ANSWERED = "This request was already answered."
CHANGED_BY_AGREEMENT = "changed by agreement"
CLOSED_AFTER_PROGRAM = "closed after the program"
PARTNER_LEFT = "partner left the program"


def _readable(pair: Pair, user) -> Pair:
    """The member's own pair, running or ended."""
    found = pair_for_member(user=user, pair_id=pair.pk)
    if found is None:
        raise ValidationError(NOT_YOUR_PAIR)
    return found


def _mine(pair: Pair, user) -> Pair:
    """The member's own pair, which they may still add to."""
    found = _readable(pair, user)
    if not pair_open_to(pair=found, user=user):
        raise ValidationError(pair_closed_message(pair=found))
    return found


def _shared(pair: Pair, user, *, refusal: str = PARTNER_CLOSED_RECORD) -> Pair:
    """The member's own pair, where they may still add to what their partner sees: it is
    open to both (``pair_shared_open_to``); ``refusal`` once the partner closed their side."""
    found = _mine(pair, user)
    if pair_partner_closed(pair=found, user=user):
        partner = pair_partner_application(pair=found, user=user).applicant
        raise ValidationError(refusal.format(partner=partner.display_name))
    return found


# ---- Contacts -------------------------------------------------------------------------------


def _contact_fields(pair: Pair, *, date, minutes, method, conference, summary) -> dict:
    cohort = pair.cohort
    errors = {}
    if not isinstance(date, datetime.date) or not (
        cohort.formal_start <= date <= cohort.formal_end
    ):
        errors["date"] = DATE_OUTSIDE_PROGRAM.format(
            start=cohort.formal_start, end=cohort.formal_end
        )
    elif date > timezone.localdate():
        errors["date"] = DATE_IN_FUTURE
    if not isinstance(minutes, int) or not CONTACT_MINUTES_MIN <= minutes <= CONTACT_MINUTES_MAX:
        errors["minutes"] = MINUTES_OUT_OF_RANGE
    if method not in ContactMethod.values:
        errors["method"] = UNKNOWN_METHOD
    if conference not in ["", *ConferenceMeeting.values]:
        errors["conference"] = UNKNOWN_CONFERENCE
    summary = (summary or "").strip()
    if len(summary) > SUMMARY_MAX_LENGTH:
        errors["summary"] = SUMMARY_TOO_LONG
    if errors:
        raise ValidationError(errors)
    return {
        "date": date,
        "minutes": minutes,
        "method": method,
        "conference": conference,
        "summary": summary,
    }


def _day_has_room(pair: Pair, fields: dict, *, replacing: ContactLog | None = None) -> None:
    """Refuse a contact that would take the pair's time on its date past 12 hours; call with
    the pair locked, so two entries at once are counted one after the other."""
    same_day = ContactLog.objects.filter(pair=pair, date=fields["date"])
    if replacing is not None:
        same_day = same_day.exclude(pk=replacing.pk)
    logged = same_day.aggregate(total=Sum("minutes"))["total"] or 0
    if logged + fields["minutes"] > PAIR_MINUTES_PER_DAY_MAX:
        left = max(PAIR_MINUTES_PER_DAY_MAX - logged, 0)
        message = DAY_FULL.format(
            hours=PAIR_MINUTES_PER_DAY_MAX // 60,
            date=fields["date"],
            logged=f"{minutes_as_hours(logged)} h",
            left=f"{minutes_as_hours(left)} h",
        )
        raise ValidationError({"minutes": message})


def contact_add(
    *, pair: Pair, user, date, minutes, method, conference="", summary=""
) -> ContactLog:
    """Either partner records a contact."""
    pair = _shared(pair, user)
    fields = _contact_fields(
        pair, date=date, minutes=minutes, method=method, conference=conference, summary=summary
    )
    with transaction.atomic():
        pair = Pair.objects.select_for_update().get(pk=pair.pk)
        _day_has_room(pair, fields)
        return ContactLog.objects.create(pair=pair, author=user, **fields)


def _own_contact(pair: Pair, user, contact_id: int) -> ContactLog:
    pair = _shared(pair, user)
    contact = ContactLog.objects.filter(pk=contact_id, pair=pair, author=user).first()
    if contact is None:
        raise ValidationError(NOT_YOUR_CONTACT)
    return contact


def contact_update(
    *, pair: Pair, user, contact_id: int, date, minutes, method, conference="", summary=""
) -> ContactLog:
    contact = _own_contact(pair, user, contact_id)
    fields = _contact_fields(
        contact.pair,
        date=date,
        minutes=minutes,
        method=method,
        conference=conference,
        summary=summary,
    )
    with transaction.atomic():
        Pair.objects.select_for_update().get(pk=contact.pair_id)
        _day_has_room(contact.pair, fields, replacing=contact)
        for name, value in fields.items():
            setattr(contact, name, value)
        contact.save()
    return contact


def contact_delete(*, pair: Pair, user, contact_id: int) -> None:
    _own_contact(pair, user, contact_id).delete()


# ---- Agreement and goals -------------------------------------------------------------------


def agreement_save(*, pair: Pair, user, frequency: str, methods: list[str]) -> PairAgreement:
    """How often and how the pair intends to meet."""
    pair = _shared(pair, user)
    frequency = frequency.strip()
    errors = {}
    if len(frequency) > 200:
        errors["frequency"] = FREQUENCY_TOO_LONG
    if not set(methods) <= set(ContactMethod.values):
        errors["methods"] = UNKNOWN_METHOD
    if errors:
        raise ValidationError(errors)
    agreement, _ = PairAgreement.objects.update_or_create(
        pair=pair,
        defaults={
            "frequency": frequency,
            "methods": [m for m in ContactMethod.values if m in methods],
            "updated_by": user,
        },
    )
    return agreement


def goal_add(*, pair: Pair, user, text: str) -> PairGoal:
    text = text.strip()
    if not text:
        raise ValidationError({"text": GOAL_EMPTY})
    if len(text) > GOAL_MAX_LENGTH:
        raise ValidationError({"text": GOAL_TOO_LONG})
    with transaction.atomic():
        pair = Pair.objects.select_for_update().get(pk=_shared(pair, user).pk)
        if PairGoal.objects.filter(pair=pair).count() >= GOALS_MAX:
            raise ValidationError(TOO_MANY_GOALS)
        return PairGoal.objects.create(pair=pair, text=text)


def goal_mark(*, pair: Pair, user, goal_id: int, done: bool) -> PairGoal:
    """Either partner marks a goal done, or not done again."""
    pair = _shared(pair, user)
    goal = PairGoal.objects.filter(pk=goal_id, pair=pair).first()
    if goal is None:
        raise ValidationError(NOT_YOUR_PAIR)
    goal.done_at, goal.done_by = (timezone.now(), user) if done else (None, None)
    goal.save(update_fields=["done_at", "done_by"])
    return goal


def goal_delete(*, pair: Pair, user, goal_id: int) -> None:
    pair = _shared(pair, user)
    PairGoal.objects.filter(pk=goal_id, pair=pair).delete()


# ---- Support -------------------------------------------------------------------------------


def _message(text: str) -> str:
    text = text.strip()
    if not text:
        raise ValidationError({"message": MESSAGE_EMPTY})
    if len(text) > MESSAGE_MAX_LENGTH:
        raise ValidationError({"message": MESSAGE_TOO_LONG})
    return text


class RequestLimitReached(ValidationError):
    """A member asked the subcommittee as often as they may today; nothing was written."""


def _within_daily_limit(user, *, group: str, limit: int, refusal: str) -> None:
    """Count one request of ``group`` by ``user``; past ``limit`` a day, refuse with
    ``refusal``, saying when they can ask again."""
    usage = limit_consume(group=group, key=str(user.pk), limit=limit, period="d")
    if not usage.allowed:
        raise RequestLimitReached(
            refusal.format(limit=limit, time=moment_display(usage.resets_at))
        )


def support_request_send(*, pair: Pair, user, message: str) -> SupportRequest:
    """A participant asks the subcommittee for help; the liaison (or every coordinator) is
    told by e-mail that a request waits in the admin. At most ``HELP_REQUESTS_PER_DAY`` a
    day per member (RequestLimitReached)."""
    pair = _mine(pair, user)
    message = _message(message)
    _within_daily_limit(
        user,
        group="pairs.support_request",
        limit=settings.HELP_REQUESTS_PER_DAY,
        refusal=HELP_TOO_MANY,
    )
    with transaction.atomic():
        request = SupportRequest.objects.create(pair=pair, author=user, message=message)
        support_request_tell(request=request)
    return request


def support_request_answer(*, request_id: int, coordinator, answer: str) -> SupportRequest:
    """A coordinator answers a support request; the answer goes to the participant by e-mail."""
    answer = _message(answer)
    with transaction.atomic():
        request = SupportRequest.objects.select_for_update().get(pk=request_id)
        if request.answered_at:
            raise ValidationError(ALREADY_ANSWERED)
        request.answer, request.answered_by = answer, coordinator
        request.answered_at = timezone.now()
        request.save(update_fields=["answer", "answered_by", "answered_at"])
        support_answer_tell(request=request)
    return request


# ---- Change of partner ---------------------------------------------------------------------


def change_request_create(*, pair: Pair, user, reason: str) -> ChangeRequest:
    """One partner asks to change partner; the other is asked to consent. At most
    ``CHANGE_REQUESTS_PER_DAY`` a day per member (RequestLimitReached)."""
    reason = _message(reason)
    with transaction.atomic():
        shared = _shared(pair, user, refusal=PARTNER_CLOSED_CHANGE)
        pair = Pair.objects.select_for_update().get(pk=shared.pk)
        if ChangeRequest.objects.filter(pair=pair, status__in=OPEN_CHANGE_STATUSES).exists():
            raise ValidationError(CHANGE_ALREADY_OPEN)
        _within_daily_limit(
            user,
            group="pairs.change_request",
            limit=settings.CHANGE_REQUESTS_PER_DAY,
            refusal=CHANGE_TOO_MANY,
        )
        change = ChangeRequest.objects.create(pair=pair, requested_by=user, reason=reason)
        change_request_tell(change=change, status=change.status)
    return change


def _open_change(change_id: int, status: str) -> ChangeRequest:
    change = ChangeRequest.objects.select_for_update().select_related("pair").get(pk=change_id)
    if change.status != status:
        raise ValidationError(CHANGE_NOT_WAITING)
    return change


def change_request_consent(*, pair: Pair, user, change_id: int, consent: bool) -> ChangeRequest:
    """The partner who did not ask consents (it goes to a coordinator) or does not."""
    pair = _mine(pair, user)
    with transaction.atomic():
        change = _open_change(change_id, ChangeRequestStatus.AWAITING_CONSENT)
        if change.pair_id != pair.pk or change.requested_by_id == user.pk:
            raise ValidationError(CHANGE_NOT_YOURS_TO_ANSWER)
        change.status = (
            ChangeRequestStatus.AWAITING_APPROVAL
            if consent
            else ChangeRequestStatus.DECLINED_BY_PARTNER
        )
        change.consented_at = timezone.now() if consent else None
        change.save(update_fields=["status", "consented_at"])
        change_request_tell(change=change, status=change.status)
    return change


def change_request_withdraw(*, pair: Pair, user, change_id: int) -> ChangeRequest:
    pair = _mine(pair, user)
    with transaction.atomic():
        change = ChangeRequest.objects.select_for_update().get(pk=change_id, pair=pair)
        if change.requested_by_id != user.pk or change.status not in OPEN_CHANGE_STATUSES:
            raise ValidationError(CHANGE_NOT_WAITING)
        change.status = ChangeRequestStatus.WITHDRAWN
        change.save(update_fields=["status"])
        change_request_tell(change=change, status=change.status)
    return change


def change_request_decide(
    *, change_id: int, coordinator, approve: bool, note: str = ""
) -> ChangeRequest:
    """A coordinator approves (the pair ends and both return to matching) or declines."""
    note = note.strip()[:1000]
    with transaction.atomic():
        change = _open_change(change_id, ChangeRequestStatus.AWAITING_APPROVAL)
        change.status = ChangeRequestStatus.APPROVED if approve else ChangeRequestStatus.DECLINED
        change.decided_by, change.decided_at = coordinator, timezone.now()
        change.decision_note = note
        change.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
        if approve:
            _pair_end(change.pair, CHANGED_BY_AGREEMENT)
        change_request_tell(change=change, status=change.status)
    return change


def pairs_partner_leaves(*, user) -> list[Pair]:
    """``user`` deletes their account: each of their published pairs ends ("partner left the
    program"), every open change of partner on it closes, and their partner and the
    subcommittee are told through the outbox once the deletion commits.

    Runs inside the deletion's transaction, before the account is anonymised. The partner
    keeps the pair's record to read, and returns to the matching workspace's pool.
    """
    # Only the pairs' own rows are locked: PostgreSQL refuses FOR UPDATE on the nullable
    # side of the outer join that the liaison's select_related makes.
    pairs = list(
        Pair.objects.select_for_update(of=("self",))
        .filter(Q(mentor__applicant=user) | Q(mentee__applicant=user))
        .filter(status=PairStatus.PUBLISHED)
        .select_related("cohort", "liaison", "mentor__applicant", "mentee__applicant")
    )
    for pair in pairs:
        _pair_end(pair, PARTNER_LEFT)
        _open_changes_close(pair, status=ChangeRequestStatus.CLOSED, closer=user)
        partner_left_tell(pair=pair, leaver=user)
    return pairs


def _open_changes_close(pair: Pair, *, status: str, closer) -> None:
    """Close with ``status`` every change of partner still open on ``pair``, now that the
    pair is over for ``closer`` (who left the program, or closed their side): nobody can
    consent to one or approve it any more. The member who asked, unless it is ``closer``,
    is told through the outbox as every step is (``change_request_tell``: a partner who
    left is told of instead by ``partner_left_tell``)."""
    changes = list(
        ChangeRequest.objects.select_for_update().filter(
            pair=pair, status__in=OPEN_CHANGE_STATUSES
        )
    )
    ChangeRequest.objects.filter(pk__in=[change.pk for change in changes]).update(status=status)
    for change in changes:
        change.status, change.pair = status, pair
        if change.requested_by_id != closer.pk:
            change_request_tell(change=change, status=status)


def _pair_end(pair: Pair, reason: str) -> None:
    Pair.objects.filter(pk=pair.pk).update(
        status=PairStatus.ENDED, ended_at=timezone.now(), end_reason=reason, locked=False
    )


# ---- The end of the year, the liaison, the audit log ----------------------------------------


def pair_after_end_choose(*, pair: Pair, user, choice: str) -> Pair:
    """After the formal end, one partner chooses for themselves: continue informally, or
    close their side (final; the partner is told by e-mail). The pair ends once both
    partners have closed their side."""
    if choice not in AfterEnd.values:
        raise ValidationError(UNKNOWN_CHOICE)
    found = _readable(pair, user)
    role = pair_role(pair=found, user=user)
    _choice_still_open(found, user)
    if not pair_program_over(pair=found):
        raise ValidationError(NOT_OVER_YET.format(end=found.cohort.formal_end))
    with transaction.atomic():
        locked = Pair.objects.select_for_update().get(pk=found.pk)
        _choice_still_open(locked, user)
        setattr(locked, f"{role}_after_end", choice)
        setattr(locked, f"{role}_after_end_at", timezone.now())
        locked.save(update_fields=[f"{role}_after_end", f"{role}_after_end_at"])
        if choice == AfterEnd.CLOSE:
            _open_changes_close(locked, status=ChangeRequestStatus.CLOSED_SIDE, closer=user)
            _after_close(locked, role=role)
    found.refresh_from_db()
    return found


def _choice_still_open(pair: Pair, user) -> None:
    """The choice after the end is final once the pair is over for the member: they closed
    their side, or the pair ended."""
    if not pair_open_to(pair=pair, user=user):
        ended = pair.status == PairStatus.ENDED
        raise ValidationError(PAIR_ENDED if ended else SIDE_ALREADY_CLOSED)


def _after_close(pair: Pair, *, role: str) -> None:
    """Tell the partner, unless they closed their side already: then the pair ends."""
    partner_role = "mentee" if role == "mentor" else "mentor"
    if pair_after_end_of(pair=pair, role=partner_role).closed:
        _pair_end(pair, CLOSED_AFTER_PROGRAM)
    else:
        pair_closed_tell(pair=pair, partner_role=partner_role)


def pair_letter_name_set(*, pair: Pair, user, named: bool) -> Pair:
    """The mentee decides whether their name appears in the mentor's letter of service; a
    choice about their own name, so it stays theirs after the pair closes."""
    found = _readable(pair, user)
    if pair_role(pair=found, user=user) != "mentee":
        raise ValidationError(LETTER_NAME_MENTEE_ONLY)
    found.mentee_named_in_letter = bool(named)
    found.save(update_fields=["mentee_named_in_letter"])
    return found


def pair_liaison_set(*, pair: Pair, liaison) -> Pair:
    """Give the pair a subcommittee member who supports it (or none): a decision that also
    settles a liaison whose account was deleted."""
    pair.liaison, pair.liaison_erased_at = liaison, None
    pair.save(update_fields=["liaison", "liaison_erased_at"])
    return pair


def pairs_liaison_set(*, pair_ids: list[int], liaison) -> int:
    """Give these pairs the same liaison (or none) in one statement; how many changed."""
    return Pair.objects.filter(pk__in=pair_ids).update(liaison=liaison, liaison_erased_at=None)


def pairs_liaison_leaves(*, user) -> int:
    """``user``'s account is deleted: the pairs they were the liaison of have none from now
    on (their calls for help reach every coordinator and the chair), marked so that "Needs
    attention" lists the running ones until a coordinator names another liaison. How many
    pairs lost their liaison."""
    return Pair.objects.filter(liaison=user).update(liaison=None, liaison_erased_at=timezone.now())


def pair_view_record(*, pair: Pair, viewer, what: str) -> None:
    """Write a coordinator's view of a pair's record to the audit log."""
    PairViewLog.objects.create(pair=pair, viewer=viewer, what=what[:100])
