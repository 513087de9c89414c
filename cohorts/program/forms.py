"""Forms members fill in on a cohort's application page.

The forms check types, choices and lengths only; what a complete application needs, and
when it may be changed at all, is decided by ``cohorts.program.services.applications``.
"""

from django import forms

from cohorts.choices import Role
from cohorts.program.errors import (
    CAPACITY_OUT_OF_RANGE,
    ROLE_INVALID,
    TOO_LONG_FORM,
    UNKNOWN_CHOICE,
    YEARS_OUT_OF_RANGE,
)
from cohorts.program.models import Application
from cohorts.program.models.applications import MENTEE_CAPACITY_MAX
from core.formatting import hours_display
from members.choices import CareerStage, ContactMethod, LibraryType
from members.forms import time_zone_choices
from members.models import AreaOfInterest, MemberProfile

CHOOSE_ONE = ("", "Choose one")


def commitment_sentence(*, page, cohort) -> str:
    """The page's commitment text with {hours} filled in from the cohort.

    ``str.replace`` rather than ``str.format``: editors write this text, and a stray brace
    must not break the page.
    """
    return page.commitment_text.replace("{hours}", hours_display(cohort.minimum_contact_hours))


def _length(name: str) -> int:
    return Application._meta.get_field(name).max_length


def _text(name: str, label: str, help_text: str = "", *, rows: int | None = None):
    widget = forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput()
    return forms.CharField(
        label=label,
        required=False,
        max_length=_length(name),
        widget=widget,
        help_text=help_text,
        error_messages={"max_length": TOO_LONG_FORM},
    )


class ApplicationForm(forms.Form):
    """The application itself. Every field is optional here, so that a draft may be saved
    half done; ``application_submit`` says what a submission still lacks.

    Build with ``profile`` (prefills areas, career stage, experience, contact methods and time
    zone on a first visit) or ``application`` (its answers), and the ``commitment`` sentence.
    """

    role = forms.ChoiceField(
        label="I am applying as",
        choices=Role.choices,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": ROLE_INVALID},
    )
    mentee_capacity = forms.IntegerField(
        label="Mentors: how many mentees can you take?",
        required=False,
        min_value=1,
        max_value=MENTEE_CAPACITY_MAX,
        help_text=f"From 1 to {MENTEE_CAPACITY_MAX}.",
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "min_value": CAPACITY_OUT_OF_RANGE,
            "max_value": CAPACITY_OUT_OF_RANGE,
            "invalid": CAPACITY_OUT_OF_RANGE,
        },
    )
    areas = forms.ModelMultipleChoiceField(
        label="Areas of interest and expertise",
        queryset=AreaOfInterest.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="From your profile; changes here apply to this application only.",
        error_messages={"invalid_choice": UNKNOWN_CHOICE, "invalid_pk_value": UNKNOWN_CHOICE},
    )
    goals = _text(
        "goals",
        "Mentees: your goals for the year",
        "What you hope to learn or achieve. Plain text; up to 2,000 characters.",
        rows=6,
    )
    offer = _text(
        "offer",
        "Mentors: what you can offer a mentee",
        "Experience, skills and kinds of support. Plain text; up to 2,000 characters.",
        rows=6,
    )
    career_stage = forms.ChoiceField(
        label="Career stage",
        choices=[CHOOSE_ONE, *CareerStage.choices],
        required=False,
        error_messages={"invalid_choice": UNKNOWN_CHOICE},
    )
    years_experience = forms.IntegerField(
        label="Years of experience",
        required=False,
        min_value=0,
        max_value=70,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "min_value": YEARS_OUT_OF_RANGE,
            "max_value": YEARS_OUT_OF_RANGE,
            "invalid": YEARS_OUT_OF_RANGE,
        },
    )
    contact_methods = forms.MultipleChoiceField(
        label="Preferred contact methods",
        choices=ContactMethod.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": UNKNOWN_CHOICE},
    )
    availability = _text(
        "availability",
        "Rough availability",
        "For example: weekday lunchtimes, or Tuesday evenings.",
    )
    time_zone = forms.ChoiceField(
        label="Time zone", required=False, error_messages={"invalid_choice": UNKNOWN_CHOICE}
    )
    attends_midwinter = forms.BooleanField(label="I plan to attend Midwinter", required=False)
    attends_annual = forms.BooleanField(label="I plan to attend Annual", required=False)
    prefers_outside_institution = forms.BooleanField(
        label="I would prefer a partner outside my institution", required=False
    )
    preferred_library_type = forms.ChoiceField(
        label="A partner from a particular kind of library (optional)",
        choices=[("", "No preference"), *LibraryType.choices],
        required=False,
        error_messages={"invalid_choice": UNKNOWN_CHOICE},
    )
    avoid_pairing_with = _text(
        "avoid_pairing_with",
        "Anyone you should not be paired with (optional)",
        "Names or e-mail addresses, one per line.",
        rows=3,
    )
    identity_preferences = _text(
        "identity_preferences",
        "Identity preferences (optional)",
        "For example, a partner of the same gender or background. Seen only by the matching "
        "subcommittee, never by your partner.",
        rows=3,
    )
    commitment = forms.BooleanField(required=False)

    def __init__(
        self,
        *args,
        commitment: str,
        profile: MemberProfile | None = None,
        application: Application | None = None,
        **kwargs,
    ):
        if application is not None:
            current = _initial_from_application(application)
        elif profile is not None:
            current = _initial_from_profile(profile)
        else:
            current = {}
        kwargs["initial"] = {**current, **(kwargs.get("initial") or {})}
        super().__init__(*args, **kwargs)
        self.fields["commitment"].label = commitment
        self.fields["time_zone"].choices = [CHOOSE_ONE, *time_zone_choices()]


class WithdrawForm(forms.Form):
    """Withdrawing asks only for an optional reason."""

    reason = forms.CharField(
        label="Why are you withdrawing? (optional)",
        required=False,
        max_length=_length("withdraw_reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Seen only by the program's coordinators.",
        error_messages={"max_length": TOO_LONG_FORM},
    )


PROFILE_FIELDS = ["career_stage", "years_experience", "contact_methods", "time_zone"]
APPLICATION_FIELDS = [name for name in ApplicationForm.base_fields if name != "areas"]


def _initial_from_profile(profile: MemberProfile) -> dict:
    initial = {name: getattr(profile, name) for name in PROFILE_FIELDS}
    initial["areas"] = list(profile.areas.all()) if profile.pk else []
    return initial


def _initial_from_application(application: Application) -> dict:
    initial = {name: getattr(application, name) for name in APPLICATION_FIELDS}
    initial["areas"] = list(application.areas.all())
    return initial
