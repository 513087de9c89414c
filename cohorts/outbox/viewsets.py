"""The coordinators' outbox screen: every message the portal recorded, who it was for and
how its sending went; a failed message can be sent again from its own confirmation page. No
message body is ever stored, so none is shown."""

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn, StatusTagColumn, Table
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.models import IndexView
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin

from cohorts.choices import (
    OutboxStatus,
    ReminderKind,
)
from cohorts.outbox.models import OutboxMessage
from cohorts.outbox.selectors import outbox_failed_count
from cohorts.outbox.services import INTERRUPTED, outbox_resend
from core.viewsets import ReadOnlyViewSet, WordSearchMixin, model_permissions

SENT_AGAIN = "The e-mail to {name} is queued to be sent again."


def _name(user) -> str:
    return user.display_name if user is not None else "—"


def _cohorts():
    # The cohort pages through the outbox's own key: the program's pages sit above the outbox.
    cohorts = OutboxMessage._meta.get_field("cohort").related_model.objects
    return cohorts.order_by("-formal_start")


def _recipient(message: OutboxMessage) -> str:
    user = message.recipient
    if user.erased_at or not user.email:
        return user.display_name
    return f"{user.display_name} <{user.email}>"


class OutboxFilterSet(WagtailFilterSet):
    kind = django_filters.ChoiceFilter(
        label="Kind", choices=ReminderKind.choices, empty_label="All kinds"
    )
    status = django_filters.ChoiceFilter(
        label="Status", choices=OutboxStatus.choices, empty_label="All", widget=forms.RadioSelect
    )
    cohort = django_filters.ModelChoiceFilter(queryset=_cohorts(), empty_label="All cohorts")

    class Meta:
        model = OutboxMessage
        fields = []


class OutboxTable(Table):
    """Marks failed rows, so they stand out in a long listing."""

    def get_row_classname(self, instance):
        return "outbox-failed" if instance.status == OutboxStatus.FAILED else ""


class OutboxIndexView(WordSearchMixin, IndexView):
    """Every message, newest first, with how many failed shown above the listing."""

    page_title = "Outbox"
    table_class = OutboxTable

    def get_base_queryset(self):
        return OutboxMessage.objects.select_related("recipient", "cohort")

    # Every word must match the recipient's first or last name or e-mail address.
    search_words_in = ("recipient__first_name", "recipient__last_name", "recipient__email")

    @cached_property
    def can_send_again(self) -> bool:
        return self.user_has_permission("change")

    @cached_property
    def columns(self):
        columns = super().columns
        if self.can_send_again:
            columns = [*columns, Column("send_again", label="", accessor=self.send_again_link)]
        return columns

    def send_again_link(self, message: OutboxMessage) -> str:
        if message.status != OutboxStatus.FAILED:
            return ""
        return format_html(
            '<a class="button button-small button-secondary" href="{}">Send again</a>',
            reverse("cohorts_outbox:resend", args=[message.pk]),
        )

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        context["failed_count"] = outbox_failed_count()
        context["failed_url"] = reverse("cohorts_outbox:index") + "?status=failed"
        return context


class OutboxResendView(PermissionCheckedMixin, WagtailAdminTemplateMixin, TemplateView):
    """Asks whether a failed message really did not arrive, then sends it again."""

    model = OutboxMessage
    permission_required = "change"
    template_name = "cohorts/admin/outbox_resend.html"
    page_title = "Send again"
    header_icon = "mail"

    @cached_property
    def message(self) -> OutboxMessage:
        queryset = OutboxMessage.objects.select_related("recipient", "cohort")
        return get_object_or_404(queryset, pk=self.kwargs["pk"])

    def get_page_subtitle(self):
        return _name(self.message.recipient)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("cohorts_outbox:index"), "label": "Outbox"},
            {"url": "", "label": self.get_page_title(), "sublabel": self.get_page_subtitle()},
        ]

    def get_context_data(self, **kwargs):
        message = self.message
        return super().get_context_data(
            message=message,
            recipient=_recipient(message),
            failed=message.status == OutboxStatus.FAILED,
            interrupted=message.last_error == INTERRUPTED,
            index_url=reverse("cohorts_outbox:index"),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        message = self.message
        try:
            outbox_resend(message_id=message.pk)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, SENT_AGAIN.format(name=_name(message.recipient)))
        return redirect("cohorts_outbox:index")


class OutboxViewSet(ReadOnlyViewSet):
    """The outbox: every e-mail of the program and how its sending went; failed messages
    can be sent again. Read only otherwise: the outbox service writes every row."""

    model = OutboxMessage
    icon = "mail"
    menu_label = "Outbox"
    url_prefix = "mentoring/outbox"
    url_namespace = "cohorts_outbox"
    index_view_class = OutboxIndexView
    index_template_name = "cohorts/admin/outbox_index.html"
    add_to_reference_index = False
    list_display = [
        DateColumn("created_at", label="Created", sort_key="created_at"),
        Column("kind", label="Kind", accessor="get_kind_display", sort_key="kind"),
        Column("cohort", label="Cohort", accessor=lambda m: m.cohort.title if m.cohort else "—"),
        Column("recipient", label="Recipient", accessor=_recipient, sort_key="recipient__email"),
        Column("period", label="Period", sort_key="period"),
        StatusTagColumn(
            "status", label="Status", accessor="get_status_display", sort_key="status"
        ),
        Column("attempts", label="Attempts", sort_key="attempts"),
        DateColumn("sent_at", label="Sent", sort_key="sent_at"),
        Column("last_error", label="Last error", classname="outbox-error"),
    ]
    filterset_class = OutboxFilterSet
    # Turns the search box on; OutboxIndexView.search_queryset decides what matches.
    search_fields = ["recipient__email"]
    search_backend_name = None
    ordering = ["-created_at", "-pk"]
    list_per_page = 50

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("resend/<int:pk>/", OutboxResendView.as_view(), name="resend"),
        ]

    def get_permissions_to_register(self):
        # "change" is what sending a failed message again needs; nobody edits a row.
        return model_permissions(self.model, ("view", "change"))

    def register_admin_url_finder(self):
        # No screen of its own for one message.
        return None
