"""Coordinator screens for the member roster: the list, and the CSV import with its preview.

The import is three steps: upload a file, read the preview (nothing is written yet), then
confirm. Between the preview and the confirmation the file's text waits in the session
under a random token, with its SHA-256, so the confirmation applies exactly the file that
was previewed; the rules themselves are in members.services.roster.
"""

import hashlib
import secrets

import django_filters
from django import forms
from django.core.exceptions import PermissionDenied
from django.core.validators import FileExtensionValidator
from django.forms import modelform_factory
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.generic import FormView, TemplateView
from wagtail.admin import messages
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.models import IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import HeaderButton

from members.models import MemberRoster
from members.services.roster import (
    EMAIL_TAKEN,
    FILE_TOO_LARGE,
    MAX_FILE_BYTES,
    MAX_ROWS,
    NUMBER_TAKEN,
    RosterChangedError,
    RosterImportError,
    roster_csv_decode,
    roster_import_apply,
    roster_import_preview,
    roster_value_clean,
)

IMPORT_PERMISSIONS = ("members.add_memberroster", "members.change_memberroster")
SESSION_KEY = "members_roster_import"
PREVIEW_STALE = (
    "This import preview has expired or was replaced by a newer upload. "
    "Upload the file again to see a fresh preview."
)
PREVIEW_OUTDATED = (
    "The roster changed since you previewed this file, so nothing was imported. "
    "Check the updated preview below and confirm again."
)
# Each preview table shows this many rows; the counts above it are always complete.
TABLE_LIMIT = 1000


class MembershipFilterSet(WagtailFilterSet):
    """Current or expired, by the same rule as verification: unexpired means today or later."""

    membership = django_filters.ChoiceFilter(
        label="Membership",
        choices=[("current", "Current"), ("expired", "Expired")],
        method="filter_membership",
        empty_label="All",
        widget=forms.RadioSelect,
    )

    class Meta:
        model = MemberRoster
        fields = []

    def filter_membership(self, queryset, name, value):
        today = timezone.localdate()
        if value == "current":
            return queryset.filter(membership_expires__gte=today)
        if value == "expired":
            return queryset.filter(membership_expires__lt=today)
        return queryset


class ExpiryColumn(Column):
    """The expiry date, with an "expired" tag once it is past."""

    cell_template_name = "members/admin/expiry_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["expired"] = instance.membership_expires < timezone.localdate()
        return context


def _full_name(entry: MemberRoster) -> str:
    return f"{entry.first_name} {entry.last_name}".strip()


class MemberRosterIndexView(IndexView):
    """The roster listing, with an "Import CSV" button for those who may import."""

    import_url_name = None

    @cached_property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        if self.import_url_name and self.request.user.has_perms(IMPORT_PERMISSIONS):
            buttons.append(
                HeaderButton(
                    "Import CSV",
                    url=reverse(self.import_url_name),
                    icon_name="upload",
                    priority=20,
                )
            )
        return buttons


class RosterEntryForm(WagtailAdminModelForm):
    """A roster entry typed in the admin, checked and normalised as an imported row is."""

    def clean(self):
        cleaned = super().clean()
        for column in ("member_number", "email", "first_name", "last_name"):
            if column not in cleaned:
                continue
            value, problem = roster_value_clean(column=column, raw=cleaned[column] or "")
            if problem:
                self.add_error(column, problem)
            else:
                cleaned[column] = value
        email = cleaned.get("email")
        if email:
            taken = MemberRoster.objects.filter(email__iexact=email).exclude(pk=self.instance.pk)
            if other := taken.first():
                self.add_error(
                    "email", EMAIL_TAKEN.format(email=email, number=other.member_number)
                )
        number = cleaned.get("member_number")
        if number:
            others = MemberRoster.objects.filter(member_number__iexact=number)
            if others.exclude(pk=self.instance.pk).exists():
                self.add_error("member_number", NUMBER_TAKEN.format(number=number))
        return cleaned


class RosterImportForm(forms.Form):
    file = forms.FileField(
        label="Roster file (CSV)",
        validators=[FileExtensionValidator(["csv"])],
        help_text=(
            "A .csv file whose first line names the columns member_number, email, "
            "first_name, last_name and membership_expires. "
            f"At most {MAX_FILE_BYTES // 1024**2} MB and {MAX_ROWS:,} rows."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(FILE_TOO_LARGE.format(limit_mb=MAX_FILE_BYTES // 1024**2))
        return upload


class RosterImportMixin(WagtailAdminTemplateMixin):
    """Permission check and breadcrumbs, shared by the import steps."""

    index_url_name = None
    import_url_name = None
    preview_url_name = None
    header_icon = "upload"

    def dispatch(self, request, *args, **kwargs):
        # Wagtail's admin turns this into its "permission denied" message and redirect.
        if not request.user.has_perms(IMPORT_PERMISSIONS):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse(self.index_url_name), "label": "Member roster"},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["index_url"] = reverse(self.index_url_name)
        context["import_url"] = reverse(self.import_url_name)
        return context


class RosterImportView(RosterImportMixin, FormView):
    """Step 1: upload the file. A readable file goes on to the preview; nothing is written."""

    form_class = RosterImportForm
    template_name = "members/admin/roster_import.html"
    page_title = "Import CSV"

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        try:
            text = roster_csv_decode(data=upload.read())
            preview = roster_import_preview(text=text)
        except RosterImportError as error:
            form.add_error("file", str(error))
            return self.form_invalid(form)
        token = secrets.token_urlsafe(16)
        # One pending import per session: a new upload replaces the previous one.
        self.request.session[SESSION_KEY] = {
            "token": token,
            "text": text,
            "sha256": _sha256(text),
            "preview_digest": preview.digest,
            "filename": upload.name,
        }
        return redirect(self.preview_url_name, token=token)


class RosterImportPreviewView(RosterImportMixin, TemplateView):
    """Step 2 and 3: show what the file would change; a POST confirms and applies it."""

    template_name = "members/admin/roster_import_preview.html"
    page_title = "Import preview"

    def dispatch(self, request, *args, token, **kwargs):
        self.token = token
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def pending(self) -> dict | None:
        """The upload waiting under this token, if its text is still the one previewed."""
        pending = self.request.session.get(SESSION_KEY)
        if not isinstance(pending, dict) or pending.get("token") != self.token:
            return None
        if _sha256(pending.get("text", "")) != pending.get("sha256"):
            return None
        return pending

    def get(self, request, *args, **kwargs):
        if self.pending is None:
            return self.stale()
        preview = roster_import_preview(text=self.pending["text"])
        self.remember(preview)
        return self.render_to_response(self.get_context_data(preview=preview))

    def post(self, request, *args, **kwargs):
        if self.pending is None or request.POST.get("sha256") != self.pending["sha256"]:
            return self.stale()
        preview = roster_import_preview(text=self.pending["text"])
        if preview.digest != self.pending["preview_digest"]:
            return self.outdated(preview)
        try:
            result = roster_import_apply(preview=preview)
        except RosterChangedError:
            return self.outdated(roster_import_preview(text=self.pending["text"]))
        del request.session[SESSION_KEY]
        messages.success(request, result.summary)
        return redirect(self.index_url_name)

    def stale(self):
        messages.error(self.request, PREVIEW_STALE)
        return redirect(self.import_url_name)

    def outdated(self, preview):
        self.remember(preview)
        messages.warning(self.request, PREVIEW_OUTDATED)
        return self.render_to_response(self.get_context_data(preview=preview))

    def remember(self, preview) -> None:
        """Confirming applies the preview last shown, so record which one that was."""
        if self.pending["preview_digest"] != preview.digest:
            self.pending["preview_digest"] = preview.digest
            self.request.session.modified = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            filename=self.pending["filename"],
            sha256=self.pending["sha256"],
            table_limit=TABLE_LIMIT,
            long_preview=_row_count(kwargs["preview"]) > 10,
        )
        return context


class MemberRosterViewSet(ModelViewSet):
    """The association's roster: list, search, filter, edit, and import from CSV."""

    model = MemberRoster
    icon = "list-ul"
    menu_label = "Member roster"
    url_prefix = "mentoring/roster"
    url_namespace = "members_roster"
    index_view_class = MemberRosterIndexView
    list_display = [
        "member_number",
        Column("name", label="Name", accessor=_full_name, sort_key="last_name"),
        Column("email", label="E-mail", sort_key="email"),
        ExpiryColumn(
            "membership_expires", label="Membership expires", sort_key="membership_expires"
        ),
    ]
    filterset_class = MembershipFilterSet
    search_fields = ["member_number", "first_name", "last_name", "email"]
    form_fields = ["member_number", "email", "first_name", "last_name", "membership_expires"]
    # A copy would carry the same unique member number; add a new entry instead.
    copy_view_enabled = False

    def get_form_class(self, for_update=False):
        return modelform_factory(
            self.model,
            form=RosterEntryForm,
            formfield_callback=self.formfield_for_dbfield,
            fields=self.form_fields,
        )

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(import_url_name=self.get_url_name("import"), **kwargs)

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("import/", self.import_view, name="import"),
            path("import/<str:token>/", self.import_preview_view, name="import_preview"),
        ]

    def get_import_view_kwargs(self):
        return {
            "index_url_name": self.get_url_name("index"),
            "import_url_name": self.get_url_name("import"),
            "preview_url_name": self.get_url_name("import_preview"),
        }

    @property
    def import_view(self):
        return RosterImportView.as_view(**self.get_import_view_kwargs())

    @property
    def import_preview_view(self):
        return RosterImportPreviewView.as_view(**self.get_import_view_kwargs())


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _row_count(preview) -> int:
    return len(preview.to_add) + len(preview.to_update) + len(preview.rejected)
