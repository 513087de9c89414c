"""The subcommittee's "Needs attention": a screen under the Mentoring menu and a panel on
the admin's dashboard, both read from cohorts.reports.selectors.attention.

Coordinators and the chair (``cohorts.change_pair``: the people who answer calls for help and
decide changes of partner) see them; nobody else does. Names, dates and counts only.
"""

from django.conf import settings
from django.urls import reverse
from django.views.generic import TemplateView
from wagtail.admin.ui.components import Component

from cohorts.reports.selectors.attention import KINDS, attention_counts, attention_rows
from core.viewsets import OneScreenMixin

VIEW_PERMISSION = "cohorts.change_pair"


def attention_allowed(user) -> bool:
    return user.has_perm(VIEW_PERMISSION)


class AttentionIndexView(OneScreenMixin, TemplateView):
    """Every kind of waiting work, oldest first, each row linking to where it is handled."""

    template_name = "cohorts/admin/attention_index.html"
    page_title = "Needs attention"
    header_icon = "warning"
    permission = VIEW_PERMISSION

    def get_context_data(self, **kwargs):
        rows = attention_rows()
        sections = [(key, heading, rows[key]) for key, heading in KINDS]
        return super().get_context_data(
            sections=sections, no_contact_weeks=settings.NO_CONTACT_WEEKS, **kwargs
        )


class NeedsAttentionPanel(Component):
    """Dashboard panel: how many of each kind wait, each linking to its part of the screen."""

    name = "needs_attention"
    order = 40
    template_name = "cohorts/admin/attention_panel.html"

    def get_context_data(self, parent_context=None):
        counts = attention_counts()
        url = reverse("cohorts_attention:index")
        return {
            "kinds": [(heading, counts[key], f"{url}#attention-{key}") for key, heading in KINDS],
            "total": sum(counts.values()),
            "url": url,
        }
