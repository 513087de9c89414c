"""Admin screens for the program's reminders: the editors' reminder wording, and the
coordinators' check-in answers and announcements (the outbox has its own screen,
cohorts.outbox.viewsets).

Each reminder kind has one wording snippet from the start; an editor changes its subject and
body with a live preview, never its kind.

The check-in answers list what participants clicked in the
chair's check-ins, with a link to any request for help they opened. Announcements are
written once, sent through the outbox by cohorts.reminders.services.announcements, and never
edited.
"""

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.shortcuts import get_object_or_404
from django.template.defaultfilters import linebreaks_filter
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.text import Truncator
from wagtail.admin import messages
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import ObjectList
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views.generic.models import CreateView, IndexView, InspectView
from wagtail.snippets.views.snippets import SnippetViewSet

from cohorts.choices import (
    AnnouncementAudience,
    CheckInAnswerChoice,
    CheckInCadence,
)
from cohorts.program.models import CohortPage
from cohorts.reminders.models import Announcement, CheckInAnswer, ReminderTemplate
from cohorts.reminders.services.announcements import (
    BODY_EMPTY,
    BODY_MAX_LENGTH,
    SUBJECT_EMPTY,
    SUBJECT_MAX_LENGTH,
    announcement_preview,
    announcement_send,
    announcement_test_send,
    announcement_text_check,
)
from core.viewsets import (
    ReadOnlyViewSet,
    SpreadsheetIndexView,
    WordSearchMixin,
    model_permissions,
)

ANNOUNCEMENT_SENT = "Announcement “{subject}” is on its way to {count} {people}."
TEST_SENT = "A test is on its way to you alone ({email}); nobody in the audience received it."
SEND_LABEL = "Send to {count} {people}"
PAIR_SUPPORT_ANCHOR = "#pair-support"


def _name(user) -> str:
    return user.display_name if user is not None else "—"


def _cohorts():
    return CohortPage.objects.order_by("-formal_start")


# ---- Reminder wording ------------------------------------------------------------------------


class ReminderWordingForm(WagtailAdminModelForm):
    """Keeps the kind of an existing wording as it is (the snippet is that kind's wording),
    and offers a new snippet only the kinds that have none."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        kind = self.fields["kind"]
        if self.instance.pk:
            kind.disabled = True
        else:
            taken = set(ReminderTemplate.objects.values_list("kind", flat=True))
            kind.choices = [choice for choice in kind.choices if choice[0] not in taken]


class ReminderTemplateViewSet(SnippetViewSet):
    """The editors' wording of each reminder, with a live preview of the e-mail.

    Every ``migrate`` creates the snippet of each kind that has none, with the built-in
    wording (cohorts/reminders/services/wording.py), on an upgraded database too. No role
    may add or delete one: a kind without a snippet would silently fall back to the
    built-in wording, which editors cannot see here.
    """

    model = ReminderTemplate
    icon = "mail"
    menu_label = "Reminder wording"
    list_display = [
        "kind",
        "subject",
        DateColumn("updated_at", label="Updated", sort_key="updated_at"),
    ]
    ordering = ["kind"]
    list_per_page = 50
    copy_view_enabled = False
    edit_handler = ObjectList(ReminderTemplate.panels, base_form_class=ReminderWordingForm)


# ---- Check-in answers ------------------------------------------------------------------------

CADENCE_PREFIXES = {value[0]: label for value, label in CheckInCadence.choices}


def _period_label(period: str) -> str:
    """A check-in's period as coordinators read it ("q2" is "Quarterly check-in 2");
    anything else is shown as it is stored."""
    cadence, number = CADENCE_PREFIXES.get(period[:1]), period[1:]
    if cadence and number.isdigit():
        return f"{cadence} check-in {number}"
    return period


def _periods() -> list[tuple[str, str]]:
    periods = CheckInAnswer.objects.order_by("period").values_list("period", flat=True)
    return [(period, _period_label(period)) for period in periods.distinct()]


def _pair_names(answer: CheckInAnswer) -> str:
    pair = answer.pair
    if pair is None:
        return ""
    return f"{pair.mentor.applicant.display_name} and {pair.mentee.applicant.display_name}"


def _pair_link(answer: CheckInAnswer) -> str:
    if answer.pair_id is None:
        return "—"
    url = reverse("cohorts_pair:inspect", args=[answer.pair_id])
    return format_html('<a href="{}">{}</a>', url, _pair_names(answer))


def _support_link(answer: CheckInAnswer) -> str:
    if answer.support_request_id is None or answer.pair_id is None:
        return ""
    url = reverse("cohorts_pair:inspect", args=[answer.pair_id]) + PAIR_SUPPORT_ANCHOR
    return format_html('<a href="{}">Request for help</a>', url)


class CheckInAnswerFilterSet(WagtailFilterSet):
    cohort = django_filters.ModelChoiceFilter(queryset=_cohorts(), empty_label="All cohorts")
    period = django_filters.ChoiceFilter(
        label="Check-in", choices=_periods, empty_label="All check-ins"
    )
    answer = django_filters.ChoiceFilter(
        label="Answer",
        choices=CheckInAnswerChoice.choices,
        empty_label="All",
        widget=forms.RadioSelect,
    )

    class Meta:
        model = CheckInAnswer
        fields = []


# key: (heading, value). Names, choices and dates only: no free text leaves the admin.
CHECKIN_EXPORT_COLUMNS = {
    "cohort": ("Cohort", lambda a: a.cohort.title),
    "period": ("Check-in", lambda a: _period_label(a.period)),
    "pair": ("Pair", _pair_names),
    "participant": ("Participant", lambda a: _name(a.user)),
    "answer": ("Answer", lambda a: a.get_answer_display()),
    "comment": ("Comment", lambda a: a.comment),
    "answered_at": ("Answered", lambda a: a.answered_at),
    "support_request": ("Asked for help", lambda a: "Yes" if a.support_request_id else "No"),
}


class CheckInAnswerIndexView(WordSearchMixin, SpreadsheetIndexView):
    """The answers, newest first, searchable by participant, with the CSV/XLSX export."""

    export_columns = CHECKIN_EXPORT_COLUMNS
    export_name = "check-in-answers"

    def get_base_queryset(self):
        return CheckInAnswer.objects.select_related(
            "cohort", "user", "pair__mentor__applicant", "pair__mentee__applicant"
        )

    # Every word must match the participant's first or last name or e-mail address.
    search_words_in = ("user__first_name", "user__last_name", "user__email")


class CheckInAnswerViewSet(ReadOnlyViewSet):
    """What participants answered to the chair's check-ins; read only, with the export."""

    model = CheckInAnswer
    icon = "tick-inverse"
    menu_label = "Check-in answers"
    url_prefix = "mentoring/check-ins"
    url_namespace = "cohorts_checkinanswer"
    index_view_class = CheckInAnswerIndexView
    add_to_reference_index = False
    list_display = [
        Column("cohort", label="Cohort", accessor="cohort.title", sort_key="cohort__formal_start"),
        Column("period", label="Check-in", accessor=lambda a: _period_label(a.period)),
        Column("pair", label="Pair", accessor=_pair_link),
        Column("user", label="Participant", accessor=lambda a: _name(a.user)),
        Column("answer", label="Answer", accessor="get_answer_display", sort_key="answer"),
        Column("comment", label="Comment", accessor=lambda a: Truncator(a.comment).chars(80)),
        DateColumn("answered_at", label="Answered", sort_key="answered_at"),
        Column("support_request", label="Request for help", accessor=_support_link),
    ]
    filterset_class = CheckInAnswerFilterSet
    # Turns the search box on; CheckInAnswerIndexView.search_queryset decides what matches.
    search_fields = ["user__email"]
    search_backend_name = None
    ordering = ["-answered_at", "-pk"]
    list_per_page = 50
    list_export = list(CHECKIN_EXPORT_COLUMNS)
    export_headings = {key: heading for key, (heading, _v) in CHECKIN_EXPORT_COLUMNS.items()}

    def get_permissions_to_register(self):
        return model_permissions(self.model, ("view",))

    def register_admin_url_finder(self):
        return None


# ---- Announcements ---------------------------------------------------------------------------


class AnnouncementForm(forms.Form):
    """The announcement as a coordinator writes it. cohorts.reminders.services.announcements
    has the last word on the text, and its messages are the ones shown."""

    cohort = forms.ModelChoiceField(queryset=_cohorts(), empty_label="Choose a cohort")
    audience = forms.ChoiceField(
        label="Send to", choices=AnnouncementAudience.choices, widget=forms.RadioSelect
    )
    subject = forms.CharField(
        widget=forms.TextInput(attrs={"maxlength": SUBJECT_MAX_LENGTH}),
        help_text="One line; it is the e-mail's subject.",
        error_messages={"required": SUBJECT_EMPTY},
    )
    body = forms.CharField(
        label="Message",
        widget=forms.Textarea(attrs={"rows": 12, "maxlength": BODY_MAX_LENGTH}),
        help_text="Plain text; a blank line starts a paragraph. The e-mail starts with "
        "“Dear <first name>,” and ends with the program's usual footer.",
        error_messages={"required": BODY_EMPTY},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("subject", "body"):
            # The service refuses null characters with a message of its own.
            field = self.fields[name]
            field.validators = [
                v for v in field.validators if not isinstance(v, ProhibitNullCharactersValidator)
            ]

    def clean(self):
        cleaned = super().clean()
        if "subject" in cleaned and "body" in cleaned:
            try:
                cleaned["subject"], cleaned["body"] = announcement_text_check(
                    subject=cleaned["subject"], body=cleaned["body"]
                )
            except ValidationError as error:
                self.add_error(None, error)
        return cleaned


class AnnouncementCreateView(CreateView):
    """Writes an announcement, shows it as its recipients will receive it with how many
    they are, sends a test to the coordinator alone if asked, and sends it only from that
    preview (the "send" action); there is no draft and no edit."""

    template_name = "cohorts/admin/announcement_create.html"
    preview_template_name = "cohorts/admin/announcement_preview.html"
    submit_button_label = "Preview"
    submit_button_active_label = "Preparing the preview…"
    # An announcement is sent once, by a click on its button: never by a background save.
    expects_json_response = False

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action", "preview")
        if action == "send":
            return super().post(request, *args, **kwargs)
        self.object = None
        form = self.get_form()
        if action == "edit":
            self.form = form
            return self.render_to_response(self.get_context_data(form=form))
        if not form.is_valid():
            return self._refused(form)
        try:
            if action == "test":
                self._test_send(form)
            preview = announcement_preview(**self._announcement_kwargs(form))
        except ValidationError as error:
            form.add_error(None, error)
            return self._refused(form)
        return self._preview_response(form, preview)

    def _refused(self, form):
        self.produced_error_message = self.get_error_message()
        return self.form_invalid(form)

    def _announcement_kwargs(self, form) -> dict:
        data = form.cleaned_data
        return {
            "cohort": data["cohort"],
            "audience": data["audience"],
            "subject": data["subject"],
            "body": data["body"],
            "user": self.request.user,
        }

    def _test_send(self, form) -> None:
        announcement_test_send(**self._announcement_kwargs(form))
        messages.success(self.request, TEST_SENT.format(email=self.request.user.email))

    def _preview_response(self, form, preview):
        self.form = form
        data = form.cleaned_data
        context = self.get_context_data(
            form=form,
            preview=preview,
            audience_label=AnnouncementAudience(data["audience"]).label,
            cohort_title=data["cohort"].title,
            send_label=SEND_LABEL.format(
                count=preview.recipients, people=_people(preview.recipients)
            ),
        )
        return TemplateResponse(self.request, self.preview_template_name, context)

    def get_form_kwargs(self):
        # The form writes no model instance: the service creates the announcement.
        kwargs = super().get_form_kwargs()
        kwargs.pop("instance", None)
        return kwargs

    def save_instance(self):
        data = self.form.cleaned_data
        return announcement_send(
            cohort=data["cohort"],
            audience=data["audience"],
            subject=data["subject"],
            body=data["body"],
            user=self.request.user,
        )

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ValidationError as error:
            form.add_error(None, error)
            return self._refused(form)

    def get_success_message(self, instance):
        count = instance.recipients
        return ANNOUNCEMENT_SENT.format(
            subject=instance.subject, count=count, people=_people(count)
        )

    def get_success_buttons(self):
        return []

    def get_error_message(self):
        return "The announcement was not sent: correct the errors below."


def _people(count: int) -> str:
    return "person" if count == 1 else "people"


class AnnouncementIndexView(IndexView):
    """Past announcements, newest first, with the button that writes a new one. Tests sent
    to a coordinator alone are not announcements: they are in the outbox only."""

    add_item_label = "New announcement"

    def get_base_queryset(self):
        return Announcement.objects.filter(is_test=False).select_related("cohort", "created_by")


class AnnouncementInspectView(InspectView):
    """One announcement as it was sent; it cannot be changed."""

    def get_object(self, queryset=None):
        queryset = Announcement.objects.filter(is_test=False).select_related(
            "cohort", "created_by"
        )
        return get_object_or_404(queryset, pk=self.pk)

    def get_created_at_display_value(self):
        return date_format(timezone.localtime(self.object.created_at), "DATETIME_FORMAT")

    def get_body_display_value(self):
        return linebreaks_filter(self.object.body, autoescape=True)

    def get_created_by_display_value(self):
        return _name(self.object.created_by)

    def get_cohort_display_value(self):
        return self.object.cohort.title


class AnnouncementViewSet(ReadOnlyViewSet):
    """Past announcements, and the form that writes and sends a new one."""

    model = Announcement
    icon = "mail"
    menu_label = "Announcements"
    url_prefix = "mentoring/announcements"
    url_namespace = "cohorts_announcement"
    index_view_class = AnnouncementIndexView
    add_view_class = AnnouncementCreateView
    inspect_view_class = AnnouncementInspectView
    inspect_view_enabled = True
    inspect_view_fields = [
        "created_at",
        "cohort",
        "audience",
        "recipients",
        "created_by",
        "subject",
        "body",
    ]
    add_to_reference_index = False
    list_display = [
        DateColumn("created_at", label="Sent", sort_key="created_at"),
        Column("cohort", label="Cohort", accessor="cohort.title", sort_key="cohort__formal_start"),
        Column("audience", label="Audience", accessor="get_audience_display"),
        TitleColumn("subject", label="Subject", url_name="cohorts_announcement:inspect"),
        Column("recipients", label="Recipients", sort_key="recipients"),
        Column("created_by", label="By", accessor=lambda a: _name(a.created_by)),
    ]
    ordering = ["-created_at", "-pk"]
    list_per_page = 50

    def get_form_class(self, for_update=False):
        return AnnouncementForm

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(
            **{"add_url_name": self.get_url_name("add"), **kwargs}
        )

    def get_urlpatterns(self):
        return [*super().get_urlpatterns(), path("new/", self.add_view, name="add")]

    def get_permissions_to_register(self):
        return model_permissions(self.model, ("view", "add"))

    def register_admin_url_finder(self):
        return None
