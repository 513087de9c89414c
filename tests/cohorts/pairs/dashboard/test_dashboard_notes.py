"""Confidential notes on the dashboard: the partner reads shared notes and never private ones,
sharing and taking back, encryption at rest, the author's edits and deletions, and notes no
key opens."""

import pytest
from cryptography.fernet import Fernet
from django.db import connection
from django.utils.html import escape

from cohorts.models import ConfidentialNote
from cohorts.pairs.crypto import NotesKeyError
from cohorts.pairs.services import notes as note_services
from cohorts.pairs.views import dashboard as views
from tests.cohorts.pairs.dashboard.helpers import url
from tests.helpers import client_for, html, messages_of

pytestmark = pytest.mark.django_db


# Confidential notes -------------------------------------------------------------------------


def test_the_partner_reads_shared_notes_never_private_ones(dashboard, pair, mentor, mentee):
    author = client_for(mentee)
    private_text = "Private: I worry about my review <soon>."
    shared_text = "Shared: thanks for the reading list."
    response = author.post(url(dashboard, pair, "notes"), {"text": private_text})
    assert response.status_code == 302 and messages_of(response) == [views.NOTE_ADDED_PRIVATE]
    author.post(url(dashboard, pair, "notes"), {"text": shared_text, "shared": "on"})

    mine = html(author.get(url(dashboard, pair, "notes")))
    assert escape(private_text) in mine and shared_text in mine
    assert "Private notes are seen only by you; shared notes by you and your partner." in mine
    assert "Coordinators never see notes." in mine
    unticked = '<input type="checkbox" name="shared" aria-describedby="id_shared_helptext"'
    assert f'{unticked} id="id_shared">' in mine

    partners = html(client_for(mentor).get(url(dashboard, pair, "notes")))
    assert shared_text in partners and "Shared by Theo Mentee" in partners
    assert "I worry about my review" not in partners
    assert private_text not in partners and escape(private_text) not in partners
    for note in ConfidentialNote.objects.filter(author=mentee):
        assert url(dashboard, pair, "notes-edit", note.pk) not in partners


def test_a_note_is_shared_then_taken_back(dashboard, pair, mentor, mentee):
    note = note_services.note_add(pair=pair, user=mentee, text="Once shared, then not.")
    author, partner = client_for(mentee), client_for(mentor)
    share = url(dashboard, pair, "notes-share", note.pk)

    # Sharing asks first, from a link (never the private note's most prominent button), and
    # shares nothing until confirmed.
    notes_page = html(author.get(url(dashboard, pair, "notes")))
    assert f'<a class="button button--link" href="{share}">Share with Maria Mentor' in notes_page
    for asked in (author.get(share), author.post(share, {"shared": "1"})):
        confirm = html(asked)
        assert "Share this note?" in confirm and "Once shared, then not." in confirm
        assert '<input type="hidden" name="confirmed" value="1">' in confirm
    note.refresh_from_db()
    assert note.shared is False
    assert "Once shared, then not." not in html(partner.get(url(dashboard, pair, "notes")))

    response = author.post(share, {"shared": "1", "confirmed": "1"})
    assert messages_of(response) == [views.NOTE_SHARED.format(partner="Maria Mentor")]
    assert "Once shared, then not." in html(partner.get(url(dashboard, pair, "notes")))

    response = author.post(share, {"shared": "0"})
    assert messages_of(response)[-1] == views.NOTE_UNSHARED
    assert "Once shared, then not." not in html(partner.get(url(dashboard, pair, "notes")))
    assert partner.post(share, {"shared": "1", "confirmed": "1"}).status_code == 404
    assert author.post(share, {"shared": "yes"}).status_code == 400
    note.refresh_from_db()
    assert note.shared is False


def test_a_notes_text_is_encrypted_in_the_database(dashboard, pair, mentee):
    text = "Plaintext that must never reach the database 7d2c"
    client_for(mentee).post(url(dashboard, pair, "notes"), {"text": text})
    note = ConfidentialNote.objects.get()
    assert text.encode() not in bytes(note.ciphertext)
    assert b"7d2c" not in bytes(note.ciphertext)
    with connection.cursor() as cursor:
        cursor.execute("SELECT ciphertext FROM cohorts_confidentialnote")
        assert all(text.encode() not in bytes(row[0]) for row in cursor.fetchall())
    assert note_services.note_text(note=note) == text


def test_the_author_edits_and_deletes_a_note(dashboard, pair, mentor, mentee):
    note = note_services.note_add(pair=pair, user=mentee, text="First draft", shared=True)
    author = client_for(mentee)
    edit = url(dashboard, pair, "notes-edit", note.pk)
    assert "First draft</textarea>" in html(author.get(edit))
    assert author.post(edit, {"text": "  "}).status_code == 200
    assert client_for(mentor).post(edit, {"text": "Hijacked"}).status_code == 404
    response = author.post(edit, {"text": "Second draft"})
    assert response.status_code == 302 and messages_of(response) == [views.NOTE_SAVED]
    assert note_services.note_text(note=ConfidentialNote.objects.get()) == "Second draft"

    delete = url(dashboard, pair, "notes-delete", note.pk)
    assert client_for(mentor).post(delete).status_code == 404
    assert "Second draft" in html(author.get(delete))
    response = author.post(delete)
    assert messages_of(response) == [views.NOTE_DELETED]
    assert not ConfidentialNote.objects.exists()


def test_notes_that_no_key_opens_fail_loudly(dashboard, pair, mentee, settings):
    note_services.note_add(pair=pair, user=mentee, text="Under the old key")
    settings.NOTES_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(NotesKeyError):
        client_for(mentee).get(url(dashboard, pair, "notes"))
