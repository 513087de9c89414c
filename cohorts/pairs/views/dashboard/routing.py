"""Which view serves each section of a pair's pages."""

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect

from cohorts.pairs.errors import PAIR_ENDED
from cohorts.pairs.views.dashboard.base import READ_METHODS, get_side, member_route
from cohorts.pairs.views.dashboard.notes import (
    note_delete_section,
    note_edit_section,
    note_share_section,
    notes_section,
)
from cohorts.pairs.views.dashboard.pair import (
    agreement_section,
    contact_delete_section,
    contact_edit_section,
    contacts_section,
    end_section,
    goal_section,
    goals_section,
)
from cohorts.pairs.views.dashboard.requests import change_section, support_section
from cohorts.pairs.views.letter import letter_section

# The sections an ended pair still serves: its members' notes and the letter of service.
READ_ONLY_SECTIONS = {"notes", "letter"}
# (section slug, whether it takes an item id) → its view. Anything else is a 404.
SECTIONS = {
    ("contacts", False): contacts_section,
    ("contacts-edit", True): contact_edit_section,
    ("contacts-delete", True): contact_delete_section,
    ("agreement", False): agreement_section,
    ("goals", False): goals_section,
    ("goals", True): goal_section,
    ("notes", False): notes_section,
    ("notes-edit", True): note_edit_section,
    ("notes-share", True): note_share_section,
    ("notes-delete", True): note_delete_section,
    ("support", False): support_section,
    ("change", False): change_section,
    ("end", False): end_section,
    ("letter", False): letter_section,
}


@member_route
def pair_section(
    request, *, page, pair_id: int, section: str, item_id: int | None = None
) -> HttpResponse:
    """One section of a pair: the pages and the forms' targets listed in SECTIONS."""
    view = SECTIONS.get((section, item_id is not None))
    if view is None:
        raise Http404
    side = get_side(request, page=page, pair_id=pair_id)
    if request.method not in (*READ_METHODS, "POST"):
        return HttpResponseNotAllowed([*READ_METHODS, "POST"])
    if side.ended and section not in READ_ONLY_SECTIONS:
        # Nothing on an ended pair changes: back to its record, saying why.
        if request.method == "POST":
            messages.error(request, PAIR_ENDED)
        return redirect(side.url())
    return view(request, side, item_id)
