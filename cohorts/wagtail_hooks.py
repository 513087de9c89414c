"""Admin hooks for cohorts: the "Copy to next year" action on cohort pages, the editors'
reminder wording snippets, and the dashboard panels (what needs attention, failed e-mails)."""

from django.urls import reverse
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.menus.pages import PageMenuItem
from wagtail.snippets.models import register_snippet

from cohorts.matching.viewsets import MatchingViewSet
from cohorts.outbox.selectors import outbox_failed_count
from cohorts.outbox.viewsets import OutboxViewSet
from cohorts.pairs.viewsets import PairViewLogViewSet, PairViewSet
from cohorts.program.models import CohortPage
from cohorts.program.services.cohorts import cohort_copy_allowed
from cohorts.program.views.copy_cohort import cohort_copy_to_next_year_view
from cohorts.program.viewsets import ApplicationViewSet
from cohorts.reminders.viewsets import (
    AnnouncementViewSet,
    CheckInAnswerViewSet,
    ReminderTemplateViewSet,
)
from cohorts.reports.views.attention import NeedsAttentionPanel, attention_allowed
from cohorts.reports.viewsets import AttentionViewSet, ReportsViewSet, RetentionViewSet
from core.menu import mentoring_menu_register
from core.page_actions import page_action_register

# The program's screens in the coordinators' Mentoring menu (members' screens come between).
for order, viewset in (
    (5, AttentionViewSet),
    (10, ApplicationViewSet),
    (20, MatchingViewSet),
    (30, PairViewSet),
    (40, ReportsViewSet),
    (70, AnnouncementViewSet),
    (80, CheckInAnswerViewSet),
    (90, OutboxViewSet),
    (100, RetentionViewSet),
    (110, PairViewLogViewSet),
):
    mentoring_menu_register(viewset, order=order)


class CopyToNextYearMenuItem(PageMenuItem):
    """Shown on cohort pages to users who may add cohorts under the index."""

    label = "Copy to next year"
    icon_name = "copy"
    url_name = "cohorts_copy_to_next_year"

    def is_shown(self, user):
        return issubclass(self.page.specific_class or object, CohortPage) and (
            cohort_copy_allowed(cohort=self.page, user=user)
        )


page_action_register(
    menu_item_class=CopyToNextYearMenuItem,
    route="cohorts/<int:page_id>/copy-to-next-year/",
    view=cohort_copy_to_next_year_view,
    name="cohorts_copy_to_next_year",
)


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


@hooks.register("construct_homepage_panels")
def add_needs_attention_panel(request, panels):
    if attention_allowed(request.user):
        panels.append(NeedsAttentionPanel())
