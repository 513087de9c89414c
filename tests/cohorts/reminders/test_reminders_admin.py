"""The admin side of the program's e-mail: the editors' wording snippets and their preview,
the coordinators' outbox with "send again", the check-in answers, who may see each screen,
and the outbox listing's query count. Announcements are in test_announcements.py."""

import csv
import datetime
import io
import json

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from wagtail.test.utils.form_data import rich_text

from cohorts.choices import CheckInAnswerChoice, OutboxStatus, PairStatus, ReminderKind
from cohorts.models import CheckInAnswer, OutboxMessage, Pair, ReminderTemplate, SupportRequest
from cohorts.outbox.services import INTERRUPTED, NOT_RESENDABLE
from cohorts.reminders.models import PLACEHOLDERS, UNKNOWN_PLACEHOLDER
from members.roles import CHAIR, COORDINATORS, EDITORS
from tests.cohorts.factories import make_cohort
from tests.cohorts.reminders.helpers import ANNOUNCE, ANNOUNCEMENTS
from tests.factories import member
from tests.helpers import PERMISSION_DENIED, messages_of

pytestmark = pytest.mark.django_db

Status = OutboxStatus
WORDING_LIST = "wagtailsnippets_cohorts_remindertemplate:list"
WORDING_EDIT = "wagtailsnippets_cohorts_remindertemplate:edit"
WORDING_PREVIEW = "wagtailsnippets_cohorts_remindertemplate:preview_on_edit"
OUTBOX = "cohorts_outbox:index"
RESEND = "cohorts_outbox:resend"
CHECKINS = "cohorts_checkinanswer:index"


def outbox_row(recipient, *, kind=ReminderKind.PROGRAM_STARTS, cohort=None, **fields):
    """One outbox message written as the outbox service writes them."""
    period = fields.pop("period", f"p{OutboxMessage.objects.count()}")
    key = OutboxMessage.key_for(
        kind=kind,
        cohort_id=cohort.pk if cohort else None,
        recipient_id=recipient.pk,
        period=period,
    )
    return OutboxMessage.objects.create(
        key=key, kind=kind, cohort=cohort, recipient=recipient, period=period, **fields
    )


def listed(response) -> list[OutboxMessage]:
    return list(response.context["object_list"])


def wording_data(template: ReminderTemplate, **fields) -> dict:
    """What the wording's edit form posts (the body as the rich text editor sends it)."""
    data = {"subject": template.subject, "body": template.body, **fields}
    return {**data, "body": rich_text(data["body"])}


# Reminder wording ---------------------------------------------------------------------------


def test_an_editor_edits_the_wording_and_previews_it_with_sample_values(client, site, editor):
    client.force_login(editor)
    template = ReminderTemplate.objects.get(kind=ReminderKind.CHECKIN)
    listing = client.get(reverse(WORDING_LIST))
    assert listing.status_code == 200
    assert escape(template.get_kind_display()) in listing.content.decode()

    data = wording_data(
        template,
        subject="{program}: checking in, {first_name}",
        body="<p>How are things with {partner_name}?</p>",
    )
    preview_url = reverse(WORDING_PREVIEW, args=[template.pk])
    state = client.post(preview_url, data)
    assert json.loads(state.content) == {"is_valid": True, "is_available": True}
    preview = client.get(preview_url)
    page = preview.content.decode()
    assert preview.status_code == 200
    assert "Mentoring Program: checking in, Alex" in page
    assert "How are things with Sam Rivera?" in page
    assert "<pre" in page and "Going well" in page
    assert "Stop these reminders" not in page  # the check-in is not optional

    response = client.post(reverse(WORDING_EDIT, args=[template.pk]), data)
    assert response.status_code == 302
    template.refresh_from_db()
    assert template.subject == "{program}: checking in, {first_name}"


def test_the_preview_of_an_optional_reminder_shows_the_unsubscribe_footer(client, site, editor):
    client.force_login(editor)
    template = ReminderTemplate.objects.get(kind=ReminderKind.DEADLINE_APPROACHING)
    preview_url = reverse(WORDING_PREVIEW, args=[template.pk])
    client.post(preview_url, wording_data(template))
    page = client.get(preview_url).content.decode()
    assert "Stop these reminders" in page and "Going well" not in page


def test_an_unknown_placeholder_is_refused_with_the_models_message(client, site, editor):
    client.force_login(editor)
    template = ReminderTemplate.objects.get(kind=ReminderKind.MATCHED)
    before = template.subject
    data = wording_data(template, subject="Hello {nickname}")
    known = ", ".join(f"{{{name}}}" for name in PLACEHOLDERS)
    expected = UNKNOWN_PLACEHOLDER.format(name="nickname", known=known)

    response = client.post(reverse(WORDING_EDIT, args=[template.pk]), data)
    assert response.status_code == 200
    assert escape(expected) in response.content.decode()
    template.refresh_from_db()
    assert template.subject == before
    state = client.post(reverse(WORDING_PREVIEW, args=[template.pk]), data)
    assert json.loads(state.content)["is_valid"] is False


def test_the_kind_of_a_wording_cannot_be_changed_added_or_deleted(client, site, editor):
    client.force_login(editor)
    template = ReminderTemplate.objects.get(kind=ReminderKind.ORIENTATION)
    data = wording_data(template, kind=ReminderKind.MATCHED)
    assert client.post(reverse(WORDING_EDIT, args=[template.pk]), data).status_code == 302
    template.refresh_from_db()
    assert template.kind == ReminderKind.ORIENTATION

    add_url = reverse("wagtailsnippets_cohorts_remindertemplate:add")
    delete_url = reverse("wagtailsnippets_cohorts_remindertemplate:delete", args=[template.pk])
    assert client.get(add_url).status_code == 302
    assert client.get(delete_url).status_code == 302
    assert client.post(delete_url).status_code == 302
    assert ReminderTemplate.objects.filter(pk=template.pk).exists()


def test_a_new_wording_is_offered_only_the_kinds_without_one(client, site):
    superuser = member("root@example.org")
    superuser.is_superuser = superuser.is_staff = True
    superuser.save()
    client.force_login(superuser)
    add_url = reverse("wagtailsnippets_cohorts_remindertemplate:add")
    assert client.get(add_url).context["form"].fields["kind"].choices == [("", "---------")]
    ReminderTemplate.objects.filter(kind=ReminderKind.SURVEY_OPEN).delete()
    choices = client.get(add_url).context["form"].fields["kind"].choices
    assert [value for value, _label in choices] == ["", ReminderKind.SURVEY_OPEN]


@pytest.mark.parametrize("group", [COORDINATORS, CHAIR])
def test_the_wording_is_the_editors_not_the_coordinators(client, site, group):
    client.force_login(member(groups=[group]))
    template = ReminderTemplate.objects.get(kind=ReminderKind.PROGRAM_ENDS)
    assert client.get(reverse(WORDING_EDIT, args=[template.pk])).status_code in {302, 403}


# The outbox -------------------------------------------------------------------------------


@pytest.fixture
def outbox(cohort, home):
    """Four messages: one sent, one failed, one queued in another cohort, one suppressed."""
    other = make_cohort(home, 2031)
    ann = member("ann.reader@example.org")
    ann.first_name, ann.last_name = "Ann", "Reader"
    ann.save()
    bob = member("bob@example.org")
    return {
        "sent": outbox_row(ann, cohort=cohort, status=Status.SENT, sent_at=timezone.now()),
        "failed": outbox_row(
            bob,
            kind=ReminderKind.CHECKIN,
            cohort=cohort,
            status=Status.FAILED,
            attempts=5,
            last_error="SMTPServerDisconnected: gone",
        ),
        "queued": outbox_row(ann, kind=ReminderKind.CHECKIN, cohort=other),
        "suppressed": outbox_row(bob, kind=ReminderKind.SURVEY_REMINDER, status=Status.SUPPRESSED),
    }


def test_a_coordinator_filters_and_searches_the_outbox(client, coordinator, cohort, outbox):
    client.force_login(coordinator)
    everything = client.get(reverse(OUTBOX))
    assert everything.status_code == 200
    assert len(listed(everything)) == 4

    by_status = client.get(reverse(OUTBOX), {"status": Status.FAILED})
    assert listed(by_status) == [outbox["failed"]]
    by_kind = client.get(reverse(OUTBOX), {"kind": ReminderKind.CHECKIN})
    assert set(listed(by_kind)) == {outbox["failed"], outbox["queued"]}
    by_cohort = client.get(reverse(OUTBOX), {"cohort": cohort.pk})
    assert set(listed(by_cohort)) == {outbox["sent"], outbox["failed"]}
    both = client.get(reverse(OUTBOX), {"cohort": cohort.pk, "kind": ReminderKind.CHECKIN})
    assert listed(both) == [outbox["failed"]]

    by_name = client.get(reverse(OUTBOX), {"q": "reader"})
    assert set(listed(by_name)) == {outbox["sent"], outbox["queued"]}
    by_email = client.get(reverse(OUTBOX), {"q": "bob@example"})
    assert set(listed(by_email)) == {outbox["failed"], outbox["suppressed"]}


def test_failed_messages_stand_out_and_are_counted(client, coordinator, outbox):
    client.force_login(coordinator)
    page = client.get(reverse(OUTBOX)).content.decode()
    assert page.count('class="outbox-failed"') == 1
    assert "1</strong> message failed" in page
    assert page.count(reverse(RESEND, args=[outbox["failed"].pk])) == 1
    for name in ("sent", "queued", "suppressed"):
        assert reverse(RESEND, args=[outbox[name].pk]) not in page
    assert "SMTPServerDisconnected: gone" in page

    home_page = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "could not be sent" in home_page and "?status=failed" in home_page


def test_no_message_body_is_shown(client, coordinator, outbox):
    client.force_login(coordinator)
    OutboxMessage.objects.filter(pk=outbox["sent"].pk).update(subject="Subject-canary")
    assert "Subject-canary" not in client.get(reverse(OUTBOX)).content.decode()


@pytest.mark.parametrize("who", ["plain member", "editor"])
def test_members_and_editors_cannot_see_the_program_email_screens(client, site, outbox, who):
    groups = [EDITORS] if who == "editor" else []
    client.force_login(member(f"{who.replace(' ', '.')}@example.org", groups=groups))
    failed = outbox["failed"]
    for url in (
        reverse(OUTBOX),
        reverse(RESEND, args=[failed.pk]),
        reverse(CHECKINS),
        reverse(ANNOUNCEMENTS),
        reverse(ANNOUNCE),
    ):
        response = client.get(url)
        assert response.status_code == 302, url
        if who == "editor":
            assert PERMISSION_DENIED in messages_of(response)
    assert client.post(reverse(RESEND, args=[failed.pk])).status_code == 302
    failed.refresh_from_db()
    assert failed.status == Status.FAILED
    home_page = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "could not be sent" not in home_page


def test_send_again_sends_a_failed_message_once_more(
    client, coordinator, outbox, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    failed = outbox["failed"]
    OutboxMessage.objects.filter(pk=failed.pk).update(last_error=INTERRUPTED)
    confirm = client.get(reverse(RESEND, args=[failed.pk]))
    assert confirm.status_code == 200
    assert "may already have arrived" in confirm.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse(RESEND, args=[failed.pk]))
    assert response.status_code == 302
    assert any("queued to be sent again" in text for text in messages_of(response))
    failed.refresh_from_db()
    assert failed.status == Status.SENT and failed.attempts == 1
    assert [message.to for message in mail.outbox] == [["bob@example.org"]]


@pytest.mark.parametrize("name", ["sent", "queued", "suppressed"])
def test_only_failed_messages_can_be_sent_again(client, coordinator, outbox, name):
    client.force_login(coordinator)
    row = outbox[name]
    confirm = client.get(reverse(RESEND, args=[row.pk]))
    assert "Only failed messages can be sent again" in confirm.content.decode()
    response = client.post(reverse(RESEND, args=[row.pk]))
    assert response.status_code == 302
    assert NOT_RESENDABLE in " ".join(messages_of(response))
    before = (row.status, row.attempts)
    row.refresh_from_db()
    assert (row.status, row.attempts) == before
    assert client.post(reverse(RESEND, args=[999999])).status_code == 404


def test_outbox_listing_queries_do_not_grow_with_rows(
    client, coordinator, cohort, home, django_assert_max_num_queries
):
    other = make_cohort(home, 2032)
    User = get_user_model()
    users = User.objects.bulk_create(User(email=f"bulk{n}@example.org") for n in range(200))

    def add_rows(start: int, end: int) -> None:
        OutboxMessage.objects.bulk_create(
            OutboxMessage(
                key=f"bulk:{n}",
                kind=ReminderKind.CHECKIN if n % 2 else ReminderKind.ORIENTATION,
                cohort=cohort if n % 3 else other,
                recipient=users[n],
                period="q1",
                status=Status.FAILED if n % 5 == 0 else Status.SENT,
            )
            for n in range(start, end)
        )

    add_rows(0, 10)
    client.force_login(coordinator)
    client.get(reverse(OUTBOX))  # warm the caches (content types, site settings)
    with CaptureQueriesContext(connection) as ten:
        assert len(listed(client.get(reverse(OUTBOX)))) == 10
    add_rows(10, 200)
    with django_assert_max_num_queries(len(ten)) as two_hundred:
        response = client.get(reverse(OUTBOX))
    assert response.context["paginator"].count == 200
    assert len(two_hundred) == len(ten)


# Check-in answers ---------------------------------------------------------------------------


@pytest.fixture
def answers(cohort, people):
    """Three answers to the first check-in and one to the second; one asked for help."""
    rows = {}
    pairs = list(Pair.objects.filter(cohort=cohort, status=PairStatus.PUBLISHED).order_by("pk"))
    choices = [
        ("well", pairs[0], pairs[0].mentor.applicant, "q1", CheckInAnswerChoice.GOING_WELL),
        ("help", pairs[0], pairs[0].mentee.applicant, "q1", CheckInAnswerChoice.NEED_HELP),
        ("better", pairs[1], pairs[1].mentor.applicant, "q1", CheckInAnswerChoice.COULD_BE_BETTER),
        ("later", pairs[1], pairs[1].mentee.applicant, "q2", CheckInAnswerChoice.GOING_WELL),
    ]
    for name, pair, user, period, answer in choices:
        message = outbox_row(user, kind=ReminderKind.CHECKIN, cohort=cohort, period=period)
        rows[name] = CheckInAnswer.objects.create(
            message=message, cohort=cohort, pair=pair, user=user, period=period, answer=answer
        )
    request = SupportRequest.objects.create(
        pair=pairs[0], author=pairs[0].mentee.applicant, message="Please call."
    )
    CheckInAnswer.objects.filter(pk=rows["help"].pk).update(support_request=request)
    return rows


def test_a_coordinator_reads_and_filters_the_checkin_answers(client, coordinator, answers):
    client.force_login(coordinator)
    response = client.get(reverse(CHECKINS))
    assert response.status_code == 200
    page = response.content.decode()
    assert len(response.context["object_list"]) == 4
    assert "Quarterly check-in 1" in page
    help_row = answers["help"]
    assert (
        page.count(reverse("cohorts_pair:inspect", args=[help_row.pair_id]) + "#pair-support") == 1
    )
    assert "Please call." not in page

    need_help = client.get(reverse(CHECKINS), {"answer": CheckInAnswerChoice.NEED_HELP})
    assert list(need_help.context["object_list"]) == [help_row]
    second = client.get(reverse(CHECKINS), {"period": "q2"})
    assert list(second.context["object_list"]) == [answers["later"]]
    by_cohort = client.get(reverse(CHECKINS), {"cohort": help_row.cohort_id})
    assert len(by_cohort.context["object_list"]) == 4


def test_the_checkin_answers_export_as_csv(client, coordinator, answers):
    client.force_login(coordinator)
    response = client.get(reverse(CHECKINS), {"export": "csv", "answer": "need_help"})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8"))))
    assert rows[0][:5] == ["Cohort", "Check-in", "Pair", "Participant", "Answer"]
    assert len(rows) == 2 and rows[1][4] == "We need help" and rows[1][-1] == "Yes"


def test_exports_write_times_in_the_site_time_zone_to_the_minute(client, coordinator, answers):
    # 2027-01-15 03:30 UTC is 21:30 the evening before in Chicago.
    answered = datetime.datetime(2027, 1, 15, 3, 30, 59, 123456, tzinfo=datetime.UTC)
    CheckInAnswer.objects.filter(pk=answers["help"].pk).update(answered_at=answered)
    client.force_login(coordinator)
    response = client.get(reverse(CHECKINS), {"export": "csv", "answer": "need_help"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8"))))
    assert rows[1][rows[0].index("Answered")] == "2027-01-14 21:30"
