"""Admin hooks for cohorts: the "Copy to next year" action on cohort pages."""

from django.urls import path
from wagtail import hooks
from wagtail.admin.ui.menus.pages import PageMenuItem

from .models import CohortPage
from .services.cohorts import cohort_copy_allowed
from .views.copy_cohort import cohort_copy_to_next_year_view


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
