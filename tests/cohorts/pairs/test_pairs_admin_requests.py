"""Calls for help and changes of partner on the coordinators' screens: answers and decisions,
the e-mails each step sends and to whom, never with the reason, and refusals that write
nothing."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from cohorts.choices import PairStatus
from cohorts.matching.selectors import matching_workspace
from cohorts.models import ChangeRequest, Pair, SupportRequest
from cohorts.pairs.services import pairs as pair_services
from cohorts.pairs.viewsets import ANSWER_EMPTY, NOT_THIS_PAIR, UNKNOWN_ACTION, UNKNOWN_DECISION
from members.roles import COORDINATORS, EDITORS
from tests.cohorts.factories import make_pair
from tests.cohorts.pairs.helpers import INSPECT, C, post
from tests.factories import member
from tests.helpers import messages_of

pytestmark = pytest.mark.django_db


REASON_CANARY = "REASON-CANARY"


def texts_of(inbox) -> list[str]:
    return [
        message["Subject"] + "\n" + message.get_body(("plain",)).get_content()
        for message in inbox.messages
    ]


def recipients(inbox) -> list[str]:
    return sorted(message["To"] for message in inbox.messages)


# Support requests -----------------------------------------------------------------------


def test_support_request_emails_the_liaison_without_the_message(
    client, coordinator, pair, chair, smtp_inbox, django_capture_on_commit_callbacks
):
    Pair.objects.filter(pk=pair.pk).update(liaison=chair)
    pair.refresh_from_db()

    with django_capture_on_commit_callbacks(execute=True):
        pair_services.support_request_send(
            pair=pair, user=pair.mentee.applicant, message="PRIVATE-HELP-TEXT"
        )

    assert recipients(smtp_inbox) == [chair.email]
    [text] = texts_of(smtp_inbox)
    assert "A participant in 2026 cohort" in text
    assert "PRIVATE-HELP-TEXT" not in text
    assert "http://testserver" + reverse(INSPECT, args=[pair.pk]) in text
    assert "Regina Gong" in text


def test_support_request_without_a_liaison_emails_every_coordinator_and_the_chair(
    client, coordinator, pair, chair, smtp_inbox, django_capture_on_commit_callbacks
):
    member("editor@example.org", groups=[EDITORS])
    erased = member("erased@example.org", groups=[COORDINATORS])
    erased.erased_at = timezone.now()
    erased.save()

    with django_capture_on_commit_callbacks(execute=True):
        pair_services.support_request_send(pair=pair, user=pair.mentor.applicant, message="Hi")

    assert recipients(smtp_inbox) == sorted([coordinator.email, chair.email])


def test_answer_is_saved_and_emailed_to_the_participant(
    client, coordinator, pair, smtp_inbox, django_capture_on_commit_callbacks
):
    request = SupportRequest.objects.create(
        pair=pair, author=pair.mentee.applicant, message="How often should we meet?"
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = post(
            client, pair, "answer", request=request.pk, answer="Once a month <b>at least</b>."
        )

    assert response.status_code == 302
    assert messages_of(response) == ["Answer saved. Tee Mentee receives it by e-mail."]
    request.refresh_from_db()
    assert request.answer == "Once a month <b>at least</b>."
    assert request.answered_by == coordinator and request.answered_at is not None
    [message] = smtp_inbox.messages
    assert message["To"] == pair.mentee.applicant.email
    body = message.get_body(("plain",)).get_content()
    assert "Dear Tee," in body
    assert "Once a month <b>at least</b>." in body
    assert "Cora Ordinator answered" in body
    assert "http://testserver" + reverse("member_profile") in body

    with django_capture_on_commit_callbacks(execute=True):
        again = post(client, pair, "answer", request=request.pk, answer="Another answer")
    assert messages_of(again)[-1] == pair_services.ALREADY_ANSWERED
    request.refresh_from_db()
    assert request.answer == "Once a month <b>at least</b>."
    assert len(smtp_inbox.messages) == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"answer": "   "}, ANSWER_EMPTY),
        ({"answer": ""}, ANSWER_EMPTY),
        ({"request": "abc", "answer": "Hello"}, NOT_THIS_PAIR),
        ({"request": "", "answer": "Hello"}, NOT_THIS_PAIR),
        ({"request": "99999999999999999999", "answer": "Hello"}, NOT_THIS_PAIR),
        ({"request": "other", "answer": "Hello"}, NOT_THIS_PAIR),
    ],
)
def test_bad_answers_are_refused_and_write_nothing(
    client, coordinator, pair, cohort, data, message, django_capture_on_commit_callbacks
):
    request = SupportRequest.objects.create(pair=pair, author=pair.mentee.applicant, message="?")
    other_pair = make_pair(cohort, mentor=("Oth", "Er"), mentee=("Ano", "Ther"), record_only=True)
    other = SupportRequest.objects.create(
        pair=other_pair, author=other_pair.mentee.applicant, message="?"
    )
    data = {"request": request.pk, **data}
    if data["request"] == "other":
        data["request"] = other.pk

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = post(client, pair, "answer", **data)

    assert response.status_code == 302
    assert messages_of(response) == [message]
    assert not SupportRequest.objects.filter(answered_at__isnull=False).exists()
    assert callbacks == []


def test_an_erased_participant_receives_no_answer(
    client, coordinator, pair, smtp_inbox, django_capture_on_commit_callbacks
):
    author = pair.mentee.applicant
    request = SupportRequest.objects.create(pair=pair, author=author, message="?")
    get_user_model().objects.filter(pk=author.pk).update(erased_at=timezone.now())

    with django_capture_on_commit_callbacks(execute=True):
        post(client, pair, "answer", request=request.pk, answer="Here is how.")

    assert smtp_inbox.messages == []


# Change of partner ----------------------------------------------------------------------


def consented_change(pair, django_capture_on_commit_callbacks) -> ChangeRequest:
    """The mentee asks, the mentor consents; it waits for a coordinator."""
    with django_capture_on_commit_callbacks(execute=True):
        change = pair_services.change_request_create(
            pair=pair, user=pair.mentee.applicant, reason=REASON_CANARY
        )
        pair_services.change_request_consent(
            pair=pair, user=pair.mentor.applicant, change_id=change.pk, consent=True
        )
    change.refresh_from_db()
    return change


def test_change_request_emails_go_to_the_right_people_without_the_reason(
    client, coordinator, pair, chair, smtp_inbox, django_capture_on_commit_callbacks
):
    mentor, mentee = pair.mentor.applicant.email, pair.mentee.applicant.email

    with django_capture_on_commit_callbacks(execute=True):
        change = pair_services.change_request_create(
            pair=pair, user=pair.mentee.applicant, reason=REASON_CANARY
        )
    assert recipients(smtp_inbox) == [mentor]
    assert "your partner asked to change partner" in smtp_inbox.messages[0]["Subject"]
    assert (
        "answer on your mentoring dashboard"
        in smtp_inbox.messages[0].get_body(("plain",)).get_content()
    )

    smtp_inbox.messages.clear()
    with django_capture_on_commit_callbacks(execute=True):
        pair_services.change_request_consent(
            pair=pair, user=pair.mentor.applicant, change_id=change.pk, consent=True
        )
    assert recipients(smtp_inbox) == sorted([mentee, coordinator.email, chair.email])
    to_requester = (
        next(m for m in smtp_inbox.messages if m["To"] == mentee)
        .get_body(("plain",))
        .get_content()
    )
    to_chair = (
        next(m for m in smtp_inbox.messages if m["To"] == chair.email)
        .get_body(("plain",))
        .get_content()
    )
    assert "agreed" in to_requester and "will now decide" in to_requester
    assert "http://testserver" + reverse(INSPECT, args=[pair.pk]) in to_chair

    for text in texts_of(smtp_inbox):
        assert REASON_CANARY not in text


def test_approving_ends_the_pair_and_returns_both_to_matching(
    client, coordinator, pair, cohort, smtp_inbox, django_capture_on_commit_callbacks
):
    change = consented_change(pair, django_capture_on_commit_callbacks)
    smtp_inbox.messages.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = post(
            client,
            pair,
            "decide",
            change=change.pk,
            decision="approve",
            note="We will write about a new partner soon.",
        )

    assert response.status_code == 302
    assert "Change of partner approved" in messages_of(response)[0]
    pair.refresh_from_db()
    change.refresh_from_db()
    assert pair.status == PairStatus.ENDED
    assert pair.end_reason == "changed by agreement"
    assert change.status == C.APPROVED and change.decided_by == coordinator
    assert change.decision_note == "We will write about a new partner soon."
    workspace = matching_workspace(cohort=cohort)
    assert pair.mentor in [row.application for row in workspace.unmatched_mentors]
    assert pair.mentee in [row.application for row in workspace.unmatched_mentees]
    assert recipients(smtp_inbox) == sorted(
        [pair.mentor.applicant.email, pair.mentee.applicant.email]
    )
    for text in texts_of(smtp_inbox):
        assert "your pairing has ended by agreement" in text
        assert "will be in touch about a new partner" in text
        assert "We will write about a new partner soon." in text
        assert REASON_CANARY not in text


def test_declining_keeps_the_pair(
    client, coordinator, pair, smtp_inbox, django_capture_on_commit_callbacks
):
    change = consented_change(pair, django_capture_on_commit_callbacks)
    smtp_inbox.messages.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, pair, "decide", change=change.pk, decision="decline")

    assert "Change of partner declined" in messages_of(response)[0]
    pair.refresh_from_db()
    change.refresh_from_db()
    assert pair.status == PairStatus.PUBLISHED and pair.ended_at is None
    assert change.status == C.DECLINED
    assert recipients(smtp_inbox) == sorted(
        [pair.mentor.applicant.email, pair.mentee.applicant.email]
    )
    for text in texts_of(smtp_inbox):
        assert "declined" in text and "pairing continues" in text
        assert REASON_CANARY not in text and "A note from the subcommittee" not in text


def test_a_partner_who_does_not_consent_and_a_withdrawal_tell_one_person(
    coordinator, pair, smtp_inbox, django_capture_on_commit_callbacks
):
    mentor, mentee = pair.mentor.applicant, pair.mentee.applicant
    with django_capture_on_commit_callbacks(execute=True):
        first = pair_services.change_request_create(pair=pair, user=mentee, reason=REASON_CANARY)
    smtp_inbox.messages.clear()
    with django_capture_on_commit_callbacks(execute=True):
        pair_services.change_request_consent(
            pair=pair, user=mentor, change_id=first.pk, consent=False
        )
    assert recipients(smtp_inbox) == [mentee.email]
    assert "did not agree" in smtp_inbox.messages[0]["Subject"]

    with django_capture_on_commit_callbacks(execute=True):
        second = pair_services.change_request_create(pair=pair, user=mentor, reason=REASON_CANARY)
    smtp_inbox.messages.clear()
    with django_capture_on_commit_callbacks(execute=True):
        pair_services.change_request_withdraw(pair=pair, user=mentor, change_id=second.pk)
    assert recipients(smtp_inbox) == [mentee.email]
    assert "withdrew" in smtp_inbox.messages[0].get_body(("plain",)).get_content()


def test_the_partner_is_sent_to_the_pair_on_the_live_dashboard(
    coordinator, pair, home, smtp_inbox, django_capture_on_commit_callbacks
):
    from cohorts.models import PairDashboardPage

    home.add_child(instance=PairDashboardPage(title="Your mentoring", slug="your-mentoring"))

    with django_capture_on_commit_callbacks(execute=True):
        pair_services.change_request_create(
            pair=pair, user=pair.mentee.applicant, reason=REASON_CANARY
        )

    [message] = smtp_inbox.messages
    assert (
        f"http://testserver/your-mentoring/{pair.pk}/"
        in message.get_body(("plain",)).get_content()
    )


def test_change_emails_to_a_liaison_instead_of_everyone(
    coordinator, pair, chair, smtp_inbox, django_capture_on_commit_callbacks
):
    Pair.objects.filter(pk=pair.pk).update(liaison=chair)
    pair.refresh_from_db()

    consented_change(pair, django_capture_on_commit_callbacks)

    assert coordinator.email not in recipients(smtp_inbox)
    assert chair.email in recipients(smtp_inbox)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"decision": "maybe"}, UNKNOWN_DECISION),
        ({"decision": ""}, UNKNOWN_DECISION),
        ({"change": "abc", "decision": "approve"}, NOT_THIS_PAIR),
        ({"change": "other", "decision": "approve"}, NOT_THIS_PAIR),
        ({"decision": "approve", "note": "x" * 1001}, None),
    ],
)
def test_bad_decisions_are_refused_and_write_nothing(
    client, coordinator, pair, cohort, data, message, django_capture_on_commit_callbacks
):
    change = consented_change(pair, django_capture_on_commit_callbacks)
    other_pair = make_pair(cohort, mentor=("Oth", "Er"), mentee=("Ano", "Ther"), record_only=True)
    other = consented_change(other_pair, django_capture_on_commit_callbacks)
    data = {"change": change.pk, **data}
    if data["change"] == "other":
        data["change"] = other.pk

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = post(client, pair, "decide", **data)

    assert response.status_code == 302
    [shown] = messages_of(response)
    assert shown == message or (message is None and "1000 characters" in shown)
    assert set(ChangeRequest.objects.values_list("status", flat=True)) == {C.AWAITING_APPROVAL}
    assert set(Pair.objects.values_list("status", flat=True)) == {PairStatus.PUBLISHED}
    assert callbacks == []


def test_a_request_not_awaiting_approval_cannot_be_decided(
    client, coordinator, pair, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        change = pair_services.change_request_create(
            pair=pair, user=pair.mentee.applicant, reason=REASON_CANARY
        )

    response = post(client, pair, "decide", change=change.pk, decision="approve")

    assert messages_of(response) == [pair_services.CHANGE_NOT_WAITING]
    change.refresh_from_db()
    pair.refresh_from_db()
    assert (change.status, pair.status) == (C.AWAITING_CONSENT, PairStatus.PUBLISHED)
    body = client.get(reverse(INSPECT, args=[pair.pk])).content.decode()
    assert "Approve: end the pair" not in body


def test_an_unknown_action_changes_nothing(client, coordinator, pair):
    response = post(client, pair, "delete")

    assert response.status_code == 302
    assert messages_of(response) == [UNKNOWN_ACTION]
    assert Pair.objects.get(pk=pair.pk).status == PairStatus.PUBLISHED
