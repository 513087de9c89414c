"""Small pieces of public pages: a document's readable name, and the tags that say what a
page is to search engines and to sites a link is shared on (canonical address, OpenGraph)."""

import re
from pathlib import PurePath

from django import template
from wagtail.models import Page

from core.links import absolute_url, page_absolute_url

register = template.Library()

_FILE_NAME_LIKE = re.compile(r"[\w.]+([-_][\w.]+)+")


@register.filter
def document_label(document) -> str:
    """The document's title; a title Wagtail took from the file's name on upload
    ("orientation-checklist") reads as words ("Orientation checklist")."""
    title = (getattr(document, "title", "") or "").strip()
    if not title:
        title = PurePath(getattr(document, "filename", "") or "").stem
    if _FILE_NAME_LIKE.fullmatch(title):
        words = re.sub(r"[-_]+", " ", title).strip()
        return words[:1].upper() + words[1:]
    return title


def _description(page) -> str:
    text = getattr(page, "search_description", "") or getattr(page, "intro", "") or ""
    return re.sub(r"<[^>]+>", "", str(text)).strip()[:300]


@register.inclusion_tag("tags/page_meta.html", takes_context=True)
def page_meta(context):
    """Canonical address and OpenGraph tags for a Wagtail page, at the public address
    (SITE_URL) so a shared or indexed link never names another host."""
    page = context.get("page")
    if not isinstance(page, Page):
        return {}
    request = context.get("request")
    url = page_absolute_url(page)
    if not url:
        return {}
    number = request.GET.get("page", "") if request else ""
    if number.isdigit() and int(number) > 1:
        url = f"{url}?page={int(number)}"
    image = getattr(page, "image", None)
    rendition = image.get_rendition("fill-1200x630") if image else None
    site_settings = context.get("site_settings")
    return {
        "url": url,
        "title": page.seo_title or page.title,
        "description": _description(page),
        "kind": "article" if hasattr(page, "date") else "website",
        "site_name": getattr(site_settings, "program_name", "") if site_settings else "",
        "image_url": absolute_url(rendition.url) if rendition else "",
        "image_alt": getattr(page, "image_alt", "") if rendition else "",
    }
