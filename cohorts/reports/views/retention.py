"""The coordinators' data retention screen, under the Mentoring menu.

Every cohort with the day it closed, the day its personal data is erased (or was), its
status, and how many applications, pairs, contacts, notes, check-in answers, survey links
and e-mails erasing it removes (or removed); then how many contact messages the portal
holds and how many of them are past CONTACT_MESSAGE_RETENTION_DAYS. Counts only: nothing a
member or a visitor wrote, and no name, is read for it. Coordinators and the chair
(``cohorts.view_cohortfigures``) see it; nobody else does. The erasure itself is the daily
task's (cohorts.reports.tasks): the screen changes nothing.
"""

from django.conf import settings
from django.views.generic import TemplateView

from cohorts.choices import RetentionStatus
from cohorts.reports.selectors.retention import DUE_SOON_DAYS, retention_overview
from core.viewsets import OneScreenMixin
from home.selectors import contact_retention

VIEW_PERMISSION = "cohorts.view_cohortfigures"


class RetentionIndexView(OneScreenMixin, TemplateView):
    """Every cohort, newest first, with its retention dates, status and counts."""

    template_name = "cohorts/admin/retention_index.html"
    page_title = "Data retention"
    header_icon = "history"
    permission = VIEW_PERMISSION

    def get_context_data(self, **kwargs):
        rows = retention_overview()
        coming = {RetentionStatus.DUE, RetentionStatus.DUE_SOON}
        return super().get_context_data(
            rows=rows,
            coming=[row for row in rows if row.status in coming],
            years=settings.RETENTION_YEARS,
            due_soon_days=DUE_SOON_DAYS,
            contact=contact_retention(),
            **kwargs,
        )
