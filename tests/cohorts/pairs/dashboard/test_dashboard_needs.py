"""The top of the dashboard and of a pair's page says what needs the member now, each with
a link to the very place to act: a change of partner waiting for their answer, the chair's
check-in, an open survey they have not answered, a pair behind the pace, the orientation
with its calendar file. The e-mails about each lead to the same place."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cohorts.choices import OutboxStatus, ReminderKind
from cohorts.models import ContactLog, OutboxMessage
from cohorts.pairs.services import pairs as pair_services
from cohorts.reminders.rendering import Renderer
from surveys.models import SurveyParticipation
from tests.cohorts.factories import CohortPageFactory, make_pair
from tests.cohorts.pairs.dashboard.helpers import TODAY, url
from tests.helpers import client_for, html
from tests.surveys.factories import add_survey

pytestmark = pytest.mark.django_db


def needs(content: str) -> list[tuple[str, str, list[tuple[str, str]]]]:
    """(kind, text, [(label, address)]) of each item under "Needs you now"."""
    found = re.search(r'<section class="needs-now" id="needs-now".*?</section>', content, re.S)
    if found is None:
        return []
    items = re.findall(
        r'<li class="needs-now__item needs-now__item--(\w+)">\s*<p>(.*?)</p>(.*?)</li>',
        found[0],
        re.S,
    )
    return [
        (kind, text, [(label, href.replace("&amp;", "&")) for href, label in links_of(rest)])
        for kind, text, rest in items
    ]


def links_of(markup: str) -> list[tuple[str, str]]:
    return re.findall(r'<a class="button[^"]*" href="([^"]*)">([^<]*)</a>', markup)


def kinds(content: str) -> list[str]:
    return [kind for kind, _text, _links in needs(content)]


def test_a_change_asked_by_the_partner_waits_for_the_members_answer(
    dashboard, pair, mentor, mentee
):
    pair_services.change_request_create(pair=pair, user=mentee, reason="Only for coordinators")
    client = client_for(mentor)

    for page in (dashboard.url, url(dashboard, pair)):
        [change] = [need for need in needs(html(client.get(page))) if need[0] == "change"]
        assert change[1].startswith("Theo Mentee asks for a change of partner.")
        assert change[2] == [
            ("Answer the request", url(dashboard, pair, "change") + "#answer-change")
        ]
    answer_page = html(client.get(url(dashboard, pair, "change")))
    assert 'id="answer-change"' in answer_page and "Only for coordinators" not in answer_page
    # The one who asked waits for nobody.
    assert "change" not in kinds(html(client_for(mentee).get(dashboard.url)))


def test_a_pair_behind_the_pace_is_told_to_log_a_contact(dashboard, pair, mentee):
    client = client_for(mentee)
    [behind] = [need for need in needs(html(client.get(dashboard.url))) if need[0] == "behind"]
    assert behind[2] == [("Log a contact", url(dashboard, pair) + "#add-contact")]
    assert 'id="add-contact"' in html(client.get(url(dashboard, pair)))

    ContactLog.objects.create(pair=pair, author=mentee, date=TODAY, minutes=600, method="virtual")
    assert "behind" not in kinds(html(client.get(dashboard.url)))


def test_the_orientation_ahead_links_its_calendar_file(dashboard, home):
    cohort = CohortPageFactory(parent=home, title="2031 cohort", slug="cohort-2031")
    pair = make_pair(cohort, record_only=True)
    client = client_for(pair.mentee.applicant)

    for page in (dashboard.url, url(dashboard, pair)):
        [orientation] = [n for n in needs(html(client.get(page))) if n[0] == "orientation"]
        day = cohort.orientation_date
        assert (
            f"The orientation for 2031 cohort is on {day:%B} {day.day}, {day.year}"
            in (orientation[1])
        )
        [(label, address)] = orientation[2]
        assert label == "Add it to your calendar (.ics)"
        calendar = client.get(address)
        assert calendar.status_code == 200
        assert calendar["Content-Type"].startswith("text/calendar")
        assert b"Orientation" in calendar.content


def test_the_chairs_check_in_is_answered_from_the_dashboard(dashboard, pair, mentee):
    OutboxMessage.objects.create(
        key="checkin-test",
        kind=ReminderKind.CHECKIN,
        cohort=pair.cohort,
        recipient=mentee,
        period=f"q2-{pair.pk}",
        object_id=pair.pk,
        status=OutboxStatus.SENT,
        sent_at=timezone.now(),
    )
    client = client_for(mentee)

    [checkin] = [need for need in needs(html(client.get(dashboard.url))) if need[0] == "checkin"]
    assert [label for label, _address in checkin[2]] == [
        "Going well",
        "Could be better",
        "We need help",
    ]
    opened = html(client.get(checkin[2][1][1]))
    assert "How is your mentoring going?" in opened
    assert re.search(r'value="could_be_better"[^>]*checked', opened)
    sent = client.post(checkin[2][0][1], {"answer": "going_well", "comment": ""})
    assert sent.status_code == 200
    assert "checkin" not in kinds(html(client.get(dashboard.url)))


def test_an_open_survey_waits_until_the_member_answers_it(dashboard, pair, mentee):
    survey = add_survey(
        pair.cohort,
        opens=TODAY - datetime.timedelta(days=1),
        closes=TODAY + datetime.timedelta(days=6),
    )
    client = client_for(mentee)

    [found] = [
        need for need in needs(html(client.get(url(dashboard, pair)))) if need[0] == "survey"
    ]
    assert found[2] == [("Answer the survey", survey.url)]
    SurveyParticipation.objects.create(page=survey, user=mentee, role="mentee", answered_on=TODAY)
    assert "survey" not in kinds(html(client.get(dashboard.url)))


def test_the_list_costs_the_same_for_one_pair_or_three(dashboard, cohort, pair, mentor):
    client = client_for(mentor)
    client.get(dashboard.url)
    with CaptureQueriesContext(connection) as one:
        client.get(dashboard.url)
    for _ in range(2):
        make_pair(cohort, mentor=pair.mentor, record_only=True)
    with CaptureQueriesContext(connection) as three:
        assert len(needs(html(client.get(dashboard.url)))) >= 3
    # Each added pair's card reads its progress, and its cohort page (from memory outside
    # tests, PAGE_CACHE_SECONDS): two queries each; the list itself adds none per pair.
    assert len(three.captured_queries) - len(one.captured_queries) == 2 * 2


@pytest.mark.parametrize(
    ("kind", "place"),
    [
        (ReminderKind.BEHIND_ON_CONTACT, "#add-contact"),
        (ReminderKind.ORIENTATION, "#needs-now"),
    ],
)
def test_reminders_link_to_the_place_to_act(dashboard, pair, mentee, kind, place):
    message = OutboxMessage.objects.create(
        key=f"link-{kind}",
        kind=kind,
        cohort=pair.cohort,
        recipient=mentee,
        period=f"test-{pair.pk}",
        object_id=pair.pk,
    )
    rendered = Renderer().render(message)

    assert f"http://testserver{url(dashboard, pair)}{place}" in rendered.text


def test_the_partner_asked_to_agree_to_a_change_is_linked_to_the_answer(
    dashboard, pair, mentor, mentee, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        pair_services.change_request_create(pair=pair, user=mentee, reason="Private reason")

    [to_mentor] = [m for m in mailoutbox if m.to == [mentor.email]]
    assert f"http://testserver{url(dashboard, pair, 'change')}#answer-change" in to_mentor.body
