"""The mentor's letter of service: a printable page, signed by the chair, that a mentor files
for tenure or promotion.

The mentor opens it from their pair's dashboard (``letter_section``, a section of the pair
served through ``member_route``: private, never cached); coordinators and the chair issue
it for any mentor from the pair's record in the admin (``LetterAdminView``). Both ask
cohorts.reports.selectors.reports whether the letter may be issued, and whoever may not have it
reads why on the same page. The page stands alone, with no site or admin furniture, so it
prints as a letter on A4 or US Letter paper.
"""

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.cache import never_cache

from cohorts.pairs.models import Pair
from cohorts.pairs.models.pairs import FORMED_STATUSES
from cohorts.pairs.selectors.letter import Letter, letter_for_member, letter_for_pair
from cohorts.pairs.services.pairs import pair_view_record
from home.models import SiteSettings

if TYPE_CHECKING:
    # Only a type here: the dashboard's routing imports this module while it loads.
    from cohorts.pairs.views.dashboard.base import PairSide

TEMPLATE = "cohorts/letter.html"
VIEW_PERMISSION = "cohorts.view_pair"
VIEWED_WHAT = "letter of service"
READ_METHODS = ("GET", "HEAD")


def render_letter(
    request, *, letter: Letter, back_url: str, back_label: str, note: str = ""
) -> HttpResponse:
    """The letter, or why it cannot be issued, with a way back to where it was opened, and
    ``note`` above the letter on screen, never printed."""
    context = {
        "letter": letter,
        "cohort": letter.pair.cohort,
        "site_settings": SiteSettings.for_request(request),
        "back_url": back_url,
        "back_label": back_label,
        "note": note,
    }
    return TemplateResponse(request, TEMPLATE, context)


def letter_section(request, side: "PairSide", item_id=None) -> HttpResponse:
    """The member's letter of service on the pair dashboard: the mentor's, once it may be
    issued, with whether it names their mentee; everyone else reads why there is none."""
    if request.method not in READ_METHODS:
        return HttpResponseNotAllowed(READ_METHODS)
    letter = letter_for_member(user=side.user, pair=side.pair)
    note = letter.mentee_naming_note if letter.allowed else ""
    return render_letter(
        request, letter=letter, back_url=side.url(), back_label="your pair", note=note
    )


@method_decorator(never_cache, name="dispatch")
class LetterAdminView(View):
    """A mentor's letter of service, issued by a coordinator or the chair from the pair's
    record; each opening is written to the pair's view log."""

    http_method_names = ["get", "head", "options"]

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(VIEW_PERMISSION):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, pair_id: int):
        queryset = Pair.objects.filter(status__in=FORMED_STATUSES).select_related(
            "cohort", "mentor__applicant", "mentee__applicant"
        )
        pair = get_object_or_404(queryset, pk=pair_id)
        pair_view_record(pair=pair, viewer=request.user, what=VIEWED_WHAT)
        return render_letter(
            request,
            letter=letter_for_pair(pair=pair),
            back_url=reverse("cohorts_pair:inspect", args=[pair.pk]),
            back_label="the pair's record",
        )
