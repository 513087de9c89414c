"""The anonymous page cache: a public page rendered for a visitor who is not logged in is
kept for PAGE_CACHE_SECONDS and served to the next such visitor without touching the
database.

What is cached, and what never is:
- only GET requests for Wagtail pages (`wagtail_serve`), from a visitor with no session
  and no pending message, answered 200;
- never a response that sets a cookie: a page with a form uses a CSRF token, which sets
  the CSRF cookie, so no form is ever cached; never a response marked private or no-store
  (restricted pages), and nothing under the admin, the accounts pages or the members'
  own views (those are not Wagtail page routes).

Every entry is stored under a generation number kept in the same cache. Saving or deleting
a page (publish, unpublish, move, delete all save or delete it), a page's or a collection's
privacy setting, a snippet, a site setting, a site, an image or a document starts a new
generation, so every process sees the change at
once; entries of the old generation simply expire. The cache is the "pages" alias: Redis
when REDIS_URL is set, otherwise a directory on disk that every process on the machine
shares.
"""

import hashlib
import time
from collections.abc import Callable
from contextvars import ContextVar
from typing import TypeVar

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import DisallowedHost
from django.db import DatabaseError
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import Http404, HttpResponse
from wagtail.models import Page

CACHE_ALIAS = "pages"
# The parts of pages kept until content changes: this process's memory (Redis when set).
MEMORY_ALIAS = "memory"
GENERATION_KEY = "page-cache:generation"
SERVED_BY_CACHE = "X-Page-Cache"
PAGE_ROUTE = "wagtail_serve"
# Part of every key of the content kept in memory, which holds pickled page objects: bump it
# when the classes kept there move to another module, so a shared cache (Redis) that outlives
# a deploy never hands the new code an object it cannot unpickle.
CONTENT_FORMAT = "2"
# Part of every whole page's key: bump it when what is stored for a page changes shape, so a
# shared cache that outlives a deploy never hands the new code an entry it cannot read.
PAGE_FORMAT = "2"
T = TypeVar("T")


def _cache():
    return caches[CACHE_ALIAS]


# The generation read once for the request being served (SiteFromMemoryMiddleware), so the
# several parts of a page kept in memory do not each read the shared cache for it.
_request_generation: ContextVar[str | None] = ContextVar("page_cache_generation", default=None)


def page_cache_generation() -> str:
    generation = _request_generation.get()
    if generation is not None:
        return generation
    generation = _cache().get(GENERATION_KEY)
    if generation is None:
        generation = page_cache_invalidate()
    return generation


def page_cache_invalidate() -> str:
    """Start a new generation: every cached page is stale from now on, in every process."""
    generation = str(time.time_ns())
    _cache().set(GENERATION_KEY, generation, timeout=None)
    if _request_generation.get() is not None:
        _request_generation.set(generation)  # the rest of this request sees the change too
    return generation


def content_cached(name: str, compute: Callable[[], T]) -> T:
    """``compute()``, kept in this process until the site's content next changes (or for
    PAGE_CACHE_SECONDS): for parts of a page every visitor sees alike, such as the menu,
    on pages that are not cached whole."""
    if settings.PAGE_CACHE_SECONDS <= 0:
        return compute()
    key = f"content:{CONTENT_FORMAT}:{page_cache_generation()}:{name}"
    return caches[MEMORY_ALIAS].get_or_set(key, compute, timeout=settings.PAGE_CACHE_SECONDS)


def _page_key(request, generation: str) -> str:
    # The Host header as sent, unchecked (get_host() checks it against ALLOWED_HOSTS, a cost
    # on every hit): an entry is only stored for a request the stack below answered 200, so
    # for an allowed host; any other host finds nothing and is refused below.
    meta = request.META
    host = meta.get("HTTP_HOST") or f"{meta.get('SERVER_NAME')}:{meta.get('SERVER_PORT')}"
    address = f"{request.scheme}://{host}{request.path}?{meta.get('QUERY_STRING', '')}"
    digest = hashlib.sha256(address.encode("utf-8", "surrogateescape")).hexdigest()
    return f"page-cache:{PAGE_FORMAT}:{generation}:{digest}"


def _may_use_cache(request) -> bool:
    return (
        settings.PAGE_CACHE_SECONDS > 0
        and request.method == "GET"
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
    )


def _may_store(request, response) -> bool:
    match = getattr(request, "resolver_match", None)
    cache_control = response.get("Cache-Control", "")
    return (
        match is not None
        and match.url_name == PAGE_ROUTE
        and response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and "private" not in cache_control
        and "no-store" not in cache_control
        and "no-cache" not in cache_control
    )


# Page entries this process has read or written lately, as kept in the shared cache: a hit
# on one of them reads only the generation there. Each holds its own expiry, so it lasts
# no longer than the shared entry; bounded, and emptied whole when full.
_recent: dict[str, tuple] = {}
RECENT_MAX_ENTRIES = 500


def _stored_page(key: str):
    stored = _recent.get(key)
    if stored is None:
        stored = _cache().get(key)
        if stored is None:
            return None
        _remember(key, stored)
    if stored[3] <= time.time():
        _recent.pop(key, None)
        return None
    return stored


def _remember(key: str, stored: tuple) -> None:
    if len(_recent) >= RECENT_MAX_ENTRIES:
        _recent.clear()
    _recent[key] = stored


def _skips_cache(request) -> bool:
    # Files under /static/ and /media/ are never Wagtail pages: not worth a cache lookup.
    return request.path_info.startswith((settings.STATIC_URL or "\0", settings.MEDIA_URL or "\0"))


class AnonymousPageCacheMiddleware:
    """First in MIDDLEWARE, so a hit runs no other middleware and no query: it costs a read
    of the generation and the page (the page from this process's memory once read). A page is
    stored as the visitor received it, with the headers every middleware below added (the
    Content-Security-Policy, Strict-Transport-Security, X-Content-Type-Options,
    Referrer-Policy, Permissions-Policy, X-Frame-Options...), so a hit carries the same."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _may_use_cache(request) or _skips_cache(request):
            return self.get_response(request)
        key = _page_key(request, page_cache_generation())
        stored = _stored_page(key)
        if stored is not None:
            content, status, headers, _expires = stored
            response = HttpResponse(content, status=status, headers=headers)
            response.headers[SERVED_BY_CACHE] = "hit"
            return response
        response = self.get_response(request)
        if _may_store(request, response):
            stored = (
                response.content,
                response.status_code,
                dict(response.headers.items()),
                time.time() + settings.PAGE_CACHE_SECONDS,
            )
            _cache().set(key, stored, timeout=settings.PAGE_CACHE_SECONDS)
            _remember(key, stored)
            response.headers[SERVED_BY_CACHE] = "miss"
        return response


def route_through_memory(parent, request, path_components):
    """Wagtail's Page.route, with the child page found in this process's memory until
    content changes (two queries saved per request). Only pages that exist are kept, so
    made-up addresses cannot fill the cache."""
    if not path_components:
        return Page.route(parent, request, path_components)
    slug = path_components[0]
    key = (
        f"content:{CONTENT_FORMAT}:{page_cache_generation()}:child:{parent.pk}:"
        + hashlib.sha256(slug.encode("utf-8", "surrogateescape")).hexdigest()
    )
    memory = caches[MEMORY_ALIAS]
    child = memory.get(key) if settings.PAGE_CACHE_SECONDS > 0 else None
    if child is None:
        child = parent.get_children().filter(slug=slug).specific().first()
        if child is None:
            raise Http404
        if settings.PAGE_CACHE_SECONDS > 0:
            memory.set(key, child, timeout=settings.PAGE_CACHE_SECONDS)
    child._cached_parent_obj = parent
    return child.route(request, path_components[1:])


class ViewRestrictionsFromMemory:
    """Page mixin: the privacy settings that apply to a page (its own and its ancestors'),
    read from this process's memory until content changes, instead of two queries each
    time Wagtail serves it. Saving or deleting a privacy setting, or changing its groups,
    starts a new generation like any other content change."""

    def get_view_restrictions(self):
        from wagtail.models import PageViewRestriction

        if settings.PAGE_CACHE_SECONDS <= 0:
            return super().get_view_restrictions()
        restrictions = content_cached(
            f"view-restrictions:{self.pk}",
            lambda: list(super(ViewRestrictionsFromMemory, self).get_view_restrictions()
                         .prefetch_related("groups")),
        )  # fmt: skip
        if not restrictions:
            return PageViewRestriction.objects.none()
        # A queryset, as Wagtail's callers expect, already holding the restrictions: to
        # iterate it asks nothing of the database; to filter or order it queries afresh.
        queryset = PageViewRestriction.objects.filter(pk__in=[r.pk for r in restrictions])
        queryset._result_cache = restrictions
        return queryset


def _site_for(request):
    from wagtail.models import Site

    site = Site._find_for_request(request)
    if site is not None:
        # Kept with its home page as its own type, which routing asks for next.
        site.root_page = site.root_page.specific
    return site


def _site_root_paths():
    from wagtail.models import Site

    return Site.get_site_root_paths()


class SiteFromMemoryMiddleware:
    """Finds the Wagtail site a request is for (a query Wagtail makes on every request), and
    the sites' root paths every page URL needs, in this process's memory, kept until a site
    or other content changes."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            host = request.get_host()
        except DisallowedHost:
            return self.get_response(request)
        token = _request_generation.set(
            page_cache_generation() if settings.PAGE_CACHE_SECONDS > 0 else None
        )
        try:
            try:
                # Wagtail's Site.find_for_request keeps the site on the request under this name.
                request._wagtail_site = content_cached(
                    f"site:{host}:{request.get_port()}", lambda: _site_for(request)
                )
                if settings.PAGE_CACHE_SECONDS > 0:
                    # Every page's URL needs the sites' root paths, which Wagtail keeps in
                    # the shared cache (a database query without Redis): kept here instead.
                    request._wagtail_cached_site_root_paths = content_cached(
                        "site-root-paths", _site_root_paths
                    )
            except DatabaseError:
                pass  # left to the view: /healthz reports the database, pages fail as before
            return self.get_response(request)
        finally:
            _request_generation.reset(token)


def _shows_on_public_pages(model) -> bool:
    from wagtail import hooks
    from wagtail.contrib.redirects.models import Redirect
    from wagtail.contrib.settings.models import BaseGenericSetting, BaseSiteSetting
    from wagtail.documents.models import AbstractDocument
    from wagtail.images.models import AbstractImage
    from wagtail.models import BaseViewRestriction, Page, Site
    from wagtail.snippets.models import get_snippet_models

    hooks.search_for_hooks()  # snippets are registered in the apps' wagtail_hooks modules
    public = (
        Page,
        BaseViewRestriction,  # a page made private must leave the cache at once
        Site,
        Redirect,
        AbstractImage,
        AbstractDocument,
        BaseSiteSetting,
        BaseGenericSetting,
    )
    return issubclass(model, public) or model in get_snippet_models()


_public_models: dict[type, bool] = {}


def _content_changed(sender, **kwargs) -> None:
    if sender not in _public_models:
        _public_models[sender] = _shows_on_public_pages(sender)
    if _public_models[sender]:
        page_cache_invalidate()


def _relations_changed(sender, instance, action, **kwargs) -> None:
    # A privacy setting's groups, a page's tags: set after the row itself is saved.
    if action.startswith("post_"):
        _content_changed(type(instance))


def connect_invalidation() -> None:
    post_save.connect(_content_changed, dispatch_uid="page-cache-save")
    post_delete.connect(_content_changed, dispatch_uid="page-cache-delete")
    m2m_changed.connect(_relations_changed, dispatch_uid="page-cache-relations")
