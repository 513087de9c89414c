"""Data retention: what is left of a cohort once its personal data has been erased.

RETENTION_YEARS after a cohort closes (cohorts.reports.selectors.retention says when), the daily
task erases its applications, pairs and their records, confidential notes, check-in
answers, e-mails and survey participations (cohorts.reports.services). Before it does, it
copies the cohort's report into a ``CohortFigures`` row: counts only, naming nobody. The
reports read that row instead of the erased records, so a cohort's report and the year-on-
year table read the same before and after erasure.
"""

from django.db import models

# The report's single figures, stored one column each under the report's own names
# (cohorts.reports.selectors.reports.CohortReport).
REPORT_COUNTS = [
    "formed",
    "not_published",
    "on_time",
    "minimum_met",
    "ended_early",
    "continuing",
    "contacts",
    "minutes",
    "approved_changes",
]


class CohortFigures(models.Model):
    """The anonymous figures of one erased cohort, and when its personal data was erased.

    Written once, by ``cohort_personal_data_erase``, in the transaction that erases the
    cohort: the row's existence is what makes erasure run once. The cohort's title and
    dates are copied, so the figures outlive the cohort page. No screen edits a row; only
    coordinators and the chair read them, through the reports and the data retention screen.
    """

    cohort = models.OneToOneField(
        "cohorts.CohortPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="retained_figures",
    )
    cohort_title = models.CharField(max_length=255)
    program_year = models.PositiveSmallIntegerField(help_text="The year formal mentoring began.")
    formal_start = models.DateField()
    formal_end = models.DateField()
    closed_on = models.DateField(help_text="The cohort's last day: its end or final survey.")

    formed = models.PositiveIntegerField(default=0)
    not_published = models.PositiveIntegerField(default=0)
    on_time = models.PositiveIntegerField(default=0)
    minimum_met = models.PositiveIntegerField(default=0)
    ended_early = models.PositiveIntegerField(default=0)
    continuing = models.PositiveIntegerField(default=0)
    contacts = models.PositiveIntegerField(default=0)
    minutes = models.PositiveIntegerField(default=0)
    approved_changes = models.PositiveIntegerField(default=0)
    # [[role, status, count], ...]
    applications = models.JSONField(default=list)
    # contact method → minutes; conference → contacts marked as met there
    minutes_by_method = models.JSONField(default=dict)
    conference_meetings = models.JSONField(default=dict)
    # check-in period → answer → count
    checkins = models.JSONField(default=dict)
    # [{"survey": name, "invited": n, "responses": n, "page_id": id or null}, ...]
    surveys = models.JSONField(default=list)

    # What the erasure removed, counted (cohorts.reports.selectors.retention.ErasureCounts).
    erased = models.JSONField(default=dict)
    erased_at = models.DateTimeField()

    class Meta:
        verbose_name = "erased cohort's figures"
        verbose_name_plural = "erased cohorts' figures"
        ordering = ["-formal_start", "-pk"]
        # Written only by the erasure; coordinators may read them.
        default_permissions = ("view",)

    def __str__(self):
        return f"Figures of {self.cohort_title}"
