"""An admin action on pages of one type ("Copy to next year", "Copy to another cohort"):
its screen's URL and its entry in the page header's and the page listing's "More" menus.
The menu item class (a Wagtail ``PageMenuItem``) decides on which pages and for whom it shows.
"""

from django.urls import path
from wagtail import hooks

# Where the action stands among Wagtail's own entries in each menu.
HEADER_PRIORITY = 35
LISTING_PRIORITY = 25


def page_action_register(*, menu_item_class, route: str, view, name: str) -> None:
    """Serve ``view`` at ``/admin/<route>`` as ``name``, and offer it in both menus."""

    # https://docs.wagtail.org/en/stable/reference/hooks.html#register-admin-urls
    @hooks.register("register_admin_urls")
    def action_urls():
        return [path(route, view, name=name)]

    # https://docs.wagtail.org/en/stable/reference/hooks.html#register-page-header-buttons
    @hooks.register("register_page_header_buttons")
    def header_buttons(page, user, view_name=None, next_url=None):
        return [menu_item_class(page=page, priority=HEADER_PRIORITY)]

    # https://docs.wagtail.org/en/stable/reference/hooks.html#register-page-listing-more-buttons
    @hooks.register("register_page_listing_more_buttons")
    def listing_buttons(page, user, next_url=None):
        return [menu_item_class(page=page, priority=LISTING_PRIORITY)]
