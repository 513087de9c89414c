from django import template
from wagtail.models import Site

from home.page_cache import content_cached
from home.selectors import menu_pages

register = template.Library()


@register.inclusion_tag("tags/main_menu.html", takes_context=True)
def main_menu(context):
    """The site's main menu: the home page, then its children marked "show in menus"."""
    request = context["request"]
    site = Site.find_for_request(request)
    current = context.get("page")
    current_path = current.url_path if current else ""
    items = [(site.root_page, "Overview")] if site else []
    if site:
        children = content_cached(f"menu:{site.pk}", lambda: menu_pages(site=site))
        items += [(page, page.title) for page in children]
    return {
        "request": request,
        "items": [
            {"page": page, "label": label, "state": menu_state(page, current_path, site)}
            for page, label in items
        ],
    }


def menu_state(page, current_path: str, site) -> str:
    """ "page" for the page being shown, "true" for a section it sits in, "" otherwise."""
    if page.url_path == current_path:
        return "page"
    is_home = site is not None and page.pk == site.root_page_id
    if not is_home and current_path.startswith(page.url_path):
        return "true"
    return ""


@register.simple_tag(takes_context=True)
def breadcrumbs(context):
    """Ancestors of the current page below the site root, for the breadcrumb trail."""
    page = context.get("page")
    if page is None or page.depth <= 2:
        return []
    return content_cached(
        f"breadcrumbs:{page.pk}", lambda: list(page.get_ancestors().filter(depth__gte=2))
    )
