"""Coordinator screens for published pairs, and the superusers' log of who viewed them.

Coordinators and the chair list the published and ended pairs with how their contact is
going, open one pair to give it a liaison, answer its requests for help and decide on a
change of partner. Confirmed drafts stay in the matching workspace. The listing's reads live
in cohorts.pairs.selectors.listing; every write goes through cohorts.pairs.services.pairs; every
opening of a pair's record is written to the view log, which only superusers read.

No screen here shows a contact's summary or a confidential note: the contact rows are built
from an explicit list of fields, and notes are never queried.
"""

import django_filters
from django import forms
from django.contrib.auth.models import Permission
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from wagtail.admin import messages
from wagtail.admin.admin_url_finder import ModelAdminURLFinder
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.generic.models import IndexView, InspectView
from wagtail.permissions import register_permission_policy

from cohorts.choices import ChangeRequestStatus
from cohorts.pairs.models import ChangeRequest, ContactLog, Pair, PairViewLog, SupportRequest
from cohorts.pairs.models.relationship import MESSAGE_MAX_LENGTH
from cohorts.pairs.selectors.listing import LISTED_STATUSES, listed_cohorts, pairs_listing
from cohorts.pairs.selectors.pairs import pair_progress
from cohorts.pairs.services.emails import subcommittee_members
from cohorts.pairs.services.pairs import (
    change_request_decide,
    pair_liaison_set,
    pair_view_record,
    support_request_answer,
)
from core.bulk_actions import BulkSelectIndexMixin
from core.formatting import hours_display, hours_from_minutes, minutes_as_hours
from core.viewsets import (
    ReadOnlyViewSet,
    SpreadsheetIndexView,
    SuperuserOnlyPermissionPolicy,
    WordSearchMixin,
)

ALL_COHORTS = "all"
VIEWED_WHAT = "pair detail"
DECISION_NOTE_MAX_LENGTH = 1000
# The largest id a form accepts: beyond it no row exists, and some databases refuse it.
ID_MAX = 2**31 - 1
ID_ERRORS = ("required", "invalid", "min_value", "max_value")

UNKNOWN_ACTION = "That action is not known; nothing was changed."
UNKNOWN_LIAISON = "Choose a liaison from the list of coordinators and the chair."
NOT_THIS_PAIR = "That request does not belong to this pair; nothing was changed."
ANSWER_EMPTY = "Write the answer first; nothing was sent."
ANSWER_TOO_LONG = f"Keep the answer under {MESSAGE_MAX_LENGTH} characters; nothing was sent."
UNKNOWN_DECISION = "Choose to approve or decline the change; nothing was changed."
NOTE_TOO_LONG = f"Keep the note under {DECISION_NOTE_MAX_LENGTH} characters; nothing was changed."
LIAISON_SET = "{name} is now the liaison of this pair."
LIAISON_REMOVED = "This pair has no liaison now; requests for help go to every coordinator."
ANSWER_SENT = "Answer saved. {name} receives it by e-mail."
CHANGE_APPROVED = (
    "Change of partner approved: the pair has ended and both are unmatched in the matching "
    "workspace again. Both are told by e-mail."
)
CHANGE_DECLINED = "Change of partner declined: the pair continues. Both are told by e-mail."


# ---- The listing ----------------------------------------------------------------------------


def _hours_against_minimum(pair: Pair) -> str:
    minimum = pair.cohort.minimum_contact_hours
    return f"{minutes_as_hours(pair.contact_minutes)} / {hours_display(minimum)} h"


def _name(user) -> str:
    return user.display_name if user is not None else "—"


def _last_contact(pair: Pair) -> str:
    return date_format(pair.last_contact, "DATE_FORMAT") if pair.last_contact else "—"


# key: (heading, value). Numbers and dates only besides names: no free text leaves the admin.
EXPORT_COLUMNS = {
    "mentor": ("Mentor", lambda p: p.mentor.applicant.display_name),
    "mentee": ("Mentee", lambda p: p.mentee.applicant.display_name),
    "cohort": ("Cohort", lambda p: p.cohort.title),
    "status": ("Status", lambda p: p.get_status_display()),
    "liaison": ("Liaison", lambda p: p.liaison.display_name if p.liaison else ""),
    "contact_count": ("Contacts", lambda p: p.contact_count),
    "hours": ("Hours", lambda p: hours_from_minutes(p.contact_minutes)),
    "minimum_hours": ("Minimum hours", lambda p: p.cohort.minimum_contact_hours),
    "last_contact": ("Last contact", lambda p: p.last_contact),
    "open_changes": ("Pending change requests", lambda p: p.open_changes),
    "open_support": ("Unanswered support requests", lambda p: p.open_support),
}


class PairFilterSet(WagtailFilterSet):
    """Cohort (the newest cohort with pairs unless another, or all, is chosen) and status."""

    cohort = django_filters.ChoiceFilter(label="Cohort", method="filter_cohort", empty_label=None)
    status = django_filters.ChoiceFilter(
        label="Status",
        choices=[(status.value, status.label) for status in LISTED_STATUSES],
        empty_label="All",
        widget=forms.RadioSelect,
    )

    class Meta:
        model = Pair
        fields = []

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        choices = [(ALL_COHORTS, "All cohorts")]
        choices += [(str(cohort.pk), cohort.title) for cohort in listed_cohorts()]
        default = choices[1][0] if len(choices) > 1 else ALL_COHORTS
        if data is not None and "cohort" not in data:
            data = data.copy()
            data["cohort"] = default
        super().__init__(data, queryset, request=request, prefix=prefix)
        self.filters["cohort"].extra.update(choices=choices, initial=default)

    def filter_cohort(self, queryset, name, value):
        if value == ALL_COHORTS:
            return queryset
        return queryset.filter(cohort_id=value)


class PairIndexView(BulkSelectIndexMixin, WordSearchMixin, SpreadsheetIndexView):
    """The pairs with their progress and open requests, the CSV/XLSX export, and a liaison
    for many pairs at once (cohorts.pairs.views.bulk_actions)."""

    export_columns = EXPORT_COLUMNS
    export_name = "pairs"
    bulk_obj_type = "pair"

    def get_base_queryset(self):
        return pairs_listing()

    # Every word must match the mentor's or the mentee's name or e-mail.
    search_words_in = (
        "mentor__applicant__first_name",
        "mentor__applicant__last_name",
        "mentor__applicant__email",
        "mentee__applicant__first_name",
        "mentee__applicant__last_name",
        "mentee__applicant__email",
    )


# ---- The pair's record ----------------------------------------------------------------------


class IdField(forms.IntegerField):
    """A row id posted back by a button; anything else reads as a request that is gone."""

    def __init__(self, **kwargs):
        super().__init__(
            min_value=1,
            max_value=ID_MAX,
            widget=forms.HiddenInput,
            error_messages=dict.fromkeys(ID_ERRORS, NOT_THIS_PAIR),
            **kwargs,
        )


class PersonChoiceField(forms.ModelChoiceField):
    """Offers people by name and e-mail, so two of the same name can be told apart."""

    def label_from_instance(self, obj):
        return f"{obj.display_name} ({obj.email})"


class LiaisonForm(forms.Form):
    """The subcommittee member who supports the pair: a coordinator or the chair, or none."""

    liaison = PersonChoiceField(
        queryset=subcommittee_members(),
        required=False,
        empty_label="No liaison",
        error_messages={"invalid_choice": UNKNOWN_LIAISON},
        help_text="The liaison receives this pair's requests for help; without one, every "
        "coordinator and the chair do.",
    )


class SupportAnswerForm(forms.Form):
    request = IdField()
    answer = forms.CharField(
        max_length=MESSAGE_MAX_LENGTH,
        error_messages={"required": ANSWER_EMPTY, "max_length": ANSWER_TOO_LONG},
    )


class ChangeDecisionForm(forms.Form):
    change = IdField()
    decision = forms.ChoiceField(
        choices=[("approve", "Approve"), ("decline", "Decline")],
        error_messages={"required": UNKNOWN_DECISION, "invalid_choice": UNKNOWN_DECISION},
    )
    note = forms.CharField(
        required=False,
        max_length=DECISION_NOTE_MAX_LENGTH,
        error_messages={"max_length": NOTE_TOO_LONG},
    )


def _cleaned(form: forms.Form) -> dict:
    """The form's data, or a ValidationError with its first message."""
    if not form.is_valid():
        first = next(iter(form.errors.values()))
        raise ValidationError(first[0])
    return form.cleaned_data


def _profile(user):
    try:
        return user.profile
    except ObjectDoesNotExist:
        return None


def person_row(*, role: str, application) -> dict:
    user = application.applicant
    profile = _profile(user)
    return {
        "role": role,
        "name": user.display_name,
        "email": "" if user.erased_at else user.email,
        "institution": profile.institution if profile else "",
        "position": profile.position if profile else "",
    }


def contact_rows(*, pair: Pair) -> list[dict]:
    """The contact log for coordinators: when, how long, how and who recorded it. The
    summary is never loaded."""
    contacts = ContactLog.objects.filter(pair=pair).select_related("author").defer("summary")
    return [
        {
            "date": contact.date,
            "minutes": contact.minutes,
            "method": contact.get_method_display(),
            "conference": contact.get_conference_display(),
            "author": _name(contact.author),
        }
        for contact in contacts
    ]


def progress_context(*, pair: Pair) -> dict:
    """Hours so far, by method and against the point in the year, for the template."""
    progress = pair_progress(pair=pair)
    return {
        "progress": progress,
        "hours_by_method": [
            (label, minutes_as_hours(minutes)) for label, minutes in progress.by_method
        ],
        "expected_hours": minutes_as_hours(progress.expected_minutes),
    }


class PairInspectView(InspectView):
    """One pair's record for the subcommittee; every POST is one action (see ``actions``).

    Each GET is written to the view log. A refused action shows its message and writes
    nothing; every action comes back to this page.
    """

    page_title = "Pair"
    template_name = "cohorts/admin/pair_inspect.html"

    def get_object(self, queryset=None):
        queryset = Pair.objects.filter(status__in=LISTED_STATUSES).select_related(
            "cohort",
            "liaison",
            "confirmed_by",
            "published_by",
            "mentor__applicant__profile",
            "mentee__applicant__profile",
        )
        return get_object_or_404(queryset, pk=self.pk)

    def get_page_subtitle(self):
        pair = self.object
        return f"{pair.mentor.applicant.display_name} and {pair.mentee.applicant.display_name}"

    def get_fields_context(self):
        # The template lays the record out in sections of its own.
        return []

    @cached_property
    def can_change(self) -> bool:
        return self.user_has_permission("change")

    @cached_property
    def detail_url(self) -> str:
        return reverse("cohorts_pair:inspect", args=[self.object.pk])

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        pair_view_record(pair=self.object, viewer=request.user, what=VIEWED_WHAT)
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        pair = self.object
        context.update(
            progress_context(pair=pair),
            pair=pair,
            people=[
                person_row(role="Mentor", application=pair.mentor),
                person_row(role="Mentee", application=pair.mentee),
            ],
            contacts=contact_rows(pair=pair),
            support_requests=SupportRequest.objects.filter(pair=pair).select_related(
                "author", "answered_by"
            ),
            change_requests=ChangeRequest.objects.filter(pair=pair).select_related(
                "requested_by", "decided_by"
            ),
            awaiting_approval=ChangeRequestStatus.AWAITING_APPROVAL,
            liaison_form=LiaisonForm(initial={"liaison": pair.liaison_id}),
            can_change=self.can_change,
            message_max_length=MESSAGE_MAX_LENGTH,
            note_max_length=DECISION_NOTE_MAX_LENGTH,
            index_url=reverse("cohorts_pair:index"),
        )
        return context

    @property
    def actions(self):
        return {"liaison": self.liaison, "answer": self.answer, "decide": self.decide}

    def post(self, request, *args, **kwargs):
        if not self.can_change:
            raise PermissionDenied
        action = self.actions.get(request.POST.get("action", ""))
        if action is None:
            messages.error(request, UNKNOWN_ACTION)
            return redirect(self.detail_url)
        try:
            text = action(request.POST)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, text)
        return redirect(self.detail_url)

    def liaison(self, data) -> str:
        liaison = _cleaned(LiaisonForm(data))["liaison"]
        pair_liaison_set(pair=self.object, liaison=liaison)
        return LIAISON_SET.format(name=liaison.display_name) if liaison else LIAISON_REMOVED

    def answer(self, data) -> str:
        cleaned = _cleaned(SupportAnswerForm(data))
        request = self._row(SupportRequest, cleaned["request"])
        support_request_answer(
            request_id=request.pk, coordinator=self.request.user, answer=cleaned["answer"]
        )
        return ANSWER_SENT.format(name=_name(request.author))

    def decide(self, data) -> str:
        cleaned = _cleaned(ChangeDecisionForm(data))
        change = self._row(ChangeRequest, cleaned["change"])
        approve = cleaned["decision"] == "approve"
        change_request_decide(
            change_id=change.pk,
            coordinator=self.request.user,
            approve=approve,
            note=cleaned["note"],
        )
        return CHANGE_APPROVED if approve else CHANGE_DECLINED

    def _row(self, model, pk: int) -> SupportRequest | ChangeRequest:
        """The pair's own request with this id; another pair's, or none, is refused."""
        row = model.objects.filter(pk=pk, pair=self.object).select_related("pair").first()
        if row is None:
            raise ValidationError(NOT_THIS_PAIR)
        return row


class _PairURLFinder(ModelAdminURLFinder):
    """Links from elsewhere in the admin open the pair's record."""

    edit_url_name = "cohorts_pair:inspect"

    def get_edit_url(self, instance):
        if instance.status not in LISTED_STATUSES:
            return None
        return super().get_edit_url(instance)


class PairViewSet(ReadOnlyViewSet):
    """Published and ended pairs: list, filter, search, export, open, and act on requests."""

    model = Pair
    icon = "group"
    menu_label = "Pairs"
    url_prefix = "mentoring/pairs"
    url_namespace = "cohorts_pair"
    index_view_class = PairIndexView
    index_template_name = "core/admin/bulk_index.html"
    inspect_view_class = PairInspectView
    inspect_view_enabled = True
    add_to_reference_index = False
    list_display = [
        TitleColumn(
            "mentor",
            label="Mentor",
            accessor="mentor.applicant.display_name",
            url_name="cohorts_pair:inspect",
            sort_key="mentor__applicant__last_name",
            get_title_id=lambda pair: f"pair_{pair.pk}_title",
        ),
        Column(
            "mentee",
            label="Mentee",
            accessor="mentee.applicant.display_name",
            sort_key="mentee__applicant__last_name",
        ),
        Column("cohort", label="Cohort", accessor="cohort.title", sort_key="cohort__formal_start"),
        "status",
        Column("liaison", label="Liaison", accessor=lambda p: _name(p.liaison)),
        Column("contact_count", label="Contacts", sort_key="contact_count"),
        Column(
            "hours", label="Hours", accessor=_hours_against_minimum, sort_key="contact_minutes"
        ),
        Column(
            "last_contact", label="Last contact", accessor=_last_contact, sort_key="last_contact"
        ),
        Column("open_changes", label="Pending change requests", sort_key="open_changes"),
        Column("open_support", label="Unanswered support requests", sort_key="open_support"),
    ]
    filterset_class = PairFilterSet
    # Turns the search box on; PairIndexView.search_queryset decides what matches.
    search_fields = ["mentor__applicant__last_name", "mentee__applicant__last_name"]
    search_backend_name = None
    ordering = ["-cohort__formal_start", "mentor__applicant__last_name", "pk"]
    list_per_page = 50
    list_export = list(EXPORT_COLUMNS)
    export_headings = {key: heading for key, (heading, _value) in EXPORT_COLUMNS.items()}
    url_finder_class = _PairURLFinder


# ---- The view log ---------------------------------------------------------------------------


# Registered before any screen asks for PairViewLog's policy.
register_permission_policy(PairViewLog, SuperuserOnlyPermissionPolicy(PairViewLog))


def _viewed_pair(log: PairViewLog) -> str:
    pair = log.pair
    names = f"{pair.mentor.applicant.display_name} and {pair.mentee.applicant.display_name}"
    return f"{names} ({pair.cohort.title})"


def _viewed_at(log: PairViewLog) -> str:
    return date_format(timezone.localtime(log.viewed_at), "DATETIME_FORMAT")


class PairViewLogIndexView(IndexView):
    def get_base_queryset(self):
        return PairViewLog.objects.select_related(
            "viewer", "pair__cohort", "pair__mentor__applicant", "pair__mentee__applicant"
        )


class PairViewLogViewSet(ReadOnlyViewSet):
    """Who opened which pair's record, and when: newest first, for superusers only."""

    model = PairViewLog
    icon = "history"
    menu_label = "Pair record views"
    url_prefix = "mentoring/pair-views"
    url_namespace = "cohorts_pairviewlog"
    index_view_class = PairViewLogIndexView
    add_to_reference_index = False
    list_display = [
        Column("viewed_at", label="When", accessor=_viewed_at, sort_key="viewed_at"),
        Column("viewer", label="Who", accessor=lambda log: _name(log.viewer)),
        TitleColumn(
            "pair",
            label="Pair",
            accessor=_viewed_pair,
            get_url=lambda log: reverse("cohorts_pair:inspect", args=[log.pair_id]),
        ),
        Column("what", label="What"),
    ]
    ordering = ["-viewed_at", "-pk"]
    list_per_page = 100
    # Read only: nobody adds, changes or deletes a line of the log.
    inspect_view_enabled = False

    def get_permissions_to_register(self):
        # Group permissions would mean nothing here: the log is for superusers only.
        return Permission.objects.none()

    def register_admin_url_finder(self):
        # No screen of its own for one line of the log.
        return None
