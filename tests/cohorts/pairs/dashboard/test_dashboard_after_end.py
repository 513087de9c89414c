"""After the formal end each partner chooses for themselves: continue informally, or close
their side once they confirm it; the partner is told by e-mail through the outbox; the pair
ends when both have closed; and the pair's record, each person's own notes and the letter of
service stay readable to each of them, read-only, whatever they chose."""

import re

import pytest
from django.core import mail
from django.utils.html import escape

from cohorts.choices import AfterEnd, PairStatus
from cohorts.choices import ReminderKind as Kind
from cohorts.models import ConfidentialNote, ContactLog, OutboxMessage, Pair
from cohorts.pairs.errors import PAIR_READ_ONLY
from cohorts.pairs.services import notes as note_services
from cohorts.pairs.services import pairs as pair_services
from cohorts.pairs.views import dashboard as views
from tests.cohorts.pairs.dashboard.helpers import contact_data, url
from tests.helpers import client_for, html, messages_of

pytestmark = pytest.mark.django_db

CONFIRM_HEADING = "Close your side of the pair?"


def close(client, dashboard, pair):
    """Choose to close, then confirm it, as the two pages post it."""
    asked = client.post(url(dashboard, pair, "end"), {"choice": AfterEnd.CLOSE})
    assert asked.status_code == 200 and CONFIRM_HEADING in html(asked)
    return client.post(url(dashboard, pair, "end"), {"choice": AfterEnd.CLOSE, "confirm": "True"})


def closing_emails() -> list:
    """The e-mails sent that tell a partner of a closing."""
    return [message for message in mail.outbox if "closed their side" in message.subject]


def test_the_choice_waits_for_the_formal_end(dashboard, pair, mentee):
    client = client_for(mentee)
    assert "After the formal end" not in html(client.get(url(dashboard, pair)))
    for choice in (AfterEnd.CONTINUE, AfterEnd.CLOSE):
        refused = client.post(url(dashboard, pair, "end"), {"choice": choice})
        assert refused.status_code == 200 and CONFIRM_HEADING not in html(refused)
        assert "The formal mentoring period is not over yet" in html(refused)
    assert Pair.objects.get(pk=pair.pk).mentee_after_end == ""


def test_continuing_is_each_partners_own_choice(dashboard, over, mentor, mentee):
    client = client_for(mentee)
    assert "After the formal end" in html(client.get(url(dashboard, over)))
    response = client.post(url(dashboard, over, "end"), {"choice": AfterEnd.CONTINUE})
    assert messages_of(response) == [views.CONTINUING]
    over.refresh_from_db()
    assert (over.mentee_after_end, over.mentor_after_end) == (AfterEnd.CONTINUE, "")
    page = html(client_for(mentor).get(url(dashboard, over)))
    assert "<dt>Theo Mentee's choice</dt><dd>Continue informally" in page


def test_closing_asks_for_confirmation_and_changes_nothing_until_then(dashboard, over, mentor):
    client = client_for(mentor)
    asked = client.post(url(dashboard, over, "end"), {"choice": AfterEnd.CLOSE})

    page = html(asked)
    assert CONFIRM_HEADING in page and "Theo Mentee is told by e-mail" in page
    assert 'name="confirm" value="True"' in page and "Keep it open" in page
    over.refresh_from_db()
    assert (over.status, over.mentor_after_end) == (PairStatus.PUBLISHED, "")
    assert not OutboxMessage.objects.filter(kind=Kind.PARTNER_CLOSED).exists()


def test_one_partner_closing_tells_the_other_and_leaves_both_their_history(
    dashboard, over, mentor, mentee, django_capture_on_commit_callbacks
):
    note_services.note_add(pair=over, user=mentor, text="Maria's own thoughts.")
    client = client_for(mentor)
    with django_capture_on_commit_callbacks(execute=True):
        response = close(client, dashboard, over)

    assert response.status_code == 302 and response.url == url(dashboard, over)
    assert messages_of(response) == [views.SIDE_CLOSED.format(partner="Theo Mentee")]
    over.refresh_from_db()
    assert over.status == PairStatus.PUBLISHED and over.mentor_after_end == AfterEnd.CLOSE
    assert over.mentor_after_end_at is not None
    # The partner is told, through the outbox, with a link to the pair's page.
    told = OutboxMessage.objects.get(kind=Kind.PARTNER_CLOSED)
    assert (told.kind, told.recipient_id, told.object_id) == (
        Kind.PARTNER_CLOSED,
        mentee.pk,
        over.pk,
    )
    sent = closing_emails()
    assert [message.to for message in sent] == [[mentee.email]]
    assert "Maria Mentor closed their side" in sent[0].subject
    assert url(dashboard, over) in sent[0].body

    # The one who closed still reads the record, their notes and the letter; adds nothing.
    page = html(client.get(url(dashboard, over)))
    assert "You closed your side of the pair on" in page
    assert 'id="add-contact"' not in page and "Save the agreement" not in page
    assert "Download your letter of service" in page
    notes = html(client.get(url(dashboard, over, "notes")))
    assert "Maria&#x27;s own thoughts." in notes and 'id="write-note"' not in notes
    assert "To whom it may concern" in html(client.get(url(dashboard, over, "letter")))
    refused = client.post(url(dashboard, over, "contacts"), contact_data())
    assert messages_of(refused) == [PAIR_READ_ONLY]
    assert ContactLog.objects.filter(pair=over, author=mentor).count() == 0
    assert client.get(url(dashboard, over, "contacts-edit", 1)).status_code == 302
    again = client.post(url(dashboard, over, "end"), {"choice": AfterEnd.CONTINUE})
    assert messages_of(again)[-1] == pair_services.SIDE_ALREADY_CLOSED

    # The partner keeps their side open and is told on the page: they still write private
    # notes and make their own choice, and add nothing more to what Maria reads.
    other = client_for(mentee)
    page = html(other.get(url(dashboard, over)))
    assert "Maria Mentor closed their side of the pair on" in page
    assert 'id="after-end"' in page and 'id="add-contact"' not in page
    assert 'id="write-note"' in html(other.get(url(dashboard, over, "notes")))
    dashboard_page = html(other.get(url(dashboard)))
    assert "Maria Mentor closed their side" in dashboard_page


@pytest.mark.parametrize("first", ["mentor", "mentee"])
def test_both_partners_closing_in_either_order_ends_the_pair_and_keeps_it_theirs(
    dashboard, over, mentor, mentee, first, django_capture_on_commit_callbacks
):
    people = {"mentor": mentor, "mentee": mentee}
    second = "mentee" if first == "mentor" else "mentor"
    for person in (people[first], people[second]):
        note_services.note_add(pair=over, user=person, text=f"Private to {person.first_name}.")

    with django_capture_on_commit_callbacks(execute=True):
        close(client_for(people[first]), dashboard, over)
        response = close(client_for(people[second]), dashboard, over)

    partner_name = people[first].display_name
    assert messages_of(response) == [views.PAIR_CLOSED.format(partner=partner_name)]
    over.refresh_from_db()
    assert over.status == PairStatus.ENDED
    assert over.end_reason == pair_services.CLOSED_AFTER_PROGRAM
    # Only the first closing told anyone: the second partner, who closed too.
    assert [message.to for message in closing_emails()] == [[people[second].email]]

    for person in (mentor, mentee):
        client = client_for(person)
        index = html(client.get(url(dashboard)))
        assert "You are not in a mentoring pair now" in index
        assert "Pairs that have ended" in index and "(closed after the program)" in index
        page = client.get(url(dashboard, over))
        assert page.status_code == 200 and "This pair ended on" in html(page)
        assert "(closed after the program)" in html(page) and 'id="add-contact"' not in html(page)
        notes = html(client.get(url(dashboard, over, "notes")))
        assert escape(f"Private to {person.first_name}.") in notes
        other = mentee if person == mentor else mentor
        assert escape(f"Private to {other.first_name}.") not in notes
    letter = html(client_for(mentor).get(url(dashboard, over, "letter")))
    assert "To whom it may concern" in letter


def test_a_closed_pair_lets_its_author_delete_or_unshare_a_note_and_nothing_more(
    dashboard, over, mentor, mentee
):
    kept = note_services.note_add(pair=over, user=mentee, text="Shared, then taken back.")
    note_services.note_share(pair=over, user=mentee, note_id=kept.pk, shared=True)
    gone = note_services.note_add(pair=over, user=mentee, text="To delete.")
    pair_services.pair_after_end_choose(pair=over, user=mentee, choice=AfterEnd.CLOSE)
    over = Pair.objects.get(pk=over.pk)

    for call in (
        lambda: note_services.note_add(pair=over, user=mentee, text="More."),
        lambda: note_services.note_update(pair=over, user=mentee, note_id=kept.pk, text="New"),
        lambda: note_services.note_share(pair=over, user=mentee, note_id=gone.pk, shared=True),
    ):
        with pytest.raises(pair_services.ValidationError) as error:
            call()
        assert error.value.messages == [note_services.NOTES_READ_ONLY]
    client = client_for(mentee)
    client.post(url(dashboard, over, "notes-share", kept.pk), {"shared": "0"})
    client.post(url(dashboard, over, "notes-delete", gone.pk))
    assert list(ConfidentialNote.objects.values_list("pk", "shared")) == [(kept.pk, False)]


def test_the_progress_bar_stays_within_its_maximum_once_the_minimum_is_met(dashboard, met, mentee):
    pair = met
    client = client_for(mentee)
    for address in (url(dashboard), url(dashboard, pair)):
        page = html(client.get(address))
        bars = re.findall(r'<progress[^>]* max="(\d+)" value="(\d+)"', page)
        assert bars and all(int(value) <= int(maximum) for maximum, value in bars), bars
    assert "2.3 of 2 hours" in page


SURVEY_EXCEPTION = "outside the program's reminders, except the end-of-program survey"


def test_every_page_about_the_choice_says_the_final_survey_still_writes(
    dashboard, over, mentor, mentee
):
    """Whoever continues informally, or closes their side, still gets the final survey's
    e-mails until they answer it: the pages about the choice say so, never that no reminder
    reaches them at all."""
    client = client_for(mentee)
    page = html(client.get(url(dashboard, over)))
    assert SURVEY_EXCEPTION in page
    assert "outside the program's reminders, or" not in page

    continued = client.post(url(dashboard, over, "end"), {"choice": AfterEnd.CONTINUE})
    assert messages_of(continued) == [views.CONTINUING]
    assert SURVEY_EXCEPTION in views.CONTINUING

    asked = html(client_for(mentor).post(url(dashboard, over, "end"), {"choice": AfterEnd.CLOSE}))
    assert CONFIRM_HEADING in asked
    assert "except the end-of-program survey, until you answer it" in asked
