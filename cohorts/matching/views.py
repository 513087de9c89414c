"""The matching workspace in the Wagtail admin, under the coordinators' Mentoring menu.

One screen per cohort shows the unmatched mentors and mentees, the suggestions and the pairs
already confirmed or published. Every button posts one action back to the same screen,
which calls one service of cohorts.matching.services and comes back with a message, so
every action works without JavaScript. Publishing and the weights have screens of their own.
"""

from urllib.parse import urlencode

from django import forms
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils.functional import cached_property
from django.views.generic import FormView, TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from cohorts.choices import ApplicationStatus, PairStatus, Stage
from cohorts.matching import services
from cohorts.matching.engine import CRITERIA, WEIGHT_MAX
from cohorts.matching.models import COMMENT_MAX_LENGTH
from cohorts.matching.selectors import matching_settings_for, matching_weights, matching_workspace
from cohorts.pairs.models import Pair
from cohorts.program.models import CohortPage
from cohorts.program.selectors import cohort_stage

VIEW_PERMISSION = "cohorts.view_pair"
CHANGE_PERMISSION = "cohorts.change_pair"
UNKNOWN_ACTION = "That action is not known; nothing was changed."
SEARCH_MAX_LENGTH = 100
NOT_PROVEN_BEST = (
    " Many people applied as both mentor and mentee, so the search stopped at the best "
    "pairing it found in time; it is valid, but a better one may exist. Lock the pairs you "
    "like and run again to search the rest."
)


class MatchingMixin(WagtailAdminTemplateMixin):
    """Permission checks and breadcrumbs shared by the matching screens."""

    header_icon = "group"
    index_url_name = "cohorts_matching:index"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(VIEW_PERMISSION):
            raise PermissionDenied
        if request.method == "POST" and not request.user.has_perm(CHANGE_PERMISSION):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def cohort(self) -> CohortPage:
        return get_object_or_404(CohortPage, pk=self.kwargs["cohort_id"])

    def workspace_url(self) -> str:
        return reverse("cohorts_matching:workspace", args=[self.cohort.pk])

    def get_breadcrumbs_items(self):
        items = [
            *self.breadcrumbs_items,
            {"url": reverse(self.index_url_name), "label": "Matching"},
        ]
        if "cohort_id" in self.kwargs:
            items.append({"url": self.workspace_url(), "label": self.cohort.title})
        return [*items, {"url": "", "label": self.get_page_title()}]


class MatchingIndexView(MatchingMixin, TemplateView):
    """Every cohort, newest first, with how far its matching has come."""

    template_name = "cohorts/admin/matching_index.html"
    page_title = "Matching"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": "Matching"}]

    def get_context_data(self, **kwargs):
        accepted = Q(applications__status=ApplicationStatus.ACCEPTED)
        cohorts = CohortPage.objects.order_by("-formal_start").annotate(
            mentors=Count(
                "applications", filter=accepted & Q(applications__role__in=["mentor", "both"])
            ),
            mentees=Count(
                "applications", filter=accepted & Q(applications__role__in=["mentee", "both"])
            ),
        )
        pair_counts = {
            (row["cohort_id"], row["status"]): row["n"]
            for row in Pair.objects.values("cohort_id", "status").annotate(n=Count("pk"))
        }
        rows = [
            (
                cohort,
                pair_counts.get((cohort.pk, PairStatus.CONFIRMED), 0),
                pair_counts.get((cohort.pk, PairStatus.PUBLISHED), 0),
            )
            for cohort in cohorts
        ]
        return super().get_context_data(rows=rows, **kwargs)


class WorkspaceView(MatchingMixin, TemplateView):
    """One cohort's workspace; every POST is one action (see ``actions``)."""

    template_name = "cohorts/admin/matching_workspace.html"

    def get_page_title(self):
        return "Matching workspace"

    def get_page_subtitle(self):
        return self.cohort.title

    def get_context_data(self, **kwargs):
        workspace = matching_workspace(cohort=self.cohort)
        unlocked = sum(1 for row in workspace.confirmed if not row.obj.locked)
        query = _search(self.request)
        if query:
            _narrow(workspace, query.casefold())
        return super().get_context_data(
            workspace=workspace,
            query=query,
            unlocked_confirmed=unlocked,
            accept_all_label=_accept_all_label(len(workspace.suggestions), filtered=bool(query)),
            can_change=self.request.user.has_perm(CHANGE_PERMISSION),
            criteria=CRITERIA,
            comment_max_length=COMMENT_MAX_LENGTH,
            settings_url=reverse("cohorts_matching:settings", args=[self.cohort.pk]),
            publish_url=reverse("cohorts_matching:publish", args=[self.cohort.pk]),
            **kwargs,
        )

    @property
    def actions(self):
        return {
            "run": self.run,
            "accept": self.accept,
            "accept_all": self.accept_all,
            "reject": self.reject,
            "pair": self.pair,
            "lock": self.lock,
            "unlock": self.lock,
            "release": self.release,
            "comment": self.comment,
            "carry_forward": self.carry_forward,
        }

    def post(self, request, *args, **kwargs):
        action = self.actions.get(request.POST.get("action", ""))
        if action is None:
            messages.error(request, UNKNOWN_ACTION)
            return redirect(self.workspace_url())
        try:
            text = action(request.POST)
        except services.MatchingError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, text)
        # Back to the rows the coordinator was working on: the same search, the same section.
        query = _search(request)
        search = "?" + urlencode({"q": query}) if query else ""
        return redirect(self.workspace_url() + search + _anchor(request.POST.get("action", "")))

    def run(self, data) -> str:
        result = services.suggestions_run(
            cohort=self.cohort,
            user=self.request.user,
            release_confirmed=data.get("release_confirmed") == "on",
        )
        text = (
            f"Suggestions run: {len(result.suggestions)} suggested pairs, "
            f"{len(result.unmatched_mentees)} mentees and {len(result.unmatched_mentors)} "
            "mentors left unmatched."
        )
        if not result.optimal:
            text += NOT_PROVEN_BEST
        return text

    def accept(self, data) -> str:
        pair = services.suggestion_accept(
            cohort=self.cohort, suggestion_id=_id(data, "suggestion"), user=self.request.user
        )
        return f"Confirmed: {_names(pair)}. Nothing is sent until you publish."

    def accept_all(self, data) -> str:
        """Confirm the suggestions the page showed (their ids come with the form)."""
        accepted, skipped = services.suggestions_accept(
            cohort=self.cohort, suggestion_ids=_ids(data, "suggestion"), user=self.request.user
        )
        pairs = "pair" if accepted == 1 else "pairs"
        text = f"Confirmed {accepted} suggested {pairs}. Nothing is sent until you publish."
        if skipped:
            text += f" {len(skipped)} skipped: " + " ".join(skipped)
        return text

    def reject(self, data) -> str:
        services.suggestion_reject(
            cohort=self.cohort, suggestion_id=_id(data, "suggestion"), user=self.request.user
        )
        return "Suggestion rejected: the two will not be suggested again."

    def pair(self, data) -> str:
        pair = services.pair_by_hand(
            cohort=self.cohort,
            mentor_id=_id(data, "mentor"),
            mentee_id=_id(data, "mentee"),
            user=self.request.user,
        )
        return f"Paired by hand and confirmed: {_names(pair)}."

    def lock(self, data) -> str:
        locked = data.get("action") == "lock"
        pair = services.pair_lock(cohort=self.cohort, pair_id=_id(data, "pair"), locked=locked)
        return f"{'Locked' if locked else 'Unlocked'}: {_names(pair)}."

    def release(self, data) -> str:
        services.pair_release(cohort=self.cohort, pair_id=_id(data, "pair"))
        return "Pair undone: both are unmatched again."

    def comment(self, data) -> str:
        services.pairing_comment_add(
            cohort=self.cohort,
            mentor_id=_id(data, "mentor"),
            mentee_id=_id(data, "mentee"),
            user=self.request.user,
            body=data.get("body", ""),
        )
        return "Comment added."

    def carry_forward(self, data) -> str:
        carried = services.application_carry_forward(
            cohort=self.cohort, application_id=_id(data, "application"), user=self.request.user
        )
        return (
            f"{carried.applicant.display_name} is waitlisted here and carried forward to "
            f"{carried.cohort.title} with priority. They are told by e-mail."
        )


def _as_id(value: str) -> int:
    """A posted row id; anything that is not one reads as a row now gone."""
    if not value.isdigit() or len(value) > 12:
        raise services.MatchingError(services.SUGGESTION_GONE)
    return int(value)


def _id(data, name: str) -> int:
    return _as_id(data.get(name, ""))


def _ids(data, name: str) -> list[int]:
    """Every id posted under ``name``."""
    return [_as_id(value) for value in data.getlist(name)]


def _search(request) -> str:
    """What the coordinator searched the workspace for (``?q=``), trimmed."""
    return request.GET.get("q", "")[:SEARCH_MAX_LENGTH].strip()


def _names(pair) -> str:
    return f"{pair.mentor.applicant.display_name} mentors {pair.mentee.applicant.display_name}"


def _anchor(action: str) -> str:
    sections = {"pair": "#unmatched", "carry_forward": "#unmatched", "lock": "#confirmed"}
    sections |= {"unlock": "#confirmed", "release": "#confirmed", "comment": ""}
    return sections.get(action, "#suggestions")


def _accept_all_label(count: int, *, filtered: bool) -> str:
    """What the bulk button says: how many it confirms, and that they are the rows shown."""
    noun = "suggestion" if count == 1 else "suggestions"
    if filtered:
        return f"Accept the {count} {noun} shown"
    return f"Accept the 1 {noun}" if count == 1 else f"Accept all {count} {noun}"


def _narrow(workspace, query: str) -> None:
    """Keep only rows where a name, e-mail or institution contains the query."""

    def hit(application) -> bool:
        user = application.applicant
        profile = getattr(user, "profile", None)
        text = f"{user.get_full_name()} {user.email} {profile.institution if profile else ''}"
        return query in text.casefold()

    for name in ("suggestions", "confirmed", "published"):
        rows = getattr(workspace, name)
        setattr(workspace, name, [r for r in rows if hit(r.mentor) or hit(r.mentee)])
    for name in ("unmatched_mentors", "unmatched_mentees"):
        rows = getattr(workspace, name)
        setattr(workspace, name, [r for r in rows if hit(r.application)])


class MatchingSettingsForm(forms.Form):
    """A weight from 0 to 100 and a must-have box for every criterion, and the two rules a
    cohort may relax."""

    allow_same_institution = forms.BooleanField(
        required=False,
        label="Allow pairs from the same institution",
        help_text="Off by default: a mentor from outside gives a fresh view.",
    )
    allow_repeat_pairs = forms.BooleanField(
        required=False,
        label="Allow pairs who were paired in an earlier cohort",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, label in CRITERIA.items():
            self.fields[f"weight_{key}"] = forms.IntegerField(
                label=label, min_value=0, max_value=WEIGHT_MAX
            )
            self.fields[f"must_{key}"] = forms.BooleanField(
                required=False, label=f"Must have: {label.lower()}"
            )

    @classmethod
    def initial_for(cls, settings) -> dict:
        initial = {
            "allow_same_institution": settings.allow_same_institution,
            "allow_repeat_pairs": settings.allow_repeat_pairs,
        }
        weights = matching_weights(settings=settings)
        for key in CRITERIA:
            initial[f"weight_{key}"] = weights.weights[key]
            initial[f"must_{key}"] = key in weights.must_have
        return initial

    def criteria_rows(self):
        return [(self[f"weight_{key}"], self[f"must_{key}"]) for key in CRITERIA]


class MatchingSettingsView(MatchingMixin, FormView):
    """The cohort's weights and must-haves; they apply from the next run of the suggestions."""

    template_name = "cohorts/admin/matching_settings.html"
    form_class = MatchingSettingsForm
    page_title = "Weights and rules"

    def get_initial(self):
        return MatchingSettingsForm.initial_for(matching_settings_for(cohort=self.cohort))

    def form_valid(self, form):
        data = form.cleaned_data
        services.matching_settings_update(
            cohort=self.cohort,
            weights={key: data[f"weight_{key}"] for key in CRITERIA},
            must_have=[key for key in CRITERIA if data[f"must_{key}"]],
            allow_same_institution=data["allow_same_institution"],
            allow_repeat_pairs=data["allow_repeat_pairs"],
        )
        messages.success(
            self.request, "Weights and rules saved. Run the suggestions again to apply them."
        )
        return redirect(self.workspace_url())

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            cohort=self.cohort, workspace_url=self.workspace_url(), **kwargs
        )


class PublishView(MatchingMixin, TemplateView):
    """Lists the confirmed pairs that publishing will announce, and publishes them."""

    template_name = "cohorts/admin/matching_publish.html"
    page_title = "Publish pairs"

    def get_context_data(self, **kwargs):
        workspace = matching_workspace(cohort=self.cohort)
        stage = cohort_stage(cohort=self.cohort)
        return super().get_context_data(
            cohort=self.cohort,
            # Members who apply after publishing are in none of these pairs.
            applications_open_until=(
                stage.until if stage.stage == Stage.APPLICATIONS_OPEN else None
            ),
            rows=workspace.confirmed,
            workspace_url=self.workspace_url(),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        try:
            count = services.pairs_publish(cohort=self.cohort, user=request.user)
        except services.MatchingError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                f"Published {count} pair{pluralize(count)}. Each mentor and mentee is being "
                "e-mailed their partner's name, e-mail and profile.",
            )
        return redirect(self.workspace_url() + "#published")
