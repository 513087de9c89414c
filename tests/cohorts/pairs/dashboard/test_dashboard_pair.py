"""The member's dashboard and the pair's page: a card for each pair, what happens next without
one, the partner without what only the subcommittee reads, the liaison, progress, the query
count, the links to the pair's page and the demo content."""

import pytest
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape
from wagtail.models import Page

from cohorts.choices import Role
from cohorts.matching import services as matching
from cohorts.models import (
    ConfidentialNote,
    ContactLog,
    Pair,
    PairAgreement,
    PairDashboardPage,
    PairGoal,
)
from cohorts.pairs.selectors.pairs import dashboard_url_for
from cohorts.pairs.services import notes as note_services
from cohorts.pairs.services import pairs as pair_services
from portal.demo_content import demo_content_load
from tests.cohorts.factories import MENTEE_PRIVATE, MENTOR_AVOID, apply, make_pair
from tests.cohorts.pairs.dashboard.helpers import TODAY, url
from tests.factories import member
from tests.helpers import client_for, html

pytestmark = pytest.mark.django_db


# The dashboard and the pair's page ---------------------------------------------------------


def test_the_dashboard_shows_each_pair_of_a_member_who_is_both(
    dashboard, cohort, coordinator, pair, mentee
):
    both = apply(cohort, role=Role.BOTH, mentee_capacity=1, first="Bo", last="Both")
    mentor_of_bo = apply(cohort, role=Role.MENTOR, mentee_capacity=1, first="Ann", last="Elder")
    for application in (both, mentor_of_bo):
        application.status = "accepted"
        application.save()
    mentee_app = apply(cohort, first="Cy", last="Junior", status="accepted")
    make_pair(cohort, mentor=both, mentee=mentee_app, coordinator=coordinator)
    make_pair(cohort, mentor=mentor_of_bo, mentee=both, coordinator=coordinator)

    client = client_for(both.applicant)
    with CaptureQueriesContext(connection) as queries:
        page = html(client.get(url(dashboard)))

    assert "You mentor Cy Junior" in page and "Ann Elder mentors you" in page
    assert page.count('class="card pair-card"') == 2
    for card_pair in Pair.objects.filter(Q(mentor=both) | Q(mentee=both)):
        assert f'href="{url(dashboard, card_pair)}"' in page
    # Both people of every card come with the pairs: no query per person or application
    # beyond the logged-in member's own.
    people = [
        q
        for q in queries
        if 'FROM "members_user"' in q["sql"] or 'FROM "cohorts_application"' in q["sql"]
    ]
    assert len(people) == 1, people
    assert "0 of 2 hours" in page and "<progress" in page
    assert "Formal mentoring under way until" in page


def test_a_member_without_a_pair_reads_what_happens_next(dashboard, cohort, site):
    page = html(client_for(member()).get(url(dashboard)))
    assert "You are not in a mentoring pair yet" in page
    assert "What happens next" in page
    assert f'href="{cohort.url}"' in page


def test_the_pair_page_shows_the_partner_but_never_what_only_the_subcommittee_reads(
    dashboard, pair, mentor, mentee
):
    to_mentee = html(client_for(mentee).get(url(dashboard, pair)))
    assert "Maria Mentor mentors you" in to_mentee
    assert "Maria Mentor (she/her)" in to_mentee
    assert f'href="mailto:{mentor.email}"' in to_mentee
    assert "Riverside College Library" in to_mentee and "Metadata Librarian" in to_mentee
    assert "Academic" in to_mentee and "Cataloger since 2008." in to_mentee
    assert escape("Eighteen years of <b>cataloging</b>.") in to_mentee
    assert "<b>cataloging</b>" not in to_mentee
    assert MENTOR_AVOID not in to_mentee

    to_mentor = html(client_for(mentor).get(url(dashboard, pair)))
    assert "You mentor Theo Mentee" in to_mentor
    assert "Learn RDA.<br>Meet people at Midwinter." in to_mentor
    assert "Virtual (video call), E-mail" in to_mentor
    assert "America/Chicago" in to_mentor
    assert MENTEE_PRIVATE not in to_mentor
    assert "Formal mentoring under way until" in to_mentor
    assert "What&#x27;s next" in to_mentor or "What's next" in to_mentor
    assert "Mid-way survey opens" in to_mentor


def test_the_liaison_is_named_when_set(dashboard, pair, mentee, coordinator):
    coordinator.first_name, coordinator.last_name = "Cora", "Liaison"
    coordinator.save()
    pair_services.pair_liaison_set(pair=pair, liaison=coordinator)
    assert "Cora Liaison, of the mentoring subcommittee" in html(
        client_for(mentee).get(url(dashboard, pair))
    )


def test_progress_in_hours_by_method_with_the_pace(dashboard, pair, mentor, mentee):
    client = client_for(mentee)
    page = html(client.get(url(dashboard, pair)))
    assert "0 of 2 hours" in page and "Behind" in page

    for minutes, method in ((60, "virtual"), (30, "telephone")):
        pair_services.contact_add(
            pair=pair, user=mentor, date=TODAY, minutes=minutes, method=method
        )
    page = html(client.get(url(dashboard, pair)))
    assert "1.5 of 2 hours" in page
    assert '<progress class="progress-meter__bar" max="120" value="90"' in page
    assert "<dt>Virtual (video call)</dt><dd>1 hour</dd>" in page
    assert "<dt>Telephone</dt><dd>0.5 hours</dd>" in page
    assert "On track" in page and "expected by this point in the year" in page

    pair_services.contact_add(pair=pair, user=mentee, date=TODAY, minutes=50, method="email")
    page = html(client.get(url(dashboard, pair)))
    assert "2.3 of 2 hours" in page and "Minimum met" in page


# Queries and links -------------------------------------------------------------------------


def pair_page_queries(client, address) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(address).status_code == 200
    return len(queries)


def test_the_pair_page_query_count_does_not_grow_with_the_log(dashboard, pair, mentee):
    def add(count: int) -> None:
        ContactLog.objects.bulk_create(
            ContactLog(
                pair=pair, author=mentee, date=TODAY, minutes=30, method="email", summary=f"#{n}"
            )
            for n in range(count)
        )

    client = client_for(mentee)
    address = url(dashboard, pair)
    add(1)
    pair_page_queries(client, address)
    one = pair_page_queries(client, address)
    add(199)
    many = pair_page_queries(client, address)
    assert one == many, (one, many)
    assert "#198" in html(client.get(address))


def test_the_account_page_and_the_matched_email_link_to_the_pair_page(
    client, dashboard, pair, mentee
):
    pair_address = url(dashboard, pair)
    client.force_login(mentee)
    assert f'href="{pair_address}"' in html(client.get(reverse("member_profile")))
    assert dashboard_url_for(pair=pair) == f"http://testserver{pair_address}"

    dashboard.unpublish()
    assert pair_address not in html(client.get(reverse("member_profile")))
    assert dashboard_url_for(pair=pair) == "http://testserver" + reverse("member_profile")


def test_the_matched_email_points_to_the_pair_page(
    dashboard, cohort, coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    mentor = apply(cohort, role=Role.MENTOR, mentee_capacity=1, first="Max", status="accepted")
    mentee = apply(cohort, first="Mia", status="accepted")
    pair = matching.pair_by_hand(
        cohort=cohort, mentor_id=mentor.pk, mentee_id=mentee.pk, user=coordinator
    )
    with django_capture_on_commit_callbacks(execute=True):
        matching.pairs_publish(cohort=cohort, user=coordinator)
    assert len(mailoutbox) == 2
    for message in mailoutbox:
        assert f"http://testserver{url(dashboard, pair)}" in message.body


# Demo content -----------------------------------------------------------------------------


def test_the_demo_holds_a_dashboard_with_a_lived_in_pair(demo_site):
    dashboard = PairDashboardPage.objects.live().get()
    assert (dashboard.slug, dashboard.title, dashboard.show_in_menus) == (
        "my-mentoring",
        "My mentoring",
        False,
    )
    assert dashboard.get_parent().pk == demo_site.root_page_id
    pair = Pair.objects.get(mentee__applicant__email="mentee@example.org")
    contacts = list(ContactLog.objects.filter(pair=pair))
    assert len(contacts) >= 3
    assert all(pair.cohort.formal_start <= c.date <= TODAY for c in contacts)
    assert len({c.method for c in contacts}) >= 3
    assert any(c.conference == "midwinter" and c.method == "face_to_face" for c in contacts)
    assert PairAgreement.objects.filter(pair=pair).exists()
    goals = list(PairGoal.objects.filter(pair=pair))
    assert len(goals) == 2 and sum(goal.done_at is not None for goal in goals) == 1
    notes = {note.shared: note for note in ConfidentialNote.objects.filter(pair=pair)}
    assert note_services.note_text(note=notes[False]).startswith("Private note:")
    assert note_services.note_text(note=notes[True]).startswith("Shared note:")
    assert b"Private note" not in bytes(notes[False].ciphertext)
    assert {note.author.email for note in notes.values()} == {"mentee@example.org"}


def test_loading_the_demo_twice_creates_nothing_new(demo_site, mailoutbox):
    def counts() -> dict[str, int]:
        return {
            "pages": Page.objects.count(),
            "contacts": ContactLog.objects.count(),
            "notes": ConfidentialNote.objects.count(),
            "goals": PairGoal.objects.count(),
            "agreements": PairAgreement.objects.count(),
        }

    before = counts()
    report = demo_content_load()
    assert report.created == []
    assert counts() == before
    assert mailoutbox == []
