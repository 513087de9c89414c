"""E-mails about a published pair's requests: a request for help, its answer, and each step
of a change of partner.

The rules, in one place:

- Every one of them is written to the outbox (cohorts.outbox.services) in the transaction
  that takes the step, in the editors' wording of its reminder kind, and sent once it
  commits.
- A request for help reaches the pair's liaison, or every active coordinator and the chair
  when the pair has none; it carries a link to the pair in the admin, never the message.
- The reason for a change of partner is for coordinators only: no e-mail reads it.
  Confidential notes are never read here.
- When a member deletes their account, their partner and the pair's liaison (or the
  subcommittee) are told through the outbox that the pair has ended.
- When one partner closes their side after the formal end, the other is told through the
  outbox, in the transaction that closes it.
- An erased account, an inactive one or one without an address receives nothing.
"""

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from cohorts.choices import ChangeRequestStatus
from cohorts.choices import ReminderKind as Kind
from cohorts.outbox.services import outbox_add, outbox_send_soon
from cohorts.pairs.models import ChangeRequest, Pair, SupportRequest
from members.roles import CHAIR, COORDINATORS

Status = ChangeRequestStatus

# Who hears of each step of a change of partner, and the wording (reminder kind) they get.
# Audiences: "requester", "partner", "both" (the pair's two members) and "subcommittee"
# (the liaison, or every coordinator and the chair).
CHANGE_REQUEST_LETTERS = {
    Status.AWAITING_CONSENT: [("partner", Kind.CHANGE_CONSENT)],
    Status.AWAITING_APPROVAL: [
        ("requester", Kind.CHANGE_AGREED),
        ("subcommittee", Kind.CHANGE_APPROVAL),
    ],
    Status.DECLINED_BY_PARTNER: [("requester", Kind.CHANGE_DECLINED_BY_PARTNER)],
    Status.APPROVED: [("both", Kind.CHANGE_APPROVED)],
    Status.DECLINED: [("both", Kind.CHANGE_DECLINED)],
    Status.WITHDRAWN: [("partner", Kind.CHANGE_WITHDRAWN)],
    # Closed because the partner closed their side after the formal end; one closed because
    # a partner left is told by the e-mail about their leaving (partner_left_tell).
    Status.CLOSED_SIDE: [("requester", Kind.CHANGE_CLOSED)],
}


# ---- Support -------------------------------------------------------------------------------


def support_request_tell(*, request: SupportRequest) -> None:
    """Tell the pair's liaison (or the whole subcommittee) that a request for help waits,
    through the outbox in the caller's transaction; the e-mail links to the pair in the
    admin and never carries the request's words."""
    pair = request.pair
    ids = outbox_add(
        kind=Kind.HELP_ASKED,
        cohort=pair.cohort,
        period=f"help-{request.pk}",
        recipients=[(user.pk, request.pk) for user in _subcommittee_for(pair=pair)],
    )
    outbox_send_soon(ids)


def support_answer_tell(*, request: SupportRequest) -> None:
    """Send the coordinator's answer to the participant who asked, through the outbox."""
    if not _reachable(request.author):
        return
    ids = outbox_add(
        kind=Kind.HELP_ANSWERED,
        cohort=request.pair.cohort,
        period=f"answer-{request.pk}",
        recipients=[(request.author_id, request.pk)],
    )
    outbox_send_soon(ids)


# ---- Change of partner ---------------------------------------------------------------------


def change_request_tell(*, change: ChangeRequest, status: str) -> None:
    """Write one step of a change request to the outbox for the people concerned, in the
    caller's transaction, so the step and its e-mails commit together (never its reason)."""
    pair = change.pair
    for audience, kind in CHANGE_REQUEST_LETTERS.get(status, []):
        ids = outbox_add(
            kind=kind,
            cohort=pair.cohort,
            period=f"change-{change.pk}",
            recipients=[
                (user.pk, change.pk)
                for user in _audience(change=change, audience=audience)
                if _reachable(user)
            ],
        )
        outbox_send_soon(ids)


def partner_left_tell(*, pair: Pair, leaver) -> None:
    """Write to the outbox, in the caller's transaction, that ``leaver`` left ``pair``: to
    the partner who stays, and to the pair's liaison (or the whole subcommittee)."""
    staying, liaison = partner_left_told(pair=pair, leaver=leaver)
    helpers = [liaison] if liaison else subcommittee_members()
    subcommittee = [person for person in helpers if person.pk != leaver.pk]
    ids = []
    for kind, people in (
        (Kind.PARTNER_LEFT, staying),
        (Kind.PARTNER_LEFT_SUBCOMMITTEE, subcommittee),
    ):
        ids += outbox_add(
            kind=kind,
            cohort=pair.cohort,
            period=f"left-{pair.pk}",
            recipients=[(person.pk, pair.pk) for person in people],
        )
    outbox_send_soon(ids)


def partner_left_told(*, pair: Pair, leaver) -> tuple[list, object | None]:
    """Who hears that ``leaver`` left ``pair``: the partners who stay and can be reached, and
    the pair's liaison, or None when every coordinator and the chair hear instead (the pair
    has no liaison to reach, or the liaison is the one leaving)."""
    staying = [
        person
        for person in (pair.mentor.applicant, pair.mentee.applicant)
        if person.pk != leaver.pk and _reachable(person)
    ]
    # A liaison who is the one leaving is no longer there to hear it.
    liaison = pair.liaison if pair.liaison_id != leaver.pk and _reachable(pair.liaison) else None
    return staying, liaison


def _audience(*, change: ChangeRequest, audience: str) -> list:
    pair = change.pair
    requester = change.requested_by_id
    members = [pair.mentor.applicant, pair.mentee.applicant]
    if audience == "subcommittee":
        return _subcommittee_for(pair=pair)
    if audience == "both":
        return members
    if requester is None:
        # The account that asked is gone: neither side can be told apart.
        return []
    if audience == "requester":
        return [user for user in members if user.pk == requester]
    return [user for user in members if user.pk != requester]


# ---- After the formal end ------------------------------------------------------------------


def pair_closed_tell(*, pair: Pair, partner_role: str) -> None:
    """Write to the outbox that one partner closed their side, for the other partner
    (``partner_role``), in the caller's transaction."""
    partner = getattr(pair, partner_role).applicant
    if not _reachable(partner):
        return
    ids = outbox_add(
        kind=Kind.PARTNER_CLOSED,
        cohort=pair.cohort,
        period=f"pair-{pair.pk}",
        recipients=[(partner.pk, pair.pk)],
    )
    outbox_send_soon(ids)


# ---- Shared --------------------------------------------------------------------------------


def _reachable(user) -> bool:
    return bool(user is not None and user.is_active and not user.erased_at and user.email)


def subcommittee_members() -> QuerySet:
    """Every active coordinator and the chair, by name: who hears of a pair with no liaison."""
    return (
        get_user_model()
        .objects.filter(
            groups__name__in=[COORDINATORS, CHAIR], is_active=True, erased_at__isnull=True
        )
        .distinct()
        .order_by("last_name", "first_name", "pk")
    )


def _subcommittee_for(*, pair: Pair) -> list:
    """The pair's liaison, or every coordinator and the chair when there is none to reach."""
    if _reachable(pair.liaison):
        return [pair.liaison]
    return list(subcommittee_members())
