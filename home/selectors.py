"""Reads for the public site: the site settings e-mails use, who receives and who reads
contact messages, what the menu and the footer show, search."""

import re

from wagtail.models import Page, Site

PROGRAM_NAME_FALLBACK = "Mentoring Program"


def site_settings_for(*, page=None):
    """The settings of ``page``'s site, or of the default site when there is no page or it is
    in no site (e-mails are sent outside any request); None on a site-less database."""
    from home.models import SiteSettings

    site = (page.get_site() if page is not None else None) or Site.objects.filter(
        is_default_site=True
    ).first()
    return SiteSettings.for_site(site) if site else None


def program_name(site_settings) -> str:
    """The program's name for e-mail subjects and greetings."""
    return site_settings.program_name if site_settings else PROGRAM_NAME_FALLBACK


def contact_recipients(*, page) -> list[str]:
    """The addresses a contact page's messages go to: its own list, else the chair's."""
    from home.models import SiteSettings

    if page.to_address:
        return [address.strip() for address in page.to_address.split(",") if address.strip()]
    chair_email = SiteSettings.for_site(page.get_site()).chair_email
    return [chair_email] if chair_email else []


# Contact messages are the public's words to the chair: the chair and the coordinators read
# them (members/roles.py gives both groups this permission), and superusers; editors, who
# hold no program data, do not.
CONTACT_MESSAGES_PERMISSION = "wagtailforms.view_formsubmission"


def contact_messages_readable(*, user) -> bool:
    """Whether ``user`` may read the contact page's messages (the admin's Forms)."""
    return bool(user.is_active and user.has_perm(CONTACT_MESSAGES_PERMISSION))


def menu_pages(*, site: Site | None) -> list[Page]:
    """Live, public pages directly under the site's home page that are marked "show in menus"."""
    if site is None:
        return []
    return list(site.root_page.get_children().live().public().in_menu())


def footer_pages(*, site: Site | None) -> list[Page]:
    """Live, public standard pages of the site marked "show in footer" (the privacy notice,
    the accessibility statement, how to apply), in their order in the page tree."""
    from home.models import StandardPage

    if site is None:
        return []
    pages = StandardPage.objects.live().public().descendant_of(site.root_page)
    return list(pages.filter(show_in_footer=True).order_by("path"))


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
