"""No reminder of the year in a pair reaches a member once the pair is over for them: they
closed their side after the formal end, or the pair ended (a partner left). Their partner,
still in the pair, keeps receiving what applies to them; the final survey, part of every
participant's commitment at the end of the mentoring period, still reaches a member who
closed their side. The rule holds when the reminder is written and again when it is sent."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from cohorts.choices import AfterEnd, AnnouncementAudience, OutboxStatus, PairStatus, ReminderKind
from cohorts.models import OutboxMessage
from cohorts.outbox import services as outbox
from cohorts.pairs.services.pairs import CHANGED_BY_AGREEMENT, pair_after_end_choose
from cohorts.reminders import rendering
from cohorts.reminders.services import announcements
from cohorts.reminders.services.dispatch import reminders_dispatch
from cohorts.reports.selectors.reports import survey_rates
from members.services.accounts import member_account_delete
from surveys.choices import SurveyKind
from surveys.selectors.surveys import survey_state
from surveys.services import survey_answer
from tests.cohorts.factories import make_pair
from tests.factories import USER_PASSWORD
from tests.surveys.factories import ANSWERS, add_survey

pytestmark = pytest.mark.django_db

K = ReminderKind
YEAR = 2030  # the cohort of conftest.py: formal mentoring June 1, 2030 to April 30, 2031


def at(date: datetime.date, hour: int = 9) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(date, datetime.time(hour)))


AFTER_THE_END = datetime.date(YEAR + 1, 5, 2)


@pytest.fixture
def mentee_closed(pair):
    """On May 2, after the formal end, the mentee closed their side; the mentor has not
    chosen yet."""
    with time_machine.travel(at(AFTER_THE_END), tick=False):
        pair_after_end_choose(pair=pair, user=pair.mentee.applicant, choice=AfterEnd.CLOSE)
    pair.refresh_from_db()
    return pair


def sent_to(kind: str) -> list[str]:
    return sorted(
        message.to[0]
        for message in mail.outbox
        if f".{kind}@" in message.extra_headers["Message-ID"]
    )


def queued(pair, kind: str, *, side: str = "mentee", object_id=None, period="p") -> OutboxMessage:
    [row_id] = outbox.outbox_add(
        kind=kind,
        cohort=pair.cohort,
        period=period,
        recipients=[(getattr(pair, side).applicant_id, object_id or pair.pk)],
    )
    return OutboxMessage.objects.get(pk=row_id)


def test_the_end_of_the_program_sent_late_skips_the_member_who_closed_their_side(mentee_closed):
    # The dispatcher was down from the formal end until May 3: the "program ends" e-mail
    # goes late, to the mentor, who has not closed their side, and not to the mentee.
    mentor, mentee = mentee_closed.mentor.applicant, mentee_closed.mentee.applicant
    with time_machine.travel(at(datetime.date(YEAR + 1, 5, 3)), tick=False):
        mail.outbox.clear()
        reminders_dispatch()

    assert sent_to(K.PROGRAM_ENDS) == [mentor.email]
    assert not OutboxMessage.objects.filter(kind=K.PROGRAM_ENDS, recipient=mentee).exists()


def test_a_reminder_written_before_the_member_closed_their_side_is_not_sent(mentee_closed):
    # Written on the formal end, held by a mail server that refused it for a while.
    to_mentee = queued(mentee_closed, K.PROGRAM_ENDS)
    to_mentor = queued(mentee_closed, K.PROGRAM_ENDS, side="mentor")
    mail.outbox.clear()

    assert outbox.outbox_deliver(ids=[to_mentee.pk, to_mentor.pk]) == 1

    to_mentee.refresh_from_db()
    assert (to_mentee.status, to_mentee.last_error) == (
        OutboxStatus.SUPPRESSED,
        rendering.PAIR_OVER,
    )
    assert sent_to(K.PROGRAM_ENDS) == [mentee_closed.mentor.applicant.email]


def test_a_check_in_written_before_the_partner_left_is_not_sent(
    pair, django_capture_on_commit_callbacks
):
    checkin = queued(pair, K.CHECKIN, period=f"q1-{pair.pk}")
    with django_capture_on_commit_callbacks(execute=False):
        member_account_delete(user=pair.mentor.applicant, password=USER_PASSWORD)
    mail.outbox.clear()

    assert outbox.outbox_deliver(ids=[checkin.pk]) == 0

    checkin.refresh_from_db()
    assert (checkin.status, checkin.last_error) == (OutboxStatus.SUPPRESSED, rendering.PAIR_OVER)
    assert mail.outbox == []


def test_a_survey_reminder_written_before_the_partner_left_is_not_sent(
    pair, cohort, django_capture_on_commit_callbacks
):
    midway = add_survey(cohort, kind=SurveyKind.MIDWAY)
    reminder = queued(pair, K.SURVEY_REMINDER, object_id=midway.pk, period="midway")
    with django_capture_on_commit_callbacks(execute=False):
        member_account_delete(user=pair.mentor.applicant, password=USER_PASSWORD)
    mail.outbox.clear()

    assert outbox.outbox_deliver(ids=[reminder.pk]) == 0

    reminder.refresh_from_db()
    assert reminder.status == OutboxStatus.SUPPRESSED
    assert reminder.last_error == rendering.SURVEY_NOT_DUE


def test_a_survey_reminder_is_not_sent_to_a_member_who_answered_since_it_was_written(pair, cohort):
    midway = add_survey(cohort, kind=SurveyKind.MIDWAY)
    to_mentee = queued(pair, K.SURVEY_REMINDER, object_id=midway.pk, period="midway")
    to_mentor = queued(
        pair, K.SURVEY_REMINDER, side="mentor", object_id=midway.pk, period="midway"
    )
    with time_machine.travel(at(datetime.date(YEAR, 11, 24)), tick=False):
        survey_answer(page=midway, user=pair.mentee.applicant, role="mentee", answers=ANSWERS)
        mail.outbox.clear()
        assert outbox.outbox_deliver(ids=[to_mentee.pk, to_mentor.pk]) == 1

    assert sent_to(K.SURVEY_REMINDER) == [pair.mentor.applicant.email]


def test_the_final_survey_still_reaches_a_member_who_closed_their_side(mentee_closed, cohort):
    # Mentors and mentees assist in the assessment at the end of the mentoring period:
    # closing one's side ends the relationship, not that commitment (PRODUCT.md). The
    # survey page takes their answer, so its reminder, 7 days before it closes, reaches
    # both partners.
    add_survey(cohort, kind=SurveyKind.FINAL)
    with time_machine.travel(at(datetime.date(YEAR + 1, 5, 8)), tick=False):
        mail.outbox.clear()
        reminders_dispatch()

    pair = mentee_closed
    assert sent_to(K.SURVEY_REMINDER) == sorted(
        [pair.mentor.applicant.email, pair.mentee.applicant.email]
    )


@pytest.mark.parametrize(
    "audience",
    [AnnouncementAudience.PARTICIPANTS, AnnouncementAudience.MENTEES],
)
def test_an_announcement_to_participants_skips_a_member_who_closed_their_side(
    mentee_closed, cohort, coordinator, audience
):
    mentor = mentee_closed.mentor.applicant
    other = make_pair(cohort, mentor=("Ann", "Other"), mentee=("Bea", "Other"), record_only=True)
    expected = {
        AnnouncementAudience.PARTICIPANTS: {
            mentor.pk,
            other.mentor.applicant_id,
            other.mentee.applicant_id,
        },
        AnnouncementAudience.MENTEES: {other.mentee.applicant_id},
    }[audience]

    sent = announcements.announcement_send(
        cohort=cohort, audience=audience, subject="News", body="Hello.", user=coordinator
    )

    rows = OutboxMessage.objects.filter(kind=K.ANNOUNCEMENT, object_id=sent.pk)
    assert set(rows.values_list("recipient_id", flat=True)) == expected
    assert sent.recipients == len(expected)


def test_a_member_whose_partner_left_assesses_the_program_in_the_final_survey(
    pair, cohort, django_capture_on_commit_callbacks
):
    # Mentors and mentees assist in the assessment at the end of the mentoring period
    # (PRODUCT.md): a member whose partner left mid-year, and who was not paired again, took
    # part in the year too. The final survey takes their answer, its reminder reaches them
    # and the report counts them among those asked; the mid-way survey, which follows the
    # pairs under way, does not.
    mentee = pair.mentee.applicant
    with (
        time_machine.travel(at(datetime.date(YEAR, 9, 15)), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        member_account_delete(user=pair.mentor.applicant, password=USER_PASSWORD)
    midway = add_survey(cohort, kind=SurveyKind.MIDWAY)
    final = add_survey(cohort, kind=SurveyKind.FINAL)

    assert survey_state(page=midway, user=mentee).roles == ()
    assert survey_state(page=final, user=mentee).roles == ("mentee",)
    assert [(rate.survey, rate.invited) for rate in survey_rates(cohort=cohort)] == [
        ("Mid-way survey", 0),
        ("Final survey", 1),
    ]
    with time_machine.travel(at(datetime.date(YEAR + 1, 5, 8)), tick=False):
        mail.outbox.clear()
        reminders_dispatch()
        assert sent_to(K.SURVEY_REMINDER) == [mentee.email]
        survey_answer(page=final, user=mentee, role="mentee", answers=ANSWERS)
    assert [rate.responses for rate in survey_rates(cohort=cohort)] == [0, 1]


def test_a_pair_changed_by_agreement_leaves_the_final_survey_to_the_new_pairs(pair, cohort):
    # Both people return to matching and take part through the pair they are given next.
    pair.status, pair.ended_at = PairStatus.ENDED, at(datetime.date(YEAR, 9, 15))
    pair.end_reason = CHANGED_BY_AGREEMENT
    pair.save()
    final = add_survey(cohort, kind=SurveyKind.FINAL)
    assert survey_state(page=final, user=pair.mentee.applicant).roles == ()
