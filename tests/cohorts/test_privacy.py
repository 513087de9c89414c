"""A member's applications are in their data download and go when they delete the account."""

import pytest

from cohorts.models import Application
from members.services.accounts import member_account_delete, member_data_export
from tests.cohorts.factories import ApplicationFactory, open_application_page
from tests.factories import USER_PASSWORD, member

pytestmark = pytest.mark.django_db


def test_the_data_download_holds_the_members_applications_and_nobody_elses(home):
    cohort = open_application_page(home).get_parent().specific
    mine, theirs = member("me@example.org"), member("them@example.org")
    ApplicationFactory(cohort=cohort, applicant=mine, goals="Learn serials cataloging.")
    ApplicationFactory(cohort=cohort, applicant=theirs, goals="Someone else's goals.")

    [exported] = member_data_export(user=mine)["applications"]

    assert exported["cohort"] == cohort.title
    assert exported["goals"] == "Learn serials cataloging."
    assert "Someone else's goals." not in str(member_data_export(user=mine))


def test_deleting_the_account_deletes_its_applications_and_keeps_others(home):
    cohort = open_application_page(home).get_parent().specific
    leaving, staying = member("leaving@example.org"), member("staying@example.org")
    ApplicationFactory(cohort=cohort, applicant=leaving, identity_preferences="Private words.")
    ApplicationFactory(cohort=cohort, applicant=staying)

    member_account_delete(user=leaving, password=USER_PASSWORD)

    assert not Application.objects.filter(identity_preferences="Private words.").exists()
    assert list(Application.objects.values_list("applicant__email", flat=True)) == [
        "staying@example.org"
    ]


def test_the_members_e_mail_records_are_in_the_download_and_go_with_the_account(home):
    from cohorts.models import CheckInAnswer, OutboxMessage, ReminderOptOut
    from cohorts.outbox.services import outbox_add

    cohort = open_application_page(home).get_parent().specific
    leaving, staying = member("leaving@example.org"), member("staying@example.org")
    ReminderOptOut.objects.create(user=leaving, kind="deadline_approaching")
    [mine] = outbox_add(
        kind="checkin", cohort=cohort, period="q1", recipients=[(leaving.pk, None)]
    )
    outbox_add(kind="checkin", cohort=cohort, period="q1", recipients=[(staying.pk, None)])
    OutboxMessage.objects.update(status="sent", subject="Dear Lee: how is it going?")
    CheckInAnswer.objects.create(
        message_id=mine,
        cohort=cohort,
        user=leaving,
        period="q1",
        answer="could_be_better",
        comment="We keep missing each other.",
    )

    exported = member_data_export(user=leaving)["email"]
    assert exported["reminders_turned_off"] == ["deadline_approaching"]
    assert exported["checkin_answers"][0]["comment"] == "We keep missing each other."
    assert [e["subject"] for e in exported["emails"]] == ["Dear Lee: how is it going?"]

    member_account_delete(user=leaving, password=USER_PASSWORD)

    assert not ReminderOptOut.objects.exists()
    answer = CheckInAnswer.objects.get()
    assert (answer.answer, answer.comment) == ("could_be_better", "")
    subjects = dict(OutboxMessage.objects.values_list("recipient__email", "subject"))
    assert subjects["staying@example.org"] == "Dear Lee: how is it going?"
    assert [s for email, s in subjects.items() if email != "staying@example.org"] == [""]


def test_deleting_the_account_erases_every_text_the_member_wrote_for_themself(home):
    from cohorts.models import ChangeRequest, ConfidentialNote, SupportRequest
    from members.roles import COORDINATORS
    from tests.cohorts.factories import (
        cohort_under_way,
        dashboard_page,
        dashboard_pair,
        every_kind_of_record,
    )
    from tests.helpers import places_holding

    dashboard_page(home)
    pair = dashboard_pair(cohort_under_way(home), member("c@example.org", groups=[COORDINATORS]))
    leaving = pair.mentee.applicant
    every_kind_of_record(pair, words="LEAVER-WORDS", shared_words="PAIR-RECORD")
    assert len(places_holding("LEAVER-WORDS")) >= 8
    assert ConfidentialNote.objects.filter(author=leaving).count() == 2

    member_account_delete(user=leaving, password=USER_PASSWORD)

    # Requests for help, the reason for a change of partner, the application's and the
    # profile's answers, the check-in comment: nothing the person wrote of themself is left.
    assert places_holding("LEAVER-WORDS") == []
    assert not ConfidentialNote.objects.filter(author=leaving).exists()
    assert not SupportRequest.objects.exists()
    assert ChangeRequest.objects.get().reason == ""
    # The pair's shared record stays for the partner, under "Former participant".
    assert sorted(places_holding("PAIR-RECORD")) == [
        "cohorts.ContactLog.summary",
        "cohorts.PairAgreement.frequency",
        "cohorts.PairGoal.text",
    ]
    assert ConfidentialNote.objects.filter(author=pair.mentor.applicant).count() == 2
