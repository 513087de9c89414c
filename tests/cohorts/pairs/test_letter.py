"""The mentor's letter of service: the mentor opens it from the dashboard after the formal end
when the pair met the minimum hours; everyone else reads why there is none; coordinators
issue it from the admin; it names the mentee only if the mentee chooses so; it prints
without the site's furniture, styled by a stylesheet, and escapes every name."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from cohorts.choices import AfterEnd, PairStatus
from cohorts.models import Pair, PairDashboardPage, PairViewLog
from cohorts.pairs.selectors.letter import (
    LETTER_ENDED_EARLY,
    LETTER_LEAVES_MENTEE_OUT,
    LETTER_MENTEE_LEFT,
    LETTER_MENTORS_ONLY,
    LETTER_MINIMUM_NOT_MET,
    LETTER_NAMES_MENTEE,
    LETTER_NOT_YET,
    letter_for_pair,
)
from cohorts.pairs.services import pairs as pair_services
from cohorts.pairs.services.pairs import LETTER_NAME_MENTEE_ONLY
from cohorts.pairs.views import dashboard as views
from home.models import SiteSettings
from members.models import FORMER_PARTICIPANT
from members.roles import COORDINATORS, EDITORS
from tests.cohorts.factories import contact, make_cohort, make_pair
from tests.cohorts.pairs.dashboard.helpers import assert_private, url
from tests.cohorts.pairs.helpers import INSPECT
from tests.factories import member
from tests.helpers import messages_of

pytestmark = pytest.mark.django_db

ADMIN_LETTER = "cohorts_reports:letter"
LINK = "Download your letter of service"
LETTER_OPENING = "To whom it may concern"
AFTER_THE_END = datetime.datetime(2025, 5, 15, 12, tzinfo=datetime.UTC)
LAST_DAY = datetime.datetime(2025, 4, 30, 18, tzinfo=datetime.UTC)
DURING_THE_YEAR = datetime.datetime(2025, 1, 15, 12, tzinfo=datetime.UTC)


@pytest.fixture
def cohort(home):
    """Formal mentoring June 1, 2024 to April 30, 2025, with a minimum of 2 hours."""
    return make_cohort(home, 2024)


@pytest.fixture
def dashboard(home):
    return home.add_child(instance=PairDashboardPage(title="My mentoring", slug="my-mentoring"))


@pytest.fixture
def pair(cohort):
    """Maria Mentor mentors Theo Mentee; they logged the 2 hours (75 and 45 minutes)."""
    pair = make_pair(
        cohort, mentor=("Maria", "Mentor"), mentee=("Theo", "Mentee"), record_only=True
    )
    contact(pair, minutes=75, day=datetime.date(2024, 7, 1), method="virtual")
    contact(pair, minutes=45, day=datetime.date(2025, 2, 1), method="email")
    return pair


@pytest.fixture
def mentor(pair):
    return pair.mentor.applicant


@pytest.fixture
def mentee(pair):
    return pair.mentee.applicant


@pytest.fixture
def after_the_end(time_machine):
    time_machine.move_to(AFTER_THE_END, tick=False)


@pytest.fixture
def coordinator(site):
    return member("coordinator@example.org", groups=[COORDINATORS])


def open_letter(client, user, dashboard, pair):
    client.force_login(user)
    response = client.get(url(dashboard, pair, "letter"))
    assert_private(response)
    return response


def pair_page(client, dashboard, pair) -> str:
    return client.get(url(dashboard, pair)).content.decode()


# The mentor's letter --------------------------------------------------------------------------


def test_the_mentor_opens_a_printable_letter_after_the_end(
    client, dashboard, pair, mentor, after_the_end
):
    response = open_letter(client, mentor, dashboard, pair)
    body = response.content.decode()

    assert response.status_code == 200
    assert LETTER_OPENING in body
    for text in (
        "Maria Mentor",
        "2024 cohort",
        "June 1, 2024 to April 30, 2025",
        "2 hours (the program's minimum is 2 hours)",
        "May 15, 2025",
        "Regina Gong",
        "Chair, Mentoring Subcommittee",
        "Mentoring Program",
    ):
        assert text in body, text
    # Its styles come from a stylesheet: the Content-Security-Policy blocks inline ones.
    assert '<link rel="stylesheet" href="/static/cohorts/letter.css">' in body
    assert "<style" not in body and "style=" not in body
    assert 'class="site-header"' not in body and "site-footer" not in body
    assert "<script" not in body
    assert f'href="{url(dashboard, pair)}"' in body

    page = pair_page(client, dashboard, pair)
    assert f'<a href="{url(dashboard, pair, "letter")}">{LINK}</a>' in page


def test_the_letter_names_the_mentee_only_once_they_choose_it(
    client, dashboard, pair, mentor, mentee, after_the_end
):
    body = open_letter(client, mentor, dashboard, pair).content.decode()
    assert LETTER_OPENING in body and "Theo" not in body

    client.force_login(mentee)
    page = pair_page(client, dashboard, pair)
    assert "Your name in your mentor's letter" in page
    response = client.post(url(dashboard, pair, "letter-name"), {"named": "yes"})
    assert messages_of(response) == [views.LETTER_NAMED]
    body = open_letter(client, mentor, dashboard, pair).content.decode()
    assert "mentoring Theo Mentee" in body and "<dt>Mentee</dt><dd>Theo Mentee</dd>" in body

    client.force_login(mentee)
    response = client.post(url(dashboard, pair, "letter-name"), {"named": "no"})
    assert messages_of(response)[-1] == views.LETTER_UNNAMED
    assert "Theo" not in open_letter(client, mentor, dashboard, pair).content.decode()


def test_only_the_mentee_chooses_their_name_in_the_letter(
    client, dashboard, pair, mentor, after_the_end
):
    client.force_login(mentor)
    response = client.post(url(dashboard, pair, "letter-name"), {"named": "yes"})
    assert response.status_code == 200
    assert escape(LETTER_NAME_MENTEE_ONLY) in response.content.decode()
    assert "Your name in your mentor's letter" not in pair_page(client, dashboard, pair)
    pair.refresh_from_db()
    assert pair.mentee_named_in_letter is False


def test_the_letter_names_only_what_it_must_of_the_mentee(
    client, dashboard, pair, mentor, mentee, after_the_end
):
    Pair.objects.filter(pk=pair.pk).update(mentee_named_in_letter=True)
    body = open_letter(client, mentor, dashboard, pair).content.decode()
    assert "Theo Mentee" in body
    assert mentee.email not in body and "Mentee College" not in body

    mentee.erased_at = timezone.now()
    mentee.save(update_fields=["erased_at"])
    body = open_letter(client, mentor, dashboard, pair).content.decode()
    assert LETTER_OPENING in body
    assert "Theo" not in body and "<dt>Mentee</dt>" not in body
    assert FORMER_PARTICIPANT not in body


def test_the_mentor_reads_on_the_pair_page_whether_the_letter_names_their_mentee(
    client, dashboard, pair, mentor, mentee, time_machine
):
    # During the year already, so the letter holds no surprise at the end.
    time_machine.move_to(DURING_THE_YEAR, tick=False)
    client.force_login(mentor)
    page = pair_page(client, dashboard, pair)
    assert "Your letter of service" in page
    assert escape(LETTER_LEAVES_MENTEE_OUT) in page
    assert escape(LETTER_NOT_YET.format(end="April 30, 2025")) in page

    pair_services.pair_letter_name_set(pair=pair, user=mentee, named=True)
    page = pair_page(client, dashboard, pair)
    assert escape(LETTER_NAMES_MENTEE.format(mentee="Theo Mentee")) in page
    assert escape(LETTER_LEAVES_MENTEE_OUT) not in page

    client.force_login(mentee)
    page = pair_page(client, dashboard, pair)
    assert "Your letter of service" not in page and escape(LETTER_NAMES_MENTEE[:20]) not in page


def test_the_letter_page_tells_the_mentor_whether_it_names_their_mentee(
    client, dashboard, pair, mentor, mentee, after_the_end
):
    body = open_letter(client, mentor, dashboard, pair).content.decode()
    bar, letter = body.split('<main class="sheet">')
    # Above the letter, on screen only (the bar is not printed); the letter itself is as
    # it always was.
    assert escape(LETTER_LEAVES_MENTEE_OUT) in bar and "letter-bar" in bar
    assert escape(LETTER_LEAVES_MENTEE_OUT) not in letter
    assert escape(LETTER_LEAVES_MENTEE_OUT) in pair_page(client, dashboard, pair)

    pair_services.pair_letter_name_set(pair=pair, user=mentee, named=True)
    body = open_letter(client, mentor, dashboard, pair).content.decode()
    assert escape(LETTER_NAMES_MENTEE.format(mentee="Theo Mentee")) in body


def test_the_mentor_reads_that_a_mentee_who_left_is_not_named(
    client, dashboard, pair, mentor, mentee, after_the_end
):
    Pair.objects.filter(pk=pair.pk).update(mentee_named_in_letter=True)
    mentee.erased_at = timezone.now()
    mentee.save(update_fields=["erased_at"])

    body = open_letter(client, mentor, dashboard, pair).content.decode()
    assert escape(LETTER_MENTEE_LEFT) in body
    assert escape(LETTER_MENTEE_LEFT) in pair_page(client, dashboard, pair)


# Everyone else reads why there is none --------------------------------------------------------


def assert_refused(response, reason: str) -> None:
    body = response.content.decode()
    assert response.status_code == 200
    assert LETTER_OPENING not in body
    assert "No letter of service for this pair" in body
    assert escape(reason) in body, body


def test_the_mentee_reads_that_the_letter_is_for_mentors(
    client, dashboard, pair, mentee, after_the_end
):
    assert_refused(open_letter(client, mentee, dashboard, pair), LETTER_MENTORS_ONLY)
    assert LINK not in pair_page(client, dashboard, pair)


def test_a_pair_short_of_the_minimum_reads_its_hours(client, dashboard, cohort, after_the_end):
    short = make_pair(cohort, mentor=("Sam", "Short"), record_only=True)
    contact(short, minutes=90, day=datetime.date(2024, 7, 1))

    response = open_letter(client, short.mentor.applicant, dashboard, short)

    reason = LETTER_MINIMUM_NOT_MET.format(
        hours="1.5", hours_plural="s", minimum="2", minimum_plural="s"
    )
    assert reason.startswith("This pair recorded 1.5 hours of contact, short of the program")
    assert_refused(response, reason)
    assert LINK not in pair_page(client, dashboard, short)


def test_before_the_end_the_mentor_reads_when_to_come_back(
    client, dashboard, pair, mentor, time_machine
):
    time_machine.move_to(LAST_DAY, tick=False)
    reason = LETTER_NOT_YET.format(end="April 30, 2025")

    assert_refused(open_letter(client, mentor, dashboard, pair), reason)
    assert LINK not in pair_page(client, dashboard, pair)


def test_the_letter_is_only_read(client, dashboard, pair, mentor, after_the_end):
    client.force_login(mentor)
    response = client.post(url(dashboard, pair, "letter"))
    assert response.status_code == 405
    assert_private(response)


def test_nobody_outside_the_pair_learns_of_it(client, dashboard, pair, coordinator, after_the_end):
    address = url(dashboard, pair, "letter")
    response = client.get(address)
    assert response.status_code == 302 and "login" in response["Location"]
    for user in (member("someone@example.org"), coordinator):
        client.force_login(user)
        response = client.get(address)
        assert response.status_code == 404
        assert "Maria" not in response.content.decode()


# Coordinators issue it from the admin ----------------------------------------------------------


def test_a_coordinator_issues_the_letter_from_the_pairs_record(
    client, pair, coordinator, after_the_end
):
    client.force_login(coordinator)
    inspect = client.get(reverse(INSPECT, args=[pair.pk])).content.decode()
    address = reverse(ADMIN_LETTER, args=[pair.pk])
    assert f'href="{address}"' in inspect and "Letter of service for Maria Mentor" in inspect

    response = client.get(address)
    body = response.content.decode()

    assert response.status_code == 200
    assert LETTER_OPENING in body and "Maria Mentor" in body and "Theo" not in body
    assert f'href="{reverse(INSPECT, args=[pair.pk])}"' in body
    assert "no-store" in response["Cache-Control"]
    assert PairViewLog.objects.filter(pair=pair, viewer=coordinator, what="letter of service")
    assert client.post(address).status_code == 405


def test_the_mentor_and_a_coordinator_open_it_for_a_pair_closed_after_the_program(
    client, dashboard, pair, mentor, coordinator, after_the_end
):
    pair.status = PairStatus.ENDED
    pair.mentor_after_end = pair.mentee_after_end = AfterEnd.CLOSE
    pair.ended_at = datetime.datetime(2025, 5, 10, 12, tzinfo=datetime.UTC)
    pair.save()

    # The letter the mentor earned stays theirs once both partners have closed the pair.
    mine = open_letter(client, mentor, dashboard, pair)
    assert mine.status_code == 200 and LETTER_OPENING in mine.content.decode()
    client.force_login(coordinator)
    assert LETTER_OPENING in client.get(reverse(ADMIN_LETTER, args=[pair.pk])).content.decode()


def test_a_pair_that_ended_early_gets_no_letter(client, pair, coordinator, after_the_end):
    pair.status = PairStatus.ENDED
    pair.ended_at = datetime.datetime(2024, 12, 1, 12, tzinfo=datetime.UTC)
    pair.save()
    client.force_login(coordinator)

    reason = LETTER_ENDED_EARLY.format(ended="December 1, 2024", end="April 30, 2025")
    assert_refused(client.get(reverse(ADMIN_LETTER, args=[pair.pk])), reason)


def test_the_admin_letter_is_for_coordinators_only(client, cohort, pair, coordinator):
    draft = make_pair(cohort, record_only=True, status=PairStatus.CONFIRMED, published_at=None)
    address = reverse(ADMIN_LETTER, args=[pair.pk])
    client.force_login(coordinator)
    assert client.get(reverse(ADMIN_LETTER, args=[draft.pk])).status_code == 404
    assert client.get(reverse(ADMIN_LETTER, args=[999999])).status_code == 404

    for user in (member("editor@example.org", groups=[EDITORS]), member("plain@example.org")):
        client.force_login(user)
        response = client.get(address)
        assert response.status_code == 302, user
        assert "Maria" not in response.content.decode()
    assert not PairViewLog.objects.exclude(viewer=coordinator).exists()


def test_a_cohort_without_a_minimum_issues_letters_without_contact(cohort, after_the_end):
    type(cohort).objects.filter(pk=cohort.pk).update(minimum_contact_hours=0)
    pair = make_pair(cohort, record_only=True)
    pair.cohort.refresh_from_db()

    letter = letter_for_pair(pair=pair)
    assert letter.allowed and letter.hours == "0" and letter.minimum_hours == "0"


# Hostile names ----------------------------------------------------------------------------------


def test_hostile_names_are_escaped_in_the_letter(
    client, site, dashboard, cohort, pair, mentor, mentee, hostile_inputs, after_the_end
):
    client.force_login(mentor)
    address = url(dashboard, pair, "letter")
    for text in hostile_inputs:
        name = text.replace("\x00", "")[:120]
        mentor.first_name = mentee.last_name = name
        mentor.save(update_fields=["first_name"])
        mentee.save(update_fields=["last_name"])
        SiteSettings.objects.filter(site=site).update(chair_name=name, association_name=name)
        type(cohort).objects.filter(pk=cohort.pk).update(title=name)

        response = client.get(address)

        body = response.content.decode()
        assert response.status_code == 200, name
        assert LETTER_OPENING in body, name
        if "<" in name:
            assert name not in body, name
        assert escape(name) in body, name
