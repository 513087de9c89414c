from django import template
from wagtail.models import Site

from home.selectors import menu_pages

register = template.Library()


@register.inclusion_tag("tags/main_menu.html", takes_context=True)
def main_menu(context):
    """The site's main menu: the home page, then its children marked "show in menus"."""
    request = context["request"]
    site = Site.find_for_request(request)
    current = context.get("page")
    return {
        "request": request,
        "home": site.root_page if site else None,
        "menu_pages": menu_pages(site=site),
        "current_path": current.url_path if current else "",
    }


@register.simple_tag(takes_context=True)
def breadcrumbs(context):
    """Ancestors of the current page below the site root, for the breadcrumb trail."""
    page = context.get("page")
    if page is None or page.depth <= 2:
        return []
    return list(page.get_ancestors().filter(depth__gte=2))
