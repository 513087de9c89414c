"""Base classes for the coordinators' screens in the Wagtail admin."""

import datetime

from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.urls import path
from django.utils import timezone
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic import IndexView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSet
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import BasePermissionPolicy

from core.spreadsheets import FormulaSafeExportMixin

SEARCH_TERMS_MAX = 6


class WordSearchMixin:
    """For an admin listing: every word searched for (the first ``SEARCH_TERMS_MAX``) must
    match one of ``search_words_in``, case-insensitively, in the database."""

    search_words_in: tuple[str, ...] = ()

    def search_queryset(self, queryset):
        if not self.is_searching:
            return queryset
        for term in self.search_query.split()[:SEARCH_TERMS_MAX]:
            condition = Q()
            for field in self.search_words_in:
                condition |= Q(**{f"{field}__icontains": term})
            queryset = queryset.filter(condition)
        return queryset


def _local_minute(value: datetime.datetime) -> datetime.datetime:
    """A moment as the site's clock reads it, to the minute, without a time zone."""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return local.replace(second=0, microsecond=0, tzinfo=None)


class SpreadsheetIndexView(FormulaSafeExportMixin, IndexView):
    """A listing whose CSV/XLSX export is built from ``export_columns`` (key: (heading,
    value)) and named ``<export_name>-<date>``, with formula-looking CSV cells made safe.

    Every moment is written in the site's time zone, to the minute ("2027-01-14 21:30"),
    and every day as "2027-01-14", in both formats (Wagtail's default writes UTC with
    microseconds in CSV and UTC in XLSX)."""

    export_columns: dict = {}
    export_name = "export"
    custom_value_preprocess = {
        **IndexView.custom_value_preprocess,
        datetime.datetime: {
            IndexView.FORMAT_CSV: lambda value: f"{_local_minute(value):%Y-%m-%d %H:%M}",
            IndexView.FORMAT_XLSX: _local_minute,
        },
        datetime.date: {
            IndexView.FORMAT_CSV: lambda value: value.isoformat(),
            IndexView.FORMAT_XLSX: None,
        },
    }

    def get_filename(self):
        return f"{self.export_name}-{timezone.localdate():%Y-%m-%d}"

    def to_row_dict(self, item):
        return {key: value(item) for key, (_heading, value) in self.export_columns.items()}


class ReadOnlyViewSet(ModelViewSet):
    """A listing, its export and an inspect page; no add, edit, copy or delete screens,
    because every change goes through a service with its rules and e-mails."""

    copy_view_enabled = False

    def get_common_view_kwargs(self, **kwargs):
        # No add, edit or delete screens exist, so no view links to them.
        return super().get_common_view_kwargs(
            **{"add_url_name": None, "edit_url_name": None, "delete_url_name": None, **kwargs}
        )

    def get_urlpatterns(self):
        patterns = [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
        ]
        if self.inspect_view_enabled:
            patterns.append(path("inspect/<int:pk>/", self.inspect_view, name="inspect"))
        return patterns


def model_permissions(model, actions: tuple[str, ...]):
    """The model's permissions for these actions: what a group may be given on the screen."""
    opts = model._meta
    return Permission.objects.filter(
        content_type__app_label=opts.app_label,
        codename__in=[f"{action}_{opts.model_name}" for action in actions],
    )


def menu_item_requiring(permission: str) -> type[MenuItem]:
    """A menu item class for a screen that only holders of ``permission`` see in the menu."""

    class PermissionMenuItem(MenuItem):
        def is_shown(self, request):
            return request.user.has_perm(permission)

    return PermissionMenuItem


class OneScreenMixin(WagtailAdminTemplateMixin):
    """A read-only admin screen for holders of ``permission`` only, its title the last
    breadcrumb. Anyone else is refused (Wagtail sends them back to the dashboard)."""

    permission = ""
    http_method_names = ["get", "head", "options"]

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(self.permission):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]


class OneScreenViewSet(ViewSet):
    """A Mentoring menu entry that is one screen, ``view_class`` (a ``OneScreenMixin``
    view), at the viewset's address and shown in the menu to holders of its permission."""

    view_class: type[OneScreenMixin]

    @property
    def menu_item_class(self):
        return menu_item_requiring(self.view_class.permission)

    def get_urlpatterns(self):
        return [path("", self.view_class.as_view(), name="index")]


class SuperuserOnlyPermissionPolicy(BasePermissionPolicy):
    """Only active superusers may do anything with the model, whatever groups grant: for
    screens that are about running the portal, not the program."""

    def user_has_permission(self, user, action):
        return bool(user.is_active and user.is_superuser)

    def user_has_any_permission(self, user, actions):
        return self.user_has_permission(user, "view")

    def users_with_any_permission(self, actions):
        from django.contrib.auth import get_user_model

        return get_user_model().objects.filter(is_active=True, is_superuser=True)

    def users_with_permission(self, action):
        return self.users_with_any_permission([action])
