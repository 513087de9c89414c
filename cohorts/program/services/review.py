"""Coordinators review applications: a status change, and the e-mail that tells the applicant.

Only submitted and later applications reach coordinators; a draft is the applicant's own
until they submit it, so no coordinator moves an application to or from draft.
"""

from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string

from cohorts.choices import ApplicationStatus
from cohorts.program.models import Application, ApplicationPage
from core.links import page_absolute_url
from core.tasks import enqueue_on_commit
from home.selectors import program_name, site_settings_for

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

EMAIL_SUBJECTS = {
    Status.SUBMITTED: "Your application is back under review",
    Status.ACCEPTED: "Your application is accepted",
    Status.WAITLISTED: "Your application is on the waitlist",
    Status.DECLINED: "About your application",
    Status.WITHDRAWN: "Your application is withdrawn",
}
EMAIL_TEMPLATE = "cohorts/email/application_status.txt"


def application_allowed_statuses(*, application: Application) -> list[str]:
    """The statuses a coordinator may move this application to, in the usual order."""
    allowed = ALLOWED_TRANSITIONS.get(application.status, frozenset())
    return [status for status in REVIEW_STATUSES if status in allowed]


def application_status_change(
    *, application: Application, coordinator, status: str, note: str = ""
) -> Application:
    """A coordinator accepts, waitlists, declines, withdraws or reopens an application.

    The applicant is told by e-mail once the change is committed, with the note if any.
    Raises ValueError with one of this module's messages, writing nothing.
    """
    note = note.strip()
    _check_request(status=status, note=note)
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        _check_transition(current=application.status, new=status)
        application.status = status
        application.save(update_fields=["status", "updated_at"])
        _notify(application.pk, note)
    return application


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


def _notify(application_id: int, note: str) -> None:
    enqueue_on_commit("cohorts.program.tasks.application_status_notify", application_id, note=note)


def application_status_email_send(*, application_id: int, note: str = "") -> None:
    """E-mail the applicant the application's current status, with the coordinator's note."""
    application = Application.objects.select_related("applicant", "cohort").get(pk=application_id)
    if application.status not in EMAIL_SUBJECTS or application.applicant.erased_at:
        return
    site_settings = site_settings_for()
    program = program_name(site_settings)
    context = {
        "application": application,
        "user": application.applicant,
        "cohort": application.cohort,
        "status": application.status,
        "status_label": application.get_status_display().lower(),
        "note": note,
        "site_settings": site_settings,
        "application_url": _application_url(application),
    }
    send_mail(
        f"{program}: {EMAIL_SUBJECTS[application.status]} ({application.cohort.title})",
        render_to_string(EMAIL_TEMPLATE, context),
        None,
        [application.applicant.email],
    )


def _application_url(application: Application) -> str:
    page = ApplicationPage.objects.child_of(application.cohort).live().first()
    if page is None:
        return ""
    return page_absolute_url(page)
