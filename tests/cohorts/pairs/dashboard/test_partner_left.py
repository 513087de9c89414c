"""A partner deletes their account mid-year: the pair ends ("partner left the program"), the
leaver's open requests close, the partner and the subcommittee are told, the partner keeps
the pair's record to read and can be matched again."""

import datetime

import pytest
from django.urls import reverse

from cohorts.choices import ApplicationStatus, ChangeRequestStatus, PairStatus
from cohorts.choices import ReminderKind as Kind
from cohorts.matching.selectors import matching_workspace
from cohorts.models import ChangeRequest, OutboxMessage, SupportRequest
from cohorts.pairs.errors import PAIR_ENDED
from cohorts.pairs.services import notes as note_services
from cohorts.pairs.services import pairs as pair_services
from members.services.accounts import member_account_delete
from surveys.choices import SurveyKind
from tests.cohorts.pairs.dashboard.helpers import TODAY, contact_data, url
from tests.factories import USER_PASSWORD
from tests.helpers import client_for, html, messages_of
from tests.surveys.factories import add_survey

pytestmark = pytest.mark.django_db


@pytest.fixture
def left(pair, mentor, mentee, coordinator, mailoutbox, django_capture_on_commit_callbacks):
    """Theo, the mentee, asked for help and for a change of partner, then deleted his
    account; Maria wrote herself a private note before. Returns the pair."""
    note_services.note_add(pair=pair, user=mentor, text="Maria's own private note.")
    pair_services.support_request_send(pair=pair, user=mentee, message="THEO-HELP-TEXT")
    pair_services.change_request_create(pair=pair, user=mentee, reason="THEO-CHANGE-REASON")
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        member_account_delete(user=mentee, password=USER_PASSWORD)
    pair.refresh_from_db()
    return pair


def test_the_pair_ends_and_the_leavers_requests_close(left, mentee):
    assert left.status == PairStatus.ENDED
    assert left.end_reason == pair_services.PARTNER_LEFT == "partner left the program"
    assert not SupportRequest.objects.exists()
    change = ChangeRequest.objects.get()
    assert (change.status, change.reason) == (ChangeRequestStatus.CLOSED, "")
    assert left.mentee.status == ApplicationStatus.WITHDRAWN


def test_the_partner_and_the_subcommittee_are_told_through_the_outbox(
    left, mentor, coordinator, mailoutbox
):
    sent = dict(
        OutboxMessage.objects.filter(period=f"left-{left.pk}").values_list("kind", "recipient")
    )
    assert sent == {Kind.PARTNER_LEFT: mentor.pk, Kind.PARTNER_LEFT_SUBCOMMITTEE: coordinator.pk}
    by_address = {message.to[0]: message for message in mailoutbox}
    assert set(by_address) == {mentor.email, coordinator.email}
    to_mentor = by_address[mentor.email]
    assert to_mentor.subject.endswith("your partner has left the program")
    assert "your pair has ended" in to_mentor.body
    assert url_of_pair_page(left) in to_mentor.body
    to_subcommittee = by_address[coordinator.email]
    assert "Maria Mentor, their partner" in to_subcommittee.body
    workspace = reverse("cohorts_matching:workspace", args=[left.cohort_id])
    assert workspace in to_subcommittee.body
    for message in mailoutbox:
        assert "THEO-HELP-TEXT" not in message.body and "THEO-CHANGE-REASON" not in message.body


def url_of_pair_page(pair) -> str:
    from cohorts.pairs.selectors.pairs import dashboard_url_for

    return dashboard_url_for(pair=pair)


def test_the_partner_keeps_reading_the_pairs_record_and_their_own_notes(left, dashboard, mentor):
    client = client_for(mentor)
    index = html(client.get(url(dashboard)))
    assert "Pairs that have ended" in index and "You mentored a former participant" in index
    assert "You mentor Former participant" not in index

    page = html(client.get(url(dashboard, left)))
    assert "You mentored a former participant" in page
    assert "(partner left the program)" in page
    assert "Behind" not in page and "Ended" in page
    assert "Add to the log" not in page and "Ask for a change of partner" not in page
    notes = html(client.get(url(dashboard, left, "notes")))
    assert "Maria&#x27;s own private note." in notes
    assert "Save the note" not in notes
    # Nothing asks Maria to agree to a change "Former participant" requested.
    change_page = client.get(url(dashboard, left, "change"))
    assert change_page.status_code == 302 and change_page.url == url(dashboard, left)


def test_nothing_on_the_ended_pair_changes(left, dashboard, mentor):
    client = client_for(mentor)
    response = client.post(url(dashboard, left, "contacts"), contact_data())
    assert response.status_code == 302
    assert messages_of(response) == [PAIR_ENDED]
    assert not left.contacts.exists()
    with pytest.raises(Exception, match="This pair has ended"):
        note_services.note_add(pair=left, user=mentor, text="After the end.")


def test_the_partner_can_be_matched_again_and_the_leaver_cannot(left, mentor, mentee):
    workspace = matching_workspace(cohort=left.cohort)
    unmatched = [row.application.applicant_id for row in workspace.unmatched_mentors]
    unmatched += [row.application.applicant_id for row in workspace.unmatched_mentees]
    assert mentor.pk in unmatched
    assert mentee.pk not in unmatched


def test_the_ended_pairs_page_leads_the_partner_to_the_final_survey(left, dashboard, mentor):
    """The partner left behind assesses the program at the end, as every participant does:
    the ended pair's page shows the open final survey under "Needs you now"."""
    survey = add_survey(
        left.cohort,
        kind=SurveyKind.FINAL,
        opens=TODAY - datetime.timedelta(days=1),
        closes=TODAY + datetime.timedelta(days=6),
    )
    page = html(client_for(mentor).get(url(dashboard, left)))
    assert f'href="{survey.url}">Answer the survey</a>' in page


def test_the_dashboard_leads_the_partner_left_alone_to_the_final_survey(
    left, dashboard, mentor, django_assert_max_num_queries
):
    """With no pair running, the dashboard's "Needs you now" still shows the open final
    survey of the pair that ended when the partner left; nothing else about that pair."""
    survey = add_survey(
        left.cohort,
        kind=SurveyKind.FINAL,
        opens=TODAY - datetime.timedelta(days=1),
        closes=TODAY + datetime.timedelta(days=6),
    )
    client = client_for(mentor)
    client.get(dashboard.url)
    with django_assert_max_num_queries(30):
        page = html(client.get(dashboard.url))
    needs = page.split('id="needs-now"')[1].split("</section>")[0]
    assert f'href="{survey.url}">Answer the survey</a>' in needs
    assert "behind the pace" not in needs
    assert "orientation" not in needs.lower()
