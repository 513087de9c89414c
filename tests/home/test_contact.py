"""The contact page: messages are stored and reach the chair; bad input changes nothing."""

import html
import logging

import pytest
from django.core import mail
from wagtail.contrib.forms.models import FormSubmission

from home.models import ContactPage, SiteSettings
from home.services import CONTACT_NO_RECIPIENT

pytestmark = pytest.mark.django_db

VALID = {
    "your_name": "Mei Haddad",
    "your_e_mail_address": "mei.haddad@example.edu",
    "your_question_is_about": "Being a mentee",
    "message": "How many hours a month should I plan for?",
}


@pytest.fixture
def contact(demo_site) -> ContactPage:
    return ContactPage.objects.get()


def post(client, page, data, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(page.url, data)


def test_form_has_a_label_for_every_field_and_names_the_chair(client, contact):
    body = client.get(contact.url).content.decode()
    for field_id in VALID:
        assert f'<label for="id_{field_id}">' in body
    assert "Your message goes to <strong>Regina Gong</strong>" in body


def test_message_is_stored_and_delivered_to_the_chair_over_smtp(
    client, contact, smtp_inbox, django_capture_on_commit_callbacks
):
    response = post(client, contact, VALID, django_capture_on_commit_callbacks)

    assert response.status_code == 302
    assert response["Location"] == contact.thank_you_url
    assert (
        "Your message has been sent to the chair"
        in client.get(contact.thank_you_url).content.decode()
    )
    submission = FormSubmission.objects.get(page=contact)
    assert submission.get_data()["message"] == VALID["message"]
    [message] = smtp_inbox.messages
    assert message["X-Envelope-To"] == "mentoring-chair@example.org"
    assert message["Reply-To"] == "mei.haddad@example.edu"
    assert message["Subject"] == "Question about the ALCTS Mentoring Program"
    text = message.get_content()
    assert "Your name: Mei Haddad" in text
    assert "Message: How many hours a month should I plan for?" in text


def test_invalid_message_shows_clear_errors_and_writes_nothing(
    client, contact, django_capture_on_commit_callbacks
):
    data = {**VALID, "your_e_mail_address": "not-an-address", "message": ""}
    response = post(client, contact, data, django_capture_on_commit_callbacks)

    body = response.content.decode()
    assert response.status_code == 200
    assert "Please correct the 2 problems below" in body
    assert "Enter a valid email address." in body
    assert "This field is required." in body
    assert 'value="Mei Haddad"' in body
    assert FormSubmission.objects.count() == 0
    assert mail.outbox == []


def test_page_to_address_overrides_the_chair(client, contact, django_capture_on_commit_callbacks):
    contact.to_address = "subcommittee@example.org, chair2@example.org"
    contact.save_revision().publish()
    post(client, contact, VALID, django_capture_on_commit_callbacks)
    [message] = mail.outbox
    assert message.to == ["subcommittee@example.org", "chair2@example.org"]


def test_without_any_recipient_the_message_is_kept_and_the_gap_logged(
    client, contact, demo_site, caplog, django_capture_on_commit_callbacks
):
    SiteSettings.objects.filter(site=demo_site).update(chair_email="")
    with caplog.at_level(logging.WARNING, logger="home.services"):
        response = post(client, contact, VALID, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert FormSubmission.objects.count() == 1
    assert mail.outbox == []
    submission = FormSubmission.objects.get()
    assert caplog.messages == [CONTACT_NO_RECIPIENT % submission.pk]


def test_hostile_inputs_never_break_the_form_or_come_back_unescaped(
    client, contact, hostile_inputs, django_capture_on_commit_callbacks
):
    for payload in hostile_inputs:
        # An invalid e-mail makes the form echo the other fields back.
        data = {**VALID, "your_name": payload, "your_e_mail_address": "x", "message": payload}
        response = post(client, contact, data, django_capture_on_commit_callbacks)
        body = response.content.decode()
        assert response.status_code == 200, payload
        if any(c in payload for c in "<>\"'"):
            assert payload not in body, payload
        assert FormSubmission.objects.count() == 0


def test_hostile_inputs_are_stored_as_text_and_mailed_as_text(
    client, contact, hostile_inputs, settings, django_capture_on_commit_callbacks
):
    # One client sends them all: the hourly limits (tests/security/test_flood.py) are lifted.
    settings.CONTACT_MESSAGES_PER_HOUR = settings.CONTACT_EMAILS_PER_HOUR = 1000
    accepted = 0
    for payload in hostile_inputs:
        data = {**VALID, "message": payload}
        response = post(client, contact, data, django_capture_on_commit_callbacks)
        assert response.status_code in (200, 302), payload
        if response.status_code == 302:
            accepted += 1
            assert FormSubmission.objects.last().get_data()["message"] == payload.strip()
    assert accepted == len(mail.outbox) > 90
    for message in mail.outbox:
        assert message.content_subtype == "plain"


def test_submissions_list_in_the_admin_escapes_hostile_text(
    admin_client, contact, django_capture_on_commit_callbacks
):
    payload = "<script>alert(1)</script>"
    post(admin_client, contact, {**VALID, "message": payload}, django_capture_on_commit_callbacks)
    response = admin_client.get(f"/admin/forms/submissions/{contact.pk}/")
    body = response.content.decode()
    assert response.status_code == 200
    assert payload not in body
    assert html.escape(payload) in body
