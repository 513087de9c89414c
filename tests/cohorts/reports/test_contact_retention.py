"""The contact form's messages: erased by the daily retention task once
CONTACT_MESSAGE_RETENTION_DAYS have passed (a message still waiting for the hourly digest
too), counted on the coordinators' retention screen without their text, and the setting."""

import datetime

import pytest
from wagtail.contrib.forms.models import FormSubmission

from home.models import ContactDigestItem
from home.services import contact_submission_receive
from tests.cohorts.reports.helpers import CHICAGO, run_daily_task, screen
from tests.factories import contact_page
from tests.helpers import settings_with

pytestmark = pytest.mark.django_db


def contact_message_at(page, when: datetime.datetime, text: str, time_machine) -> int:
    """A message sent through the contact form at ``when``; its id."""
    time_machine.move_to(when, tick=False)
    submission = contact_submission_receive(
        page=page,
        cleaned_data={"your_name": "Mei Haddad", "message": text},
        client=f"192.0.2.{FormSubmission.objects.count() + 1}",
    )
    return submission.pk


@pytest.fixture
def contact_messages(home, time_machine) -> dict[str, int]:
    """Three contact messages: one of January 10, 2026 at 10 a.m. (Chicago), one of December
    1, 2026, and one of January 9, 2026 that still waits for the hourly digest."""
    page = contact_page(home)
    sent = {
        "january": contact_message_at(
            page,
            datetime.datetime(2026, 1, 10, 10, tzinfo=CHICAGO),
            "Sent in January",
            time_machine,
        ),
        "december": contact_message_at(
            page,
            datetime.datetime(2026, 12, 1, 10, tzinfo=CHICAGO),
            "Sent in December",
            time_machine,
        ),
        "waiting": contact_message_at(
            page, datetime.datetime(2026, 1, 9, 10, tzinfo=CHICAGO), "Waiting", time_machine
        ),
    }
    ContactDigestItem.objects.create(submission_id=sent["waiting"])
    return sent


def kept_messages() -> set[int]:
    return set(FormSubmission.objects.values_list("pk", flat=True))


def test_the_daily_task_erases_contact_messages_a_year_old_and_no_younger(
    contact_messages, time_machine, django_capture_on_commit_callbacks
):
    sent = contact_messages
    time_machine.move_to(datetime.datetime(2027, 1, 9, 9, tzinfo=CHICAGO), tick=False)
    run_daily_task(django_capture_on_commit_callbacks)
    assert kept_messages() == set(sent.values())

    time_machine.move_to(datetime.datetime(2027, 1, 10, 9, tzinfo=CHICAGO), tick=False)
    run_daily_task(django_capture_on_commit_callbacks)
    assert kept_messages() == {sent["january"], sent["december"]}
    assert not ContactDigestItem.objects.exists()

    time_machine.move_to(datetime.datetime(2027, 1, 10, 11, tzinfo=CHICAGO), tick=False)
    run_daily_task(django_capture_on_commit_callbacks)
    assert kept_messages() == {sent["december"]}


def test_the_contact_messages_are_kept_the_days_the_setting_says(
    contact_messages, settings, time_machine, django_capture_on_commit_callbacks
):
    settings.CONTACT_MESSAGE_RETENTION_DAYS = 30
    time_machine.move_to(datetime.datetime(2026, 12, 31, 9, tzinfo=CHICAGO), tick=False)
    run_daily_task(django_capture_on_commit_callbacks)
    assert kept_messages() == {contact_messages["december"]}

    time_machine.move_to(datetime.datetime(2026, 12, 31, 11, tzinfo=CHICAGO), tick=False)
    run_daily_task(django_capture_on_commit_callbacks)
    assert kept_messages() == set()


def test_the_screen_counts_the_contact_messages_and_those_past_their_time(
    client, coordinator, contact_messages, time_machine
):
    body = screen(
        client, coordinator, time_machine, datetime.datetime(2026, 12, 2, 9, tzinfo=CHICAGO)
    )
    assert "A message sent through the contact form is kept for 365 days" in body
    assert "The portal holds <strong>3</strong> contact messages." in body

    body = screen(
        client, coordinator, time_machine, datetime.datetime(2027, 1, 10, 11, tzinfo=CHICAGO)
    )
    assert (
        "The portal holds <strong>3</strong> contact messages; <strong>2</strong> of them are "
        "older than 365 days and will be erased at the next daily run." in body
    )
    for text in ("Sent in January", "Waiting", "Mei Haddad"):
        assert text not in body


def test_contact_message_retention_defaults_to_a_year_and_refuses_anything_but_whole_days(
    settings,
):
    assert settings.CONTACT_MESSAGE_RETENTION_DAYS == 365
    for value in ("0", "-1", "a year", "30.5"):
        shown = settings_with("portal.settings.dev", CONTACT_MESSAGE_RETENTION_DAYS=value)
        assert shown["error"].endswith(
            "CONTACT_MESSAGE_RETENTION_DAYS must be a whole number of days, 1 or more "
            f"(it is {value!r})."
        ), value
    assert "error" not in settings_with("portal.settings.dev", CONTACT_MESSAGE_RETENTION_DAYS="90")
