"""The editors' dashboard panel: the season the overview shows and the tasks editors come
for, each a link to the admin screen that does it; nobody without page permissions sees it."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from cohorts.models import CohortPage
from cohorts.program.selectors import program_season
from home.models import HomePage
from resources.models import NewsIndexPage, ResourceIndexPage

pytestmark = pytest.mark.django_db
HEADING = "Keep the site current"


def dashboard(client, email: str) -> str:
    client.force_login(get_user_model().objects.get(email=email))
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    return response.content.decode()


def panel_links(html: str) -> dict[str, str]:
    panel = html.split(HEADING)[1].split("</section>")[0]
    return {label: url for url, label in re.findall(r'href="([^"]+)">([^<]+)</a>', panel)}


def test_an_editor_finds_the_season_and_every_task_with_its_screen(client, demo_site):
    html = dashboard(client, "editor@example.org")

    season = program_season()
    newest = CohortPage.objects.order_by("-applications_open").first()
    links = panel_links(html)
    home = HomePage.objects.get()
    news, resources = NewsIndexPage.objects.get(), ResourceIndexPage.objects.get()
    assert links == {
        season.cohort.title: reverse("wagtailadmin_pages:edit", args=[season.cohort.pk]),
        "Edit the overview": reverse("wagtailadmin_pages:edit", args=[home.pk]),
        "Add news": reverse("wagtailadmin_pages:add", args=["resources", "newspage", news.pk]),
        "Add a resource": reverse(
            "wagtailadmin_pages:add", args=["resources", "resourcepage", resources.pk]
        ),
        f"Copy the {newest.title} to next year": reverse(
            "cohorts_copy_to_next_year", args=[newest.pk]
        ),
    }
    assert f"{season.stage.summary}." in html
    for url in links.values():
        assert client.get(url).status_code == 200, url


def test_coordinators_without_page_permissions_do_not_see_it(client, demo_site):
    html = dashboard(client, "coordinator@example.org")
    assert HEADING not in html
    assert "Add news" not in html


def test_with_no_cohort_published_the_panel_says_so_and_offers_no_copy(client, demo_site):
    for cohort in CohortPage.objects.all():
        cohort.delete()

    html = dashboard(client, "editor@example.org")

    assert "No cohort is published yet" in html
    assert "to next year" not in html
    assert "Add news" in html
