import hashlib

from django import template
from wagtail.models import Site

from core.menu import member_menu_links
from core.page_cache import content_cached
from home.selectors import footer_pages, menu_pages

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


@register.inclusion_tag("tags/member_menu.html", takes_context=True)
def member_menu(context):
    """The logged-in member's own places ("My mentoring", "My applications"), after the
    site's pages in the main menu; nothing for a visitor. Never inside a content fragment:
    it differs from one member to the next."""
    request = context.get("request")
    links = member_menu_links(request) if request is not None else []
    path = request.path if request is not None else ""
    return {"links": [(label, url, _link_state(url, path)) for label, url in links]}


def _link_state(url: str, path: str) -> str:
    """ "page" for the page being shown, "true" for a page under it, "" otherwise."""
    where = url.split("#", 1)[0]
    if where == path:
        return "page"
    return "true" if where.endswith("/") and path.startswith(where) else ""


@register.simple_tag(takes_context=True)
def footer_links(context) -> list:
    """The pages linked from the footer ("show in footer"), for every page of the site."""
    site = Site.find_for_request(context["request"])
    return footer_pages(site=site)


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


IN_PLACE = "in-place"


@register.filter
def shown_at_top(messages, in_place=False) -> list:
    """The messages to show: at the top of the page, all but those a page shows where it
    opens (tagged "in-place"); with ``in_place``, every one given."""
    if not messages:
        return []
    if in_place:
        return list(messages)
    return [message for message in messages if IN_PLACE not in message.extra_tags.split()]


@register.tag
def content_fragment(parser, token):
    """``{% content_fragment "name" value... %}...{% endcontent_fragment %}``: the enclosed
    markup rendered once for each site and set of values, then kept in memory until content
    changes (core.page_cache.content_cached). Only for markup every visitor of a page sees
    alike: never anything that depends on who is logged in, a form's token or the query."""
    name, *values = token.split_contents()[1:]
    nodelist = parser.parse(("endcontent_fragment",))
    parser.delete_first_token()
    return ContentFragmentNode(
        nodelist, parser.compile_filter(name), [parser.compile_filter(v) for v in values]
    )


class ContentFragmentNode(template.Node):
    def __init__(self, nodelist, name, values):
        self.nodelist, self.name, self.values = nodelist, name, values

    def render(self, context) -> str:
        request = context.get("request")
        site = Site.find_for_request(request) if request is not None else None
        parts = [str(site.pk if site else ""), *(str(v.resolve(context)) for v in self.values)]
        digest = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()
        return content_cached(
            f"fragment:{self.name.resolve(context)}:{digest}",
            lambda: self.nodelist.render(context),
        )
