"""Which view serves each section of a pair's pages."""

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect

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
    goal_delete_section,
    goal_section,
    goals_section,
    letter_name_section,
)
from cohorts.pairs.views.dashboard.requests import change_section, support_section
from cohorts.pairs.views.letter import letter_section

# (section slug, whether it takes an item id) → its view. Anything else is a 404.
SECTIONS = {
    ("contacts", False): contacts_section,
    ("contacts-edit", True): contact_edit_section,
    ("contacts-delete", True): contact_delete_section,
    ("agreement", False): agreement_section,
    ("goals", False): goals_section,
    ("goals", True): goal_section,
    ("goals-delete", True): goal_delete_section,
    ("notes", False): notes_section,
    ("notes-edit", True): note_edit_section,
    ("notes-share", True): note_share_section,
    ("notes-delete", True): note_delete_section,
    ("support", False): support_section,
    ("change", False): change_section,
    ("end", False): end_section,
    ("letter", False): letter_section,
    ("letter-name", False): letter_name_section,
}
# On a pair closed to the member (``pair_open_to``: their side closed, or the pair ended,
# whatever ended it), the pages that only change the record or ask the subcommittee answer
# with why not; its record, the notes and the letter stay to read, and what a closed pair
# still allows is posted as usual: taking a note back or deleting it, the mentee's choice of
# name in the letter, and the choice after the end (which then says it is final).
EDITING_PAGES = {"contacts-edit", "contacts-delete", "notes-edit", "support", "change"}
POSTS_WHEN_CLOSED = {"notes-share", "notes-delete", "letter-name", "end"}
# Once the partner closed their side (``pair_shared_open_to``), a member who keeps the pair
# open no longer changes its shared record, which the partner still reads: these pages and
# posts answer with why not. The notes and the change of partner say why on their own pages
# (private notes are still the member's to write).
SHARED_RECORD_PAGES = {"contacts-edit", "contacts-delete", "goals-delete"}
SHARED_RECORD_POSTS = {"contacts", "agreement", "goals"}


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
    if not side.is_open and _changes_record(request, section):
        messages.error(request, side.closed_message)
        return redirect(side.url())
    if not side.shares_open and _changes_shared_record(request, section):
        messages.error(request, side.partner_closed_reasons["record"])
        return redirect(side.url())
    return view(request, side, item_id)


def _changes_shared_record(request, section: str) -> bool:
    if section in SHARED_RECORD_PAGES:
        return True
    return request.method == "POST" and section in SHARED_RECORD_POSTS


def _changes_record(request, section: str) -> bool:
    if section in EDITING_PAGES:
        return True
    return request.method == "POST" and section not in POSTS_WHEN_CLOSED
