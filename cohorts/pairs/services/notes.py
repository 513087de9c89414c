"""Writes of confidential notes: add, edit, share or unshare, delete, and key rotation.

Only a note's author changes it. Once the pair is closed to its author (they closed their
side, or the pair ended), the author still reads, deletes and stops sharing their notes,
and writes, edits and shares no more. Once their partner closed their side, the author
shares no more notes and leaves the shared ones as they are (no edit), and still writes,
edits and deletes private ones. The text is encrypted before it reaches the database and
is never passed to a task, an e-mail or a log; errors name the note by id, never by text,
and Django's error reports hide these functions' local variables (``sensitive_variables``).
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.views.decorators.debug import sensitive_variables

from cohorts.choices import PairStatus
from cohorts.pairs.crypto import note_decrypt, note_encrypt, note_rotate
from cohorts.pairs.errors import NOTE_EMPTY, PARTNER_CLOSED_NOTES
from cohorts.pairs.models import ConfidentialNote, Pair
from cohorts.pairs.models.notes import NOTE_MAX_LENGTH
from cohorts.pairs.selectors.pairs import (
    note_for_author,
    pair_for_member,
    pair_open_to,
    pair_partner_application,
    pair_partner_closed,
)

NOTE_TOO_LONG = f"Keep a note under {NOTE_MAX_LENGTH} characters."
NOT_YOUR_PAIR = "This is not one of your mentoring pairs."
NOT_YOUR_NOTE = "Only the person who wrote a note can change it."
NOTES_READ_ONLY = (
    "This pair is closed: your notes stay here for you to read, and you can delete a note "
    "or stop sharing it, but not write, edit or share one."
)
NOTES_ENDED = (
    "This pair has ended: your notes stay here for you to read, and you can delete a note "
    "or stop sharing it, but not write, edit or share one."
)


@sensitive_variables()
def note_text(*, note: ConfidentialNote) -> str:
    """The note's text, decrypted; NotesKeyError if no key opens it."""
    return note_decrypt(note.ciphertext, pk=note.pk)


@sensitive_variables()
def _clean(text: str) -> str:
    text = text.replace("\r\n", "\n").strip()
    if not text:
        raise ValidationError(NOTE_EMPTY)
    if len(text) > NOTE_MAX_LENGTH:
        raise ValidationError(NOTE_TOO_LONG)
    return text


@sensitive_variables()
def note_add(*, pair: Pair, user, text: str, shared: bool = False) -> ConfidentialNote:
    """A participant writes a note on their pair: private unless they share it."""
    found = pair_for_member(user=user, pair_id=pair.pk)
    if found is None:
        raise ValidationError(NOT_YOUR_PAIR)
    _still_open(found, user)
    if shared:
        note_share_check(pair=found, user=user)
    ciphertext = note_encrypt(_clean(text))
    return ConfidentialNote.objects.create(
        pair=pair, author=user, ciphertext=ciphertext, shared=shared
    )


def _still_open(pair: Pair, user) -> None:
    """The rule of every pair (``pair_open_to``); the refusal says whether the pair ended
    or the author closed their side."""
    if not pair_open_to(pair=pair, user=user):
        ended = pair.status == PairStatus.ENDED
        raise ValidationError(NOTES_ENDED if ended else NOTES_READ_ONLY)


def note_share_check(*, pair: Pair, user) -> None:
    """Refuse, with the reason, what would add to the partner's view of the notes (sharing
    a note, or changing one they read) once the pair is not open to both
    (``pair_shared_open_to``): the author's side closed, the pair ended, or the partner
    closed their side. Writes nothing."""
    _still_open(pair, user)
    if pair_partner_closed(pair=pair, user=user):
        partner = pair_partner_application(pair=pair, user=user).applicant
        raise ValidationError(PARTNER_CLOSED_NOTES.format(partner=partner.display_name))


def _own(pair: Pair, user, note_id: int, *, to_add: bool = False) -> ConfidentialNote:
    """The author's own note; ``to_add`` when the change adds to what the partner or the
    record holds, which a closed pair refuses."""
    note = note_for_author(user=user, pair=pair, note_id=note_id)
    if note is None:
        raise ValidationError(NOT_YOUR_NOTE)
    if to_add:
        _still_open(pair, user)
    return note


@sensitive_variables()
def note_update(*, pair: Pair, user, note_id: int, text: str) -> ConfidentialNote:
    note = _own(pair, user, note_id, to_add=True)
    if note.shared:
        note_share_check(pair=pair, user=user)
    note.ciphertext = note_encrypt(_clean(text))
    note.save(update_fields=["ciphertext", "updated_at"])
    return note


def note_share(*, pair: Pair, user, note_id: int, shared: bool) -> ConfidentialNote:
    """Share a note with the partner, or take it back."""
    note = _own(pair, user, note_id, to_add=shared)
    if shared:
        note_share_check(pair=pair, user=user)
    note.shared = shared
    note.save(update_fields=["shared", "updated_at"])
    return note


def note_delete(*, pair: Pair, user, note_id: int) -> None:
    _own(pair, user, note_id).delete()


def notes_rotate_keys(*, batch_size: int = 500) -> int:
    """Re-encrypt every note under the newest key of NOTES_ENCRYPTION_KEYS; returns how many.

    All or nothing: a note no key opens raises NotesKeyError and nothing is rewritten.
    """
    count = 0
    with transaction.atomic():
        notes = ConfidentialNote.objects.select_for_update().only("pk", "ciphertext")
        for note in notes.iterator(chunk_size=batch_size):
            ConfidentialNote.objects.filter(pk=note.pk).update(
                ciphertext=note_rotate(note.ciphertext, pk=note.pk)
            )
            count += 1
    return count
