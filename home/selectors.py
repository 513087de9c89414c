"""Reads for the public site: who receives contact messages, what the menu shows, search."""

import re

from wagtail.models import Page, Site


def contact_recipients(*, page) -> list[str]:
    """The addresses a contact page's messages go to: its own list, else the chair's."""
    from home.models import SiteSettings

    if page.to_address:
        return [address.strip() for address in page.to_address.split(",") if address.strip()]
    chair_email = SiteSettings.for_site(page.get_site()).chair_email
    return [chair_email] if chair_email else []


def menu_pages(*, site: Site | None) -> list[Page]:
    """Live, public pages directly under the site's home page that are marked "show in menus"."""
    if site is None:
        return []
    return list(site.root_page.get_children().live().public().in_menu())


SEARCH_MAX_TERMS = 12


def search_terms(query: str) -> str:
    """Reduce what a visitor typed to plain words.

    The SQLite full-text index reads quotes, colons, brackets, "*" and upper-case AND, OR,
    NOT and NEAR as query syntax, so "javascript:alert(1)" would be an error, not a search.
    """
    words = re.findall(r"\w+", query.lower())
    return " ".join(words[:SEARCH_MAX_TERMS])


def public_pages_search(*, query: str):
    """Full-text search over live pages that anonymous visitors may see."""
    terms = search_terms(query)
    if not terms:
        return Page.objects.none()
    return Page.objects.live().public().specific().search(terms)
