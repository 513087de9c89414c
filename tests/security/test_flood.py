"""Nobody floods anyone: the contact form, sign-up and a pair's requests to the
subcommittee each have a limit, with a clear message, and nothing a person sent in good
faith is lost.

- The contact form: a robot filling the hidden field is thanked and forgotten; one client
  may send a few messages an hour; past a site-wide number of e-mails an hour the chair gets
  the rest in one digest; a message has a maximum length; a sent message is answered with a
  redirect, so reloading the thank-you page sends nothing again.
- Sign-up answers in the same time whether or not the address has an account: both paths
  hash a password once.
- Calls for help and changes of partner: a few a day per member, the same rule whichever
  door they come through.
"""

import re

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils.html import escape
from wagtail.contrib.forms.models import FormSubmission

from cohorts.models import ChangeRequest, SupportRequest
from members.models import User
from tests.factories import contact_page, member

pytestmark = pytest.mark.django_db

MESSAGE = {
    "your_name": "Mei Haddad",
    "your_e_mail_address": "mei.haddad@example.edu",
    "your_question_is_about": "Being a mentee",
    "message": "How many hours a month should I plan for?",
}


@pytest.fixture
def contact(home):
    """The contact page with its four questions; the chair is chair@example.org."""
    return contact_page(home)


def send(page, data, *, address="198.51.100.7", capture):
    """Post the contact form from a client at ``address``, running what is queued."""
    with capture(execute=True):
        return Client(REMOTE_ADDR=address).post(page.url, data)


# ---- The contact form -------------------------------------------------------------------------


def test_a_sent_message_redirects_to_the_thank_you_page_and_a_reload_sends_nothing(
    contact, django_capture_on_commit_callbacks
):
    response = send(contact, MESSAGE, capture=django_capture_on_commit_callbacks)
    assert response.status_code in (302, 303)
    thanks = response["Location"]
    assert thanks == f"{contact.url}thank-you/"
    client = Client()
    for _ in range(3):
        page = client.get(thanks)
        assert page.status_code == 200
        assert "Your message has been sent to the chair" in page.content.decode()
    assert FormSubmission.objects.count() == len(mail.outbox) == 1


def test_the_hidden_field_catches_robots_and_is_hidden_from_people(
    contact, django_capture_on_commit_callbacks
):
    page = Client().get(contact.url).content.decode()
    trap = re.search(r'<div class="form-trap" aria-hidden="true">(.*?)</div>', page, re.S)
    assert trap, "the hidden field sits in its own hidden wrapper"
    assert 'tabindex="-1"' in trap[1] and 'autocomplete="off"' in trap[1]

    robot = {**MESSAGE, "contact_website": "https://spam.example.com"}
    response = send(contact, robot, capture=django_capture_on_commit_callbacks)
    assert response.status_code in (302, 303)
    assert response["Location"] == f"{contact.url}thank-you/"
    assert FormSubmission.objects.count() == 0 and mail.outbox == []


def test_a_message_too_long_is_refused_with_a_clear_message(
    contact, django_capture_on_commit_callbacks
):
    data = {**MESSAGE, "message": "x" * 2_000_000}
    response = send(contact, data, capture=django_capture_on_commit_callbacks)
    assert response.status_code == 200
    assert "Keep your message under 5,000 characters (it has 2,000,000)." in (
        response.content.decode()
    )
    assert FormSubmission.objects.count() == 0 and mail.outbox == []


def test_one_client_flooding_the_contact_form_is_stopped_and_others_still_get_through(
    contact, settings, django_capture_on_commit_callbacks
):
    settings.CONTACT_MESSAGES_PER_HOUR = 5
    answers = [
        send(
            contact,
            {**MESSAGE, "message": f"Message {n}"},
            capture=django_capture_on_commit_callbacks,
        )
        for n in range(30)
    ]
    assert [a.status_code for a in answers] == [302] * 5 + [429] * 25
    refusal = answers[-1].content.decode()
    assert escape("You have sent 5 messages in the last hour") in refusal
    assert 'value="Mei Haddad"' in refusal  # the message is kept in the form
    assert FormSubmission.objects.count() == len(mail.outbox) == 5

    other = send(
        contact, MESSAGE, address="198.51.100.8", capture=django_capture_on_commit_callbacks
    )
    assert other.status_code == 302
    assert FormSubmission.objects.count() == 6


def test_past_the_hourly_ceiling_the_chair_gets_one_digest_and_nothing_is_lost(
    contact, settings, django_capture_on_commit_callbacks
):
    from home.tasks import contact_digest_send

    settings.CONTACT_EMAILS_PER_HOUR = 3
    for n in range(10):
        data = {**MESSAGE, "message": f"Good-faith question number {n}"}
        address = f"198.51.100.{n + 1}"
        response = send(contact, data, address=address, capture=django_capture_on_commit_callbacks)
        assert response.status_code == 302
    assert FormSubmission.objects.count() == 10
    assert len(mail.outbox) == 3

    with django_capture_on_commit_callbacks(execute=True):
        contact_digest_send()
    digest = mail.outbox[3]
    assert len(mail.outbox) == 4
    assert digest.to == mail.outbox[0].to == ["chair@example.org"]
    assert "7 messages" in digest.subject
    delivered = "\n".join(m.body for m in mail.outbox)
    for n in range(10):
        assert f"Good-faith question number {n}" in delivered
    with django_capture_on_commit_callbacks(execute=True):
        contact_digest_send()
    assert len(mail.outbox) == 4  # nothing is sent twice


# ---- Sign-up --------------------------------------------------------------------------------


def test_sign_up_hashes_a_password_whether_or_not_the_address_has_an_account(
    client, site, monkeypatch
):
    """The time a sign-up takes is the password hash's: counting the hashes on each path
    compares them without a stopwatch."""
    member("taken@example.org")
    hashed = []
    real_encode = MD5PasswordHasher.encode

    def counting_encode(self, password, salt):
        hashed.append(password)
        return real_encode(self, password, salt)

    monkeypatch.setattr(MD5PasswordHasher, "encode", counting_encode)
    counts = {}
    for email in ("new@example.org", "taken@example.org"):
        hashed.clear()
        response = Client().post(
            reverse("account_signup"),
            {
                "email": email,
                "first_name": "Mei",
                "last_name": "Haddad",
                "password1": "a-long-pass-phrase-2026",
                "password2": "a-long-pass-phrase-2026",
            },
        )
        assert response.status_code == 302
        assert response["Location"] == reverse("account_email_verification_sent")
        counts[email] = len(hashed)
    assert counts == {"new@example.org": 1, "taken@example.org": 1}
    assert User.objects.filter(email="taken@example.org").count() == 1


# ---- A pair's requests to the subcommittee ---------------------------------------------------


def test_calls_for_help_are_limited_per_member_with_when_to_ask_again(
    portal, settings, django_capture_on_commit_callbacks
):
    settings.HELP_REQUESTS_PER_DAY = 3
    mentee, mentor = portal.client("mentee"), portal.client("mentor")
    before = SupportRequest.objects.filter(author__email="mentee@example.org").count()
    answers = []
    for n in range(20):
        with django_capture_on_commit_callbacks(execute=True):
            answers.append(
                mentee.post(portal.pair_url("support"), {"message": f"Please help, {n}."})
            )
    assert [a.status_code for a in answers] == [302] * 3 + [200] * 17
    refusal = answers[-1].content.decode()
    assert "You have asked for help 3 times today" in refusal
    assert "You can ask again after" in refusal
    assert SupportRequest.objects.filter(author__email="mentee@example.org").count() == before + 3
    helpers = [m for m in mail.outbox if "asked for help" in m.subject]
    assert 0 < len(helpers) <= 3 * 2

    with django_capture_on_commit_callbacks(execute=True):
        partner = mentor.post(portal.pair_url("support"), {"message": "Me too."})
    assert partner.status_code == 302


def test_changes_of_partner_are_limited_per_member(
    portal, settings, django_capture_on_commit_callbacks
):
    settings.CHANGE_REQUESTS_PER_DAY = 3
    mentee = portal.client("mentee")
    before = ChangeRequest.objects.filter(pair=portal.pair).count()
    asked = []
    for n in range(10):
        with django_capture_on_commit_callbacks(execute=True):
            response = mentee.post(
                portal.pair_url("change"),
                {"action": "ask", "message": f"Reason {n}.", "confirmed": "1"},
            )
        asked.append(response.status_code)
        change = ChangeRequest.objects.filter(pair=portal.pair).order_by("pk").last()
        if change is not None and response.status_code == 302:
            mentee.post(
                portal.pair_url("change"), {"action": "withdraw", "change": str(change.pk)}
            )
    assert asked == [302] * 3 + [200] * 7
    assert ChangeRequest.objects.filter(pair=portal.pair).count() == before + 3
    last = mentee.post(
        portal.pair_url("change"), {"action": "ask", "message": "Again.", "confirmed": "1"}
    )
    assert "You have asked for a change of partner 3 times today" in last.content.decode()
