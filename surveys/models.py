"""The evaluation surveys: the survey page with its questions, and what answering leaves.

Anonymity by construction: answering writes two rows that nothing joins.
``SurveyParticipation`` says who answered which survey, as what and on which day (for "you
answered on ..." and response rates). ``SurveyResponse`` holds the answers with no link to
the person: no user, a random UUID key (so the order of the rows cannot be matched with the
order of the participations), the day without the time, and only the side of the pair the
person answered from.
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.template.response import TemplateResponse
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.forms.models import AbstractForm, AbstractFormField, AbstractFormSubmission

from cohorts.program.models import CohortPage
from core.page_cache import ViewRestrictionsFromMemory
from surveys.choices import (
    CHOICE_QUESTION_TYPES,
    QUESTION_TYPES,
    RespondentRole,
    SurveyAudience,
    SurveyKind,
)
from surveys.forms import ROLE_FIELD, SurveyFormBuilder, SurveyPageForm, role_field

CLOSES_BEFORE_OPENS = "The survey must not close before it opens ({opens:%B %-d, %Y})."
KIND_TAKEN = (
    "{cohort} already has a {kind} ({title}). A cohort has one survey of each kind: "
    "edit that one, or choose the other kind."
)
CHOICES_REQUIRED = "List the answers to choose from, one per line."
DATES_HELP = "Leave empty to use the cohort's dates for this kind of survey."


class SurveyFormField(AbstractFormField):
    """A question of a survey, edited with Wagtail's form builder.

    Only the types a survey needs are offered: a rating from 1 to 5 (the portal's own type,
    built by ``SurveyFormBuilder.create_rating_field``), multiple choice and free text.
    """

    page = ParentalKey("SurveyPage", on_delete=models.CASCADE, related_name="form_fields")
    field_type = models.CharField("question type", max_length=16, choices=QUESTION_TYPES)
    # The form builder needs the type to build a preview (see AbstractFormField.field_type).
    field_type.required_on_save = True
    choices = models.TextField(
        blank=True, help_text="Multiple-choice questions only: the answers, one per line."
    )

    panels = [
        FieldPanel("label"),
        FieldPanel("help_text"),
        FieldPanel("required"),
        FieldPanel("field_type", classname="formbuilder-type", required_on_save=True),
        FieldPanel("choices", classname="formbuilder-choices"),
    ]

    class Meta(AbstractFormField.Meta):
        verbose_name = "question"

    def clean(self):
        super().clean()
        if self.field_type in CHOICE_QUESTION_TYPES and not self.choices.strip():
            raise ValidationError({"choices": CHOICES_REQUIRED})


class SurveyPage(ViewRestrictionsFromMemory, AbstractForm):
    """A mid-way or final evaluation survey of one cohort, under its cohort page.

    Only the cohort's participants in the survey's audience answer it, once each, between
    its opening and closing days; anonymous visitors are sent to log in, everyone else is
    told why they cannot answer (surveys/views/answer.py). Every response is ``private, no-store``.
    Editors build the questions; the answers are anonymous (see the module's docstring) and
    only the survey results screen shows them, holding back a question with too few answers;
    the admin's Forms never lists a survey (surveys/wagtail_hooks.py).
    """

    kind = models.CharField(max_length=10, choices=SurveyKind.choices, default=SurveyKind.MIDWAY)
    audience = models.CharField(
        "who answers",
        max_length=10,
        choices=SurveyAudience.choices,
        default=SurveyAudience.BOTH,
        help_text="Participants of the cohort, by the side of their pair.",
    )
    opens = models.DateField("opens on", null=True, blank=True, help_text=DATES_HELP)
    closes = models.DateField("last day to answer", null=True, blank=True, help_text=DATES_HELP)
    intro = models.TextField(
        blank=True, max_length=2000, help_text="Shown above the questions: why, and how long."
    )
    thank_you_text = models.TextField(
        blank=True, max_length=1000, help_text="Shown once someone has answered."
    )

    content_panels = [
        *AbstractForm.content_panels,
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("kind"), FieldPanel("audience")]),
                FieldRowPanel([FieldPanel("opens"), FieldPanel("closes")]),
            ],
            heading="Which survey, for whom, when",
        ),
        FieldPanel("intro"),
        InlinePanel("form_fields", label="Questions"),
        FieldPanel("thank_you_text"),
    ]
    # A survey is for the cohort's participants: nothing on it belongs in the public search.
    search_fields = []

    parent_page_types = ["cohorts.CohortPage"]
    subpage_types = []
    # A copy takes its new cohort's dates: empty dates follow the cohort (see clean()).
    exclude_fields_in_copy = ["opens", "closes"]

    base_form_class = SurveyPageForm
    form_builder = SurveyFormBuilder

    class Meta:
        verbose_name = "survey page"

    def clean(self):
        super().clean()
        # A new page has no parent yet while the admin form validates it; SurveyPageForm
        # checks it against the cohort it is being added under.
        parent = self.get_parent()
        if parent is not None and isinstance(parent.specific, CohortPage):
            self.apply_cohort(cohort=parent.specific)

    def apply_cohort(self, *, cohort: CohortPage) -> None:
        """Fill empty dates from ``cohort``'s dates for this kind; refuse a second survey of
        the kind in the cohort and a closing day before the opening day."""
        from surveys.selectors.surveys import survey_default_dates, survey_of_kind

        default_opens, default_closes = survey_default_dates(cohort=cohort, kind=self.kind)
        self.opens = self.opens or default_opens
        self.closes = self.closes or default_closes
        errors = {}
        other = survey_of_kind(cohort=cohort, kind=self.kind, exclude_pk=self.pk)
        if other is not None:
            errors["kind"] = KIND_TAKEN.format(
                cohort=cohort.title, kind=self.get_kind_display().lower(), title=other.title
            )
        if self.closes < self.opens:
            errors["closes"] = CLOSES_BEFORE_OPENS.format(opens=self.opens)
        if errors:
            raise ValidationError(errors)

    def get_sitemap_urls(self, request=None):
        return []  # a page per member: nothing for search engines

    # ---- Serving ------------------------------------------------------------------------

    def serve(self, request, *args, **kwargs):
        """Participants answer here; everyone else learns why not (surveys/views/answer.py)."""
        from surveys.views.answer import survey_page_serve

        return survey_page_serve(request, page=self)

    def get_form(self, *args, roles=(), **kwargs):
        """The survey's questions; a person who may answer as mentor or as mentee (a
        "both" member in a survey for both) first chooses which."""
        form = super().get_form(*args, **kwargs)
        form.roles = tuple(roles)
        if len(form.roles) > 1:
            form.fields = {ROLE_FIELD: role_field(form.roles), **form.fields}
        return form

    def get_submission_class(self):
        return SurveyResponse

    def process_form_submission(self, form):
        """Record a valid answer through ``surveys.services.survey_answer``: who answered in
        one table, the answers in another."""
        from surveys.services import survey_answer

        answers = dict(form.cleaned_data)
        role = answers.pop(ROLE_FIELD, None) or next(iter(form.roles), "")
        return survey_answer(page=self, user=form.user, role=role, answers=answers)

    def render_landing_page(self, request, form_submission=None, *args, **kwargs):
        """The thank-you page: to a person who answered (``participation`` says when), and
        the admin's "landing page" preview."""
        context = self.get_context(request)
        context["participation"] = kwargs.get("participation")
        return TemplateResponse(request, self.get_landing_page_template(request), context)

    def get_preview_context(self, request, mode_name):
        from surveys.selectors.surveys import survey_preview_state

        context = super().get_preview_context(request, mode_name)
        context["state"] = survey_preview_state(page=self)
        return context

    @property
    def cohort(self) -> CohortPage | None:
        """The cohort page above, or None for a page not yet in the tree."""
        parent = self.get_parent()
        return parent.specific if parent is not None else None


class SurveyResponse(AbstractFormSubmission):
    """One person's answers to a survey, with nothing that leads back to them.

    The key is a random UUID, ``submit_time`` is the start of the survey's opening day (the
    same for every response, so no answer can be told apart by when it came) and ``role`` is
    the side of the pair answered from; there is no user. Rows are ordered by that random
    key.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    submit_time = models.DateTimeField("answered on", editable=False)
    role = models.CharField("answered as", max_length=10, choices=RespondentRole.choices)

    class Meta:
        verbose_name = "survey response"
        ordering = ["submit_time", "id"]
        indexes = [models.Index(fields=["page", "role"])]


class SurveyParticipation(models.Model):
    """That a person answered a survey, as mentor or mentee, on a day; never what.

    One per person and survey: the unique constraint stops a double click or a second tab
    from answering twice. It is the only record of who answered, for the person's own page,
    the reminders (who still has to answer) and response rates.
    """

    page = models.ForeignKey(SurveyPage, on_delete=models.CASCADE, related_name="participations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="survey_participations"
    )
    role = models.CharField("answered as", max_length=10, choices=RespondentRole.choices)
    answered_on = models.DateField()

    class Meta:
        verbose_name = "survey participation"
        ordering = ["page", "answered_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["page", "user"], name="one_answer_per_person_per_survey"
            )
        ]

    def __str__(self):
        return f"Answered survey {self.page_id} on {self.answered_on:%Y-%m-%d}"
