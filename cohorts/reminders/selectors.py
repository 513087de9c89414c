"""Reads behind the members' e-mail pages: which optional reminders a member turned off,
which outbox row a check-in link may answer, and where a member turns for help afterwards.

Whether a check-in link answers anything is decided here and only here
(``checkin_message_for``): the row must be one of the chair's check-ins, about a cohort, and
sent. The link's signature says who is asking; the pages need no login.
"""

from django.db.models import Q
from django.urls import reverse

from cohorts.choices import OPTIONAL_REMINDERS, OutboxStatus, PairStatus, ReminderKind
from cohorts.outbox.models import OutboxMessage
from cohorts.pairs.models import Pair, PairDashboardPage
from cohorts.reminders.models import CheckInAnswer


def reminder_opt_outs_for(*, user) -> set[str]:
    """The optional kinds ``user`` turned off. An opt-out of an essential kind (left from an
    older list of optional kinds) counts for nothing, so it is not reported."""
    if not user.is_authenticated:
        return set()
    return set(
        user.reminder_opt_outs.filter(kind__in=sorted(OPTIONAL_REMINDERS)).values_list(
            "kind", flat=True
        )
    )


def answerable_checkins():
    """The check-ins a link may answer: sent, or interrupted mid-send (the outbox cannot know
    whether those arrived; a click on one proves it did)."""
    from cohorts.outbox.services import INTERRUPTED

    return OutboxMessage.objects.filter(
        Q(status=OutboxStatus.SENT) | Q(status=OutboxStatus.FAILED, last_error=INTERRUPTED),
        kind=ReminderKind.CHECKIN,
        cohort__isnull=False,
    )


def checkin_message_for(*, message_id: int) -> OutboxMessage | None:
    """The outbox row a check-in link may answer, or None."""
    return answerable_checkins().filter(pk=message_id).select_related("cohort").first()


def checkin_answer_for(*, message: OutboxMessage) -> CheckInAnswer | None:
    """The answer already given to this check-in, with its support request, if any."""
    return CheckInAnswer.objects.filter(message=message).select_related("support_request").first()


def reminder_help_links(*, pair: Pair | None = None) -> dict[str, str]:
    """Where a member turns for help from the e-mail pages: ``support``, the pair's "Ask for
    help" page while ``pair`` is published; ``dashboard``, the mentoring dashboard (the
    member's account page while none is live); ``contact``, the contact-the-chair page.
    Each is a path, or "" where there is none."""
    from home.models import ContactPage

    page = PairDashboardPage.objects.live().first()
    base = page.url if page else None
    contact = ContactPage.objects.live().first()
    support = ""
    if base and pair is not None and pair.status == PairStatus.PUBLISHED:
        support = base + page.reverse_subpage("pair_section", args=[pair.pk, "support"])
    return {
        "support": support,
        "dashboard": base or reverse("member_profile"),
        "contact": (contact.url or "") if contact else "",
    }


def checkins_to_answer(*, user, pairs: list[Pair], today) -> list:
    """The newest check-in of each pair that ``user`` has not answered and whose links still
    work, for the dashboard's "needs you now" (cohorts.pairs.selectors.needs): one query."""
    import datetime

    from django.utils import timezone

    from cohorts.choices import CheckInAnswerChoice
    from cohorts.pairs.selectors.needs import Need, NeedLink, partner_name
    from cohorts.reminders.links import CHECKIN_LINK_DAYS, checkin_path

    by_id = {pair.pk: pair for pair in pairs}
    since = timezone.now() - datetime.timedelta(days=CHECKIN_LINK_DAYS)
    rows = (
        answerable_checkins()
        .filter(recipient=user, object_id__in=by_id, created_at__gte=since)
        .filter(checkin_answer__isnull=True)
        .order_by("object_id", "-created_at", "-pk")
        .values_list("pk", "object_id")
    )
    newest = {}
    for message_id, pair_id in rows:
        newest.setdefault(pair_id, message_id)
    return [
        Need(
            kind="checkin",
            text=(
                "The chair's check-in: how is your mentoring with "
                f"{partner_name(pair=by_id[pair_id], user=user)} going? Your answer goes to "
                "the subcommittee, not to your partner."
            ),
            links=tuple(
                NeedLink(label, url=checkin_path(message_id=message_id, answer=value))
                for value, label in CheckInAnswerChoice.choices
            ),
            pair_id=pair_id,
        )
        for pair_id, message_id in newest.items()
    ]
