"""Coordinator screens for the program: applications per cohort.

Coordinators and the chair list, filter, search and export submitted applications, open
one to read everything the applicant gave, and change its status (the applicant is told by
e-mail). Nobody adds, edits or deletes applications here: applicants write them, and a
status changes only through cohorts.program.services.review.
"""

import datetime

import django_filters
from django import forms
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from wagtail.admin import messages
from wagtail.admin.admin_url_finder import ModelAdminURLFinder, register_admin_url_finder
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.generic.models import InspectView

from cohorts.choices import ApplicationStatus, Role
from cohorts.program.models import Application, CohortPage
from cohorts.program.services.review import (
    NOTE_MAX_LENGTH,
    REVIEW_STATUSES,
    application_allowed_statuses,
    application_status_change,
)
from core.bulk_actions import BulkSelectIndexMixin
from core.viewsets import ReadOnlyViewSet, SpreadsheetIndexView, WordSearchMixin
from members.choices import CareerStage, ContactMethod, LibraryType
from members.models import AreaOfInterest

STATUS_CHANGED = "{name}'s application is now {status}. They are told by e-mail."
# A spreadsheet program runs a cell that starts with one of these as a formula; CSV has no
# cell types, so such text is prefixed with a quote (OWASP "CSV injection").


def _profile(application: Application):
    """The applicant's member profile, or None for an account that never made one."""
    try:
        return application.applicant.profile
    except ObjectDoesNotExist:
        return None


def _institution(application: Application) -> str:
    profile = _profile(application)
    return profile.institution if profile else ""


def _library_type(application: Application) -> str:
    profile = _profile(application)
    return profile.get_library_type_display() if profile else ""


def _yes_no(value: bool) -> str:
    return "Yes" if value else "No"


def _contact_methods(application: Application) -> str:
    labels = dict(ContactMethod.choices)
    return ", ".join(labels.get(method, method) for method in application.contact_methods)


def _submitted(application: Application) -> datetime.datetime | None:
    # Local and naive: the spreadsheet shows the time the site's coordinators live in.
    if application.submitted_at is None:
        return None
    return timezone.make_naive(timezone.localtime(application.submitted_at))


# key: (heading, value). Read by ApplicationIndexView.to_row_dict, in this order.
EXPORT_COLUMNS = {
    "name": ("Name", lambda a: a.applicant.display_name),
    "email": ("E-mail", lambda a: a.applicant.email),
    "institution": ("Institution", _institution),
    "library_type": ("Library type", _library_type),
    "role": ("Role", lambda a: a.get_role_display()),
    "mentee_capacity": ("Mentee capacity", lambda a: a.mentee_capacity),
    "areas": ("Areas of interest", lambda a: ", ".join(area.name for area in a.areas.all())),
    "goals": ("Goals", lambda a: a.goals),
    "offer": ("What they offer", lambda a: a.offer),
    "career_stage": ("Career stage", lambda a: a.get_career_stage_display()),
    "years_experience": ("Years of experience", lambda a: a.years_experience),
    "contact_methods": ("Contact methods", _contact_methods),
    "time_zone": ("Time zone", lambda a: a.time_zone),
    "attends_midwinter": ("Midwinter", lambda a: _yes_no(a.attends_midwinter)),
    "attends_annual": ("Annual", lambda a: _yes_no(a.attends_annual)),
    "status": ("Status", lambda a: a.get_status_display()),
    "submitted_at": ("Submitted", _submitted),
}


class ApplicationFilterSet(WagtailFilterSet):
    """The listing's filters. A role filter for mentors includes those applying as both."""

    cohort = django_filters.ModelChoiceFilter(
        queryset=CohortPage.objects.order_by("-formal_start"), empty_label="All cohorts"
    )
    role = django_filters.ChoiceFilter(
        label="Role",
        choices=[
            (Role.MENTOR, "Mentors (including both)"),
            (Role.MENTEE, "Mentees (including both)"),
            (Role.BOTH, "Both mentor and mentee"),
        ],
        method="filter_role",
        empty_label="All",
        widget=forms.RadioSelect,
    )
    status = django_filters.ChoiceFilter(
        label="Status",
        choices=[(status.value, status.label) for status in REVIEW_STATUSES],
        empty_label="All",
        widget=forms.RadioSelect,
    )
    area = django_filters.ModelChoiceFilter(
        label="Area of interest",
        field_name="areas",
        queryset=AreaOfInterest.objects.all(),
        empty_label="All areas",
    )
    library_type = django_filters.ChoiceFilter(
        label="Library type",
        field_name="applicant__profile__library_type",
        choices=LibraryType.choices,
        empty_label="All",
    )
    conference = django_filters.ChoiceFilter(
        label="Conference attendance",
        choices=[
            ("midwinter", "Midwinter"),
            ("annual", "Annual"),
            ("either", "Midwinter or Annual"),
            ("none", "Neither"),
        ],
        method="filter_conference",
        empty_label="All",
        widget=forms.RadioSelect,
    )

    class Meta:
        model = Application
        fields = []

    def filter_role(self, queryset, name, value):
        if value in {Role.MENTOR, Role.MENTEE}:
            return queryset.filter(role__in=[value, Role.BOTH])
        return queryset.filter(role=value)

    def filter_conference(self, queryset, name, value):
        conditions = {
            "midwinter": Q(attends_midwinter=True),
            "annual": Q(attends_annual=True),
            "either": Q(attends_midwinter=True) | Q(attends_annual=True),
            "none": Q(attends_midwinter=False, attends_annual=False),
        }
        return queryset.filter(conditions[value])


class ApplicationIndexView(BulkSelectIndexMixin, WordSearchMixin, SpreadsheetIndexView):
    """Submitted applications with counts by role and status, the CSV/XLSX export, and
    bulk accept, waitlist and decline (cohorts.program.views.bulk_actions).

    The export deliberately leaves out identity preferences and the "not to be paired
    with" list: those are for the matching subcommittee, and read only here in the admin.
    A spreadsheet leaves the admin, is e-mailed and kept in folders, and cannot be
    recalled; everything the subcommittee needs beyond it is on each application's page.
    """

    export_columns = EXPORT_COLUMNS
    export_name = "applications"
    bulk_obj_type = "application"

    def get_base_queryset(self):
        return (
            Application.objects.exclude(status=ApplicationStatus.DRAFT)
            .select_related("cohort", "applicant", "applicant__profile")
            .prefetch_related("areas")
        )

    # Every word must match the applicant's first or last name, e-mail or institution.
    search_words_in = (
        "applicant__first_name",
        "applicant__last_name",
        "applicant__email",
        "applicant__profile__institution",
    )

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        if not self.is_export:
            context.update(self.counts(self.object_list))
        return context

    @staticmethod
    def counts(queryset) -> dict:
        """How many of the listed applications have each role and each status: one query."""
        roles = {f"role_{r.value}": Count("pk", filter=Q(role=r), distinct=True) for r in Role}
        statuses = {
            f"status_{s.value}": Count("pk", filter=Q(status=s), distinct=True)
            for s in REVIEW_STATUSES
        }
        totals = queryset.order_by().aggregate(**roles, **statuses)
        return {
            "role_counts": [(r.label, totals[f"role_{r.value}"]) for r in Role],
            "status_counts": [(s.label, totals[f"status_{s.value}"]) for s in REVIEW_STATUSES],
        }


def applicant_note_field(*, label: str, help_text: str) -> forms.CharField:
    """The optional note that goes with the e-mail of a new status."""
    return forms.CharField(
        label=label,
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=help_text,
    )


class ApplicationStatusForm(forms.Form):
    """A new status and a note for the applicant. Only the statuses the application may
    move to are offered; the service has the last word on any other."""

    status = forms.ChoiceField(
        label="New status",
        choices=[(status.value, status.label) for status in REVIEW_STATUSES],
        widget=forms.RadioSelect,
    )
    note = applicant_note_field(
        label="Note to the applicant",
        help_text="Optional. Sent with the e-mail that tells them the new status.",
    )

    def __init__(self, *args, allowed: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].widget.choices = [
            (status, ApplicationStatus(status).label) for status in allowed
        ]


class ApplicationInspectView(InspectView):
    """Everything one applicant gave, and the form that changes the application's status.

    Identity preferences and the "not to be paired with" list are shown in a section
    marked for the matching subcommittee only.
    """

    page_title = "Application"
    template_name = "cohorts/admin/application_inspect.html"

    def get_object(self, queryset=None):
        queryset = (
            Application.objects.exclude(status=ApplicationStatus.DRAFT)
            .select_related("cohort", "applicant", "applicant__profile")
            .prefetch_related("areas")
        )
        return get_object_or_404(queryset, pk=self.pk)

    def get_fields_context(self):
        # The template lays the fields out in sections of its own.
        return []

    @cached_property
    def can_change(self) -> bool:
        return self.user_has_permission("change")

    def get_form(self):
        allowed = application_allowed_statuses(application=self.object)
        data = self.request.POST if self.request.method == "POST" else None
        return ApplicationStatusForm(data, allowed=allowed)

    def post(self, request, *args, **kwargs):
        if not self.can_change:
            raise PermissionDenied
        form = self.get_form()
        if form.is_valid():
            try:
                application_status_change(
                    application=self.object,
                    coordinator=request.user,
                    status=form.cleaned_data["status"],
                    note=form.cleaned_data["note"],
                )
            except ValueError as error:
                form.add_error(None, str(error))
            else:
                self.object.refresh_from_db(fields=["status"])
                messages.success(
                    request,
                    STATUS_CHANGED.format(
                        name=self.object.applicant.display_name,
                        status=self.object.get_status_display().lower(),
                    ),
                )
                return redirect(request.path)
        return self.render_to_response(self.get_context_data(form=form))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        application = self.object
        form = kwargs.get("form")
        if form is None and self.can_change:
            form = self.get_form()
        context.update(
            application=application,
            profile=_profile(application),
            sections=application_sections(application),
            confidential=[
                ("Identity preferences", application.identity_preferences),
                ("Not to be paired with", application.avoid_pairing_with),
            ],
            form=form if self.can_change else None,
            allowed_statuses=application_allowed_statuses(application=application),
            index_url=reverse(self.index_url_name),
        )
        return context


def application_sections(application: Application) -> list[tuple[str, list[tuple[str, object]]]]:
    """What the applicant gave, by section, as (label, value) pairs; the template escapes."""
    profile = _profile(application)
    user = application.applicant
    career = dict(CareerStage.choices)
    return [
        (
            "Applicant",
            [
                ("Name", user.display_name),
                ("E-mail", user.email),
                ("Pronouns", profile.pronouns if profile else ""),
                ("Institution", _institution(application)),
                ("Position", profile.position if profile else ""),
                ("Library type", _library_type(application)),
            ],
        ),
        (
            "Application",
            [
                ("Cohort", application.cohort.title),
                ("Status", application.get_status_display()),
                ("Submitted", application.submitted_at),
                ("Role", application.get_role_display()),
                ("Mentees they can take", application.mentee_capacity),
                ("Areas of interest", ", ".join(a.name for a in application.areas.all())),
                ("Goals for the year", application.goals),
                ("What they can offer a mentee", application.offer),
                ("Career stage", career.get(application.career_stage, "")),
                ("Years of experience", application.years_experience),
                ("Commits to the year", _yes_no(application.commitment)),
                ("Carried over from last year with priority", _yes_no(application.priority)),
                ("Reason for withdrawing", application.withdraw_reason),
            ],
        ),
        (
            "Contact and conferences",
            [
                ("Preferred contact methods", _contact_methods(application)),
                ("Rough availability", application.availability),
                ("Time zone", application.time_zone),
                ("Plans to attend Midwinter", _yes_no(application.attends_midwinter)),
                ("Plans to attend Annual", _yes_no(application.attends_annual)),
            ],
        ),
        (
            "Partner preferences",
            [
                (
                    "Prefers a partner outside their institution",
                    _yes_no(application.prefers_outside_institution),
                ),
                (
                    "Preferred partner library type",
                    application.get_preferred_library_type_display(),
                ),
            ],
        ),
    ]


class _ApplicationURLFinder(ModelAdminURLFinder):
    """Links from elsewhere in the admin (e.g. logs) open the application's page."""

    edit_url_name = "cohorts_application:inspect"


class ApplicationViewSet(ReadOnlyViewSet):
    """Applications per cohort: list, filter, search, export, read and change status."""

    model = Application
    icon = "form"
    menu_label = "Applications"
    url_prefix = "mentoring/applications"
    url_namespace = "cohorts_application"
    index_view_class = ApplicationIndexView
    index_template_name = "core/admin/bulk_index.html"
    index_results_template_name = "cohorts/admin/application_index_results.html"
    inspect_view_class = ApplicationInspectView
    inspect_view_enabled = True
    # Application text stays out of the reference index that other admin screens read.
    add_to_reference_index = False
    list_display = [
        # A plain field first: Wagtail makes it the title column, linking to the detail.
        "applicant",
        Column("institution", label="Institution", accessor=_institution),
        "role",
        "status",
        Column("cohort", label="Cohort", accessor="cohort.title", sort_key="cohort__title"),
        DateColumn("submitted_at", label="Submitted", sort_key="submitted_at"),
    ]
    filterset_class = ApplicationFilterSet
    search_fields = ["applicant__first_name", "applicant__last_name", "applicant__email"]
    search_backend_name = None
    ordering = ["-cohort__formal_start", "applicant__last_name", "applicant__first_name", "pk"]
    list_per_page = 50
    list_export = list(EXPORT_COLUMNS)
    export_headings = {key: heading for key, (heading, _value) in EXPORT_COLUMNS.items()}

    def register_admin_url_finder(self):
        register_admin_url_finder(self.model, _ApplicationURLFinder)
