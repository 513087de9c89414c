"""Coordinator screens for members: who is waiting for verification, and deciding."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.formats import date_format
from django.views.generic import FormView
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.models import IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import AdminDateInput
from wagtail.admin.widgets.button import MenuItem

from members.models import MemberProfile
from members.selectors import member_number_claims, roster_candidates
from members.services.verification import DECLINE_REASON_REQUIRED, member_decline, member_verify

DECISION_PERMISSION = "members.change_memberprofile"


class MemberDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("verify", "Verify: this person is a member"), ("decline", "Decline")],
        widget=forms.RadioSelect,
    )
    membership_expires = forms.DateField(
        required=False,
        widget=AdminDateInput,
        help_text="When verifying: the membership's expiry, if you know it.",
    )
    reason = forms.CharField(
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="When declining: the person is told this reason by e-mail.",
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "decline" and not cleaned.get("reason", "").strip():
            self.add_error("reason", DECLINE_REASON_REQUIRED)
        return cleaned


class MemberDecisionView(WagtailAdminTemplateMixin, FormView):
    """Verify or decline one person's membership, with their roster look-alikes beside it."""

    form_class = MemberDecisionForm
    template_name = "members/coordinator/member_decision.html"
    header_icon = "user"
    index_url_name = ""

    def dispatch(self, request, *args, pk, **kwargs):
        if not request.user.has_perm(DECISION_PERMISSION):
            raise PermissionDenied
        self.profile = get_object_or_404(MemberProfile.objects.select_related("user"), pk=pk)
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return f"Membership of {self.profile.user.display_name}"

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse(self.index_url_name), "label": "Members"},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            profile=self.profile,
            candidates=roster_candidates(profile=self.profile),
            number_claims=member_number_claims(profile=self.profile),
            index_url=reverse(self.index_url_name),
        )
        return context

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            if data["decision"] == "verify":
                member_verify(
                    profile=self.profile,
                    coordinator=self.request.user,
                    membership_expires=data["membership_expires"],
                )
                messages.success(self.request, f"{self.profile.user.display_name} is verified.")
            else:
                member_decline(
                    profile=self.profile, coordinator=self.request.user, reason=data["reason"]
                )
                messages.success(self.request, f"{self.profile.user.display_name} is declined.")
        except ValueError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        return redirect(self.index_url_name)


class MemberIndexView(IndexView):
    """Members, pending ones first, each with a "verify or decline" action."""

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("user")

    def get_edit_url(self, instance):
        # A coordinator opens a member to decide on their membership; the plain edit form
        # (expiry date only) stays in the row's menu.
        if self.request.user.has_perm(DECISION_PERMISSION):
            return reverse("members_member:decide", args=[instance.pk])
        return super().get_edit_url(instance)

    def get_list_more_buttons(self, instance):
        decide_url = self.get_edit_url(instance)
        others = [b for b in super().get_list_more_buttons(instance) if b.url != decide_url]
        buttons = []
        if self.request.user.has_perm(DECISION_PERMISSION):
            buttons.append(MenuItem("Verify or decline", url=decide_url, icon_name="tick"))
        if edit_url := super().get_edit_url(instance):
            buttons.append(MenuItem("Edit expiry date", url=edit_url, icon_name="edit"))
        return [*buttons, *others]


def _expiry_date(profile: MemberProfile) -> str:
    expires = profile.membership_expires
    return date_format(expires, "DATE_FORMAT") if expires else ""


class MemberProfileViewSet(ModelViewSet):
    model = MemberProfile
    icon = "user"
    menu_label = "Members"
    url_prefix = "mentoring/members"
    url_namespace = "members_member"
    index_view_class = MemberIndexView
    list_display = [
        # A plain field first: Wagtail makes it the title column, with the row's actions.
        "user",
        Column("email", label="E-mail", accessor="user.email"),
        "membership_status",
        "member_number",
        # A calendar day, not a moment: Wagtail's DateColumn would read "Just now" for any
        # day still to come.
        Column(
            "membership_expires",
            label="Membership expires",
            accessor=_expiry_date,
            sort_key="membership_expires",
        ),
        DateColumn("created_at", label="Signed up"),
    ]
    list_filter = ["membership_status", "verification_method"]
    search_fields = ["user__email", "user__first_name", "user__last_name", "member_number"]
    ordering = ["-membership_status", "created_at"]
    form_fields = ["membership_expires"]
    # Profiles are made by signing up: no add or copy screen.
    copy_view_enabled = False
    inspect_view_enabled = True
    inspect_view_fields = [
        "pronouns",
        "institution",
        "position",
        "library_type",
        "career_stage",
        "years_experience",
        "time_zone",
        "member_number",
        "membership_status",
        "verification_method",
        "verified_at",
        "membership_expires",
        "decline_reason",
    ]

    def get_common_view_kwargs(self, **kwargs):
        # Profiles are made by signing up, never added here.
        return super().get_common_view_kwargs(**{"add_url_name": None, **kwargs})

    def get_urlpatterns(self):
        return [
            *(pattern for pattern in super().get_urlpatterns() if pattern.name != "add"),
            path("decide/<int:pk>/", self.decide_view, name="decide"),
        ]

    @property
    def decide_view(self):
        return MemberDecisionView.as_view(index_url_name=self.get_url_name("index"))
