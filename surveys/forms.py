"""Forms of the surveys: the questions a survey page builds, the editors' survey page form,
and the "Copy to another cohort" form."""

from django import forms
from wagtail.contrib.forms.forms import FormBuilder, WagtailAdminFormPageForm

from surveys.choices import RespondentRole

RATING_CHOICES = [(number, str(number)) for number in range(1, 6)]
RATING_CLASS = "survey-rating"
MULTILINE_MAX_LENGTH = 4000
# Not a name Wagtail can give a question (its names are snake_case), so never a clash.
ROLE_FIELD = "survey-role"
ROLE_LABEL = "You take part as a mentor and as a mentee: which do you answer as?"
ROLE_HELP = "Answer this survey once, thinking of one of your pairs."
ROLE_REQUIRED = "Choose whether you answer as a mentor or as a mentee."
ANSWER_REQUIRED = "Answer this question."
DROPDOWN_PROMPT = "Choose an answer"


class SurveyFormBuilder(FormBuilder):
    """Wagtail's form builder with the survey's own question type, "rating"."""

    def create_rating_field(self, field, options):
        """A rating from 1 to 5 as five radio buttons; the answer is stored as a number."""
        return forms.TypedChoiceField(
            choices=RATING_CHOICES,
            coerce=int,
            empty_value=None,
            widget=forms.RadioSelect(attrs={"class": RATING_CLASS}),
            **options,
        )

    def create_dropdown_field(self, field, options):
        """A drop-down list that starts on a prompt, so no answer is chosen by default."""
        dropdown = super().create_dropdown_field(field, options)
        dropdown.choices = [("", DROPDOWN_PROMPT), *dropdown.choices]
        return dropdown

    def create_multiline_field(self, field, options):
        options["max_length"] = MULTILINE_MAX_LENGTH
        return super().create_multiline_field(field, options)

    def get_field_options(self, field):
        options = super().get_field_options(field)
        options["error_messages"] = {"required": ANSWER_REQUIRED}
        return options


def role_field(roles) -> forms.ChoiceField:
    """The choice a member who is both mentor and mentee makes before answering."""
    return forms.ChoiceField(
        label=ROLE_LABEL,
        help_text=ROLE_HELP,
        choices=[(role, RespondentRole(role).label) for role in roles],
        widget=forms.RadioSelect,
        error_messages={"required": ROLE_REQUIRED},
    )


class SurveyPageForm(WagtailAdminFormPageForm):
    """The editors' form for a survey page.

    A new page is not in the tree while its form is checked, so the model's ``clean()``
    cannot see its cohort; this form applies the same rule (``SurveyPage.apply_cohort``:
    empty dates from the cohort, one survey of each kind) with the parent it is added under.
    """

    def clean(self):
        cleaned_data = super().clean()
        parent = self.parent_page.specific if self.parent_page is not None else None
        if self.instance.path or parent is None or "kind" not in cleaned_data:
            return cleaned_data
        from cohorts.program.models import CohortPage
        from surveys.models import SurveyPage

        if not isinstance(parent, CohortPage):
            return cleaned_data
        probe = SurveyPage(
            kind=cleaned_data["kind"],
            opens=cleaned_data.get("opens"),
            closes=cleaned_data.get("closes"),
        )
        try:
            probe.apply_cohort(cohort=parent)
        except forms.ValidationError as error:
            self.add_error(None, error)
        cleaned_data["opens"], cleaned_data["closes"] = probe.opens, probe.closes
        return cleaned_data


class SurveyCopyForm(forms.Form):
    """Which cohort a survey is copied into."""

    cohort = forms.ModelChoiceField(
        queryset=None,
        label="Copy into",
        empty_label=None,
        help_text="The copy is a draft with this cohort's survey dates and the same questions.",
    )

    def __init__(self, *args, targets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cohort"].queryset = targets
