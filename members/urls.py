"""The member's own pages, under /accounts/ beside allauth's sign-up, login and password pages.

portal/urls.py includes these before ``allauth.urls``, so the copies of allauth's account
URLs below are the ones that answer: the same views, names and paths, each wrapped in
``never_cache``, because every one of them is about one person's account (allauth marks only
login and sign-up uncacheable). allauth's own patterns stay behind them for ``reverse``.
"""

from allauth.account import urls as allauth_account_urls
from django.urls import URLPattern, path
from django.views.decorators.cache import never_cache

from members import views
from members.sso import views as sso_views


def never_cached(patterns) -> list[URLPattern]:
    """The same URL patterns, with every view's responses marked never to be cached."""
    return [
        URLPattern(
            pattern.pattern, never_cache(pattern.callback), pattern.default_args, pattern.name
        )
        for pattern in patterns
        if isinstance(pattern, URLPattern)
    ]


urlpatterns = [
    path("profile/", views.profile, name="member_profile"),
    path("profile/edit/", views.profile_edit, name="member_profile_edit"),
    path("profile/data/", views.data_export, name="member_data_export"),
    path("profile/data/summary/", views.data_summary, name="member_data_summary"),
    path("delete/", views.account_delete, name="member_account_delete"),
    path("deleted/", views.account_deleted, name="member_account_deleted"),
    # Ahead of allauth's own address for it (see members/sso/views.py).
    path("oidc/<str:provider_id>/login/", sso_views.login),
    path("logout/everywhere/", sso_views.logout_everywhere, name="sso_logout_everywhere"),
    *never_cached(allauth_account_urls.urlpatterns),
]
