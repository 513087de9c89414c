"""Forms members fill in on their pair dashboard: contacts, the agreement, goals, notes,
requests for help, a change of partner and the choice at the end of the year.

The forms check types, choices and lengths only, with the services' own messages; whether a
contact's date, a goal or a request is allowed is decided by ``cohorts.pairs.services.pairs`` and
``cohorts.pairs.services.notes``. ``add_service_error`` puts a service's refusal next to its field.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from cohorts.choices import AfterEnd, ConferenceMeeting
from cohorts.pairs.errors import (
    FREQUENCY_TOO_LONG,
    GOAL_EMPTY,
    GOAL_TOO_LONG,
    LETTER_NAME_UNKNOWN,
    MESSAGE_EMPTY,
    MESSAGE_TOO_LONG,
    MINUTES_OUT_OF_RANGE,
    NOTE_EMPTY,
    SUMMARY_TOO_LONG,
    UNKNOWN_CHOICE,
    UNKNOWN_CONFERENCE,
    UNKNOWN_METHOD,
)
from cohorts.pairs.models import PairAgreement
from cohorts.pairs.models.notes import NOTE_MAX_LENGTH
from cohorts.pairs.models.relationship import (
    CONTACT_MINUTES_MAX,
    CONTACT_MINUTES_MIN,
    GOAL_MAX_LENGTH,
    MESSAGE_MAX_LENGTH,
    SUMMARY_MAX_LENGTH,
)
from members.choices import ContactMethod

DATE_NEEDED = "Give the date of the contact, as YYYY-MM-DD."
NOT_AT_A_CONFERENCE = ("", "No, not at a conference")


def add_service_error(
    form: forms.Form, error: ValidationError, *, field: str | None = None
) -> None:
    """Show a service's refusal on ``form``: each message next to the field the service named,
    when the form has it, otherwise next to ``field`` (or above the form when None)."""
    if not hasattr(error, "error_dict"):
        form.add_error(field, error)
        return
    for name, errors in error.error_dict.items():
        form.add_error(name if name in form.fields else field, errors)


def _textarea(rows: int) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


def _note_text() -> forms.CharField:
    """A note's text. Its length is checked by the notes services, which count the text the
    way they store it."""
    return forms.CharField(
        label="Your note",
        widget=_textarea(5),
        help_text=f"Plain text, up to {NOTE_MAX_LENGTH:,} characters.",
        error_messages={"required": NOTE_EMPTY},
    )


class ContactForm(forms.Form):
    """One contact between the partners. Build with ``cohort`` so the date picker offers the
    formal mentoring period only."""

    date = forms.DateField(
        label="Date",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": DATE_NEEDED, "invalid": DATE_NEEDED},
    )
    minutes = forms.IntegerField(
        label="How long, in minutes",
        help_text=f"From {CONTACT_MINUTES_MIN} to {CONTACT_MINUTES_MAX} minutes.",
        widget=forms.NumberInput(
            attrs={"inputmode": "numeric", "min": CONTACT_MINUTES_MIN, "max": CONTACT_MINUTES_MAX}
        ),
        error_messages={"required": MINUTES_OUT_OF_RANGE, "invalid": MINUTES_OUT_OF_RANGE},
    )
    method = forms.ChoiceField(
        label="How you met",
        choices=ContactMethod.choices,
        widget=forms.RadioSelect,
        error_messages={"required": UNKNOWN_METHOD, "invalid_choice": UNKNOWN_METHOD},
    )
    conference = forms.ChoiceField(
        label="At a conference?",
        choices=[NOT_AT_A_CONFERENCE, *ConferenceMeeting.choices],
        required=False,
        error_messages={"invalid_choice": UNKNOWN_CONFERENCE},
    )
    summary = forms.CharField(
        label="What you talked about (optional)",
        required=False,
        max_length=SUMMARY_MAX_LENGTH,
        widget=_textarea(3),
        help_text=(
            f"Plain text, up to {SUMMARY_MAX_LENGTH} characters. Your partner sees it; "
            "coordinators see only the date, length and method."
        ),
        error_messages={"max_length": SUMMARY_TOO_LONG},
    )

    def __init__(self, *args, cohort, **kwargs):
        super().__init__(*args, **kwargs)
        latest = min(timezone.localdate(), cohort.formal_end)
        self.fields["date"].widget.attrs.update(
            {"min": cohort.formal_start.isoformat(), "max": latest.isoformat()}
        )

    def contact(self) -> dict:
        """The cleaned answers, as ``contact_add`` and ``contact_update`` take them."""
        return {name: self.cleaned_data[name] for name in self.fields}


class AgreementForm(forms.Form):
    """How often and how the pair means to meet."""

    frequency = forms.CharField(
        label="How often we meet",
        required=False,
        max_length=PairAgreement._meta.get_field("frequency").max_length,
        help_text="For example: every two weeks, for about an hour.",
        error_messages={"max_length": FREQUENCY_TOO_LONG},
    )
    methods = forms.MultipleChoiceField(
        label="How we meet",
        choices=ContactMethod.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": UNKNOWN_METHOD},
    )


class GoalForm(forms.Form):
    text = forms.CharField(
        label="A goal for the year",
        max_length=GOAL_MAX_LENGTH,
        help_text=f"Up to {GOAL_MAX_LENGTH} characters.",
        error_messages={"required": GOAL_EMPTY, "max_length": GOAL_TOO_LONG},
    )


class NoteForm(forms.Form):
    """A confidential note: private unless its author ticks "share"."""

    text = _note_text()
    shared = forms.BooleanField(
        label="Share with my partner",
        required=False,
        help_text="Leave it unticked to keep the note to yourself. You can change it later.",
    )


class PrivateNoteForm(NoteForm):
    """A note that stays private: the partner closed their side, so nothing more is shared
    with them."""

    shared = None


class NoteEditForm(forms.Form):
    text = _note_text()


class SupportForm(forms.Form):
    message = forms.CharField(
        label="Your message",
        max_length=MESSAGE_MAX_LENGTH,
        widget=_textarea(6),
        help_text=f"Plain text, up to {MESSAGE_MAX_LENGTH:,} characters.",
        error_messages={"required": MESSAGE_EMPTY, "max_length": MESSAGE_TOO_LONG},
    )


class ChangeRequestForm(forms.Form):
    """Asking for a change of partner. The field is named as ``change_request_create``
    names its refusals."""

    message = forms.CharField(
        label="Why you would like a change",
        max_length=MESSAGE_MAX_LENGTH,
        widget=_textarea(6),
        help_text="Only the subcommittee reads this.",
        error_messages={"required": MESSAGE_EMPTY, "max_length": MESSAGE_TOO_LONG},
    )


AFTER_END_CHOICES = [
    (AfterEnd.CONTINUE, "Continue informally"),
    (AfterEnd.CLOSE, "Close my side of the pair"),
]
LETTER_NAME_CHOICES = [
    ("yes", "Name me in my mentor's letter"),
    ("no", "Leave my name out"),
]


class AfterEndForm(forms.Form):
    """One partner's own choice after the formal end; closing is confirmed on a page of its
    own (``confirm``) before it is saved."""

    choice = forms.ChoiceField(
        label="Your choice after the formal end",
        choices=AFTER_END_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": UNKNOWN_CHOICE, "invalid_choice": UNKNOWN_CHOICE},
    )
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)


class LetterNameForm(forms.Form):
    """The mentee's choice of whether their name appears in the mentor's letter of service."""

    named = forms.TypedChoiceField(
        label="Your name in your mentor's letter of service",
        choices=LETTER_NAME_CHOICES,
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": LETTER_NAME_UNKNOWN, "invalid_choice": LETTER_NAME_UNKNOWN},
    )
