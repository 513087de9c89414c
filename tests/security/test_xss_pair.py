"""Cross-site scripting in what a pair writes and tells the subcommittee: the pair's record
(contacts, notes, goals, the agreement, calls for help and changes of partner) for both
partners and the coordinators, check-in comments and survey answers. How the payloads go
through the forms and are looked for is told in test_xss.py."""

import datetime

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cohorts.choices import ReminderKind
from cohorts.models import ChangeRequest, ConfidentialNote, ContactLog, PairGoal, SupportRequest
from tests.security.toolkit import (
    MOST,
    ONE_LINE_MOST,
    PAYLOADS,
    assert_shown_escaped,
    body,
    check_page,
    html_parts,
    lines,
    reminder,
    submit_packed,
)

# Many messages from one client or member: the limits are tested in test_flood.py.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("limits_lifted")]


# ---- The pair's record: both partners, the coordinators, the e-mails ---------------------

# Lines that tell the kinds of text apart on a page (the payloads are the same in each).
SUMMARY, SHARED, PRIVATE = "Summary-line-7Q", "Shared-note-line-7Q", "Private-note-line-7Q"


def test_pair_record_texts_are_escaped_for_both_partners_and_the_coordinators(
    portal, django_capture_on_commit_callbacks
):
    """The agreement, goals, contact summaries, notes (shared and private), calls for help and
    change-of-partner reasons the mentee writes; notes never reach the coordinators."""
    mentee, mentor = portal.client("mentee"), portal.client("mentor")
    coordinator = portal.client("coordinator")
    pair = portal.pair
    day = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()

    def on_pair_page(section, data_for):
        def submit(value):
            response = mentee.post(portal.pair_url(section), data_for(value))
            if response.status_code == 302:
                shown = [p for p in PAYLOADS if p in value]
                where = f"the mentor's pair page ({section})"
                check_page(mentor, portal.pair_url(), shown, where)
                PairGoal.objects.filter(pair=pair).delete()  # at most three at a time
            return response

        return submit

    agreement = on_pair_page("agreement", lambda v: {"frequency": v, "methods": ["email"]})
    goals = on_pair_page("goals", lambda v: {"text": v})
    record = {
        "agreement": submit_packed(agreement, PAYLOADS, 200, multiline=False, where="agreement"),
        "goals": submit_packed(goals, PAYLOADS, 200, multiline=False, where="goals"),
    }

    def collect(section, data_for):
        return lambda value: mentee.post(portal.pair_url(section), data_for(value))

    contact = {"date": day, "minutes": "30", "method": "virtual", "conference": ""}
    with django_capture_on_commit_callbacks(execute=True):
        record["summary"] = submit_packed(
            collect("contacts", lambda v: {**contact, "summary": f"{SUMMARY}\n{v}"}),
            PAYLOADS,
            500 - len(SUMMARY) - 1,
            where="contact summary",
        )
        record["shared note"] = submit_packed(
            collect("notes", lambda v: {"text": f"{SHARED}\n{v}", "shared": "on"}),
            PAYLOADS,
            1500,
            where="shared note",
        )
        record["private note"] = submit_packed(
            collect("notes", lambda v: {"text": f"{PRIVATE}\n{v}"}),
            PAYLOADS,
            1500,
            where="private note",
        )
        record["support"] = submit_packed(
            collect("support", lambda v: {"message": v}), PAYLOADS, 2000, where="call for help"
        )
        record["change"] = submit_packed(
            _change_request(mentee, portal), PAYLOADS, 2000, where="change of partner"
        )
    for name, (stored, _) in record.items():
        least = ONE_LINE_MOST if name in ("agreement", "goals") else MOST
        assert len(stored) >= least, (name, len(stored))

    shared, private = record["shared note"][0], record["private note"][0]
    summaries = record["summary"][0]
    check_page(mentee, portal.pair_url(), summaries, "the mentee's pair page")
    check_page(mentor, portal.pair_url(), summaries, "the mentor's pair page")
    mine = check_page(mentee, portal.pair_url("notes"), shared + private, "the mentee's notes")
    assert SHARED in mine and PRIVATE in mine
    theirs = check_page(mentor, portal.pair_url("notes"), shared, "the mentor's notes")
    assert SHARED in theirs and PRIVATE not in theirs
    check_page(mentee, portal.pair_url("support"), record["support"][0], "the mentee's help page")
    check_page(mentee, portal.pair_url("change"), record["change"][0], "the mentee's change page")
    check_page(mentor, portal.pair_url("change"), [], "the mentor's change page", shown=False)
    admin = check_page(
        coordinator,
        portal.admin_pair_url(),
        record["support"][0] + record["change"][0],
        "the coordinators' pair",
    )
    assert SHARED not in admin and PRIVATE not in admin and SUMMARY not in admin
    for model, label in ((ContactLog, "contacts-edit"), (ConfidentialNote, "notes-edit")):
        item = model.objects.filter(pair=pair, author=pair.mentee.applicant).order_by("pk").last()
        check_page(mentee, portal.pair_url(label, item.pk), [], f"the {label} page", shown=False)
    contact_row = ContactLog.objects.filter(pair=pair, author=pair.mentee.applicant).last()
    check_page(mentee, portal.pair_url("contacts-delete", contact_row.pk), [],
               "the delete-a-contact page", shown=False)  # fmt: skip
    assert SupportRequest.objects.filter(pair=pair).count() >= 2
    # A call for help reaches the subcommittee with a link, never the message, in either part.
    helpers = [m for m in mail.outbox if "asked for help" in m.subject]
    parts = [part for m in helpers for part in (m.body, *html_parts(m))]
    assert helpers and parts
    assert not any(lines(p)[0] in part for part in parts for p in record["support"][0][:5])


def _change_request(mentee, portal):
    """Ask for a change of partner with ``value`` as the reason, then check the pages that
    show it and withdraw it, so that the next one may be asked."""

    def submit(value):
        response = mentee.post(
            portal.pair_url("change"), {"action": "ask", "message": value, "confirmed": "1"}
        )
        change = ChangeRequest.objects.filter(pair=portal.pair).order_by("pk").last()
        if response.status_code == 302 and change is not None:
            assert lines(change.reason) == lines(value)
            withdrawn = mentee.post(
                portal.pair_url("change"), {"action": "withdraw", "change": str(change.pk)}
            )
            assert withdrawn.status_code == 302
        return response

    return submit


# ---- Check-in answers, surveys: what participants tell the subcommittee ------------------


def test_checkin_comments_are_escaped_for_the_member_and_the_coordinators(
    portal, django_capture_on_commit_callbacks
):
    """A "we need help" answer to the chair's check-in, with a comment, from the link in the
    e-mail: the page that thanks the member, the coordinators' check-ins and pair screens."""
    from cohorts.choices import CheckInAnswerChoice
    from cohorts.models import CheckInAnswer, OutboxMessage
    from cohorts.reminders import links

    mentee_user, pair = portal.pair.mentee.applicant, portal.pair
    visitor = Client(raise_request_exception=False)
    need_help = CheckInAnswerChoice.NEED_HELP

    def answer(comment):
        reminder(ReminderKind.CHECKIN, mentee_user, pair)
        message = OutboxMessage.objects.filter(kind=ReminderKind.CHECKIN).latest("pk")
        path = links.checkin_path(message_id=message.pk, answer=need_help)
        response = visitor.post(path, {"answer": need_help, "comment": comment})
        response.stored = CheckInAnswer.objects.filter(message=message).exists()
        if response.stored:
            shown = [p for p in PAYLOADS if p in comment]
            assert_shown_escaped(body(response), shown, "the check-in's thank-you page")
        return response

    with django_capture_on_commit_callbacks(execute=True):
        stored, _ = submit_packed(
            answer, PAYLOADS, 1000, where="check-in comment", accepted=lambda r: r.stored
        )
    assert len(stored) >= MOST, len(stored)
    coordinator = portal.client("coordinator")
    check_page(coordinator, reverse("cohorts_checkinanswer:index"), [], "the check-ins",
               shown=False)  # fmt: skip
    check_page(coordinator, portal.admin_pair_url(), stored, "the coordinators' pair")


def test_survey_answers_are_escaped_on_the_coordinators_screens(portal):
    """Free-text answers to the mid-way survey (open now), answered by the mentee several
    times over (each answer's participation removed, as a new participant would answer):
    the coordinators' results, the one screen that shows them (Wagtail's Forms lists no
    survey: tests/security/test_admin_crawl.py)."""
    from surveys.models import SurveyParticipation

    page = portal.survey_page()
    mentee = portal.client("mentee")
    answers, free_text = {}, None
    for field in page.get_form_fields():
        if field.field_type == "multiline":
            free_text = field.clean_name
        elif field.field_type == "rating":
            answers[field.clean_name] = "4"
        elif field.field_type in ("radio", "dropdown"):
            answers[field.clean_name] = field.choices.splitlines()[0].strip()
    assert free_text

    def answer(text):
        SurveyParticipation.objects.filter(page=page).delete()
        return mentee.post(page.url, {**answers, free_text: text})

    # Short values, so that the results have enough answers to show their texts.
    stored, _ = submit_packed(answer, PAYLOADS, 700, where="survey answer")
    assert len(stored) >= MOST, len(stored)
    coordinator = portal.client("coordinator")
    check_page(coordinator, reverse("cohorts_reports:survey", args=[page.pk]), stored,
               "the survey's results")  # fmt: skip
