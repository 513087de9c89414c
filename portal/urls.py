from django.conf import settings
from django.http import Http404
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from home import views as home_views
from home.sitemap import PublicSitemap
from portal.admin_overrides import (
    admin_login,
    external_link_chooser,
    forms_index,
    forms_index_results,
    page_copy,
    redirects_import_process,
)
from portal.health import healthz, healthz_web
from resources.feeds import NewsFeed


def not_found(request, *args, **kwargs):
    raise Http404


urlpatterns = [
    # Wagtail's "failwhale" page raises on purpose to test error reporting; no request from
    # any user of the portal may produce a server error, so it is not served.
    path("admin/failwhale/", not_found),
    path("admin/choose-external-link/", external_link_chooser),
    path("admin/pages/<int:page_id>/copy/", page_copy),
    path("admin/redirects/import/process/", redirects_import_process),
    # The portal's snippet choosers offer no "create" tab; Wagtail's view fails without one.
    path("admin/snippets/choose/<str:app_label>/<str:model_name>/create/", not_found),
    path("admin/forms/", forms_index),
    path("admin/forms/results/", forms_index_results),
    # Every sign-in goes through the members' login (allauth): README, Security.
    path("admin/login/", admin_login),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("", include("cohorts.reminders.urls")),
    path("accounts/", include("members.urls")),
    path("accounts/", include("allauth.urls")),
    path("search/", home_views.search, name="search"),
    path("news/feed/", NewsFeed(), name="news_feed"),
    path("sitemap.xml", sitemap, {"sitemaps": {"pages": PublicSitemap}}, name="sitemap"),
    path("robots.txt", home_views.robots_txt, name="robots_txt"),
    path("healthz", healthz, name="healthz"),
    path("healthz/web", healthz_web, name="healthz_web"),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]
