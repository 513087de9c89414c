"""Admin views of the surveys: "Copy to another cohort" (choose the cohort, then the draft is
created). The answers are read on the results screen (surveys/views/results.py) only."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from cohorts.program.models import CohortPage
from surveys.forms import SurveyCopyForm
from surveys.models import SurveyPage
from surveys.selectors.surveys import survey_copy_targets
from surveys.services import survey_copy_to_cohort

COPY_DONE = (
    "{title} was copied into {cohort} as a draft, with its questions and the cohort's dates "
    "({opens:%B %-d} to {closes:%B %-d, %Y}). Check it, then publish it."
)


@require_http_methods(["GET", "POST"])
def survey_copy_view(request, page_id: int):
    """GET asks for the cohort; POST creates the copy and opens the new draft."""
    page = get_object_or_404(SurveyPage, pk=page_id)
    if not page.permissions_for_user(request.user).can_copy():
        raise PermissionDenied
    targets = survey_copy_targets(page=page, user=request.user)
    queryset = CohortPage.objects.filter(pk__in=[c.pk for c in targets.cohorts])
    form = SurveyCopyForm(
        request.POST if request.method == "POST" else None,
        targets=queryset.order_by("-formal_start", "-pk"),
    )
    if form.is_valid():
        try:
            copy = survey_copy_to_cohort(
                page=page, cohort=form.cleaned_data["cohort"], user=request.user
            )
        except PermissionDenied as error:
            form.add_error("cohort", str(error))
        except ValidationError as error:
            form.add_error("cohort", error)
        else:
            cohort = form.cleaned_data["cohort"]
            messages.success(
                request,
                COPY_DONE.format(
                    title=copy.title, cohort=cohort.title, opens=copy.opens, closes=copy.closes
                ),
            )
            return redirect("wagtailadmin_pages:edit", copy.pk)
    context = {
        "page": page,
        "form": form,
        "targets": targets,
        "cancel_url": reverse("wagtailadmin_explore", args=[page.get_parent().pk]),
    }
    return TemplateResponse(request, "surveys/admin/copy_to_cohort.html", context)
