"""The dispatcher and the outbox's rules, one at a time: when a reminder is due, that it is
written once however often the dispatcher runs, what happens to a row whose send was
interrupted or whose task was lost, and who is left out at send time."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.db import IntegrityError
from django.utils import timezone

from cohorts.choices import OutboxStatus, ReminderKind
from cohorts.models import DispatchMark, OutboxMessage, ReminderOptOut
from cohorts.outbox import services as outbox
from cohorts.pairs.services.notes import note_add
from cohorts.reminders.due import cohort_reminders, reminders_due
from cohorts.reminders.services import dispatch
from tests.cohorts.factories import make_cohort, make_pair
from tests.factories import member

pytestmark = pytest.mark.django_db

K = ReminderKind
YEAR = 2027


def at(date: datetime.date, hour: int = 9) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(date, datetime.time(hour)))


@pytest.fixture
def cohort(home):
    return make_cohort(home, YEAR)


def test_dated_reminders_go_out_from_the_send_hour(settings):
    settings.REMINDERS_SEND_HOUR = 8
    day = datetime.date(YEAR, 9, 1)
    assert dispatch.send_day(at(day, 7)) == day - datetime.timedelta(days=1)
    assert dispatch.send_day(at(day, 8)) == day


def test_each_reminder_has_a_window_that_ends_when_it_stops_making_sense(cohort):
    from surveys.choices import SurveyKind
    from tests.surveys.factories import add_survey

    add_survey(cohort, kind=SurveyKind.MIDWAY)
    windows = {
        (due.kind, due.period): (due.first_day, due.last_day)
        for due in cohort_reminders(cohort=cohort, today=cohort.applications_open)
    }
    deadline = cohort.application_deadline
    assert windows[(K.DEADLINE_APPROACHING, "d7")] == (
        deadline - datetime.timedelta(days=7),
        deadline - datetime.timedelta(days=2),
    )
    assert windows[(K.DEADLINE_APPROACHING, "d1")] == (
        deadline - datetime.timedelta(days=1),
        deadline,
    )
    # Quarterly check-ins from the formal start; each is due for three weeks.
    assert [windows[(K.CHECKIN, f"q{n}")][0] for n in (1, 2, 3)] == [
        datetime.date(YEAR, 9, 1),
        datetime.date(YEAR, 12, 1),
        datetime.date(YEAR + 1, 3, 1),
    ]
    assert windows[(K.CHECKIN, "q1")][1] == datetime.date(YEAR, 9, 21)
    assert windows[(K.SURVEY_REMINDER, "midway")] == (
        datetime.date(YEAR, 11, 23),
        datetime.date(YEAR, 11, 29),
    )
    # No final survey page: no final survey reminders.
    assert (K.SURVEY_OPEN, "final") not in windows


def test_a_reminder_missed_for_its_whole_window_is_not_sent_late(cohort):
    member("verified@example.org")
    after_deadline = cohort.application_deadline + datetime.timedelta(days=1)
    due = {(d.kind, d.period) for d in reminders_due(today=after_deadline)}
    assert (K.DEADLINE_APPROACHING, "d1") not in due
    assert (K.APPLICATIONS_OPEN, "open") not in due


def test_the_dispatcher_writes_each_reminder_once_however_often_it_runs(
    cohort, pair, django_capture_on_commit_callbacks
):
    with time_machine.travel(at(datetime.date(YEAR, 9, 1)), tick=False):
        mail.outbox.clear()
        first = dispatch.reminders_dispatch()
        second = dispatch.reminders_dispatch()
    assert first["written"] == 2 and second["written"] == 0
    checkins = [m for m in mail.outbox if "how is your mentoring going" in m.subject]
    assert sorted(m.to[0] for m in checkins) == sorted(
        [pair.mentor.applicant.email, pair.mentee.applicant.email]
    )
    assert DispatchMark.objects.filter(kind=K.CHECKIN, period="q1").count() == 1


def test_links_and_message_ids_start_with_site_url_not_the_site_record(
    cohort, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://mentoring.example.org"
    site = cohort.get_site()
    assert (site.hostname, site.port) == ("localhost", 80)
    member("verified@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        make_pair(cohort)
    with time_machine.travel(at(cohort.applications_open), tick=False):
        dispatch.reminders_dispatch()

    kinds = {m.extra_headers["Message-ID"].split(".")[2].split("@")[0] for m in mail.outbox}
    assert {K.MATCHED, K.APPLICATIONS_OPEN} <= kinds
    for message in mail.outbox:
        assert "https://mentoring.example.org/" in message.body
        assert "localhost" not in message.body + str(message.extra_headers)
        assert message.extra_headers["Message-ID"].endswith("@mentoring.example.org>")
    [opened] = [m for m in mail.outbox if m.to == ["verified@example.org"]]
    assert f"https://mentoring.example.org{cohort.url}" in opened.body


def test_a_second_dispatcher_racing_on_the_same_reminder_writes_nothing(cohort, pair):
    with time_machine.travel(at(datetime.date(YEAR, 9, 1)), tick=False):
        [due] = [d for d in reminders_due(today=datetime.date(YEAR, 9, 1)) if d.kind == K.CHECKIN]
        DispatchMark.objects.create(kind=due.kind, cohort=due.cohort, period=due.period)
        # The other dispatcher's mark is committed: this one's insert fails and is rolled back.
        assert dispatch._dispatch_one(due) == 0
    assert not OutboxMessage.objects.filter(kind=K.CHECKIN).exists()
    with pytest.raises(IntegrityError):
        DispatchMark.objects.create(kind=due.kind, cohort=due.cohort, period=due.period)


def queued_checkin(pair, side: str = "mentee") -> OutboxMessage:
    """A queued first check-in to one side of the pair."""
    [row_id] = outbox.outbox_add(
        kind=K.CHECKIN,
        cohort=pair.cohort,
        period="q1",
        recipients=[(getattr(pair, side).applicant_id, pair.pk)],
    )
    return OutboxMessage.objects.get(pk=row_id)


def test_an_interrupted_send_is_marked_failed_and_never_sent_again(pair):
    row = queued_checkin(pair)
    started = timezone.now() - datetime.timedelta(minutes=20)
    OutboxMessage.objects.filter(pk=row.pk).update(
        status=OutboxStatus.SENDING, claimed_at=started, attempts=1
    )
    fresh = queued_checkin(pair, "mentor")
    OutboxMessage.objects.filter(pk=fresh.pk).update(
        status=OutboxStatus.SENDING, claimed_at=timezone.now(), attempts=1
    )

    mail.outbox.clear()
    dispatch.reminders_dispatch()

    row.refresh_from_db()
    fresh.refresh_from_db()
    assert row.status == OutboxStatus.FAILED and row.last_error == outbox.INTERRUPTED
    assert fresh.status == OutboxStatus.SENDING
    assert mail.outbox == []
    assert outbox.outbox_deliver(ids=[row.pk, fresh.pk]) == 0


def test_a_row_whose_task_was_lost_is_queued_again_after_a_while(pair):
    row = queued_checkin(pair)
    queued_at = timezone.now()
    OutboxMessage.objects.filter(pk=row.pk).update(enqueued_at=queued_at)

    assert outbox.outbox_enqueue_waiting(now=queued_at + datetime.timedelta(minutes=5)) == 0
    mail.outbox.clear()
    later = queued_at + outbox.REENQUEUE_AFTER + datetime.timedelta(seconds=1)
    assert outbox.outbox_enqueue_waiting(now=later) == 1
    assert [m.to[0] for m in mail.outbox] == [pair.mentee.applicant.email]


def test_a_retry_waits_for_its_time(pair):
    row = queued_checkin(pair)
    retry_at = timezone.now() + datetime.timedelta(minutes=30)
    OutboxMessage.objects.filter(pk=row.pk).update(next_attempt_at=retry_at, attempts=1)
    assert outbox.outbox_enqueue_waiting(now=timezone.now()) == 0
    assert outbox.outbox_deliver(ids=[row.pk]) == 0
    mail.outbox.clear()
    with time_machine.travel(retry_at, tick=False):
        assert outbox.outbox_enqueue_waiting(now=timezone.now()) == 1
    assert len(mail.outbox) == 1


def test_opting_out_after_a_row_was_written_still_stops_the_e_mail(pair):
    [row_id] = outbox.outbox_add(
        kind=K.BEHIND_ON_CONTACT,
        cohort=pair.cohort,
        period="midway",
        recipients=[(pair.mentee.applicant_id, pair.pk)],
        per_object=True,
    )
    ReminderOptOut.objects.create(user=pair.mentee.applicant, kind=K.BEHIND_ON_CONTACT)
    mail.outbox.clear()
    assert outbox.outbox_deliver(ids=[row_id]) == 0
    row = OutboxMessage.objects.get(pk=row_id)
    assert row.status == OutboxStatus.SUPPRESSED and row.last_error == outbox.OPTED_OUT
    assert row.period == f"midway-{pair.pk}"
    assert mail.outbox == []


def test_essential_kinds_reach_a_member_who_opted_out_of_everything_optional(pair):
    user = pair.mentee.applicant
    for kind in ("applications_open", "deadline_approaching", "behind_on_contact"):
        ReminderOptOut.objects.create(user=user, kind=kind)
    row = queued_checkin(pair)
    mail.outbox.clear()
    assert outbox.outbox_deliver(ids=[row.pk]) == 1
    assert "List-Unsubscribe" not in mail.outbox[0].extra_headers


def test_an_erased_or_inactive_account_gets_nothing(pair):
    row = queued_checkin(pair)
    user = pair.mentee.applicant
    user.is_active = False
    user.save(update_fields=["is_active"])
    mail.outbox.clear()
    assert outbox.outbox_deliver(ids=[row.pk]) == 0
    row.refresh_from_db()
    assert row.status == OutboxStatus.SUPPRESSED and row.last_error == outbox.UNREACHABLE


def test_no_reminder_carries_a_confidential_note_or_a_contact_summary(pair):
    from cohorts.pairs.services.pairs import contact_add

    canary = "CANARY-reminder-7e21"
    mentee = pair.mentee.applicant
    note_add(pair=pair, user=mentee, text=canary)
    note_add(pair=pair, user=mentee, text=canary + "-shared", shared=True)
    with time_machine.travel(at(datetime.date(YEAR, 9, 1)), tick=False):
        contact_add(
            pair=pair,
            user=mentee,
            date=pair.cohort.formal_start,
            minutes=30,
            method="email",
            summary=canary,
        )
    kinds = [
        K.MATCHED,
        K.ORIENTATION,
        K.PROGRAM_STARTS,
        K.CHECKIN,
        K.BEHIND_ON_CONTACT,
        K.SURVEY_OPEN,
        K.SURVEY_REMINDER,
        K.PROGRAM_ENDS,
    ]
    ids = []
    for kind in kinds:
        ids += outbox.outbox_add(
            kind=kind,
            cohort=pair.cohort,
            period="canary",
            recipients=[(pair.mentor.applicant_id, pair.pk), (mentee.pk, pair.pk)],
        )
    mail.outbox.clear()
    assert outbox.outbox_deliver(ids=ids) == 2 * len(kinds)
    for message in mail.outbox:
        html = message.alternatives[0].content
        assert canary not in message.body and canary not in html
        assert "{" not in message.subject


def test_a_member_in_two_pairs_gets_a_check_in_for_each(
    cohort, django_capture_on_commit_callbacks
):
    from cohorts.choices import ApplicationStatus, Role
    from cohorts.matching.services import pair_by_hand, pairs_publish
    from tests.cohorts.factories import ApplicationFactory

    def accepted(user, role):
        return ApplicationFactory(
            cohort=cohort,
            applicant=user,
            role=role,
            mentee_capacity=None if role == Role.MENTEE else 1,
            status=ApplicationStatus.ACCEPTED,
        )

    both = member("both@example.org")
    mine = accepted(both, Role.BOTH)
    mentee, mentor = accepted(member(), Role.MENTEE), accepted(member(), Role.MENTOR)
    as_mentor = pair_by_hand(cohort=cohort, mentor_id=mine.pk, mentee_id=mentee.pk, user=None)
    as_mentee = pair_by_hand(cohort=cohort, mentor_id=mentor.pk, mentee_id=mine.pk, user=None)
    with django_capture_on_commit_callbacks(execute=True):
        pairs_publish(cohort=cohort, user=None)
    with time_machine.travel(at(datetime.date(YEAR, 9, 1)), tick=False):
        mail.outbox.clear()
        dispatch.reminders_dispatch()
    rows = OutboxMessage.objects.filter(kind=K.CHECKIN, recipient=both)
    assert sorted(rows.values_list("period", "object_id")) == sorted(
        [(f"q1-{as_mentor.pk}", as_mentor.pk), (f"q1-{as_mentee.pk}", as_mentee.pk)]
    )
    to_both = [m for m in mail.outbox if m.to == [both.email]]
    partners = {mentee.applicant.display_name, mentor.applicant.display_name}
    assert len(to_both) == 2
    assert {name for name in partners for m in to_both if name in m.body} == partners


def test_a_slow_batch_hands_its_rest_to_a_new_task(pair, monkeypatch):
    rows = [queued_checkin(pair), queued_checkin(pair, "mentor")]
    clock = iter([0.0, 1.0, outbox.DELIVER_BUDGET_SECONDS + 1.0])
    monkeypatch.setattr(outbox.time, "monotonic", lambda: next(clock))
    handed = []
    monkeypatch.setattr(outbox, "_enqueue", lambda ids, now: handed.extend(ids))
    mail.outbox.clear()

    assert outbox.outbox_deliver(ids=[row.pk for row in rows]) == 1

    assert handed == [rows[1].pk]
    assert len(mail.outbox) == 1
    rows[1].refresh_from_db()
    assert rows[1].status == OutboxStatus.QUEUED and rows[1].attempts == 0
