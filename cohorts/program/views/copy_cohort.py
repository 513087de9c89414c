"""Admin views for cohorts: "Copy to next year" (confirm, then create the draft)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from cohorts.program.models import CohortPage
from cohorts.program.services.cohorts import (
    COPY_NOT_ALLOWED,
    CohortCopyError,
    cohort_copy_allowed,
    cohort_copy_plan,
    cohort_copy_to_next_year,
    cohort_relative_words,
)

COPY_DONE = (
    "{title} was created as a draft with every date and year a year later. Check it, then "
    "publish it: the pages copied under it are published with it."
)
COPY_CHECK_WORDS = "Check these words, copied as they were: {places}."


@require_http_methods(["GET", "POST"])
def cohort_copy_to_next_year_view(request, page_id: int):
    """GET shows what will be created; POST creates it and opens the new draft."""
    cohort = get_object_or_404(CohortPage, pk=page_id)
    if not cohort_copy_allowed(cohort=cohort, user=request.user):
        raise PermissionDenied(COPY_NOT_ALLOWED)
    if request.method == "POST":
        try:
            copy = cohort_copy_to_next_year(cohort=cohort, user=request.user)
        except CohortCopyError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, COPY_DONE.format(title=copy.title))
            if words := cohort_relative_words(cohort=copy):
                messages.warning(request, COPY_CHECK_WORDS.format(places=_places(words)))
            return redirect("wagtailadmin_pages:edit", copy.pk)
    context = {
        "cohort": cohort,
        "plan": cohort_copy_plan(cohort=cohort),
        "cancel_url": reverse("wagtailadmin_explore", args=[cohort.get_parent().pk]),
    }
    return TemplateResponse(request, "cohorts/admin/copy_to_next_year.html", context)


def _places(words) -> str:
    """ "“next program year” in the intro of 2028–2029 cohort; …" """
    return "; ".join(
        f"“{item.words}” in the {item.field.lower()} of {item.page}" for item in words
    )
