"""A pair's confidential notes on the dashboard: the member's own, the ones their partner
shared, and writing, editing, sharing and deleting them."""

import functools
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect
from django.utils import timezone

from cohorts.pairs.forms import NoteEditForm, NoteForm, PrivateNoteForm
from cohorts.pairs.models import ConfidentialNote
from cohorts.pairs.selectors.pairs import note_for_author, notes_visible_to
from cohorts.pairs.services import notes as note_services
from cohorts.pairs.views.dashboard.base import (
    UNKNOWN_ACTION,
    PairSide,
    _form_for,
    _press,
    _saved,
    confirmed,
    delete_after_confirm,
    render_confirm_step,
    render_side,
)
from core.formatting import day_display

NOTE_ADDED_PRIVATE = "Your private note is saved. Only you can read it."
NOTE_ADDED_SHARED = "Your note is saved and shared with {partner}."
NOTE_SAVED = "Your note is saved."
NOTE_SHARED = "The note is shared with {partner}."
NOTE_UNSHARED = "The note is private again: only you can read it."
NOTE_DELETED = "The note is deleted."


# ---- Notes --------------------------------------------------------------------------------


@dataclass(frozen=True)
class NoteRow:
    """A note the member may read, with its decrypted text."""

    note: ConfidentialNote
    text: str


def notes_section(request, side: PairSide, item_id=None) -> HttpResponse:
    """The member's notes and the ones their partner shared; a form to write one."""
    form = _form_for(request, NoteForm if side.shares_open else PrivateNoteForm)
    add = functools.partial(note_services.note_add, pair=side.pair, user=request.user)
    if _saved(request, form, lambda data: add(**data), field="text"):
        shared = form.cleaned_data.get("shared", False)
        partner = side.partner.display_name
        messages.success(
            request, NOTE_ADDED_SHARED.format(partner=partner) if shared else NOTE_ADDED_PRIVATE
        )
        return redirect(side.url("notes"))
    mine, partners = [], []
    for note in notes_visible_to(user=side.user, pair=side.pair):
        row = NoteRow(note=note, text=note_services.note_text(note=note))
        (mine if note.author_id == side.user.pk else partners).append(row)
    context = {"form": form, "my_notes": mine, "partner_notes": partners}
    return render_side(request, side, "notes.html", context, current="notes")


def _own_note(side: PairSide, note_id: int) -> ConfidentialNote:
    """One of the member's own notes on this pair: only its author changes it."""
    note = note_for_author(user=side.user, pair=side.pair, note_id=note_id)
    if note is None:
        raise Http404
    return note


def _sharing_refused(request, side: PairSide) -> bool:
    """Whether the notes may no longer add to what the partner reads (``shares_open``); if
    so, the reason (``note_share_check``) is the message the notes page opens with."""
    if side.shares_open:
        return False
    try:
        note_services.note_share_check(pair=side.pair, user=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return True


def note_edit_section(request, side: PairSide, item_id: int) -> HttpResponse:
    note = _own_note(side, item_id)
    if note.shared and _sharing_refused(request, side):
        # The partner reads it as it is: make it private first to change it.
        return redirect(side.url("notes"))
    initial = {} if request.method == "POST" else {"text": note_services.note_text(note=note)}
    form = _form_for(request, NoteEditForm, initial=initial)
    update = functools.partial(
        note_services.note_update, pair=side.pair, user=request.user, note_id=note.pk
    )
    if _saved(request, form, lambda data: update(text=data["text"]), field="text"):
        messages.success(request, NOTE_SAVED)
        return redirect(side.url("notes"))
    context = {"form": form, "note": note}
    return render_side(request, side, "note_edit.html", context, current="notes", exact=False)


def note_share_section(request, side: PairSide, item_id: int) -> HttpResponse:
    """Share a note with the partner (``shared=1``), once confirmed, or take it back
    (``shared=0``) at once."""
    note = _own_note(side, item_id)
    shared = request.POST.get("shared", "") if request.method == "POST" else "1"
    if shared not in ("0", "1"):
        return HttpResponseBadRequest(UNKNOWN_ACTION)
    if shared == "1" and _sharing_refused(request, side):
        return redirect(side.url("notes"))
    if shared == "1" and not (request.method == "POST" and confirmed(request)):
        if note.shared:
            return redirect(side.url("notes"))
        return _confirm_share(request, side, note)
    partner = side.partner.display_name
    _press(
        request,
        lambda: note_services.note_share(
            pair=side.pair, user=request.user, note_id=note.pk, shared=shared == "1"
        ),
        NOTE_SHARED.format(partner=partner) if shared == "1" else NOTE_UNSHARED,
    )
    return redirect(side.url("notes"))


def _confirm_share(request, side: PairSide, note: ConfidentialNote) -> HttpResponse:
    partner = side.partner.display_name
    return render_confirm_step(
        request,
        side,
        current="notes",
        heading="Share this note?",
        lede=f"{partner} will be able to read your note written on "
        f"{day_display(timezone.localtime(note.created_at))}:",
        quote=note_services.note_text(note=note),
        note="You can make it private again later, but they may have read it by then.",
        action=side.item_url("notes-share", note.pk),
        hidden=[("shared", "1")],
        button=f"Share it with {partner}",
        cancel_url=side.url("notes"),
        cancel_label="Keep it private",
        crumb_url=side.url("notes"),
        crumb_label="Notes",
    )


def note_delete_section(request, side: PairSide, item_id: int) -> HttpResponse:
    note = _own_note(side, item_id)
    return delete_after_confirm(
        request,
        side,
        call=lambda: note_services.note_delete(pair=side.pair, user=request.user, note_id=note.pk),
        success=NOTE_DELETED,
        back=side.url("notes"),
        current="notes",
        heading="Delete this note?",
        lede=f"Your note written on {day_display(timezone.localtime(note.created_at))}:",
        quote=note_services.note_text(note=note),
        button="Delete the note",
    )
