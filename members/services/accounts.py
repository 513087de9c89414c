"""The member's own account: editing the profile, downloading their data, deleting the account.

Deleting an account erases the person, not the history they share with others. The user row
stays, anonymised, so that pairs, contact logs and applications can keep pointing at it; a
partner then sees ``User.display_name``, "Former participant", where the name was.

The member deletes their own account with ``member_account_delete``; an administrator
deletes one in the admin's Users screens (members/viewsets/users.py), which call
``member_account_erase`` directly. Either way the same erasure runs, and the account's history
(Wagtail's log, action ``ACCOUNT_ERASE_ACTION``) records who deleted it.

Three registries let later capabilities take part without changing this module. Register from
a module that the app's ``AppConfig.ready()`` imports, so the step exists on every request:

``@erasure_step("confidential notes")`` registers ``fn(*, user, emails) -> None``. Each step runs
in registration order inside ``member_account_erase``'s transaction, before the user row is
anonymised (``user`` still has its e-mail and names; ``emails`` holds every address the account
has used, lower-cased). Delete what the person alone owns (their confidential notes, their
own applications' free text) and leave rows another person shares with them: those point at
the anonymised user. A step that raises rolls the whole deletion back.

``@erasure_consequence`` registers ``fn(*, users) -> {user id: [sentence, ...]}``: what
deleting each of these accounts does beyond the erasure every account gets, in sentences an
administrator reads before confirming ("Theo Mentee is in 1 pair under way..."). Read the
rows for all ``users`` at once (the admin confirms many accounts on one page), name people
by their display names and count records; never quote what the person wrote.

``@data_export_section("Your applications")`` registers ``fn(*, user) -> JSON-serialisable``;
its result appears under that heading in ``member_data_export``, the JSON download and its
printable page. Return only this person's data, in the words a person reads (``export_fields``
and ``export_value``: a choice's label, never its code). A partner appears as their display
name, never with their e-mail or private notes.
"""

import datetime
import unicodedata
import zoneinfo
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import logout
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.text import capfirst
from wagtail import log_actions

from core.formatting import day_display
from members.choices import CareerStage, ContactMethod, LibraryType
from members.models import (
    FORMER_PARTICIPANT,
    UNKNOWN_CONTACT_METHOD,
    UNKNOWN_TIME_ZONE,
    AreaOfInterest,
    MemberProfile,
    User,
)
from members.selectors import member_eligibility, profile_for
from members.services.sessions import member_sessions_end

FIELD_REQUIRED = "Enter your {label}."
CHOICE_REQUIRED = "Choose your {label}."
TOO_LONG = "Use at most {max_length} characters (you used {length})."
SINGLE_LINE_ONLY = "Use one line of plain text, without line breaks or control characters."
CONTROL_CHARACTERS = "Remove the control characters from this text."
UNKNOWN_CHOICE = "Choose one of the options in the list."
CONTACT_METHOD_REQUIRED = "Choose at least one way to meet your partner."
UNKNOWN_AREA = "Choose areas of interest from the list."
YEARS_OUT_OF_RANGE = "Enter a whole number of years from 0 to 70."
WRONG_PASSWORD = "That is not your current password, so nothing was deleted."  # noqa: S105
WRONG_ADDRESS = "That is not your account's e-mail address, so nothing was deleted."
ERASED_EMAIL = "erased-{pk}@erased.invalid"
# The account's history in the admin (Wagtail's log) records each erasure under this action.
ACCOUNT_ERASE_ACTION = "members.account_erase"

# ---- Registries ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ErasureStep:
    name: str
    erase: Callable[..., None]


ERASURE_STEPS: list[ErasureStep] = []
ERASURE_CONSEQUENCES: list[Callable[..., dict[int, list[str]]]] = []
EXPORT_SECTIONS: dict[str, Callable[..., Any]] = {}
# How deleting an account treats every model that can hold something of the person: a
# model label ("cohorts.SupportRequest", or a parent's, "wagtailcore.Page") → what happens
# to its rows, in a sentence. tests/members/test_erasure_coverage.py fails on any model with
# a user foreign key or text of the portal's own apps that is not here.
ERASURE_COVERAGE: dict[str, str] = {}


def erasure_step(name: str, *, covers: dict[str, str] | None = None):
    """Register ``fn(*, user, emails)`` to run when an account is deleted (see module doc);
    ``covers`` says, per model label, what the step does to that model's rows."""

    def register(fn):
        ERASURE_STEPS[:] = [step for step in ERASURE_STEPS if step.name != name]
        ERASURE_STEPS.append(ErasureStep(name, fn))
        ERASURE_COVERAGE.update(covers or {})
        return fn

    return register


def erasure_keeps(how: dict[str, str]) -> None:
    """Record models that deleting an account leaves as they are, each with the reason: the
    rows hold no words of the person, or only point at the anonymised account."""
    ERASURE_COVERAGE.update(how)


def erasure_consequence(fn):
    """Register ``fn(*, users)`` to tell an administrator what deleting each account does
    (see module doc)."""
    if fn not in ERASURE_CONSEQUENCES:
        ERASURE_CONSEQUENCES.append(fn)
    return fn


def data_export_section(name: str):
    """Register ``fn(*, user)`` as the export's section ``name`` (see module doc)."""

    def register(fn):
        EXPORT_SECTIONS[name] = fn
        return fn

    return register


# ---- Profile ------------------------------------------------------------------------------


def member_profile_update(
    *,
    user: User,
    first_name: str,
    last_name: str,
    institution: str,
    position: str,
    library_type: str,
    career_stage: str,
    time_zone: str,
    contact_methods: Sequence[str],
    pronouns: str = "",
    years_experience: int | None = None,
    areas: Iterable[AreaOfInterest] = (),
    bio: str = "",
) -> MemberProfile:
    """Save what the member says about themself; on any bad value raise and change nothing.

    Raises ``ValidationError`` with a message per field name. Text is kept as plain text
    (trimmed; line breaks only in the bio) and escaped wherever it is shown.
    """
    errors: dict[str, str] = {}
    text = {
        "first_name": _text(errors, "first_name", first_name, "first name", User),
        "last_name": _text(errors, "last_name", last_name, "last name", User),
        "pronouns": _text(errors, "pronouns", pronouns, "pronouns", required=False),
        "institution": _text(errors, "institution", institution, "institution"),
        "position": _text(errors, "position", position, "position or job title"),
        "bio": _text(errors, "bio", bio, "bio", required=False, multiline=True),
    }
    _choice(errors, "library_type", library_type, LibraryType, "library type")
    _choice(errors, "career_stage", career_stage, CareerStage, "career stage")
    if time_zone not in zoneinfo.available_timezones():
        errors["time_zone"] = UNKNOWN_TIME_ZONE
    methods = _contact_methods(errors, contact_methods)
    areas = _areas(errors, areas)
    if years_experience is not None and (
        isinstance(years_experience, bool) or not 0 <= years_experience <= 70
    ):
        errors["years_experience"] = YEARS_OUT_OF_RANGE
    if errors:
        raise ValidationError(errors)

    with transaction.atomic():
        user.first_name, user.last_name = text["first_name"], text["last_name"]
        user.save(update_fields=["first_name", "last_name"])
        profile = MemberProfile.objects.select_for_update().get(pk=profile_for(user=user).pk)
        for name in ("pronouns", "institution", "position", "bio"):
            setattr(profile, name, text[name])
        profile.library_type, profile.career_stage = library_type, career_stage
        profile.years_experience, profile.time_zone = years_experience, time_zone
        profile.contact_methods = methods
        profile.save()
        profile.areas.set(areas)
    return profile


def _text(errors, name, value, label, model=MemberProfile, *, required=True, multiline=False):
    """The value trimmed, with a message in ``errors`` when it cannot be stored as it is."""
    value = (value or "").strip()
    if multiline:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    allowed = "\n\t" if multiline else ""
    max_length = model._meta.get_field(name).max_length
    if any(unicodedata.category(char) == "Cc" and char not in allowed for char in value):
        errors[name] = CONTROL_CHARACTERS if multiline else SINGLE_LINE_ONLY
    elif required and not value:
        errors[name] = FIELD_REQUIRED.format(label=label)
    elif len(value) > max_length:
        errors[name] = TOO_LONG.format(max_length=max_length, length=len(value))
    return value


def _choice(errors, name, value, choices, label) -> None:
    if not value:
        errors[name] = CHOICE_REQUIRED.format(label=label)
    elif value not in choices.values:
        errors[name] = UNKNOWN_CHOICE


def _contact_methods(errors, methods) -> list[str]:
    chosen = set(methods or ())
    if not chosen:
        errors["contact_methods"] = CONTACT_METHOD_REQUIRED
    elif not chosen <= set(ContactMethod.values):
        errors["contact_methods"] = UNKNOWN_CONTACT_METHOD
    # Stored in the order of the choices, so the same choice always reads the same way.
    return [method for method in ContactMethod.values if method in chosen]


def _areas(errors, areas) -> list[AreaOfInterest]:
    areas = list(areas or ())
    ids = {getattr(area, "pk", None) for area in areas}
    if None in ids or AreaOfInterest.objects.filter(pk__in=ids).count() != len(ids):
        errors["areas"] = UNKNOWN_AREA
    return areas


# ---- Export -------------------------------------------------------------------------------

ABOUT_EXPORT = (
    "Everything the mentoring portal holds about you, as of the moment above: your account, "
    "profile and applications, and for each of your pairs the record you share with your "
    "partner, your own notes and the notes your partner shared with you. Your partner's "
    "private notes are theirs and are not here."
)
YES, NO = "Yes", "No"


def member_data_export(*, user: User) -> dict[str, Any]:
    """Everything the portal holds about this person, and nothing about anyone else, in the
    words a person reads: choices by their labels, dates in words, Yes or No."""
    data: dict[str, Any] = {
        "Exported at": export_value(timezone.now()),
        "About this file": ABOUT_EXPORT,
    }
    for name, section in EXPORT_SECTIONS.items():
        data[name] = section(user=user)
    return data


def export_value(value: Any) -> Any:
    """A value as a person reads it: a moment in the site's time zone, a day in words, Yes
    or No, and nothing as an empty text."""
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, datetime.datetime):
        return date_format(timezone.localtime(value), "F j, Y, P")
    if isinstance(value, datetime.date):
        return day_display(value)
    if value is None:
        return ""
    return value


def export_fields(
    instance, names: Iterable[str], *, labels: dict[str, str] | None = None, **labelled_lists
) -> dict[str, Any]:
    """The named fields of ``instance`` under their verbose names (or ``labels[name]``), a
    choice by its label; ``labelled_lists`` gives fields that hold a list of choices as
    ``name=choices``."""
    labels = labels or {}
    row = {}
    for name in names:
        field = instance._meta.get_field(name)
        if name in labelled_lists:
            labels = dict(labelled_lists[name])
            value = [labels.get(item, item) for item in getattr(instance, name) or []]
        elif field.choices:
            value = getattr(instance, f"get_{name}_display")()
        else:
            value = export_value(getattr(instance, name))
        row[labels.get(name) or capfirst(field.verbose_name)] = value
    return row


@data_export_section("Your account")
def _export_account(*, user: User) -> dict[str, Any]:
    return {
        "E-mail address": user.email,
        "First name": user.first_name,
        "Last name": user.last_name,
        "Joined": export_value(user.date_joined),
        "Last signed in": export_value(user.last_login),
        "Roles": sorted(user.groups.values_list("name", flat=True)),
    }


@data_export_section("Your e-mail addresses")
def _export_email_addresses(*, user: User) -> list[dict[str, Any]]:
    from allauth.account.models import EmailAddress

    return [
        {
            "E-mail address": address.email,
            "Confirmed": export_value(address.verified),
            "Primary": export_value(address.primary),
        }
        for address in EmailAddress.objects.filter(user=user).order_by("-primary", "email")
    ]


PROFILE_FIELDS = ["pronouns", "institution", "position", "library_type", "career_stage"]
PROFILE_FIELDS += ["years_experience", "time_zone", "contact_methods", "bio", "member_number"]
PROFILE_FIELDS += ["membership_status", "membership_expires", "verification_method"]
PROFILE_FIELDS += ["verified_at", "decline_reason", "created_at"]


@data_export_section("Your profile")
def _export_profile(*, user: User) -> dict[str, Any]:
    profile = profile_for(user=user)
    eligibility = member_eligibility(user=user)
    # Who decided is left out: that is a coordinator's identity, not this person's data.
    return {
        **export_fields(
            profile,
            PROFILE_FIELDS,
            labels={"verified_at": "Verified", "created_at": "Profile created"},
            contact_methods=ContactMethod.choices,
        ),
        "Areas of interest": [area.name for area in profile.areas.all()],
        "May apply": export_value(eligibility.allowed),
        "Why not": eligibility.reason or "",
    }


@data_export_section("Your sign-ins")
def _export_sign_ins(*, user: User) -> list[dict[str, Any]]:
    """Successful sign-ins only: failed attempts on an address may be someone else's."""
    from axes.models import AccessLog

    logs = AccessLog.objects.filter(_username_in(_addresses_of(user))).order_by("-attempt_time")
    return [
        {
            "Signed in": export_value(log.attempt_time),
            "IP address": log.ip_address,
            "Browser": log.user_agent,
            "Signed out": export_value(log.logout_time),
        }
        for log in logs
    ]


# ---- Deletion -----------------------------------------------------------------------------


def member_account_delete(
    *,
    user: User,
    password: str = "",
    confirmation: str = "",
    request: HttpRequest | None = None,
) -> None:
    """Erase the person behind this account once they confirm it is them: with their
    password, or, for an account with none (made by the association's sign-on), by typing
    the account's e-mail address as ``confirmation``.

    Runs every registered erasure step, anonymises the user row (kept for shared history),
    ends every session of the account and, given the request, logs it out. Raises
    ``ValidationError`` ({"password": WRONG_PASSWORD} or {"confirmation": WRONG_ADDRESS})
    and changes nothing when the confirmation does not match.
    """
    if user.has_usable_password():
        if not password or not user.check_password(password):
            raise ValidationError({"password": WRONG_PASSWORD})
    elif not user.email or confirmation.strip().lower() != user.email.lower():
        raise ValidationError({"confirmation": WRONG_ADDRESS})
    member_account_erase(user=user, by=user)
    if request is not None:
        logout(request)


def member_account_erase(*, user: User, by: User) -> None:
    """Erase the person behind ``user``, in one transaction: every registered erasure step,
    then the user row anonymised (kept for shared history) and every session of the account
    ended. ``by`` is who deleted the account, the person or an administrator; the account's
    history records it, with no word of the person's."""
    emails = _addresses_of(user)
    with transaction.atomic():
        for step in ERASURE_STEPS:
            step.erase(user=user, emails=emails)
        _user_anonymise(user)
        member_sessions_end(user=user)
        log_actions.log(instance=user, action=ACCOUNT_ERASE_ACTION, user=by)


def member_erasure_consequences(*, users: Sequence[User]) -> dict[int, list[str]]:
    """For each of ``users`` (by id), what deleting the account does beyond the erasure every
    account gets, in sentences for the administrator who confirms it (``erasure_consequence``
    registry)."""
    consequences: dict[int, list[str]] = {user.pk: [] for user in users}
    for tell in ERASURE_CONSEQUENCES:
        for user_id, sentences in tell(users=users).items():
            consequences[user_id] += sentences
    return consequences


def _addresses_of(user: User) -> frozenset[str]:
    from allauth.account.models import EmailAddress

    addresses = EmailAddress.objects.filter(user=user).values_list("email", flat=True)
    return frozenset(address.lower() for address in [user.email, *addresses] if address)


def _username_in(emails: Iterable[str]) -> Q:
    condition = Q(pk__in=[])
    for email in emails:
        condition |= Q(username__iexact=email)
    return condition


def _user_anonymise(user: User) -> None:
    user.email = ERASED_EMAIL.format(pk=user.pk)
    user.first_name = user.last_name = ""
    user.set_unusable_password()
    user.is_active = user.is_staff = user.is_superuser = False
    user.last_login = None
    # An account erased before (listed as "Former participant") keeps the day it went.
    user.erased_at = user.erased_at or timezone.now()
    user.save()
    user.groups.clear()
    user.user_permissions.clear()


@erasure_step(
    "audit log labels",
    covers={
        "wagtailcore.ModelLogEntry": "kept; entries about the account or its profile lose the "
        "name they were labelled with, and one more records who erased the account",
    },
)
def _erase_audit_log_labels(*, user: User, emails: frozenset[str]) -> None:
    """Logs about the account keep the event but not the name they were labelled with."""
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import ModelLogEntry

    profile_ids = MemberProfile.objects.filter(user=user).values_list("pk", flat=True)
    subjects = Q(content_type=ContentType.objects.get_for_model(User), object_id=str(user.pk))
    for profile_id in profile_ids:
        subjects |= Q(
            content_type=ContentType.objects.get_for_model(MemberProfile),
            object_id=str(profile_id),
        )
    ModelLogEntry.objects.filter(subjects).update(label=FORMER_PARTICIPANT)


@erasure_step("member profile", covers={"members.MemberProfile": "deleted"})
def _erase_profile(*, user: User, emails: frozenset[str]) -> None:
    MemberProfile.objects.filter(user=user).delete()


@erasure_step("e-mail addresses", covers={"account.EmailAddress": "deleted"})
def _erase_email_addresses(*, user: User, emails: frozenset[str]) -> None:
    from allauth.account.models import EmailAddress

    EmailAddress.objects.filter(user=user).delete()


@erasure_step(
    "login records",
    covers=dict.fromkeys(
        ["axes.AccessAttempt", "axes.AccessLog", "axes.AccessFailureLog"],
        "deleted, for every address the account used",
    ),
)
def _erase_login_records(*, user: User, emails: frozenset[str]) -> None:
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    for model in (AccessAttempt, AccessLog, AccessFailureLog):
        model.objects.filter(_username_in(emails)).delete()


@erasure_step(
    "admin preferences",
    covers={
        "wagtailusers.UserProfile": "deleted",
        "wagtailadmin.EditingSession": "deleted",
        "wagtailadmin.FormState": "deleted: unsaved admin form data",
        "wagtailcore.APIToken": "deleted",
        "wagtailcore.PageSubscription": "deleted",
    },
)
def _erase_admin_preferences(*, user: User, emails: frozenset[str]) -> None:
    from wagtail.admin.models import EditingSession, FormState
    from wagtail.models import APIToken, PageSubscription
    from wagtail.users.models import UserProfile

    for model in (UserProfile, EditingSession, FormState, APIToken, PageSubscription):
        model.objects.filter(user=user).delete()


erasure_keeps(
    {
        "members.User": "anonymised: e-mail, names, password and roles go, and the row stays "
        'so that the history the person shares with others points at "Former participant"',
        "members.AreaOfInterest": "kept: the list editors keep",
        "home.SiteSettings": "kept: editors' settings",
        "home.ContactFormField": "kept: editors' form fields",
        "resources.ResourceTopic": "kept: editors' topics",
        "members.MemberRoster": "kept: the association's roster, imported by staff",
        "wagtailcore.Page": "kept: pages an editor owned or locked point at the anonymised "
        "account",
        "wagtailcore.Revision": "kept: a page's history, under the anonymised account",
        "wagtailcore.PageLogEntry": "kept: a page's history, under the anonymised account",
        "wagtailcore.Comment": "kept: editors' comments on a page, under the anonymised account",
        "wagtailcore.CommentReply": "kept: editors' replies on a page, under the anonymised "
        "account",
        "wagtailcore.WorkflowState": "kept: a page's moderation, under the anonymised account",
        "wagtailcore.TaskState": "kept: a page's moderation, under the anonymised account",
        "wagtailcore.UploadedFile": "kept: an editor's upload, under the anonymised account",
        "wagtaildocs.Document": "kept: an editor's upload, under the anonymised account",
        "wagtailimages.Image": "kept: an editor's upload, under the anonymised account",
    }
)
