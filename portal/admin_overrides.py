"""Wagtail admin views the portal serves in place of Wagtail's own: where the stock view
answers a malformed request with a server error (each keeps Wagtail's behaviour for every
well-formed request), the Forms index, open to whoever may read a form's submissions, and
the admin's login address, which hands over to the members' login. ``portal/urls.py`` routes
to them ahead of the admin's URLs.
"""

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from wagtail.admin.auth import require_admin_access
from wagtail.admin.forms.choosers import ExternalLinkChooserForm, URLOrAbsolutePathField
from wagtail.admin.views.chooser import ExternalLinkView
from wagtail.admin.viewsets.pages import page_viewset_registry
from wagtail.contrib.forms.utils import get_forms_for_user
from wagtail.contrib.forms.views import FormPagesListView
from wagtail.contrib.redirects import views as redirects_views
from wagtail.models import Page


class _URLOrAbsolutePathField(URLOrAbsolutePathField):
    """Treats a missing value as empty, so the form says "required" instead of raising."""

    def to_python(self, value):
        return super().to_python(value or "")


class _ExternalLinkChooserForm(ExternalLinkChooserForm):
    url = _URLOrAbsolutePathField(required=True, label="URL")


class _ExternalLinkView(ExternalLinkView):
    form_class = _ExternalLinkChooserForm


external_link_chooser = require_admin_access(_ExternalLinkView.as_view())


_wagtail_page_copy = require_admin_access(
    page_viewset_registry.as_view("copy", page_id_kwarg="page_id")
)
NO_NEW_PARENT = "Choose the page to copy this page under."


def page_copy(request, page_id: int):
    """Wagtail's page copy, refusing a POST without a valid parent page with a 400."""
    if request.method == "POST":
        parent = request.POST.get("new_parent_page", "")
        if not parent.isdigit() or not Page.objects.filter(pk=int(parent)).exists():
            return HttpResponseBadRequest(NO_NEW_PARENT)
    return _wagtail_page_copy(request, page_id=page_id)


_wagtail_redirects_import = require_admin_access(redirects_views.process_import)
IMPORT_EXPIRED = "This import is incomplete or has expired: upload the file again."


def redirects_import_process(request):
    """Wagtail's redirects import, refusing a POST without its signed file fields with 400."""
    if request.method == "POST" and not {"import_file_name", "input_format"} <= set(request.POST):
        return HttpResponseBadRequest(IMPORT_EXPIRED)
    return _wagtail_redirects_import(request)


class _FormPagesListView(FormPagesListView):
    """Wagtail's Forms index for whoever may read some form's submissions, as the
    ``filter_form_submissions_for_user`` hooks decide, rather than only for those who may edit
    pages: the chair and the coordinators read the contact page's messages there without any
    page permission. It lists exactly what ``get_forms_for_user`` returns, as before."""

    any_permission_required = None

    def dispatch(self, request, *args, **kwargs):
        if not get_forms_for_user(request.user).exists():
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


forms_index = require_admin_access(_FormPagesListView.as_view())
forms_index_results = require_admin_access(_FormPagesListView.as_view(results_only=True))


def admin_login(request):
    """The admin's login address, for GET and POST alike: it never checks a password itself.

    A visitor goes to the members' login (allauth) with the admin page they asked for as
    ``next``, so the lockout, the rate limits and the confirmed-address rule are the same for
    everyone, and allauth brings them back there. Someone already logged in goes to that page
    when they may use the admin, or to their account page when they may not (sending them to
    the login again would loop, since allauth returns a logged-in visitor to ``next``).
    """
    target = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("wagtailadmin_home")
    if not request.user.is_authenticated:
        return redirect_to_login(target, login_url=reverse("account_login"))
    if request.user.has_perm("wagtailadmin.access_admin"):
        return redirect(target)
    return redirect("member_profile")
