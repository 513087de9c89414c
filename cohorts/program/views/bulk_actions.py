"""Bulk status changes on the coordinators' applications listing: accept, waitlist or
decline the ticked applications (or every one the listing shows), with a confirmation page
that names them and says which cannot move and why. Each applicant's e-mail goes through
the outbox; cohorts.program.services.review changes all of them or none."""

from cohorts.choices import ApplicationStatus
from cohorts.program.models import Application
from cohorts.program.services.review import application_refusals, applications_status_change
from cohorts.program.viewsets import ApplicationViewSet, applicant_note_field
from core.bulk_actions import BulkConfirmForm, ListingBulkAction

STATUS_CHANGED = "{count} {applications} now {status}. Each applicant is told by e-mail."


class ApplicationStatusBulkForm(BulkConfirmForm):
    note = applicant_note_field(
        label="Note to each applicant",
        help_text="Optional. The same note goes with every applicant's e-mail.",
    )


class ApplicationStatusBulkAction(ListingBulkAction):
    """Move the selected applications to ``status``."""

    viewset_class = ApplicationViewSet
    form_class = ApplicationStatusBulkForm
    status = ""

    def listing_queryset(self):
        return Application.objects.select_related("applicant", "cohort").order_by(
            "applicant__last_name", "applicant__first_name", "pk"
        )

    def refusal(self, obj) -> str:
        return application_refusals(applications=[obj], status=self.status).get(obj.pk, "")

    def row_label(self, obj) -> str:
        status = obj.get_status_display().lower()
        return f"{obj.applicant.display_name} ({obj.cohort.title}, {status})"

    def execute_action(self, objects, **kwargs):
        ready, _refused = self.checked
        changed = applications_status_change(
            application_ids=[application.pk for application in ready],
            coordinator=self.request.user,
            status=self.status,
            note=self.cleaned_form.cleaned_data["note"],
        )
        return len(changed), 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        one = num_parent_objects == 1
        return STATUS_CHANGED.format(
            count=num_parent_objects,
            applications="application is" if one else "applications are",
            status=ApplicationStatus(self.status).label.lower(),
        )


class AcceptApplicationsBulkAction(ApplicationStatusBulkAction):
    status = ApplicationStatus.ACCEPTED
    display_name = "Accept"
    action_type = "accept"
    aria_label = "Accept the selected applications"
    action_priority = 10
    question = "These applications will be accepted"
    action_button_text = "Accept {count} and e-mail each applicant"


class WaitlistApplicationsBulkAction(ApplicationStatusBulkAction):
    status = ApplicationStatus.WAITLISTED
    display_name = "Waitlist"
    action_type = "waitlist"
    aria_label = "Put the selected applications on the waitlist"
    action_priority = 20
    question = "These applications will be waitlisted"
    action_button_text = "Waitlist {count} and e-mail each applicant"


class DeclineApplicationsBulkAction(ApplicationStatusBulkAction):
    status = ApplicationStatus.DECLINED
    display_name = "Decline"
    action_type = "decline"
    aria_label = "Decline the selected applications"
    action_priority = 30
    question = "These applications will be declined"
    action_button_text = "Decline {count} and e-mail each applicant"


APPLICATION_BULK_ACTIONS = [
    AcceptApplicationsBulkAction,
    WaitlistApplicationsBulkAction,
    DeclineApplicationsBulkAction,
]
