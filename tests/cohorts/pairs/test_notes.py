"""Confidential notes: encrypted at rest under keys of their own, readable by their author
(and the partner, for a shared note) only, rotated to a new key, loud with a wrong key, and
registered nowhere an admin could read them."""

import datetime

import pytest
from cryptography.fernet import Fernet
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection
from wagtail.snippets.models import get_snippet_models

from cohorts.models import ConfidentialNote
from cohorts.pairs.crypto import KEYS_MISSING, NOTE_UNREADABLE, NotesKeyError
from cohorts.pairs.selectors.pairs import notes_visible_to
from cohorts.pairs.services import notes as services
from members.roles import CHAIR, COORDINATORS, EDITORS
from members.services.accounts import member_account_delete, member_data_export
from tests.cohorts.factories import make_cohort, make_pair
from tests.factories import USER_PASSWORD, member

pytestmark = pytest.mark.django_db

PRIVATE = "Private note: my mentor seems tired of RDA."
SHARED = "Shared note: agenda for our Midwinter coffee."


@pytest.fixture
def pair(home):
    cohort = make_cohort(home, datetime.date.today().year - 1)
    return make_pair(cohort)


@pytest.fixture
def notes(pair):
    mentee = pair.mentee.applicant
    private = services.note_add(pair=pair, user=mentee, text=PRIVATE)
    shared = services.note_add(pair=pair, user=mentee, text=SHARED, shared=True)
    return private, shared


def raw_ciphertexts() -> list[bytes]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT ciphertext FROM cohorts_confidentialnote")
        return [bytes(row[0]) for row in cursor.fetchall()]


def test_the_database_holds_no_note_text(notes):
    stored = raw_ciphertexts()
    assert len(stored) == 2
    for ciphertext in stored:
        assert PRIVATE.encode() not in ciphertext and SHARED.encode() not in ciphertext
        assert b"note" not in ciphertext.lower()
    assert services.note_text(note=notes[0]) == PRIVATE


def test_the_author_reads_both_the_partner_only_the_shared_one(pair, notes):
    mentee, mentor = pair.mentee.applicant, pair.mentor.applicant
    assert set(notes_visible_to(user=mentee, pair=pair)) == set(notes)
    assert list(notes_visible_to(user=mentor, pair=pair)) == [notes[1]]


@pytest.mark.parametrize("role", ["coordinator", "chair", "editor", "superuser", "stranger"])
def test_nobody_else_reads_a_note(pair, notes, role):
    groups = {"coordinator": [COORDINATORS], "chair": [CHAIR], "editor": [EDITORS]}
    user = member(groups=groups.get(role, []))
    if role == "superuser":
        user.is_superuser = user.is_staff = True
        user.save()
    assert list(notes_visible_to(user=user, pair=pair)) == []


def test_share_and_unshare_are_the_authors_alone(pair, notes):
    private, shared = notes
    mentee, mentor = pair.mentee.applicant, pair.mentor.applicant
    services.note_share(pair=pair, user=mentee, note_id=private.pk, shared=True)
    assert private in notes_visible_to(user=mentor, pair=pair)
    services.note_share(pair=pair, user=mentee, note_id=private.pk, shared=False)
    assert private not in notes_visible_to(user=mentor, pair=pair)
    for call in (
        lambda: services.note_share(pair=pair, user=mentor, note_id=shared.pk, shared=False),
        lambda: services.note_update(pair=pair, user=mentor, note_id=shared.pk, text="x"),
        lambda: services.note_delete(pair=pair, user=mentor, note_id=shared.pk),
    ):
        with pytest.raises(ValidationError) as error:
            call()
        assert error.value.messages == [services.NOT_YOUR_NOTE]
    shared.refresh_from_db()
    assert shared.shared and services.note_text(note=shared) == SHARED


def test_only_the_pairs_members_write_notes(pair):
    outsider = member(groups=[COORDINATORS])
    with pytest.raises(ValidationError) as error:
        services.note_add(pair=pair, user=outsider, text="Looking in.")
    assert error.value.messages == [services.NOT_YOUR_PAIR]
    for text, message in [("   ", services.NOTE_EMPTY), ("x" * 5001, services.NOTE_TOO_LONG)]:
        with pytest.raises(ValidationError) as error:
            services.note_add(pair=pair, user=pair.mentee.applicant, text=text)
        assert error.value.messages == [message]
    assert not ConfidentialNote.objects.exists()


def test_rotation_reencrypts_every_note_under_the_newest_key(settings, notes):
    old_key = settings.NOTES_ENCRYPTION_KEYS[0]
    new_key = Fernet.generate_key().decode()
    before = raw_ciphertexts()
    settings.NOTES_ENCRYPTION_KEYS = [new_key, old_key]

    call_command("rotate_note_keys", stdout=open("/dev/null", "w"))

    assert set(raw_ciphertexts()).isdisjoint(before)
    settings.NOTES_ENCRYPTION_KEYS = [new_key]
    assert [services.note_text(note=n) for n in ConfidentialNote.objects.order_by("pk")] == [
        PRIVATE,
        SHARED,
    ]


def test_a_wrong_key_is_a_loud_error_never_ciphertext(settings, notes):
    settings.NOTES_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    note = ConfidentialNote.objects.get(pk=notes[0].pk)
    with pytest.raises(NotesKeyError) as error:
        services.note_text(note=note)
    assert str(error.value) == NOTE_UNREADABLE.format(pk=note.pk)
    before = raw_ciphertexts()
    with pytest.raises(CommandError):
        call_command("rotate_note_keys")
    assert raw_ciphertexts() == before


def test_a_missing_or_malformed_key_is_a_loud_error(settings, pair):
    settings.NOTES_ENCRYPTION_KEYS = []
    with pytest.raises(NotesKeyError) as error:
        services.note_add(pair=pair, user=pair.mentee.applicant, text="Hello.")
    assert str(error.value) == KEYS_MISSING
    settings.NOTES_ENCRYPTION_KEYS = ["not-a-key"]
    with pytest.raises(NotesKeyError):
        services.note_add(pair=pair, user=pair.mentee.applicant, text="Hello.")
    assert not ConfidentialNote.objects.exists()


def test_generate_prints_a_working_key(capsys):
    call_command("rotate_note_keys", "--generate")
    key = capsys.readouterr().out.strip()
    assert Fernet(key).decrypt(Fernet(key).encrypt(b"x")) == b"x"


def test_notes_are_registered_in_no_admin_and_no_index():
    # Django's own admin is not installed: the Wagtail admin is the only one.
    assert not apps.is_installed("django.contrib.admin")
    assert ConfidentialNote not in get_snippet_models()
    assert not hasattr(ConfidentialNote, "search_fields")
    assert ConfidentialNote.wagtail_reference_index_ignore is True
    assert ConfidentialNote._meta.default_permissions == ()
    assert "text" not in str(ConfidentialNote(pk=7)) and repr(ConfidentialNote(pk=7)) == (
        "<ConfidentialNote 7>"
    )


def test_the_authors_export_holds_their_notes_and_deletion_erases_them(pair, notes):
    mentee, mentor = pair.mentee.applicant, pair.mentor.applicant
    [exported] = member_data_export(user=mentee)["Your pairs"]
    assert {n["Text"] for n in exported["Your notes"]} == {PRIVATE, SHARED}
    assert exported["Notes your partner shared with you"] == []
    # The partner's download holds the shared note, marked as the mentee's, never the private.
    [partners] = member_data_export(user=mentor)["Your pairs"]
    assert partners["Your notes"] == []
    [shared] = partners["Notes your partner shared with you"]
    assert (shared["Text"], shared["Written by"]) == (SHARED, mentee.display_name)
    assert PRIVATE not in str(member_data_export(user=mentor))

    mentee.set_password(USER_PASSWORD)
    mentee.save()
    member_account_delete(user=mentee, password=USER_PASSWORD)

    assert not ConfidentialNote.objects.exists()


def test_an_error_report_never_shows_a_notes_text(pair, monkeypatch, rf):
    import sys

    from django.views.debug import ExceptionReporter

    def broken(text):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "note_encrypt", broken)
    request = rf.post("/my-mentoring/1/notes/", {"text": PRIVATE})
    try:
        services.note_add(pair=pair, user=pair.mentee.applicant, text=PRIVATE)
    except RuntimeError:
        report = ExceptionReporter(request, *sys.exc_info()).get_traceback_text()
    assert "disk full" in report
    assert PRIVATE not in report
