"""Where the editor lands after publishing: the home page's own sections, never the root
that Wagtail warns "Pages created here will not be accessible"."""

import pytest
from wagtail.test.utils.form_data import nested_form_data, streamfield

from tests.factories import StandardPageFactory, member

pytestmark = pytest.mark.django_db


def edit_form(page, **extra) -> dict:
    return nested_form_data(
        {
            "title": page.title,
            "slug": page.slug,
            "intro": "The program overview.",
            "news_heading": "Latest news",
            "body": streamfield([]),
            **extra,
        }
    )


@pytest.fixture
def editor_client(client):
    superuser = member("chief.editor@example.org")
    superuser.is_superuser = superuser.is_staff = True
    superuser.save()
    client.force_login(superuser)
    return client


def test_publishing_the_home_page_lands_on_its_sections(editor_client, home):
    data = edit_form(home, **{"action-publish": "action-publish"})
    response = editor_client.post(f"/admin/pages/{home.pk}/edit/", data)
    assert response.status_code == 302
    assert response["Location"] == f"/admin/pages/{home.pk}/"


def test_saving_a_draft_of_the_home_page_stays_in_the_editor(editor_client, home):
    response = editor_client.post(f"/admin/pages/{home.pk}/edit/", edit_form(home))
    assert response["Location"] == f"/admin/pages/{home.pk}/edit/"


def test_publishing_a_page_below_the_home_page_lands_on_its_parent_as_before(editor_client, home):
    page = StandardPageFactory(parent=home, title="About", slug="about-us")
    data = nested_form_data(
        {
            "title": "About",
            "slug": "about-us",
            "intro": "",
            "body": streamfield([]),
            "action-publish": "action-publish",
        }
    )
    response = editor_client.post(f"/admin/pages/{page.pk}/edit/", data)
    assert response["Location"] == f"/admin/pages/{home.pk}/"
