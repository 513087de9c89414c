"""A database set up before a kind of e-mail existed: the upgrade's ``migrate`` gives the
kind its editable wording, with the built-in text until an editor changes it."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils.html import escape
from wagtail.test.utils.form_data import rich_text

from cohorts.choices import ReminderKind
from cohorts.models import OutboxMessage, ReminderTemplate
from cohorts.reminders.rendering import Renderer
from cohorts.reminders.wording import DEFAULT_WORDING
from tests.factories import member

pytestmark = pytest.mark.django_db

KIND = ReminderKind.MEMBERSHIP_VERIFIED
WORDING_LIST = "wagtailsnippets_cohorts_remindertemplate:list"
WORDING_EDIT = "wagtailsnippets_cohorts_remindertemplate:edit"


def migrate() -> None:
    call_command("migrate", verbosity=0, stdout=StringIO())


def sent_subject(recipient) -> str:
    message = OutboxMessage.objects.create(
        key=OutboxMessage.key_for(kind=KIND, cohort_id=None, recipient_id=recipient.pk, period=""),
        kind=KIND,
        recipient=recipient,
    )
    return Renderer().render(message).subject


def test_a_kind_without_wording_gets_it_with_the_upgrade_and_the_editor_edits_it(
    client, site, editor
):
    ReminderTemplate.objects.filter(kind=KIND).delete()
    kept = ReminderTemplate.objects.get(kind=ReminderKind.CHECKIN)
    kept.subject = "{program}: an editor's check-in"
    kept.save()

    migrate()

    template = ReminderTemplate.objects.get(kind=KIND)
    assert (template.subject, template.body) == DEFAULT_WORDING[KIND]
    assert ReminderTemplate.objects.get(pk=kept.pk).subject == "{program}: an editor's check-in"
    assert ReminderTemplate.objects.count() == len(DEFAULT_WORDING)
    recipient = member("new.member@example.org")
    assert sent_subject(recipient) == "Mentoring Program: Your membership is verified"

    client.force_login(editor)
    listing = client.get(reverse(WORDING_LIST)).content.decode()
    assert escape(template.get_kind_display()) in listing
    edit_url = reverse(WORDING_EDIT, args=[template.pk])
    assert client.get(edit_url).status_code == 200
    data = {"subject": "{program}: welcome, {first_name}", "body": rich_text(template.body)}
    assert client.post(edit_url, data).status_code == 302
    OutboxMessage.objects.all().delete()
    assert sent_subject(recipient).startswith("Mentoring Program: welcome, ")


def test_a_second_migrate_changes_no_wording():
    migrate()
    before = sorted(ReminderTemplate.objects.values_list("pk", "kind", "subject", "updated_at"))

    migrate()

    after = sorted(ReminderTemplate.objects.values_list("pk", "kind", "subject", "updated_at"))
    assert after == before
