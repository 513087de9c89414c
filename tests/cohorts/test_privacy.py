"""What a member's data download holds of their applications, pairs and e-mail, in the words
a person reads, and what deleting the account erases of it."""

import json

import pytest
from django.urls import reverse

from cohorts.models import Application, ChangeRequest, ConfidentialNote, SupportRequest
from members.services.accounts import member_account_delete, member_data_export
from tests.cohorts.factories import (
    ApplicationFactory,
    every_kind_of_record,
    open_application_page,
)
from tests.factories import USER_PASSWORD, member
from tests.helpers import client_for, places_holding

pytestmark = pytest.mark.django_db


def test_the_data_download_holds_the_members_applications_and_nobody_elses(home):
    cohort = open_application_page(home).get_parent().specific
    mine, theirs = member("me@example.org"), member("them@example.org")
    ApplicationFactory(cohort=cohort, applicant=mine, goals="Learn serials cataloging.")
    ApplicationFactory(cohort=cohort, applicant=theirs, goals="Someone else's goals.")

    [exported] = member_data_export(user=mine)["Your applications"]

    assert exported["Cohort"] == cohort.title
    assert exported["Goals for the year"] == "Learn serials cataloging."
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

    exported = member_data_export(user=leaving)["E-mail from the program"]
    assert exported["Reminders you turned off"] == ["Deadline approaching"]
    [answer] = exported["Your check-in answers"]
    assert (answer["Answer"], answer["Comment"]) == (
        "Could be better",
        "We keep missing each other.",
    )
    assert [(e["What"], e["Subject"]) for e in exported["E-mails sent to you"]] == [
        ("Check-in from the chair", "Dear Lee: how is it going?")
    ]

    member_account_delete(user=leaving, password=USER_PASSWORD)

    assert not ReminderOptOut.objects.exists()
    answer = CheckInAnswer.objects.get()
    assert (answer.answer, answer.comment) == ("could_be_better", "")
    subjects = dict(OutboxMessage.objects.values_list("recipient__email", "subject"))
    assert subjects["staying@example.org"] == "Dear Lee: how is it going?"
    assert [s for email, s in subjects.items() if email != "staying@example.org"] == [""]


def test_deleting_the_account_erases_every_text_the_member_wrote_for_themself(
    pair_under_way_with_dashboard,
):
    pair = pair_under_way_with_dashboard
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


def test_the_download_holds_every_record_of_the_member_in_the_words_a_person_reads(
    pair_under_way_with_dashboard,
):
    pair = pair_under_way_with_dashboard
    mentee, mentor = pair.mentee.applicant, pair.mentor.applicant
    texts = every_kind_of_record(pair, words="THEO", shared_words="OURS")
    client = client_for(mentee)

    response = client.get(reverse("member_data_export"))
    body = response.content.decode()
    data = json.loads(body)
    [application] = data["Your applications"]
    assert (application["Role"], application["Status"]) == ("Mentee", "Accepted")
    assert application["Preferred contact methods"] == ["Virtual (video call)", "E-mail"]
    [exported] = data["Your pairs"]
    assert (exported["Your role"], exported["Partner"]) == ("Mentee", "Maria Mentor")
    assert exported["Agreement"]["How we meet"] == ["Face-to-face"]
    assert exported["Agreement"]["How often we meet"] == "OURS monthly"
    assert exported["Goals"][0]["Goal"] == "OURS goal" and exported["Goals"][0]["Done"] == "Yes"
    [logged] = exported["Contact log"]
    assert (logged["Method"], logged["Conference meeting"]) == ("Face-to-face", "At Midwinter")
    assert (logged["Summary"], logged["Recorded by"]) == ("OURS contact summary", "You")
    assert [note["Text"] for note in exported["Your notes"]] == [texts["private"], texts["shared"]]
    [from_partner] = exported["Notes your partner shared with you"]
    assert (from_partner["Text"], from_partner["Written by"]) == (
        "Mentor's shared note",
        "Maria Mentor",
    )
    assert exported["Your requests for help"][0]["Message"] == "THEO help"
    [change] = exported["Changes of partner"]
    assert (change["Asked by"], change["Reason"]) == ("You", "THEO change reason")
    assert change["Status"] == "Waiting for the partner's consent"
    [checkin] = data["E-mail from the program"]["Your check-in answers"]
    assert (checkin["Answer"], checkin["Comment"]) == ("Could be better", "THEO check-in comment")
    # The partner's private words are never in it, and no code stands for a label.
    assert "Mentor's private note" not in body
    for code in ["face_to_face", "midwinter", "awaiting_consent", "could_be_better", '"mentee"']:
        assert code not in body

    # The partner's own download: the shared note, never the private one or the reason.
    partners = client_for(mentor).get(reverse("member_data_export")).content.decode()
    assert texts["shared"] in partners and texts["private"] not in partners
    assert "THEO change reason" not in partners and "THEO help" not in partners

    page = client.get(reverse("member_data_summary"))
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    html = page.content.decode()
    for shown in ["Your pairs", "Face-to-face", "At Midwinter", "Mentor&#x27;s shared note"]:
        assert shown in html
    assert "THEO change reason" in html and "Mentor&#x27;s private note" not in html
    assert "members/data-summary.css" in html and "style=" not in html
