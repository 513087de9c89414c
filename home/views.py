from django.core.paginator import Paginator
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from home.selectors import public_pages_search, search_results_titled

SEARCH_RESULTS_PER_PAGE = 10
SEARCH_QUERY_MAX_LENGTH = 200


@require_safe
def search(request):
    """Search the site's live, public pages; restricted pages never appear, not even by title."""
    query = request.GET.get("query", "").strip()[:SEARCH_QUERY_MAX_LENGTH]
    results = public_pages_search(query=query) if query else []
    page = Paginator(results, SEARCH_RESULTS_PER_PAGE).get_page(request.GET.get("page"))
    context = {"query": query, "results": page, "titled": search_results_titled(page)}
    return TemplateResponse(request, "search/search.html", context)


@require_safe
@cache_control(max_age=86400, public=True)
def robots_txt(request):
    sitemap_url = request.build_absolute_uri(reverse("sitemap"))
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        f"Sitemap: {sitemap_url}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
