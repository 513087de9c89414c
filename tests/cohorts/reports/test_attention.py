"""Needs attention: each kind of waiting work is listed with a link to where it is handled and
leaves once handled; only coordinators and the chair see the screen and the dashboard panel;
no message, comment, summary or note shows; the queries do not grow with the rows."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cohorts.choices import ChangeRequestStatus, CheckInAnswerChoice, PairStatus
from cohorts.models import ChangeRequest, Pair, SupportRequest
from cohorts.pairs.services.notes import note_add
from cohorts.pairs.services.pairs import pair_liaison_set, pairs_liaison_set
from cohorts.reports.selectors.attention import (
    CHANGES,
    CHECKINS,
    HELP,
    LIAISON,
    PENDING,
    QUIET,
    attention_counts,
    attention_rows,
)
from cohorts.reports.views.attention import NeedsAttentionPanel
from members.roles import CHAIR, COORDINATORS, EDITORS
from members.services.accounts import member_account_erase
from tests.cohorts.factories import checkin, cohort_under_way, contact, make_pair
from tests.factories import member
from tests.helpers import client_for

SCREEN = "/admin/mentoring/attention/"
HELP_TEXT = "Help-message-only-the-pair-page-shows"
COMMENT = "Check-in-comment-kept-off-this-screen"
SUMMARY = "Contact-summary-nobody-else-reads"
TODAY = timezone.localdate


@pytest.fixture
def cohort(site):
    return cohort_under_way(site.root_page)


def busy_pair(cohort, n: int = 0):
    """A pair that logged enough, and lately: nothing about it needs attention."""
    pair = make_pair(
        cohort, mentor=(f"Busy{n}", "Mentor"), mentee=(f"Busy{n}", "Mentee"), record_only=True
    )
    contact(pair, minutes=180, day=TODAY() - datetime.timedelta(days=3), summary=SUMMARY)
    return pair


def urls(rows) -> list[str]:
    return [row.url for row in rows]


def test_an_unanswered_call_for_help_is_listed_until_answered(cohort):
    pair = busy_pair(cohort)
    request = SupportRequest.objects.create(
        pair=pair, author=pair.mentee.applicant, message=HELP_TEXT
    )
    rows = attention_rows()[HELP]
    assert urls(rows) == [reverse("cohorts_pair:inspect", args=[pair.pk]) + "#pair-support"]
    assert rows[0].who == "Busy0 Mentor and Busy0 Mentee"
    assert rows[0].about == "Asked by Busy0 Mentee"

    request.answered_at = timezone.now()
    request.save()
    assert attention_rows()[HELP] == []


def test_we_need_help_without_a_call_for_help_is_listed_until_a_coordinator_answers(cohort):
    pair = busy_pair(cohort)
    mentee = pair.mentee.applicant
    answer = checkin(cohort, pair, mentee, "q1", CheckInAnswerChoice.NEED_HELP)
    checkin(cohort, pair, pair.mentor.applicant, "q1", CheckInAnswerChoice.GOING_WELL)
    assert urls(attention_rows()[CHECKINS]) == [reverse("cohorts_pair:inspect", args=[pair.pk])]

    # An answer that opened a call for help is listed once, as the call for help.
    opened = SupportRequest.objects.create(pair=pair, author=mentee, message=HELP_TEXT)
    answer.support_request = opened
    answer.save()
    assert attention_rows()[CHECKINS] == []
    assert len(attention_rows()[HELP]) == 1

    # Without one, a coordinator's answer to the pair afterwards settles it.
    answer.support_request = None
    answer.save()
    opened.answered_at = timezone.now() + datetime.timedelta(minutes=1)
    opened.save()
    assert attention_rows()[CHECKINS] == []


def test_a_change_of_partner_is_listed_once_the_partner_agreed(cohort):
    pair = busy_pair(cohort)
    change = ChangeRequest.objects.create(
        pair=pair, requested_by=pair.mentee.applicant, reason="Reason for the subcommittee"
    )
    assert attention_rows()[CHANGES] == []
    change.status = ChangeRequestStatus.AWAITING_APPROVAL
    change.consented_at = timezone.now()
    change.save()
    assert urls(attention_rows()[CHANGES]) == [
        reverse("cohorts_pair:inspect", args=[pair.pk]) + "#pair-changes"
    ]
    change.status = ChangeRequestStatus.DECLINED
    change.save()
    assert attention_rows()[CHANGES] == []


def test_silent_and_slow_pairs_are_listed_with_the_reason(cohort, settings):
    settings.NO_CONTACT_WEEKS = 6
    busy_pair(cohort)
    silent = make_pair(cohort, mentor=("Sil", "Ent"), mentee=("Qui", "Et"), record_only=True)
    contact(silent, minutes=200, day=TODAY() - datetime.timedelta(weeks=9))
    slow = make_pair(cohort, mentor=("Slo", "W"), mentee=("Pa", "Ce"), record_only=True)
    contact(slow, minutes=20, day=TODAY() - datetime.timedelta(days=2))
    never = make_pair(cohort, mentor=("Nev", "Er"), mentee=("Met", "Yet"), record_only=True)

    rows = {row.who: row.about for row in attention_rows()[QUIET]}
    assert rows == {
        "Sil Ent and Qui Et": "No contact for 9 weeks",
        "Slo W and Pa Ce": "Behind the pace",
        "Nev Er and Met Yet": "No contact yet, behind the pace",
    }
    assert never.pk

    settings.NO_CONTACT_WEEKS = 10
    assert "Sil Ent and Qui Et" not in {row.who for row in attention_rows()[QUIET]}


def test_a_member_waiting_for_verification_links_to_the_decision(site):
    waiting = member("waiting@example.org", status="pending")
    member("verified@example.org")
    rows = attention_rows()[PENDING]
    assert urls(rows) == [reverse("members_member:decide", args=[waiting.profile.pk])]
    assert attention_counts()[PENDING] == 1


def test_pairs_whose_liaison_was_erased_are_listed_until_a_liaison_is_set(cohort):
    """A coordinator's deleted account leaves the pairs they supported with no liaison (their
    calls for help go to the whole subcommittee): each is listed, linking to where a liaison
    is set, until a coordinator names one, or decides on none."""
    leaving = member("leaving@example.org", groups=[COORDINATORS])
    staying = member("staying@example.org", groups=[COORDINATORS])
    first = busy_pair(cohort, 1)
    second = busy_pair(cohort, 2)
    supported = busy_pair(cohort, 3)
    never_had_one = busy_pair(cohort, 4)
    ended = busy_pair(cohort, 5)
    Pair.objects.filter(pk__in=[first.pk, second.pk, ended.pk]).update(liaison=leaving)
    Pair.objects.filter(pk=supported.pk).update(liaison=staying)
    Pair.objects.filter(pk=ended.pk).update(status=PairStatus.ENDED, ended_at=timezone.now())
    assert attention_rows()[LIAISON] == []

    member_account_erase(user=leaving, by=staying)

    assert list(Pair.objects.filter(liaison=leaving)) == []
    rows = attention_rows()[LIAISON]
    assert urls(rows) == [
        reverse("cohorts_pair:inspect", args=[pair.pk]) + "#pair-liaison"
        for pair in (first, second)
    ]
    assert rows[0].who == "Busy1 Mentor and Busy1 Mentee"
    assert rows[0].about == "Their liaison's account was deleted"
    assert rows[0].since is not None
    assert attention_counts()[LIAISON] == 2
    assert Pair.objects.get(pk=supported.pk).liaison == staying
    assert never_had_one.liaison is None

    pair_liaison_set(pair=Pair.objects.get(pk=first.pk), liaison=staying)
    assert urls(attention_rows()[LIAISON]) == [
        reverse("cohorts_pair:inspect", args=[second.pk]) + "#pair-liaison"
    ]
    # Choosing "No liaison" in the bulk action is a decision too: the row leaves.
    pairs_liaison_set(pair_ids=[second.pk], liaison=None)
    assert attention_rows()[LIAISON] == []


def test_the_pairs_page_says_the_liaisons_account_was_deleted(cohort):
    leaving = member("leaving@example.org", groups=[COORDINATORS])
    coordinator = member("coordinator@example.org", groups=[COORDINATORS])
    pair = busy_pair(cohort)
    Pair.objects.filter(pk=pair.pk).update(liaison=leaving)
    member_account_erase(user=leaving, by=coordinator)

    page = client_for(coordinator).get(reverse("cohorts_pair:inspect", args=[pair.pk]))
    assert "The account of this pair's liaison was deleted" in page.content.decode()
    assert "Former participant" not in page.content.decode()


def fill(cohort, n: int, *, start: int = 0) -> None:
    """``n`` of every kind, the people numbered from ``start``."""
    for i in range(start, start + n):
        pair = make_pair(
            cohort, mentor=(f"M{i}", "Mentor"), mentee=(f"E{i}", "Mentee"), record_only=True
        )
        mentee = pair.mentee.applicant
        SupportRequest.objects.create(pair=pair, author=mentee, message=HELP_TEXT)
        answer = checkin(cohort, pair, mentee, "q1", CheckInAnswerChoice.NEED_HELP)
        answer.comment = COMMENT
        answer.save()
        ChangeRequest.objects.create(
            pair=pair,
            requested_by=mentee,
            reason="Reason",
            status=ChangeRequestStatus.AWAITING_APPROVAL,
        )
        contact(pair, minutes=5, day=TODAY() - datetime.timedelta(weeks=8), summary=SUMMARY)
        note_add(pair=pair, user=mentee, text="Note text", shared=True)
        member(f"pending{i}@example.org", status="pending")
        Pair.objects.filter(pk=pair.pk).update(liaison_erased_at=timezone.now())


def queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def test_the_screen_and_the_panel_cost_the_same_queries_for_1_or_20_of_each(cohort):
    client = client_for(member("coordinator@example.org", groups=[COORDINATORS]))
    fill(cohort, 1)
    client.get(SCREEN), client.get("/admin/")  # the session and the menu, as on a busy site
    few = queries(client, SCREEN), queries(client, "/admin/")
    fill(cohort, 19, start=1)
    assert attention_counts() == {
        HELP: 20,
        CHECKINS: 20,
        CHANGES: 20,
        QUIET: 20,
        LIAISON: 20,
        PENDING: 20,
    }
    assert (queries(client, SCREEN), queries(client, "/admin/")) == few


def test_coordinators_see_counts_and_rows_but_never_a_message_comment_summary_or_note(cohort):
    fill(cohort, 2)
    client = client_for(member("coordinator@example.org", groups=[COORDINATORS]))
    dashboard = client.get("/admin/").content.decode()
    assert "Needs attention" in dashboard
    assert "Calls for help: <strong>2</strong>" in dashboard
    assert f'href="{SCREEN}#attention-help"' in dashboard
    screen = client.get(SCREEN).content.decode()
    assert "M0 Mentor and E0 Mentee" in screen
    assert "pending1@example.org" in screen
    for secret in (HELP_TEXT, COMMENT, SUMMARY, "Note text", "Reason"):
        assert secret not in dashboard
        assert secret not in screen


def test_the_chair_sees_it_and_editors_do_not(cohort):
    fill(cohort, 1)
    chair = client_for(member("chair@example.org", groups=[CHAIR]))
    assert chair.get(SCREEN).status_code == 200
    assert "Needs attention" in chair.get("/admin/").content.decode()
    editor = client_for(member("editor@example.org", groups=[EDITORS]))
    refused = editor.get(SCREEN)
    assert (refused.status_code, refused["Location"]) == (302, "/admin/")
    assert "Needs attention" not in editor.get("/admin/").content.decode()


def test_the_panel_counts_in_one_query_per_kind(cohort, django_assert_max_num_queries):
    fill(cohort, 3)
    with django_assert_max_num_queries(6):
        context = NeedsAttentionPanel().get_context_data()
    assert context["total"] == 18
