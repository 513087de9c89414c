"""Writes for a member's application to a cohort: save a draft, submit, withdraw.

The rules, in one place:

- Only while the cohort's applications are open (``cohort_stage``): before they open and
  after the deadline nothing can be created, changed or withdrawn.
- Only a member ``member_eligibility`` allows (verified, not lapsed) may save or submit.
  Withdrawing is the exception: a member whose membership lapsed may still take back an
  application, since that only removes what the subcommittee holds about them.
- One application per member per cohort. A form that was opened before the member's
  application existed (a second tab, a double click) is refused with ``ALREADY_APPLIED``
  rather than overwriting it; the database's unique constraint catches the last race.
- A draft may be incomplete: only choices, ranges and lengths are checked.
- A submission needs a role, the commitment ticked, goals (mentee or both), an offer
  (mentor or both), a capacity from 1 to 3 (mentor or both), at least one area of interest
  and one contact method. A mentee's capacity is stored empty; on submission the text that
  does not apply to the role (goals of a mentor, offer of a mentee) is dropped.
- A submitted application is edited by submitting it again (it stays submitted); it cannot
  go back to being a draft. The confirmation e-mail goes out when an application becomes
  submitted, not on every later edit.
- A draft or submitted application may be withdrawn, with an optional reason. A withdrawn
  application may be taken up again before the deadline: saving makes it a draft, submitting
  makes it submitted, and the withdrawal reason is cleared.
- Accepted, waitlisted and declined are the coordinators' decisions: once one is made the
  member can see the application but no longer change or withdraw it.

Text is stored as the member wrote it (trimmed), as plain text; templates escape it.
"""

import unicodedata
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from cohorts.choices import ApplicationStatus, ReminderKind, Role, Stage
from cohorts.outbox.services import outbox_add, outbox_send_soon
from cohorts.program.errors import (
    CAPACITY_OUT_OF_RANGE,
    ROLE_INVALID,
    UNKNOWN_CHOICE,
    YEARS_OUT_OF_RANGE,
)
from cohorts.program.models import Application, CohortPage
from cohorts.program.models.applications import MENTEE_CAPACITY_MAX
from cohorts.program.selectors import cohort_stage
from members.choices import CareerStage, ContactMethod, LibraryType
from members.models import AreaOfInterest
from members.selectors import member_eligibility

APPLICATIONS_NOT_OPEN = "Applications for {cohort} open on {date:%B %-d, %Y}."
APPLICATIONS_CLOSED = (
    "Applications for {cohort} closed on {date:%B %-d, %Y}, so it can no longer be changed."
)
ALREADY_APPLIED = (
    "You already have an application for this cohort, so a second one was not started. "
    "Reload the page to see and edit it."
)
ALREADY_DECIDED = (
    "The subcommittee has already decided on your application, so it can no longer be changed."
)
ALREADY_SUBMITTED = (
    "Your application is already submitted. Save your changes with “Submit changes”, or "
    "withdraw it."
)
CANNOT_WITHDRAW = "Only a draft or a submitted application can be withdrawn."
NOTHING_TO_WITHDRAW = "You have no application for this cohort to withdraw."

ROLE_REQUIRED = "Choose whether you apply as a mentor, a mentee or both."
CAPACITY_REQUIRED = "Say how many mentees you can take, from 1 to 3."
GOALS_REQUIRED = "Tell the subcommittee your goals for the year."
OFFER_REQUIRED = "Tell the subcommittee what you can offer a mentee."
AREA_REQUIRED = "Choose at least one area of interest."
CONTACT_METHOD_REQUIRED = "Choose at least one way to meet your partner."
COMMITMENT_REQUIRED = "Tick the commitment to submit your application."
TOO_LONG = "Use at most {max_length} characters (you used {length})."
CONTROL_CHARACTERS = "Remove the control characters from this text."

EDITABLE = {ApplicationStatus.DRAFT, ApplicationStatus.SUBMITTED, ApplicationStatus.WITHDRAWN}
WITHDRAWABLE = {ApplicationStatus.DRAFT, ApplicationStatus.SUBMITTED}
DECIDED = {ApplicationStatus.ACCEPTED, ApplicationStatus.WAITLISTED, ApplicationStatus.DECLINED}
TEXT_FIELDS = ["goals", "offer", "availability", "avoid_pairing_with", "identity_preferences"]
SINGLE_LINE = {"availability"}


@dataclass
class ApplicationAnswers:
    """What the member answered; every field may be empty in a draft."""

    role: str = ""
    mentee_capacity: int | None = None
    areas: Iterable[AreaOfInterest] = field(default_factory=list)
    goals: str = ""
    offer: str = ""
    career_stage: str = ""
    years_experience: int | None = None
    contact_methods: Iterable[str] = field(default_factory=list)
    availability: str = ""
    time_zone: str = ""
    attends_midwinter: bool = False
    attends_annual: bool = False
    prefers_outside_institution: bool = False
    preferred_library_type: str = ""
    avoid_pairing_with: str = ""
    identity_preferences: str = ""
    commitment: bool = False


# ---- Reads used by the page -----------------------------------------------------------------


def application_is_editable(*, application: Application | None) -> bool:
    return application is None or application.status in EDITABLE


def application_is_withdrawable(*, application: Application | None) -> bool:
    return application is not None and application.status in WITHDRAWABLE


# ---- Writes ---------------------------------------------------------------------------------


def application_save_draft(
    *, cohort: CohortPage, user, answers: ApplicationAnswers, application: Application | None
) -> Application:
    """Save the answers as a draft, creating the application if ``application`` is None.

    ``application`` is the one the member's form was editing (None for a new one). Raises
    ``ValidationError`` (per field where it can) and writes nothing on any problem.
    """
    _check_may_change(cohort=cohort, user=user)
    values = _clean_answers(answers, complete=False)
    with transaction.atomic():
        current = _lock_for_change(cohort=cohort, user=user, application=application)
        if current is not None and current.status == ApplicationStatus.SUBMITTED:
            raise ValidationError(ALREADY_SUBMITTED)
        return _write(cohort, user, current, values, status=ApplicationStatus.DRAFT)


def application_submit(
    *, cohort: CohortPage, user, answers: ApplicationAnswers, application: Application | None
) -> Application:
    """Submit the answers (or submit changes to a submitted application).

    Queues the confirmation e-mail after the commit when the application becomes submitted.
    Raises ``ValidationError`` and writes nothing when the answers are incomplete or invalid.
    """
    _check_may_change(cohort=cohort, user=user)
    values = _clean_answers(answers, complete=True)
    with transaction.atomic():
        current = _lock_for_change(cohort=cohort, user=user, application=application)
        newly = current is None or current.status != ApplicationStatus.SUBMITTED
        values["submitted_at"] = timezone.now() if newly else current.submitted_at
        saved = _write(cohort, user, current, values, status=ApplicationStatus.SUBMITTED)
        if newly:
            _received_tell(saved)
    return saved


def application_withdraw(*, cohort: CohortPage, user, reason: str = "") -> Application:
    """Withdraw the member's draft or submitted application, keeping the optional reason."""
    errors: dict[str, str] = {}
    reason = _text(errors, "withdraw_reason", reason)
    if errors:
        raise ValidationError(errors["withdraw_reason"])
    with transaction.atomic():
        _check_stage(cohort)
        current = (
            Application.objects.select_for_update().filter(cohort=cohort, applicant=user).first()
        )
        if current is None:
            raise ValidationError(NOTHING_TO_WITHDRAW)
        if current.status in DECIDED:
            raise ValidationError(ALREADY_DECIDED)
        if current.status not in WITHDRAWABLE:
            raise ValidationError(CANNOT_WITHDRAW)
        current.status, current.withdraw_reason = ApplicationStatus.WITHDRAWN, reason
        current.save(update_fields=["status", "withdraw_reason", "updated_at"])
    return current


# ---- Steps ----------------------------------------------------------------------------------


def _check_stage(cohort: CohortPage) -> None:
    stage = cohort_stage(cohort=cohort)
    if stage.stage == Stage.UPCOMING:
        raise ValidationError(
            APPLICATIONS_NOT_OPEN.format(cohort=cohort.title, date=cohort.applications_open)
        )
    if stage.stage != Stage.APPLICATIONS_OPEN:
        raise ValidationError(
            APPLICATIONS_CLOSED.format(cohort=cohort.title, date=cohort.application_deadline)
        )


def _check_may_change(*, cohort, user) -> None:
    _check_stage(cohort)
    eligibility = member_eligibility(user=user)
    if not eligibility.allowed:
        raise ValidationError(eligibility.reason)


def _lock_for_change(*, cohort, user, application) -> Application | None:
    """The member's application, locked, once its status allows a change."""
    current = Application.objects.select_for_update().filter(cohort=cohort, applicant=user).first()
    if current is not None and (application is None or application.pk != current.pk):
        raise ValidationError(ALREADY_APPLIED)
    if current is not None and current.status in DECIDED:
        raise ValidationError(ALREADY_DECIDED)
    return current


def _write(cohort, user, current, values: dict[str, Any], *, status) -> Application:
    areas = values.pop("areas")
    values.update(status=status, withdraw_reason="")
    if current is None:
        try:
            # A savepoint, so that losing the race to a parallel request leaves the outer
            # transaction usable and the member sees a message instead of an error page.
            with transaction.atomic():
                current = Application.objects.create(cohort=cohort, applicant=user, **values)
        except IntegrityError as error:
            raise ValidationError(ALREADY_APPLIED) from error
    else:
        for name, value in values.items():
            setattr(current, name, value)
        current.save()
    current.areas.set(areas)
    return current


def _received_tell(application: Application) -> None:
    """Queue the "application received" e-mail through the outbox, once per submission."""
    stamp = int(application.submitted_at.timestamp())
    ids = outbox_add(
        kind=ReminderKind.APPLICATION_RECEIVED,
        cohort=application.cohort,
        period=f"application-{application.pk}-{stamp}",
        recipients=[(application.applicant_id, application.pk)],
    )
    outbox_send_soon(ids)


# ---- Validation -----------------------------------------------------------------------------


def _clean_answers(answers: ApplicationAnswers, *, complete: bool) -> dict[str, Any]:
    """The answers ready to store; raises ``ValidationError`` keyed by field on any problem."""
    errors: dict[str, str] = {}
    values: dict[str, Any] = {
        name: _text(errors, name, getattr(answers, name)) for name in TEXT_FIELDS
    }
    values.update(_clean_choices(errors, answers))
    values["areas"] = _clean_areas(errors, answers.areas)
    values["contact_methods"] = _clean_contact_methods(errors, answers.contact_methods)
    values["mentee_capacity"] = _clean_capacity(errors, answers)
    for name in ("attends_midwinter", "attends_annual", "prefers_outside_institution"):
        values[name] = bool(getattr(answers, name))
    values["commitment"] = bool(answers.commitment)
    if complete and not errors:
        _require_complete(errors, values)
    if errors:
        raise ValidationError(errors)
    if complete:
        _drop_what_the_role_does_not_use(values)
    return values


def _clean_choices(errors, answers: ApplicationAnswers) -> dict[str, Any]:
    if answers.role and answers.role not in Role.values:
        errors["role"] = ROLE_INVALID
    for name, choices in (
        ("career_stage", CareerStage),
        ("preferred_library_type", LibraryType),
    ):
        if getattr(answers, name) and getattr(answers, name) not in choices.values:
            errors[name] = UNKNOWN_CHOICE
    if answers.time_zone and answers.time_zone not in zoneinfo.available_timezones():
        errors["time_zone"] = UNKNOWN_CHOICE
    years = answers.years_experience
    if years is not None and (isinstance(years, bool) or not 0 <= years <= 70):
        errors["years_experience"] = YEARS_OUT_OF_RANGE
    return {
        name: getattr(answers, name) or ""
        for name in ("role", "career_stage", "preferred_library_type", "time_zone")
    } | {"years_experience": years}


def _clean_capacity(errors, answers: ApplicationAnswers) -> int | None:
    capacity = answers.mentee_capacity
    if answers.role == Role.MENTEE or capacity is None:
        return None
    if isinstance(capacity, bool) or not 1 <= capacity <= MENTEE_CAPACITY_MAX:
        errors["mentee_capacity"] = CAPACITY_OUT_OF_RANGE
    return capacity


def _clean_areas(errors, areas) -> list[AreaOfInterest]:
    areas = list(areas or ())
    ids = {getattr(area, "pk", None) for area in areas}
    if None in ids or AreaOfInterest.objects.filter(pk__in=ids).count() != len(ids):
        errors["areas"] = UNKNOWN_CHOICE
    return areas


def _clean_contact_methods(errors, methods) -> list[str]:
    chosen = set(methods or ())
    if not chosen <= set(ContactMethod.values):
        errors["contact_methods"] = UNKNOWN_CHOICE
    # Stored in the order of the choices, so the same choice always reads the same way.
    return [method for method in ContactMethod.values if method in chosen]


def _require_complete(errors, values: dict[str, Any]) -> None:
    role = values["role"]
    if not role:
        errors["role"] = ROLE_REQUIRED
    if role in (Role.MENTOR, Role.BOTH) and values["mentee_capacity"] is None:
        errors["mentee_capacity"] = CAPACITY_REQUIRED
    if role in (Role.MENTOR, Role.BOTH) and not values["offer"]:
        errors["offer"] = OFFER_REQUIRED
    if role in (Role.MENTEE, Role.BOTH) and not values["goals"]:
        errors["goals"] = GOALS_REQUIRED
    if not values["areas"]:
        errors["areas"] = AREA_REQUIRED
    if not values["contact_methods"]:
        errors["contact_methods"] = CONTACT_METHOD_REQUIRED
    if not values["commitment"]:
        errors["commitment"] = COMMITMENT_REQUIRED


def _drop_what_the_role_does_not_use(values: dict[str, Any]) -> None:
    if values["role"] == Role.MENTOR:
        values["goals"] = ""
    if values["role"] == Role.MENTEE:
        values["offer"] = ""


def _text(errors, name: str, value) -> str:
    """The value trimmed, with a message in ``errors`` when it cannot be stored as it is."""
    value = (value or "").strip().replace("\r\n", "\n").replace("\r", "\n")
    allowed = "\t" if name in SINGLE_LINE else "\n\t"
    max_length = Application._meta.get_field(name).max_length
    if any(unicodedata.category(char) == "Cc" and char not in allowed for char in value):
        errors[name] = CONTROL_CHARACTERS
    elif len(value) > max_length:
        errors[name] = TOO_LONG.format(max_length=max_length, length=len(value))
    return value
