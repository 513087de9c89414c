"""Forms of the members' e-mail pages (the choice of optional e-mails, the answer to a
check-in) and the words that tell members when each e-mail is sent.

The forms check types, choices and lengths only, with the services' own messages; which
kinds may be turned off and what an answer does is decided by
``cohorts.reminders.services.reminders``.
"""

from django import forms

from cohorts.choices import (
    CHANGE_OF_PARTNER_REMINDERS,
    OPTIONAL_REMINDERS,
    CheckInAnswerChoice,
    ReminderKind,
)
from cohorts.reminders.errors import (
    COMMENT_MAX_LENGTH,
    COMMENT_NULL_CHARACTER,
    COMMENT_TOO_LONG,
    UNKNOWN_ANSWER,
)

Kind = ReminderKind

# When each optional e-mail goes out, in one line: the help text of its checkbox.
OPTIONAL_DESCRIPTIONS = {
    Kind.APPLICATIONS_OPEN: "Once a year, when a new cohort opens its applications.",
    Kind.DEADLINE_APPROACHING: (
        "A week before the application deadline and again the day before, if you have not "
        "submitted an application."
    ),
    Kind.BEHIND_ON_CONTACT: (
        "Midway through the year and two months before its end, if your pair has met for "
        "fewer hours than it needs to reach the minimum."
    ),
    Kind.SURVEY_REMINDER: "A week before the midway and the final survey close.",
}

# The e-mails nobody can turn off, grouped as members know them: (what, kinds, why).
ESSENTIAL_EMAILS = (
    (
        "Your membership",
        (Kind.MEMBERSHIP_VERIFIED, Kind.MEMBERSHIP_DECLINED),
        "Whether the subcommittee could verify your membership, which you need to apply.",
    ),
    (
        "Your application",
        (
            Kind.APPLICATION_RECEIVED,
            Kind.APPLICATION_ACCEPTED,
            Kind.APPLICATION_WAITLISTED,
            Kind.APPLICATION_DECLINED,
            Kind.APPLICATION_REOPENED,
            Kind.APPLICATION_WITHDRAWN,
        ),
        "It confirms that the subcommittee has your application, and tells you its decision.",
    ),
    (
        "Your mentoring year",
        (
            Kind.MATCHED,
            Kind.ORIENTATION,
            Kind.PROGRAM_STARTS,
            Kind.PROGRAM_ENDS,
            Kind.PARTNER_CLOSED,
            Kind.PARTNER_LEFT,
            Kind.PARTNER_LEFT_SUBCOMMITTEE,
        ),
        "Who your partner is, the orientation, when formal mentoring starts and ends (the "
        "dates you committed to), your partner closing their side after the end, and your "
        "partner leaving the program.",
    ),
    (
        "Check-ins from the chair",
        (Kind.CHECKIN,),
        "Your answer is how the subcommittee learns that a pair needs help.",
    ),
    (
        "Surveys",
        (Kind.SURVEY_OPEN,),
        "The midway and final surveys are part of the program; only the reminders before "
        "they close can be turned off.",
    ),
    (
        "Change of partner",
        CHANGE_OF_PARTNER_REMINDERS,
        "Each step of a change of partner that concerns you needs your answer or tells you "
        "the outcome.",
    ),
    (
        "Requests for help",
        (Kind.HELP_ASKED, Kind.HELP_ANSWERED),
        "The subcommittee's answer when you ask for help (and, for coordinators, each "
        "request that waits for them).",
    ),
    (
        "Announcements from the subcommittee",
        (Kind.ANNOUNCEMENT,),
        "The few messages every participant of a cohort needs to read.",
    ),
)


class ReminderPreferencesForm(forms.Form):
    """One checkbox per optional kind, ticked while the member receives it. Build with
    ``kinds_off``, the kinds the member has turned off; ``kinds_off()`` gives the new list.

    Essential kinds have no field, so nothing posted can name one.
    """

    def __init__(self, *args, kinds_off: set[str], **kwargs):
        super().__init__(*args, **kwargs)
        for kind, label in Kind.choices:
            if kind in OPTIONAL_REMINDERS:
                self.fields[kind] = forms.BooleanField(
                    label=label,
                    required=False,
                    initial=kind not in kinds_off,
                    help_text=OPTIONAL_DESCRIPTIONS[kind],
                )

    def kinds_off(self) -> set[str]:
        return {kind for kind in self.fields if not self.cleaned_data[kind]}


class CheckInForm(forms.Form):
    """The answer to the chair's check-in, with an optional comment for the subcommittee."""

    answer = forms.ChoiceField(
        label="How is your mentoring going?",
        choices=CheckInAnswerChoice.choices,
        widget=forms.RadioSelect,
        error_messages={"required": UNKNOWN_ANSWER, "invalid_choice": UNKNOWN_ANSWER},
    )
    comment = forms.CharField(
        label="Anything to add? (optional)",
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=(
            "For the mentoring subcommittee; with “We need help” it also asks them to get in "
            f"touch. Your partner does not see it. Up to {COMMENT_MAX_LENGTH:,} characters."
        ),
        error_messages={
            "max_length": COMMENT_TOO_LONG,
            "null_characters_not_allowed": COMMENT_NULL_CHARACTER,
        },
    )
