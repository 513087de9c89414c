from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.models import Page

from core.page_cache import ViewRestrictionsFromMemory
from home.models import INTRO_HELP


class PairDashboardPage(ViewRestrictionsFromMemory, RoutablePageMixin, Page):
    """A participant's mentoring dashboard, under the home page; one per site.

    Only the two members of a published pair see it (cohorts.pairs.selectors.pairs decides), and
    every response is ``Cache-Control: private, no-store``. Editors own the intro and the
    page's place in the menu; everything else is the pair's own record. Its sub-pages
    (contacts, agreement, notes, support, change of partner) are served by
    cohorts/pairs/views/dashboard/.
    """

    intro = models.TextField(blank=True, max_length=600, help_text=INTRO_HELP)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    # A dashboard is per member: nothing on it belongs in the public search.
    search_fields = []

    parent_page_types = ["home.HomePage"]
    subpage_types = []
    max_count = 1

    class Meta:
        verbose_name = "pair dashboard page"

    def get_sitemap_urls(self, request=None):
        return []  # members only: a visitor is sent to log in

    @path("")
    def dashboard(self, request):
        from cohorts.pairs.views.dashboard import dashboard_index

        return dashboard_index(request, page=self)

    @path("<int:pair_id>/", name="pair")
    def pair(self, request, pair_id):
        from cohorts.pairs.views.dashboard import pair_detail

        return pair_detail(request, page=self, pair_id=pair_id)

    @path("<int:pair_id>/<slug:section>/", name="pair_section")
    def pair_section(self, request, pair_id, section):
        from cohorts.pairs.views.dashboard import pair_section

        return pair_section(request, page=self, pair_id=pair_id, section=section)

    @path("<int:pair_id>/<slug:section>/<int:item_id>/", name="pair_item")
    def pair_item(self, request, pair_id, section, item_id):
        from cohorts.pairs.views.dashboard import pair_section

        return pair_section(request, page=self, pair_id=pair_id, section=section, item_id=item_id)
