"""Reads for the public site: the site settings e-mails use, who receives and who reads
contact messages and how long they are kept, what the menu and the footer show, search."""

import datetime
import re
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
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


def contact_messages():
    """Every message the contact pages hold (Wagtail's form submissions of contact pages)."""
    from wagtail.contrib.forms.models import FormSubmission

    from home.models import ContactPage

    return FormSubmission.objects.filter(page__in=ContactPage.objects.values("pk"))


def contact_messages_expired(*, now: datetime.datetime | None = None):
    """The contact messages sent more than ``CONTACT_MESSAGE_RETENTION_DAYS`` days before
    ``now``: those the daily retention task erases."""
    days = datetime.timedelta(days=settings.CONTACT_MESSAGE_RETENTION_DAYS)
    return contact_messages().filter(submit_time__lt=(now or timezone.now()) - days)


@dataclass(frozen=True)
class ContactRetention:
    """How long contact messages are kept, how many there are and how many are past it:
    counts only, for the coordinators' data retention screen."""

    days: int
    kept: int
    expired: int


def contact_retention(*, now: datetime.datetime | None = None) -> ContactRetention:
    return ContactRetention(
        days=settings.CONTACT_MESSAGE_RETENTION_DAYS,
        kept=contact_messages().count(),
        expired=contact_messages_expired(now=now).count(),
    )


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


# A result whose own title names nothing on its own (every cohort has an "Apply" page) is
# listed under its parent's too: "Apply — 2027–2028 cohort".
RESULT_TITLE_IN_PARENT = "{title} — {parent}"


@dataclass(frozen=True)
class SearchResult:
    page: Page
    title: str


def search_results_titled(pages) -> list[SearchResult]:
    """The pages of one page of results, each with the title it is listed under. A page type
    that sets ``search_title_names_parent = True`` is named with its parent's title, read in
    one query for the whole page of results."""
    pages = list(pages)
    parent_paths = {
        page.path[: -page.steplen]
        for page in pages
        if getattr(page, "search_title_names_parent", False)
    }
    parents = (
        dict(Page.objects.filter(path__in=parent_paths).values_list("path", "title"))
        if parent_paths
        else {}
    )
    return [SearchResult(page=page, title=_result_title(page, parents)) for page in pages]


def _result_title(page, parents: dict[str, str]) -> str:
    parent = parents.get(page.path[: -page.steplen])
    if parent is None or not getattr(page, "search_title_names_parent", False):
        return page.title
    return RESULT_TITLE_IN_PARENT.format(title=page.title, parent=parent)
