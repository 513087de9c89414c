"""Coordinators review applications: a status change, one application or many at once, and
the e-mail through the outbox that tells each applicant.

Only submitted and later applications reach coordinators; a draft is the applicant's own
until they submit it, so no coordinator moves an application to or from draft.
"""

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from cohorts.choices import APPLICATION_STATUS_REMINDERS, ApplicationStatus
from cohorts.outbox.services import outbox_add, outbox_send_soon
from cohorts.program.models import Application

Status = ApplicationStatus

# The statuses a coordinator sees and sets, in the order they are offered.
REVIEW_STATUSES = [
    Status.SUBMITTED,
    Status.ACCEPTED,
    Status.WAITLISTED,
    Status.DECLINED,
    Status.WITHDRAWN,
]

# From each status, the statuses a coordinator may move an application to. A decision can
# be revisited (back to submitted, or to another decision). A withdrawal is the
# applicant's (or recorded for them); only the applicant reopens it, by applying again.
ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    Status.DRAFT: frozenset(),
    Status.SUBMITTED: frozenset(
        {Status.ACCEPTED, Status.WAITLISTED, Status.DECLINED, Status.WITHDRAWN}
    ),
    Status.ACCEPTED: frozenset(
        {Status.SUBMITTED, Status.WAITLISTED, Status.DECLINED, Status.WITHDRAWN}
    ),
    Status.WAITLISTED: frozenset(
        {Status.SUBMITTED, Status.ACCEPTED, Status.DECLINED, Status.WITHDRAWN}
    ),
    Status.DECLINED: frozenset({Status.SUBMITTED, Status.ACCEPTED, Status.WAITLISTED}),
    Status.WITHDRAWN: frozenset(),
}

NOTE_MAX_LENGTH = 1000

STATUS_UNKNOWN = "Choose a status from the list."
NOT_TO_DRAFT = "A coordinator cannot move an application back to draft."
DRAFT_NOT_REVIEWED = "This application is still a draft; the applicant has not submitted it."
STATUS_UNCHANGED = "This application is already {status}."
TRANSITION_NOT_ALLOWED = "An application that is {current} cannot be marked {new}."
NOTE_TOO_LONG = f"Keep the note to the applicant under {NOTE_MAX_LENGTH} characters."
NOT_FOUND = "This application no longer exists."


def application_allowed_statuses(*, application: Application) -> list[str]:
    """The statuses a coordinator may move this application to, in the usual order."""
    allowed = ALLOWED_TRANSITIONS.get(application.status, frozenset())
    return [status for status in REVIEW_STATUSES if status in allowed]


class StatusChangeRefused(ValueError):
    """Some applications cannot take the new status: ``refusals`` maps each one's id to
    the reason. Nothing was changed."""

    def __init__(self, refusals: dict[int, str]):
        self.refusals = refusals
        super().__init__(next(iter(refusals.values())))


def application_status_change(
    *, application: Application, coordinator, status: str, note: str = ""
) -> Application:
    """A coordinator accepts, waitlists, declines, withdraws or reopens an application.

    The applicant is told by e-mail through the outbox, with the note if any. Raises
    ValueError with one of this module's messages, writing nothing.
    """
    [changed] = applications_status_change(
        application_ids=[application.pk], coordinator=coordinator, status=status, note=note
    )
    return changed


def applications_status_change(
    *, application_ids: Iterable[int], coordinator, status: str, note: str = ""
) -> list[Application]:
    """Move every one of these applications to ``status`` in one transaction, or none.

    Each applicant's e-mail is written to the outbox in the same transaction and sent once
    it commits; the queries do not grow with the number of applications beyond the outbox's
    own insert. Raises StatusChangeRefused naming each application that cannot move (and
    ValueError for a bad status or note), writing nothing.
    """
    note = note.strip()
    _check_request(status=status, note=note)
    ids = sorted(set(application_ids))
    with transaction.atomic():
        applications = list(
            Application.objects.select_for_update(of=("self",))
            .select_related("cohort")
            .filter(pk__in=ids)
            .order_by("pk")
        )
        refusals = application_refusals(applications=applications, status=status)
        missing = set(ids) - {application.pk for application in applications}
        refusals.update(dict.fromkeys(missing, NOT_FOUND))
        if refusals:
            raise StatusChangeRefused(refusals)
        now = timezone.now()
        Application.objects.filter(pk__in=ids).update(
            status=status, decision_note=note, updated_at=now
        )
        for application in applications:
            application.status, application.decision_note = status, note
            application.updated_at = now
        _tell(applications, status=status, now=now)
    return applications


def application_refusals(*, applications: Iterable[Application], status: str) -> dict[int, str]:
    """Why each of these applications cannot move to ``status``, by id (none: all can)."""
    refusals = {}
    for application in applications:
        try:
            _check_transition(current=application.status, new=status)
        except ValueError as error:
            refusals[application.pk] = str(error)
    return refusals


def _check_request(*, status: str, note: str) -> None:
    if status == Status.DRAFT:
        raise ValueError(NOT_TO_DRAFT)
    if status not in REVIEW_STATUSES:
        raise ValueError(STATUS_UNKNOWN)
    if len(note) > NOTE_MAX_LENGTH:
        raise ValueError(NOTE_TOO_LONG)


def _check_transition(*, current: str, new: str) -> None:
    if current == Status.DRAFT:
        raise ValueError(DRAFT_NOT_REVIEWED)
    if current == new:
        raise ValueError(STATUS_UNCHANGED.format(status=Status(current).label.lower()))
    if new not in ALLOWED_TRANSITIONS[current]:
        raise ValueError(
            TRANSITION_NOT_ALLOWED.format(
                current=Status(current).label.lower(), new=Status(new).label.lower()
            )
        )


def _tell(applications: list[Application], *, status: str, now) -> None:
    """One outbox row per applicant, per cohort, in the caller's transaction."""
    kind = APPLICATION_STATUS_REMINDERS[status]
    by_cohort: dict[int, list[Application]] = {}
    for application in applications:
        by_cohort.setdefault(application.cohort_id, []).append(application)
    for group in by_cohort.values():
        ids = outbox_add(
            kind=kind,
            cohort=group[0].cohort,
            period=f"status-{now:%Y%m%d%H%M%S%f}",
            recipients=[(application.applicant_id, application.pk) for application in group],
            per_object=True,
        )
        outbox_send_soon(ids)
