"""The main menu leads a member to their own places: "My mentoring" once they are in a
published pair, "My applications" once they have applied (their account page lists each
application with its status). A visitor and a member with neither see the site's pages
only; the menu costs one query per page, however often the header shows it."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cohorts.choices import PairStatus
from cohorts.models import Application
from tests.cohorts.factories import add_application_page, add_cohort, apply, make_pair
from tests.factories import member
from tests.helpers import client_for, html

pytestmark = pytest.mark.django_db

ACCOUNT = reverse("member_profile")


def member_links(content: str) -> list[tuple[str, str]]:
    """(label, address) of the member's own links in the wide screens' main menu."""
    nav = re.search(r'<nav class="main-nav" aria-label="Main">(.*?)</nav>', content, re.S)[1]
    return re.findall(r'<li class="main-nav__member"><a href="([^"]*)"[^>]*>([^<]*)</a>', nav)


def test_a_paired_member_finds_my_mentoring_and_my_applications_in_the_menu(
    client, dashboard, pair, mentee
):
    content = html(client_for(mentee).get("/"))

    assert member_links(content) == [
        (dashboard.url, "My mentoring"),
        (f"{ACCOUNT}#applications", "My applications"),
    ]
    # The phone's menu offers the same two.
    phone = re.search(r'<details class="phone-menu">(.*?)</details>', content, re.S)[1]
    assert f'href="{dashboard.url}"' in phone and f'href="{ACCOUNT}#applications"' in phone


def test_the_dashboard_marks_my_mentoring_as_the_current_place(dashboard, pair, mentee):
    content = html(client_for(mentee).get(dashboard.url))

    assert f'<a href="{dashboard.url}" aria-current="page">My mentoring</a>' in content


def test_an_applicant_without_a_pair_gets_my_applications_only(cohort, dashboard):
    applicant = apply(cohort, status="draft").applicant

    assert member_links(html(client_for(applicant).get("/"))) == [
        (f"{ACCOUNT}#applications", "My applications")
    ]


def test_a_pair_not_yet_published_is_not_offered(cohort, dashboard):
    draft = make_pair(cohort, record_only=True, status=PairStatus.CONFIRMED, published_at=None)

    links = member_links(html(client_for(draft.mentee.applicant).get("/")))
    assert [label for _url, label in links] == ["My applications"]


def test_visitors_and_members_who_never_applied_see_the_pages_only(client, dashboard, pair):
    assert member_links(html(client.get("/"))) == []
    assert member_links(html(client_for(member("new@example.org")).get("/"))) == []


def menu_queries(client) -> tuple[int, int]:
    """(all queries, the menu's queries on the member's applications) of the home page."""
    with CaptureQueriesContext(connection) as counted:
        client.get("/")
    sql = [query["sql"] for query in counted.captured_queries]
    return len(sql), sum('FROM "cohorts_application"' in query for query in sql)


def test_the_menu_costs_one_query_per_page_however_many_pairs(cohort, dashboard, pair, mentor):
    client = client_for(mentor)
    client.get("/")
    total, menu = menu_queries(client)
    # The header shows the menu twice (wide screens, the phone's menu): one query.
    assert menu == 1

    make_pair(cohort, mentor=pair.mentor, record_only=True)
    Application.objects.create(
        cohort=add_cohort(cohort.get_parent(), year=2031), applicant=mentor, role="mentee"
    )
    assert menu_queries(client) == (total, 1)


def test_the_account_page_lists_each_application_with_its_status_and_page(cohort, home):
    page = add_application_page(cohort)
    application = apply(cohort, status="accepted")
    older = application.applicant
    content = html(client_for(older).get(ACCOUNT))

    section = re.search(r'<section [^>]*id="applications".*?</section>', content, re.S)[0]
    assert f'<a href="{page.url}">{cohort.title}</a>' in section
    assert "Accepted" in section and "Mentee" in section
