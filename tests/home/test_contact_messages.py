"""Who reads the contact page's messages: the chair, the coordinators and superusers, in the
admin's Forms (listing and exports); editors edit the page but never see a message."""

import pytest
from django.urls import reverse
from wagtail.contrib.forms.models import FormSubmission

from home.services import contact_submission_receive
from members.roles import CHAIR, COORDINATORS, EDITORS
from tests.factories import UserFactory, contact_page, member
from tests.helpers import PERMISSION_DENIED, html, messages_of, sidebar_menu

pytestmark = pytest.mark.django_db

MESSAGE = "A question only the subcommittee reads, 4Q."


@pytest.fixture
def contact(home):
    """The contact page with one message from the public."""
    page = contact_page(home)
    contact_submission_receive(
        page=page,
        cleaned_data={
            "your_name": "Mei Haddad",
            "your_e_mail_address": "mei.haddad@example.edu",
            "your_question_is_about": "Being a mentee",
            "message": MESSAGE,
        },
        client="192.0.2.10",
    )
    return page


def user_in(role: str):
    if role == "superuser":
        return UserFactory(is_superuser=True, is_staff=True)
    return member(groups=[role])


def streamed(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode()


@pytest.mark.parametrize("role", ["superuser", CHAIR, COORDINATORS])
def test_the_chair_coordinators_and_superusers_read_the_messages_in_forms(client, contact, role):
    client.force_login(user_in(role))
    dashboard = html(client.get(reverse("wagtailadmin_home")))
    assert "forms" in [item["name"] for item in sidebar_menu(dashboard)]
    index = client.get(reverse("wagtailforms:index"))
    assert index.status_code == 200 and contact.title in html(index)
    listing = client.get(reverse("wagtailforms:list_submissions", args=[contact.pk]))
    assert listing.status_code == 200 and MESSAGE in html(listing)
    exported = client.get(
        reverse("wagtailforms:list_submissions", args=[contact.pk]), {"export": "csv"}
    )
    assert exported.status_code == 200 and MESSAGE in streamed(exported)


def test_editors_edit_the_contact_page_but_never_see_its_messages(client, contact):
    client.force_login(member(groups=[EDITORS]))
    dashboard = html(client.get(reverse("wagtailadmin_home")))
    assert "forms" not in [item["name"] for item in sidebar_menu(dashboard)]
    editor = client.get(reverse("wagtailadmin_pages:edit", args=[contact.pk]))
    assert editor.status_code == 200
    submissions = reverse("wagtailforms:list_submissions", args=[contact.pk])
    assert MESSAGE not in html(editor) and submissions not in html(editor)

    screens = [
        (reverse("wagtailforms:index"), {}),
        (reverse("wagtailforms:list_submissions", args=[contact.pk]), {}),
        (reverse("wagtailforms:list_submissions", args=[contact.pk]), {"export": "csv"}),
        (reverse("wagtailforms:list_submissions", args=[contact.pk]), {"export": "xlsx"}),
        (reverse("wagtailforms:list_submissions_results", args=[contact.pk]), {}),
        (reverse("wagtailforms:delete_submissions", args=[contact.pk]), {}),
    ]
    for address, query in screens:
        response = client.get(address, query)
        assert response.status_code == 302, (address, query)
        assert PERMISSION_DENIED in messages_of(response)
    submission = FormSubmission.objects.get(page=contact)
    client.post(
        reverse("wagtailforms:delete_submissions", args=[contact.pk]),
        {"selected-submissions": [str(submission.pk)]},
    )
    assert FormSubmission.objects.filter(pk=submission.pk).exists()


def test_superusers_see_how_many_messages_the_page_has_in_its_editor(client, contact):
    client.force_login(user_in("superuser"))
    editor = html(client.get(reverse("wagtailadmin_pages:edit", args=[contact.pk])))
    assert reverse("wagtailforms:list_submissions", args=[contact.pk]) in editor
