"""What the matching screens share: who may see and change them, the cohort they are about,
and their breadcrumbs."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.functional import cached_property
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from cohorts.program.models import CohortPage

VIEW_PERMISSION = "cohorts.view_pair"
CHANGE_PERMISSION = "cohorts.change_pair"


class MatchingMixin(WagtailAdminTemplateMixin):
    """Permission checks and breadcrumbs shared by the matching screens."""

    header_icon = "group"
    index_url_name = "cohorts_matching:index"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(VIEW_PERMISSION):
            raise PermissionDenied
        if request.method == "POST" and not request.user.has_perm(CHANGE_PERMISSION):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def cohort(self) -> CohortPage:
        return get_object_or_404(CohortPage, pk=self.kwargs["cohort_id"])

    def workspace_url(self) -> str:
        return reverse("cohorts_matching:workspace", args=[self.cohort.pk])

    def get_breadcrumbs_items(self):
        items = [
            *self.breadcrumbs_items,
            {"url": reverse(self.index_url_name), "label": "Matching"},
        ]
        if "cohort_id" in self.kwargs:
            items.append({"url": self.workspace_url(), "label": self.cohort.title})
        return [*items, {"url": "", "label": self.get_page_title()}]
