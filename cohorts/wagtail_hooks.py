"""Admin hooks for cohorts: the "Copy to next year" action on cohort pages, the editors'
reminder wording snippets, and the dashboard panel that counts failed e-mails."""

from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.menus.pages import PageMenuItem
from wagtail.snippets.models import register_snippet

from cohorts.outbox.selectors import outbox_failed_count
from cohorts.program.models import CohortPage
from cohorts.program.services.cohorts import cohort_copy_allowed
from cohorts.program.views.copy_cohort import cohort_copy_to_next_year_view
from cohorts.reminders.viewsets import ReminderTemplateViewSet


class CopyToNextYearMenuItem(PageMenuItem):
    """Shown on cohort pages to users who may add cohorts under the index."""

    label = "Copy to next year"
    icon_name = "copy"
    url_name = "cohorts_copy_to_next_year"

    def is_shown(self, user):
        return issubclass(self.page.specific_class or object, CohortPage) and (
            cohort_copy_allowed(cohort=self.page, user=user)
        )


@hooks.register("register_admin_urls")
def register_cohort_admin_urls():
    return [
        path(
            "cohorts/<int:page_id>/copy-to-next-year/",
            cohort_copy_to_next_year_view,
            name="cohorts_copy_to_next_year",
        )
    ]


# https://docs.wagtail.org/en/stable/reference/hooks.html#register-page-header-buttons
@hooks.register("register_page_header_buttons")
def cohort_header_buttons(page, user, view_name, next_url=None):
    yield CopyToNextYearMenuItem(page=page, priority=35)


# https://docs.wagtail.org/en/stable/reference/hooks.html#register-page-listing-more-buttons
@hooks.register("register_page_listing_more_buttons")
def cohort_listing_buttons(page, user, next_url=None):
    yield CopyToNextYearMenuItem(page=page, priority=25)


# ---- The program's e-mail ---------------------------------------------------------------------


register_snippet(ReminderTemplateViewSet)


class FailedMessagesPanel(Component):
    """Dashboard panel: how many e-mails failed and wait for a coordinator to look."""

    name = "failed_outbox_messages"
    order = 60
    template_name = "cohorts/admin/outbox_failed_panel.html"

    def get_context_data(self, parent_context=None):
        return {
            "count": outbox_failed_count(),
            "url": reverse("cohorts_outbox:index") + "?status=failed",
        }


@hooks.register("construct_homepage_panels")
def add_failed_messages_panel(request, panels):
    if request.user.has_perm("cohorts.view_outboxmessage"):
        panels.append(FailedMessagesPanel())
