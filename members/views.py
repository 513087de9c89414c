"""The member's own pages: their account and membership, profile, data download, deletion.

Every page here is about one person, so none may be kept by a shared cache (``never_cache``).
The views are thin: the rules live in ``members.services.accounts`` and ``members.selectors``.
"""

import json
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.generic import FormView, TemplateView, View

from members.choices import ContactMethod, MembershipStatus
from members.forms import AccountDeleteForm, ProfileForm
from members.selectors import member_eligibility, profile_for
from members.services.accounts import (
    member_account_delete,
    member_data_export,
    member_profile_update,
)

PROFILE_SAVED = "Your profile is saved."
CONTACT_METHOD_LABELS = dict(ContactMethod.choices)


def membership_state(profile, eligibility) -> str:
    """Which of the four membership messages the member sees: pending, verified, declined
    or lapsed (verified, but the selectors say the membership has expired)."""
    if profile.membership_status == MembershipStatus.VERIFIED and not eligibility.allowed:
        return "lapsed"
    return profile.membership_status


@method_decorator(never_cache, name="dispatch")
class ProfileView(LoginRequiredMixin, TemplateView):
    """The member's own page: membership status, what they told us, and account settings."""

    template_name = "members/profile.html"

    def get_context_data(self, **kwargs):
        profile = profile_for(user=self.request.user)
        eligibility = member_eligibility(user=self.request.user)
        return super().get_context_data(
            profile=profile,
            areas=list(profile.areas.all()),
            contact_methods=[
                CONTACT_METHOD_LABELS.get(method, method) for method in profile.contact_methods
            ],
            eligibility=eligibility,
            membership_state=membership_state(profile, eligibility),
            **kwargs,
        )


@method_decorator(never_cache, name="dispatch")
class ServiceFormView(LoginRequiredMixin, FormView):
    """A form whose valid data goes to one service; the service's ``ValidationError``
    re-renders the form with its messages, and nothing is written.

    Override ``submit`` to call the service and ``success`` to say what happened.
    """

    def form_valid(self, form):
        try:
            self.submit(form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        return self.success()

    def submit(self, data: dict) -> None:
        raise NotImplementedError

    def success(self):
        return redirect(self.get_success_url())


class ProfileEditView(ServiceFormView):
    """Edit the profile; on success, back to the account page."""

    template_name = "members/profile_edit.html"
    form_class = ProfileForm
    success_url = reverse_lazy("member_profile")

    def get_form_kwargs(self):
        user = self.request.user
        return {**super().get_form_kwargs(), "user": user, "profile": profile_for(user=user)}

    def submit(self, data):
        member_profile_update(user=self.request.user, **data)

    def success(self):
        messages.success(self.request, PROFILE_SAVED)
        return super().success()


class AccountDeleteView(ServiceFormView):
    """Confirm with the password (or, without one, the e-mail address), then erase the
    account and log out."""

    template_name = "members/account_delete.html"
    form_class = AccountDeleteForm
    success_url = reverse_lazy("member_account_deleted")

    def get_form_kwargs(self):
        has_password = self.request.user.has_usable_password()
        return {**super().get_form_kwargs(), "has_password": has_password}

    def submit(self, data):
        member_account_delete(
            user=self.request.user,
            password=data.get("password", ""),
            confirmation=data.get("confirmation", ""),
            request=self.request,
        )


@method_decorator(never_cache, name="dispatch")
class DataExportView(LoginRequiredMixin, View):
    """Download everything the portal holds about the member, as a JSON file; the same data
    reads as a page at ``DataSummaryView``."""

    def get(self, request):
        data = member_data_export(user=request.user)
        body = json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False)
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
        filename = f"mentoring-data-{timezone.localdate():%Y-%m-%d}.json"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


@dataclass(frozen=True)
class SummaryNode:
    """One value of the data download, shaped for its printable page: ``text``, ``items``
    (a list of texts), ``fields`` (labelled values) or ``records`` (a list of ``fields``)."""

    kind: str
    value: Any


def summary_node(value: Any) -> SummaryNode:
    """The printable page's tree for a value of ``member_data_export``."""
    if isinstance(value, dict):
        return SummaryNode(
            "fields", [(label, summary_node(item)) for label, item in value.items()]
        )
    if isinstance(value, list):
        if value and all(isinstance(item, dict) for item in value):
            return SummaryNode("records", [summary_node(item) for item in value])
        return SummaryNode("items", [str(item) for item in value])
    return SummaryNode("text", "" if value is None else str(value))


@method_decorator(never_cache, name="dispatch")
class DataSummaryView(LoginRequiredMixin, TemplateView):
    """The same data as the download, as a page that reads and prints well."""

    template_name = "members/data_summary.html"

    def get_context_data(self, **kwargs):
        data = member_data_export(user=self.request.user)
        exported_at, about = data.pop("Exported at"), data.pop("About this file")
        sections = [(title, summary_node(value)) for title, value in data.items()]
        return super().get_context_data(
            exported_at=exported_at, about=about, sections=sections, **kwargs
        )


@never_cache
def account_deleted(request):
    """Where a deleted account lands: it is logged out, so this page needs no login."""
    return TemplateResponse(request, "members/account_deleted.html")


profile = ProfileView.as_view()
profile_edit = ProfileEditView.as_view()
data_export = DataExportView.as_view()
data_summary = DataSummaryView.as_view()
account_delete = AccountDeleteView.as_view()
