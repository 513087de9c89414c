"""The pair's record on the dashboard: the contact log (recorded by either partner, refused
next to its field, changed only by its author), the agreement and up to three goals."""

import datetime

import pytest
from django.utils.html import escape

from cohorts.models import ContactLog, PairAgreement, PairGoal
from cohorts.pairs.services import pairs as pair_services
from cohorts.pairs.views import dashboard as views
from core.formatting import day_display
from tests.cohorts.pairs.dashboard.helpers import TODAY, assert_private, contact_data, url
from tests.helpers import client_for, html, messages_of

pytestmark = pytest.mark.django_db


# The contact log -----------------------------------------------------------------------------


def test_a_partner_records_a_contact_and_both_see_it(dashboard, pair, mentor, mentee):
    client = client_for(mentee)
    day = TODAY - datetime.timedelta(days=3)
    response = client.post(
        url(dashboard, pair, "contacts"),
        contact_data(method="face_to_face", conference="midwinter", summary="Coffee <b>chat</b>"),
    )

    # Back where the log is, with the confirmation beside it (not 2,000 px above, at the top).
    assert response.status_code == 302
    assert response.url == url(dashboard, pair) + "#contact-log"
    assert_private(response)
    contact = ContactLog.objects.get()
    assert (contact.author, contact.date, contact.minutes) == (mentee, day, 45)
    assert (contact.method, contact.conference) == ("face_to_face", "midwinter")
    assert messages_of(response) == [views.CONTACT_ADDED.format(date=day_display(day))]
    page = html(client.get(response.url))
    log = page[page.index('id="contact-log"') :]
    assert log.index(views.CONTACT_ADDED.format(date=day_display(day))) < log.index("Coffee")
    assert 'class="messages" role="status"' not in page
    to_mentor = html(client_for(mentor).get(url(dashboard, pair)))
    assert "Face-to-face" in to_mentor and "At Midwinter" in to_mentor
    assert escape("Coffee <b>chat</b>") in to_mentor and "Recorded by Theo Mentee" in to_mentor
    assert url(dashboard, pair, "contacts-edit", contact.pk) not in to_mentor
    to_mentee = html(client.get(url(dashboard, pair)))
    assert "Recorded by you" in to_mentee
    assert url(dashboard, pair, "contacts-edit", contact.pk) in to_mentee


def window_message(pair) -> str:
    cohort = pair.cohort
    return pair_services.DATE_OUTSIDE_PROGRAM.format(
        start=cohort.formal_start, end=cohort.formal_end
    )


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"date": "2001-01-01"}, "date", None),
        ({"date": (TODAY + datetime.timedelta(days=1)).isoformat()}, "date", "future"),
        ({"date": "yesterday"}, "date", "needed"),
        ({"minutes": "0"}, "minutes", pair_services.MINUTES_OUT_OF_RANGE),
        ({"minutes": "601"}, "minutes", pair_services.MINUTES_OUT_OF_RANGE),
        ({"minutes": "lots"}, "minutes", pair_services.MINUTES_OUT_OF_RANGE),
        ({"method": "carrier_pigeon"}, "method", pair_services.UNKNOWN_METHOD),
        ({"method": ""}, "method", pair_services.UNKNOWN_METHOD),
        ({"conference": "worldcon"}, "conference", pair_services.UNKNOWN_CONFERENCE),
        ({"summary": "x" * 501}, "summary", pair_services.SUMMARY_TOO_LONG),
    ],
)
def test_a_refused_contact_is_shown_next_to_its_field(
    dashboard, pair, mentee, overrides, field, message
):
    if message is None:
        message = window_message(pair)
    message = {"future": pair_services.DATE_IN_FUTURE, "needed": "Give the date"}.get(
        message, message
    )
    response = client_for(mentee).post(url(dashboard, pair, "contacts"), contact_data(**overrides))

    assert response.status_code == 200
    assert_private(response)
    page = html(response)
    assert f'id="id_{field}_error">{escape(message)}' in page
    assert 'class="form-errors" role="alert"' in page
    assert not ContactLog.objects.exists()


def test_a_date_outside_the_window_is_refused_at_both_ends(dashboard, pair, mentee):
    client = client_for(mentee)
    before_start = pair.cohort.formal_start - datetime.timedelta(days=1)
    page = html(client.post(url(dashboard, pair, "contacts"), contact_data(date=before_start)))
    assert escape(window_message(pair)) in page
    assert not ContactLog.objects.exists()


def test_only_the_author_edits_or_deletes_a_contact(dashboard, pair, mentor, mentee):
    contact = pair_services.contact_add(
        pair=pair, user=mentee, date=TODAY, minutes=30, method="email", summary="First"
    )
    edit = url(dashboard, pair, "contacts-edit", contact.pk)
    delete = url(dashboard, pair, "contacts-delete", contact.pk)
    partner = client_for(mentor)
    assert partner.get(edit).status_code == 404
    assert partner.post(edit, contact_data(minutes="90")).status_code == 404
    assert partner.get(delete).status_code == 404
    assert partner.post(delete).status_code == 404
    contact.refresh_from_db()
    assert (contact.minutes, contact.summary) == (30, "First")

    author = client_for(mentee)
    form = html(author.get(edit))
    assert 'value="30"' in form and "First</textarea>" in form
    refused = author.post(edit, contact_data(minutes="0"))
    assert refused.status_code == 200
    assert escape(pair_services.MINUTES_OUT_OF_RANGE) in html(refused)
    response = author.post(edit, contact_data(minutes="90", summary="Edited"))
    assert response.status_code == 302 and messages_of(response) == [views.CONTACT_SAVED]
    contact.refresh_from_db()
    assert (contact.minutes, contact.summary) == (90, "Edited")

    confirm = author.get(delete)
    assert confirm.status_code == 200 and "Delete this contact?" in html(confirm)
    assert ContactLog.objects.filter(pk=contact.pk).exists()
    response = author.post(delete)
    assert response.status_code == 302 and messages_of(response) == [views.CONTACT_DELETED]
    assert not ContactLog.objects.exists()


# Agreement and goals -------------------------------------------------------------------------


def test_the_agreement_saves(dashboard, pair, mentor, mentee):
    response = client_for(mentor).post(
        url(dashboard, pair, "agreement"),
        {"frequency": "Every two weeks", "methods": ["email", "virtual"]},
    )
    assert response.status_code == 302 and messages_of(response) == [views.AGREEMENT_SAVED]
    agreement = PairAgreement.objects.get(pair=pair)
    assert (agreement.frequency, agreement.methods) == ("Every two weeks", ["virtual", "email"])
    page = html(client_for(mentee).get(url(dashboard, pair)))
    assert "Every two weeks" in page and "Virtual (video call), E-mail" in page

    refused = client_for(mentee).post(
        url(dashboard, pair, "agreement"), {"frequency": "x" * 201, "methods": ["fax"]}
    )
    assert refused.status_code == 200
    assert escape(pair_services.UNKNOWN_METHOD) in html(refused)
    agreement.refresh_from_db()
    assert agreement.frequency == "Every two weeks"


def test_up_to_three_goals_either_partner_marks_done(dashboard, pair, mentor, mentee):
    client = client_for(mentee)
    for text in ("Learn RDA", "Present at Annual", "Join a committee"):
        response = client.post(url(dashboard, pair, "goals"), {"text": text})
        assert response.status_code == 302 and messages_of(response)[-1] == views.GOAL_ADDED
    assert "Delete one to set another" in html(client.get(url(dashboard, pair)))

    refused = client.post(url(dashboard, pair, "goals"), {"text": "A fourth goal"})
    assert refused.status_code == 200
    assert escape(pair_services.TOO_MANY_GOALS) in html(refused)
    assert PairGoal.objects.count() == 3

    goal = PairGoal.objects.first()
    partner = client_for(mentor)
    response = partner.post(url(dashboard, pair, "goals", goal.pk), {"action": "done"})
    assert response.status_code == 302 and messages_of(response) == [views.GOAL_DONE]
    goal.refresh_from_db()
    assert goal.done_at is not None and goal.done_by == mentor
    client.post(url(dashboard, pair, "goals", goal.pk), {"action": "not-done"})
    goal.refresh_from_db()
    assert goal.done_at is None
    assert partner.post(url(dashboard, pair, "goals", goal.pk), {"action": "?"}).status_code == 400
    # Deleting asks first: the goal's button leads to a confirmation that deletes it.
    asked = partner.post(url(dashboard, pair, "goals", goal.pk), {"action": "delete"})
    assert asked.url == url(dashboard, pair, "goals-delete", goal.pk)
    assert PairGoal.objects.count() == 3
    confirm = html(partner.get(asked.url))
    assert "Delete this goal?" in confirm and escape(goal.text) in confirm
    response = partner.post(asked.url)
    assert messages_of(response) == [views.GOAL_DELETED]
    assert PairGoal.objects.count() == 2
    assert client.post(url(dashboard, pair, "goals"), {"text": " "}).status_code == 200
    assert PairGoal.objects.count() == 2


def test_a_contact_the_partner_logged_already_is_confirmed_before_it_counts_twice(
    dashboard, pair, mentor, mentee
):
    client_for(mentor).post(url(dashboard, pair, "contacts"), contact_data(summary="Mine"))
    client = client_for(mentee)
    same = contact_data(summary="The same call")

    asked = client.post(url(dashboard, pair, "contacts"), same)
    page = html(asked)
    assert asked.status_code == 200 and "Already logged by your partner?" in page
    day = TODAY - datetime.timedelta(days=3)
    assert f"Maria Mentor logged a contact on {day_display(day)} already: 45 minutes" in page
    assert '<input type="hidden" name="summary" value="The same call">' in page
    assert f'href="{url(dashboard, pair)}#contact-log"' in page  # "do not add it"
    assert ContactLog.objects.count() == 1

    # Another length, or another day, is another contact: no question.
    other = client.post(url(dashboard, pair, "contacts"), contact_data(minutes="20"))
    assert other.status_code == 302 and ContactLog.objects.count() == 2

    confirmed = client.post(url(dashboard, pair, "contacts"), {**same, "confirmed": "1"})
    assert confirmed.status_code == 302 and ContactLog.objects.count() == 3
    # The member's own earlier entry never asks: only the partner's.
    again = client.post(url(dashboard, pair, "contacts"), contact_data(minutes="20"))
    assert again.status_code == 302 and ContactLog.objects.count() == 4
