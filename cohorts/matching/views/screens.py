"""The matching screens beside the workspace: every cohort with how far its matching has
come, the weights and rules of one cohort, and publishing its confirmed pairs."""

from django import forms
from django.db.models import Count, Q
from django.shortcuts import redirect
from django.template.defaultfilters import pluralize
from django.views.generic import FormView, TemplateView
from wagtail.admin import messages

from cohorts.choices import ApplicationStatus, PairStatus, Stage
from cohorts.matching import services
from cohorts.matching.engine import CRITERIA, WEIGHT_MAX
from cohorts.matching.selectors import matching_settings_for, matching_weights, matching_workspace
from cohorts.matching.views.base import MatchingMixin
from cohorts.pairs.models import Pair
from cohorts.program.models import CohortPage
from cohorts.program.selectors import cohort_stage


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
