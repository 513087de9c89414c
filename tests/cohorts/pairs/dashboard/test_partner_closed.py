"""Once a partner closed their side after the formal end, nothing more reaches them from the
partner who keeps the pair open: no note is shared with them (the notes shared before stay
as they are), the shared record (contact log, goals, agreement) stays as it is, and no
change of partner asks for their consent. The pages offer none of it and say why; a refused
request writes nothing. Private notes stay the continuing partner's to write."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from cohorts.choices import AfterEnd, ChangeRequestStatus
from cohorts.choices import ReminderKind as Kind
from cohorts.models import (
    ChangeRequest,
    ConfidentialNote,
    ContactLog,
    OutboxMessage,
    PairAgreement,
    PairGoal,
)
from cohorts.pairs.errors import PARTNER_CLOSED_CHANGE, PARTNER_CLOSED_NOTES, PARTNER_CLOSED_RECORD
from cohorts.pairs.selectors.pairs import OPEN_CHANGE_STATUSES
from cohorts.pairs.services import notes as note_services
from cohorts.pairs.services import pairs as pair_services
from members.services.accounts import member_account_delete
from tests.cohorts.pairs.dashboard.helpers import contact_data, url
from tests.factories import USER_PASSWORD
from tests.helpers import client_for, html, messages_of

pytestmark = pytest.mark.django_db

NOTES_REFUSED = PARTNER_CLOSED_NOTES.format(partner="Theo Mentee")
RECORD_REFUSED = PARTNER_CLOSED_RECORD.format(partner="Theo Mentee")
CHANGE_REFUSED = PARTNER_CLOSED_CHANGE.format(partner="Theo Mentee")
SHARE_LINK = "Share with Theo Mentee"
CLOSED_SIDE_LABEL = "Closed: a partner closed their side after the formal end"


@pytest.fixture
def before(over, mentor):
    """Before Theo closed his side: Maria's private and shared notes, and a goal."""
    return {
        "private": note_services.note_add(pair=over, user=mentor, text="Maria, to herself."),
        "shared": note_services.note_add(
            pair=over, user=mentor, text="Maria, for Theo.", shared=True
        ),
        "goal": pair_services.goal_add(pair=over, user=mentor, text="Catalogue a collection"),
    }


@pytest.fixture
def theo_closed(over, mentee, before):
    """After the formal end, Theo (the mentee) closed his side; Maria has not chosen."""
    return pair_services.pair_after_end_choose(pair=over, user=mentee, choice=AfterEnd.CLOSE)


def refused(call, message: str) -> None:
    with pytest.raises(ValidationError) as error:
        call()
    assert error.value.messages == [message]


def test_a_note_is_no_longer_shared_with_a_partner_who_closed(theo_closed, mentor, before):
    pair, private, shared = theo_closed, before["private"], before["shared"]

    refused(
        lambda: note_services.note_share(pair=pair, user=mentor, note_id=private.pk, shared=True),
        NOTES_REFUSED,
    )
    refused(
        lambda: note_services.note_add(pair=pair, user=mentor, text="New.", shared=True),
        NOTES_REFUSED,
    )
    refused(
        lambda: note_services.note_update(
            pair=pair, user=mentor, note_id=shared.pk, text="Changed"
        ),
        NOTES_REFUSED,
    )
    assert not ConfidentialNote.objects.get(pk=private.pk).shared
    assert ConfidentialNote.objects.filter(pair=pair).count() == 2
    assert note_services.note_text(note=ConfidentialNote.objects.get(pk=shared.pk)) == (
        "Maria, for Theo."
    )

    # What stays Maria's: private notes, and taking a shared one back.
    note_services.note_add(pair=pair, user=mentor, text="Another private one.")
    note_services.note_update(pair=pair, user=mentor, note_id=private.pk, text="Edited.")
    note_services.note_share(pair=pair, user=mentor, note_id=shared.pk, shared=False)
    assert not ConfidentialNote.objects.filter(pair=pair, shared=True).exists()


def test_the_shared_record_no_longer_changes_once_the_partner_closed(theo_closed, mentor, before):
    pair, goal = theo_closed, before["goal"]
    contacts = ContactLog.objects.count()
    yesterday = pair.cohort.formal_end
    mine = {"pair": pair, "user": mentor}

    for call in (
        lambda: pair_services.contact_add(**mine, date=yesterday, minutes=30, method="email"),
        lambda: pair_services.goal_add(**mine, text="Another goal"),
        lambda: pair_services.goal_mark(**mine, goal_id=goal.pk, done=True),
        lambda: pair_services.goal_delete(**mine, goal_id=goal.pk),
        lambda: pair_services.agreement_save(**mine, frequency="Monthly", methods=["email"]),
    ):
        refused(call, RECORD_REFUSED)
    refused(
        lambda: pair_services.change_request_create(**mine, reason="Moving on."),
        CHANGE_REFUSED,
    )

    assert ContactLog.objects.count() == contacts
    assert list(PairGoal.objects.filter(pair=pair).values_list("pk", "done_at")) == [
        (goal.pk, None)
    ]
    assert not PairAgreement.objects.exists()
    assert not ChangeRequest.objects.exists()
    assert not OutboxMessage.objects.filter(kind=Kind.CHANGE_CONSENT).exists()


def test_the_notes_page_offers_no_sharing_and_says_why(dashboard, theo_closed, mentor, before):
    client = client_for(mentor)
    page = html(client.get(url(dashboard, theo_closed, "notes")))

    assert SHARE_LINK not in page
    assert 'id="id_shared"' not in page  # the "Share with my partner" box of a new note
    assert NOTES_REFUSED in page
    # The shared note is still shared, can be made private, and is not edited any more.
    assert "Shared with Theo Mentee" in page and "Make private" in page
    shared_edit = url(dashboard, theo_closed, "notes-edit", before["shared"].pk)
    private_edit = url(dashboard, theo_closed, "notes-edit", before["private"].pk)
    assert shared_edit not in page and private_edit in page


def test_sharing_from_its_own_address_is_refused_with_the_reason(
    dashboard, theo_closed, mentor, before
):
    share = url(dashboard, theo_closed, "notes-share", before["private"].pk)

    asked = client_for(mentor).get(share)
    assert asked.status_code == 302 and asked.url == url(dashboard, theo_closed, "notes")
    assert messages_of(asked) == [NOTES_REFUSED]
    posted = client_for(mentor).post(share, {"shared": "1", "confirmed": "1"})
    assert messages_of(posted) == [NOTES_REFUSED]
    edit = url(dashboard, theo_closed, "notes-edit", before["shared"].pk)
    assert messages_of(client_for(mentor).get(edit)) == [NOTES_REFUSED]
    written = client_for(mentor).post(
        url(dashboard, theo_closed, "notes"), {"text": "For Theo?", "shared": "on"}
    )
    assert written.status_code == 302  # saved, as the private note the page offers

    assert list(ConfidentialNote.objects.filter(shared=True).values_list("pk", flat=True)) == [
        before["shared"].pk
    ]


def test_the_pair_page_offers_nothing_that_adds_to_the_shared_record(
    dashboard, theo_closed, mentor, before
):
    client = client_for(mentor)
    page = html(client.get(url(dashboard, theo_closed)))

    assert "Theo Mentee closed their side of the pair" in page
    assert "Nothing more reaches them" in page
    for offered in ('id="add-contact"', "Log a contact", 'id="add-goal"', "Mark done"):
        assert offered not in page
    assert "Save the agreement" not in page and "Ask for a change of partner" not in page
    # Her own choice after the end is still hers to make.
    assert 'id="after-end"' in page

    posted = client_for(mentor).post(url(dashboard, theo_closed, "contacts"), contact_data())
    assert messages_of(posted) == [RECORD_REFUSED]
    goal = url(dashboard, theo_closed, "goals-delete", before["goal"].pk)
    assert messages_of(client_for(mentor).get(goal)) == [RECORD_REFUSED]
    change = client.get(url(dashboard, theo_closed, "change"))
    assert CHANGE_REFUSED in html(change) and 'id="ask-change"' not in html(change)
    asked = client_for(mentor).post(url(dashboard, theo_closed, "change"), {"message": "Go."})
    assert messages_of(asked) == [CHANGE_REFUSED]
    assert not ChangeRequest.objects.exists()


def test_the_partner_who_closed_still_offers_nothing_either(dashboard, theo_closed, mentee):
    page = html(client_for(mentee).get(url(dashboard, theo_closed, "notes")))
    assert "Share with Maria Mentor" not in page


def test_a_note_is_not_shared_with_a_partner_who_left(
    dashboard, pair, mentor, mentee, django_capture_on_commit_callbacks
):
    note = note_services.note_add(pair=pair, user=mentor, text="Maria, to herself.")
    with django_capture_on_commit_callbacks(execute=True):
        member_account_delete(user=mentee, password=USER_PASSWORD)
    client = client_for(mentor)

    page = html(client.get(url(dashboard, pair, "notes")))
    assert "Share with" not in page
    asked = client.get(url(dashboard, pair, "notes-share", note.pk))
    assert asked.status_code == 302
    assert messages_of(asked) == [note_services.NOTES_ENDED]
    assert not ConfidentialNote.objects.get(pk=note.pk).shared


@pytest.mark.parametrize("consented", [False, True])
def test_a_change_of_partner_still_open_closes_when_the_partner_closes_their_side(
    dashboard, over, mentor, mentee, coordinator, consented, django_capture_on_commit_callbacks
):
    """Maria asked for a change of partner; Theo can no longer answer it (or a coordinator
    approve it) once he closed his side: it closes, Maria is told through the outbox and
    reads why on her pair's change page, and the coordinators read it as closed."""
    change = pair_services.change_request_create(pair=over, user=mentor, reason="MARIA-REASON")
    if consented:
        pair_services.change_request_consent(
            pair=over, user=mentee, change_id=change.pk, consent=True
        )
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        pair_services.pair_after_end_choose(pair=over, user=mentee, choice=AfterEnd.CLOSE)

    change.refresh_from_db()
    assert change.status == ChangeRequestStatus.CLOSED_SIDE
    assert change.get_status_display() == CLOSED_SIDE_LABEL
    told = OutboxMessage.objects.get(kind=Kind.CHANGE_CLOSED)
    assert (told.recipient_id, told.object_id) == (mentor.pk, change.pk)
    [sent] = [
        message
        for message in mail.outbox
        if message.to == [mentor.email] and "change partner" in message.subject
    ]
    assert "Theo Mentee has closed their side" in sent.body
    assert url(dashboard, over, "change") in sent.body
    assert "MARIA-REASON" not in sent.body

    page = html(client_for(mentor).get(url(dashboard, over, "change")))
    assert CLOSED_SIDE_LABEL in page and "Withdraw my request" not in page
    theirs = html(client_for(mentee).get(url(dashboard, over, "change")))
    assert "I agree to a change" not in theirs
    with pytest.raises(ValidationError):
        pair_services.change_request_consent(
            pair=over, user=mentee, change_id=change.pk, consent=True
        )

    admin = html(client_for(coordinator).get(reverse("cohorts_pair:inspect", args=[over.pk])))
    assert CLOSED_SIDE_LABEL in admin
    assert not ChangeRequest.objects.filter(status__in=OPEN_CHANGE_STATUSES).exists()


def test_closing_ones_own_side_closes_ones_own_request_without_an_e_mail_about_it(
    over, mentor, mentee, django_capture_on_commit_callbacks
):
    change = pair_services.change_request_create(pair=over, user=mentor, reason="Moving on.")
    with django_capture_on_commit_callbacks(execute=True):
        pair_services.pair_after_end_choose(pair=over, user=mentor, choice=AfterEnd.CLOSE)
    change.refresh_from_db()
    assert change.status == ChangeRequestStatus.CLOSED_SIDE
    assert not OutboxMessage.objects.filter(kind=Kind.CHANGE_CLOSED).exists()
    # Theo is no longer asked to consent to it.
    with pytest.raises(ValidationError):
        pair_services.change_request_consent(
            pair=over, user=mentee, change_id=change.pk, consent=True
        )
