import datetime

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.models import Page
from wagtail.search import index

from cohorts.choices import CheckInCadence
from core.page_cache import ViewRestrictionsFromMemory
from home.models import INTRO_HELP

DATES_OUT_OF_ORDER = (
    "{later} ({later_date:%B %-d, %Y}) must not be before {earlier} ({earlier_date:%B %-d, %Y})."
)
DATES_NOT_AFTER = (
    "{later} ({later_date:%B %-d, %Y}) must be after {earlier} ({earlier_date:%B %-d, %Y})."
)
DEFAULT_COMMITMENT = (
    "I commit to one year in the program and a minimum of {hours} hours of contact with my "
    "mentoring partner."
)


def next_cycle_year(today: datetime.date | None = None) -> int:
    """The program year whose application deadline (mid-March) is still ahead."""
    today = today or timezone.localdate()
    return today.year if today <= datetime.date(today.year, 3, 15) else today.year + 1


def cycle_dates(year: int) -> dict[str, datetime.date]:
    """The seed's cycle for a program year: apply by mid-March, pairs by mid-May,
    orientation in May, formal mentoring June 1 to April 30, surveys mid-way and at the end."""
    return {
        "applications_open": datetime.date(year, 1, 15),
        "application_deadline": datetime.date(year, 3, 15),
        "pairing_completed_by": datetime.date(year, 5, 12),
        "orientation_date": datetime.date(year, 5, 20),
        "formal_start": datetime.date(year, 6, 1),
        "formal_end": datetime.date(year + 1, 4, 30),
        "midway_survey_opens": datetime.date(year, 11, 1),
        "midway_survey_closes": datetime.date(year, 11, 30),
        "final_survey_opens": datetime.date(year + 1, 4, 1),
        "final_survey_closes": datetime.date(year + 1, 5, 15),
    }


def _default(field: str):
    def default() -> datetime.date:
        return cycle_dates(next_cycle_year())[field]

    default.__name__ = f"default_{field}"
    default.__qualname__ = default.__name__
    return default


default_applications_open = _default("applications_open")
default_application_deadline = _default("application_deadline")
default_pairing_completed_by = _default("pairing_completed_by")
default_orientation_date = _default("orientation_date")
default_formal_start = _default("formal_start")
default_formal_end = _default("formal_end")
default_midway_survey_opens = _default("midway_survey_opens")
default_midway_survey_closes = _default("midway_survey_closes")
default_final_survey_opens = _default("final_survey_opens")
default_final_survey_closes = _default("final_survey_closes")

# (earlier, later, strictly after): the timeline's order, checked whenever a cohort is saved.
DATE_ORDER = [
    ("applications_open", "application_deadline", True),
    ("application_deadline", "pairing_completed_by", False),
    ("pairing_completed_by", "orientation_date", False),
    ("orientation_date", "formal_start", False),
    ("formal_start", "formal_end", True),
    ("formal_start", "midway_survey_opens", False),
    ("midway_survey_opens", "midway_survey_closes", False),
    ("midway_survey_closes", "final_survey_opens", False),
    ("final_survey_opens", "formal_end", False),
    ("final_survey_opens", "final_survey_closes", False),
]


class CohortIndexPage(ViewRestrictionsFromMemory, Page):
    """Lists the program's cohorts, newest first, under the home page; public, one per site."""

    intro = models.TextField(blank=True, max_length=600, help_text=INTRO_HELP)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]

    parent_page_types = ["home.HomePage"]
    subpage_types = ["cohorts.CohortPage"]
    max_count = 1

    class Meta:
        verbose_name = "cohort index page"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["cohorts"] = (
            CohortPage.objects.child_of(self).live().public().order_by("-formal_start")
        )
        return context


class CohortPage(ViewRestrictionsFromMemory, RoutablePageMixin, Page):
    """One program year with its timeline, under the cohort index; public.

    Every stage of the year opens and closes by these dates, read in the site's time zone
    by cohorts.program.selectors.cohort_stage.
    """

    intro = models.TextField(blank=True, max_length=600, help_text=INTRO_HELP)
    applications_open = models.DateField(default=default_applications_open)
    application_deadline = models.DateField(
        default=default_application_deadline, help_text="The last day to apply."
    )
    pairing_completed_by = models.DateField(default=default_pairing_completed_by)
    orientation_date = models.DateField(
        default=default_orientation_date, help_text="The virtual orientation and training."
    )
    orientation_time = models.TimeField(
        null=True, blank=True, help_text="In the site's time zone."
    )
    orientation_details = models.TextField(
        blank=True,
        max_length=2000,
        help_text="How to join: the video call link and any dial-in numbers.",
    )
    formal_start = models.DateField("formal mentoring starts", default=default_formal_start)
    formal_end = models.DateField("formal mentoring ends", default=default_formal_end)
    minimum_contact_hours = models.DecimalField(
        max_digits=4,
        decimal_places=1,
        default=2,
        validators=[MinValueValidator(0), MaxValueValidator(200)],
        help_text="The least contact each pair is expected to have over the year.",
    )
    midway_survey_opens = models.DateField(default=default_midway_survey_opens)
    midway_survey_closes = models.DateField(default=default_midway_survey_closes)
    final_survey_opens = models.DateField(default=default_final_survey_opens)
    final_survey_closes = models.DateField(default=default_final_survey_closes)
    checkin_cadence = models.CharField(
        "check-ins by the chair",
        max_length=20,
        choices=CheckInCadence.choices,
        default=CheckInCadence.QUARTERLY,
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [FieldPanel("applications_open"), FieldPanel("application_deadline")]
                ),
                FieldPanel("pairing_completed_by"),
                FieldRowPanel([FieldPanel("orientation_date"), FieldPanel("orientation_time")]),
                FieldPanel("orientation_details"),
                FieldRowPanel([FieldPanel("formal_start"), FieldPanel("formal_end")]),
            ],
            heading="Timeline",
        ),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [FieldPanel("midway_survey_opens"), FieldPanel("midway_survey_closes")]
                ),
                FieldRowPanel(
                    [FieldPanel("final_survey_opens"), FieldPanel("final_survey_closes")]
                ),
            ],
            heading="Surveys",
        ),
        MultiFieldPanel(
            [FieldPanel("minimum_contact_hours"), FieldPanel("checkin_cadence")],
            heading="Expectations",
        ),
    ]
    search_fields = [*Page.search_fields, index.SearchField("intro")]

    parent_page_types = ["cohorts.CohortIndexPage"]
    subpage_types = ["cohorts.ApplicationPage", "surveys.SurveyPage"]

    class Meta:
        verbose_name = "cohort page"

    def clean(self):
        super().clean()
        errors = {}
        for earlier, later, strictly in DATE_ORDER:
            first, second = getattr(self, earlier), getattr(self, later)
            if first is None or second is None or later in errors:
                continue
            if second < first or (strictly and second == first):
                message = DATES_NOT_AFTER if strictly else DATES_OUT_OF_ORDER
                errors[later] = message.format(
                    earlier=self._meta.get_field(earlier).verbose_name.capitalize(),
                    earlier_date=first,
                    later=self._meta.get_field(later).verbose_name.capitalize(),
                    later_date=second,
                )
        if errors:
            raise ValidationError(errors)

    @path("")
    def timeline(self, request):
        """The public timeline; its context comes from
        cohorts.program.selectors.cohort_public_context."""
        from cohorts.program.selectors import cohort_public_context

        return self.render(request, context_overrides=cohort_public_context(cohort=self))

    # Wagtail serves only URLs made of slug-like segments ending in "/" (wagtail/urls.py,
    # serve_pattern), so "calendar.ics" could never be reached: the .ics name comes from
    # the response's Content-Disposition instead.
    @path("calendar/")
    def calendar(self, request):
        """The whole timeline as a calendar file."""
        from cohorts.program.views.calendar import cohort_calendar

        return cohort_calendar(request, cohort=self)

    @path("calendar/<slug:event>/", name="calendar_event")
    def calendar_event(self, request, event):
        """One event of the timeline as a calendar file ("Add to calendar")."""
        from cohorts.program.views.calendar import cohort_calendar

        return cohort_calendar(request, cohort=self, event=event)


class ApplicationPage(ViewRestrictionsFromMemory, Page):
    """The application form of one cohort, under its cohort page; members only.

    Anonymous visitors are sent to log in; pending or lapsed members see why they cannot
    apply yet. The form opens and closes with the cohort's application dates.
    """

    intro = models.TextField(blank=True, max_length=1000, help_text=INTRO_HELP)
    commitment_text = models.CharField(
        max_length=300,
        default=DEFAULT_COMMITMENT,
        help_text="The commitment applicants tick; {hours} becomes the cohort's minimum hours.",
    )
    thank_you_text = models.TextField(
        blank=True, max_length=1000, help_text="Shown above a submitted application."
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("commitment_text"),
        FieldPanel("thank_you_text"),
    ]

    # Every cohort has one: search results name it "Apply — 2027–2028 cohort" (home/selectors.py).
    search_title_names_parent = True

    parent_page_types = ["cohorts.CohortPage"]
    subpage_types = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = "application page"

    def get_sitemap_urls(self, request=None):
        return []  # members only: a visitor is sent to log in

    @property
    def cohort(self) -> CohortPage:
        return self.get_parent().specific

    def serve(self, request, *args, **kwargs):
        """Members apply, save drafts, edit and withdraw here
        (cohorts/program/views/applications.py)."""
        from cohorts.program.views.applications import application_page_serve

        return application_page_serve(request, page=self)
