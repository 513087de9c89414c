"""The matching workspace in the Wagtail admin, under the coordinators' Mentoring menu.

One screen per cohort shows the suggestions, the pairs already confirmed or published and
the unmatched mentors and mentees. Every button posts one action back to the same screen
and its rows (the search, minimum fit and order in the address), which calls one service
of cohorts.matching.services.

Accepting, rejecting, pairing by hand, locking and undoing a pair happen in place: with
htmx the answer is the row (or form) acted on, with its message beside it, and the parts
of the page the action changed; without JavaScript the same post comes back to the page at
that row, with the same message beside it. The other actions come back with a message at
the top of the page.
"""

from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.functional import cached_property
from django.views.generic import TemplateView
from wagtail.admin import messages

from cohorts.matching import services
from cohorts.matching.engine import FIT_SCALE
from cohorts.matching.models import COMMENT_MAX_LENGTH, MatchSuggestion
from cohorts.matching.selectors import MatchingWorkspace, matching_workspace
from cohorts.matching.views.base import CHANGE_PERMISSION, MatchingMixin
from cohorts.matching.views.state import (
    ORDERS,
    Outcome,
    WorkspaceFilter,
    WorkspaceFilterForm,
)

UNKNOWN_ACTION = "That action is not known; nothing was changed."
NOT_PROVEN_BEST = (
    " Many people applied as both mentor and mentee, so the search stopped at the best "
    "pairing it found in time; it is valid, but a better one may exist. Lock the pairs you "
    "like and run again to search the rest."
)
PAIR_FORM = "pair-by-hand"
FRAGMENTS = "cohorts/admin/matching/action_response.html"
# What each in-place action changes besides its own row: the parts of the page sent along.
CHANGES = {
    "accept": {"confirmed"},
    "reject": {"unmatched"},
    "pair": {"confirmed", "suggestions_head"},
    "release": {"unmatched", "confirmed_head"},
    "lock": {"confirmed_head"},
    "unlock": {"confirmed_head"},
}


class WorkspaceView(MatchingMixin, TemplateView):
    """One cohort's workspace; every POST is one action (see ``actions``)."""

    template_name = "cohorts/admin/matching_workspace.html"

    def get_page_title(self):
        return "Matching workspace"

    def get_page_subtitle(self):
        return self.cohort.title

    def get(self, request, *args, **kwargs):
        self.outcome = Outcome.take(request.session)
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        name = request.POST.get("action", "")
        if name in self.in_place:
            return self.act_in_place(name)
        action = self.actions.get(name)
        if action is None:
            messages.error(request, UNKNOWN_ACTION)
        else:
            try:
                messages.success(request, action(request.POST))
            except services.MatchingError as error:
                messages.error(request, str(error))
        url = self.page_url(_section(name))
        if request.headers.get("HX-Request"):
            # htmx follows a redirect itself: send the whole page instead.
            return HttpResponse(headers={"HX-Redirect": url})
        return redirect(url)

    # ---- What the page shows ---------------------------------------------------------------

    @cached_property
    def filter_form(self) -> WorkspaceFilterForm:
        return WorkspaceFilterForm(self.request.GET or None)

    @cached_property
    def view_filter(self) -> WorkspaceFilter:
        return WorkspaceFilter.from_form(self.filter_form)

    def page_url(self, anchor: str = "", **extra) -> str:
        """The workspace with the rows shown now, at ``anchor``."""
        url = self.workspace_url() + self.view_filter.querystring(**extra)
        return url + (f"#{anchor}" if anchor else "")

    def workspace(self) -> MatchingWorkspace:
        workspace = matching_workspace(cohort=self.cohort)
        self.view_filter.apply(workspace)
        return workspace

    def get_context_data(self, **kwargs):
        workspace = self.workspace()
        return super().get_context_data(
            **self.workspace_context(workspace, getattr(self, "outcome", None)), **kwargs
        )

    def workspace_context(self, workspace: MatchingWorkspace, outcome: Outcome | None) -> dict:
        view_filter = self.view_filter
        return {
            "workspace": workspace,
            "filter_form": self.filter_form,
            "view_filter": view_filter,
            "orders": ORDERS,
            "fit_scale": FIT_SCALE,
            "outcome": outcome,
            "pair_values": (outcome.values if outcome and outcome.is_error else None) or {},
            "outcome_last": _last(workspace, outcome),
            "action_url": self.page_url(),
            "unlocked_confirmed": sum(1 for row in workspace.confirmed if not row.obj.locked),
            "accept_all_label": _accept_all_label(
                len(workspace.suggestions), filtered=view_filter.narrows
            ),
            "can_change": self.request.user.has_perm(CHANGE_PERMISSION),
            "comment_max_length": COMMENT_MAX_LENGTH,
            "cohort": self.cohort,
            "settings_url": reverse("cohorts_matching:settings", args=[self.cohort.pk]),
            "publish_url": reverse("cohorts_matching:publish", args=[self.cohort.pk]),
            "review_url": reverse("cohorts_matching:review", args=[self.cohort.pk]),
        }

    # ---- Actions in place ------------------------------------------------------------------

    @property
    def in_place(self):
        return {
            "accept": self.accept,
            "reject": self.reject,
            "pair": self.pair,
            "lock": self.lock,
            "unlock": self.lock,
            "release": self.release,
        }

    def act_in_place(self, name: str):
        """Run an in-place action; answer with its row (htmx) or come back to it."""
        data = self.request.POST
        try:
            outcome = self.in_place[name](data)
        except services.MatchingError as error:
            outcome = self.refusal(name, data, str(error))
        if self.request.headers.get("HX-Request"):
            return self.fragments(name, outcome)
        outcome.store(self.request.session)
        return redirect(self.page_url(outcome.anchor))

    def refusal(self, name: str, data, text: str) -> Outcome:
        """The outcome of a refused action: beside its row, or in its row's place when the
        row has gone (another coordinator acted on it first)."""
        if name == "pair":
            values = {"mentor": data.get("mentor", ""), "mentee": data.get("mentee", "")}
            return Outcome(PAIR_FORM, text, "error", values=values)
        anchor = _row_anchor(name, data)
        gone = text in (services.SUGGESTION_GONE, services.PAIR_GONE)
        return Outcome(anchor, text, "error", gone=gone, before=data.get("next", ""))

    def fragments(self, name: str, outcome: Outcome) -> TemplateResponse:
        """The row or form acted on, and the other parts of the page the action changed."""
        workspace = self.workspace()
        anchors = {row.anchor: row for row in [*workspace.suggestions, *workspace.confirmed]}
        row = anchors.get(outcome.anchor)
        if row is None and outcome.anchor != PAIR_FORM:
            outcome.gone = True
        context = self.workspace_context(workspace, outcome)
        return TemplateResponse(
            self.request,
            FRAGMENTS,
            {
                **context,
                "row": row,
                "target": _target(outcome.anchor),
                "changes": set() if outcome.is_error else CHANGES[name],
                "removed": [] if outcome.is_error else getattr(self, "removed", []),
            },
        )

    def accept(self, data) -> Outcome:
        pair = services.suggestion_accept(
            cohort=self.cohort, suggestion_id=_id(data, "suggestion"), user=self.request.user
        )
        text = f"Confirmed: {_names(pair)}. Nothing is sent until you publish."
        return self.gone(data, "suggestion", text)

    def reject(self, data) -> Outcome:
        services.suggestion_reject(
            cohort=self.cohort, suggestion_id=_id(data, "suggestion"), user=self.request.user
        )
        return self.gone(data, "suggestion", "Rejected: the two will not be suggested again.")

    def pair(self, data) -> Outcome:
        mentor_id, mentee_id = _id(data, "mentor"), _id(data, "mentee")
        self.removed = [
            f"suggestion-{pk}"
            for pk in MatchSuggestion.objects.filter(
                cohort=self.cohort, mentee_id=mentee_id
            ).values_list("pk", flat=True)
        ]
        pair = services.pair_by_hand(
            cohort=self.cohort, mentor_id=mentor_id, mentee_id=mentee_id, user=self.request.user
        )
        return Outcome(PAIR_FORM, f"Paired by hand, confirmed and locked: {_names(pair)}.")

    def lock(self, data) -> Outcome:
        locked = data.get("action") == "lock"
        pair = services.pair_lock(cohort=self.cohort, pair_id=_id(data, "pair"), locked=locked)
        return Outcome(f"pair-{pair.pk}", f"{'Locked' if locked else 'Unlocked'}: {_names(pair)}.")

    def release(self, data) -> Outcome:
        services.pair_release(cohort=self.cohort, pair_id=_id(data, "pair"))
        return self.gone(data, "pair", "Pair undone: both are unmatched again.")

    def gone(self, data, kind: str, text: str) -> Outcome:
        """A row that left its list: the message takes its place."""
        anchor = f"{kind}-{_id(data, kind)}"
        return Outcome(anchor, text, gone=True, before=data.get("next", ""))

    # ---- Actions that reload the page --------------------------------------------------------

    @property
    def actions(self):
        return {
            "run": self.run,
            "accept_all": self.accept_all,
            "comment": self.comment,
            "carry_forward": self.carry_forward,
        }

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


def _row_anchor(action: str, data) -> str:
    """The row an action on a suggestion or a pair was posted from."""
    kind = "suggestion" if action in ("accept", "reject") else "pair"
    value = data.get(kind, "")
    return f"{kind}-{value if value.isdigit() and len(value) <= 12 else 0}"


def _target(anchor: str) -> str:
    """What an in-place answer replaces: the hand-pairing form, a suggestion or a pair."""
    return "pair_form" if anchor == PAIR_FORM else anchor.split("-")[0]


def _last(workspace: MatchingWorkspace, outcome: Outcome | None) -> str:
    """The list whose end shows the outcome of a row that left it, when the row that
    followed it is not shown either (it was the last, or the page changed since)."""
    if outcome is None or not outcome.gone:
        return ""
    kind = "suggestions" if outcome.anchor.startswith("suggestion") else "confirmed"
    rows = workspace.suggestions if kind == "suggestions" else workspace.confirmed
    return "" if outcome.before in {row.anchor for row in rows} else kind


def _names(pair) -> str:
    return f"{pair.mentor.applicant.display_name} mentors {pair.mentee.applicant.display_name}"


def _section(action: str) -> str:
    sections = {"carry_forward": "unmatched", "comment": ""}
    return sections.get(action, "suggestions")


def _accept_all_label(count: int, *, filtered: bool) -> str:
    """What the bulk button says: how many it confirms, and that they are the rows shown."""
    noun = "suggestion" if count == 1 else "suggestions"
    if filtered:
        return f"Accept the {count} {noun} shown"
    return f"Accept the 1 {noun}" if count == 1 else f"Accept all {count} {noun}"
