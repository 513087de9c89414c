"""The members' e-mail pages: the choice of optional e-mails, the one-click unsubscribe link
(RFC 8058) and the answer to the chair's check-in, and the services behind them.

Mail scanners open every link in an e-mail, so each test of a link checks that a GET wrote
nothing; forged, cut-short and expired links get a page that says so, never a server error.
"""

import datetime
import re
from urllib.parse import quote

import pytest
import time_machine
from django.core import mail, signing
from django.core.exceptions import ValidationError
from django.template.defaultfilters import linebreaksbr
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from cohorts.choices import (
    OPTIONAL_REMINDERS,
    CheckInAnswerChoice,
    OutboxStatus,
    PairStatus,
    ReminderKind,
)
from cohorts.models import CheckInAnswer, OutboxMessage, ReminderOptOut, SupportRequest
from cohorts.outbox.services import outbox_add, outbox_deliver
from cohorts.reminders import links
from cohorts.reminders.forms import ESSENTIAL_EMAILS, OPTIONAL_DESCRIPTIONS
from cohorts.reminders.services import reminders as services
from members.roles import COORDINATORS
from tests.cohorts.factories import pair_under_way
from tests.factories import member
from tests.helpers import messages_of

pytestmark = pytest.mark.django_db

NEED_HELP, GOING_WELL, COULD_BE_BETTER = (
    CheckInAnswerChoice.NEED_HELP,
    CheckInAnswerChoice.GOING_WELL,
    CheckInAnswerChoice.COULD_BE_BETTER,
)
PREFERENCES = reverse("reminder_preferences")


# Fixtures and helpers ---------------------------------------------------------------------


@pytest.fixture(name="pair")
def fixture_pair(home):
    """A published pair of a cohort under way, with the mentoring dashboard live."""
    return pair_under_way(home)


@pytest.fixture(name="mentee")
def fixture_mentee(pair):
    return pair.mentee.applicant


def sent(pair, user, *, kind=ReminderKind.CHECKIN, period="q1", status=OutboxStatus.SENT):
    """An outbox row to ``user`` about ``pair``, as the dispatcher writes it, in ``status``."""
    [message_id] = outbox_add(
        kind=kind, cohort=pair.cohort, period=period, recipients=[(user.pk, pair.pk)]
    )
    OutboxMessage.objects.filter(pk=message_id).update(status=status)
    return OutboxMessage.objects.get(pk=message_id)


def checkin_url(message, answer=GOING_WELL) -> str:
    return links.checkin_path(message_id=message.pk, answer=answer)


def unsubscribe_url(user, kind=ReminderKind.BEHIND_ON_CONTACT) -> str:
    return links.unsubscribe_path(user_id=user.pk, kind=kind)


def text(response) -> str:
    return response.content.decode()


def checked(page: str, name: str) -> list[str]:
    """The values of the ticked inputs called ``name`` ("on" for a checkbox)."""
    inputs = re.findall(rf'<input[^>]*name="{name}"[^>]*>', page)
    ticked = [tag for tag in inputs if re.search(r"\schecked[\s>]", tag)]
    return [(re.search(r'value="([^"]*)"', tag) or ["", "on"])[1] for tag in ticked]


def assert_never_cached(response) -> None:
    cache_control = response.headers.get("Cache-Control", "")
    assert "no-store" in cache_control and "private" in cache_control, cache_control


# The member's choice -------------------------------------------------------------------------


def test_every_kind_is_described_on_the_preferences_page():
    essential = {kind for _, kinds, _ in ESSENTIAL_EMAILS for kind in kinds}
    assert set(OPTIONAL_DESCRIPTIONS) == OPTIONAL_REMINDERS
    assert essential == set(ReminderKind.values) - OPTIONAL_REMINDERS


def test_the_preferences_page_needs_a_login(site):
    response = Client().get(PREFERENCES)
    assert response.status_code == 302
    assert response.url == f"{reverse('account_login')}?next={PREFERENCES}"
    assert_never_cached(response)


def test_preferences_are_saved_and_shown_again(site):
    user = member()
    client = Client()
    client.force_login(user)
    page = client.get(PREFERENCES)
    assert_never_cached(page)
    for kind in OPTIONAL_REMINDERS:
        assert checked(text(page), kind) == ["on"]
        assert escape(OPTIONAL_DESCRIPTIONS[kind]) in text(page)
    for what, _, why in ESSENTIAL_EMAILS:
        assert escape(what) in text(page) and escape(why) in text(page)

    keep = {ReminderKind.APPLICATIONS_OPEN: "on", ReminderKind.SURVEY_REMINDER: "on"}
    response = client.post(PREFERENCES, keep)
    assert response.status_code == 302 and response.url == PREFERENCES
    assert messages_of(response) == ["Your e-mail choices are saved."]
    off = {ReminderKind.DEADLINE_APPROACHING, ReminderKind.BEHIND_ON_CONTACT}
    assert set(ReminderOptOut.objects.filter(user=user).values_list("kind", flat=True)) == off
    page = text(client.get(PREFERENCES))
    for kind in OPTIONAL_REMINDERS:
        assert checked(page, kind) == ([] if kind in off else ["on"])

    client.post(PREFERENCES, dict.fromkeys(OPTIONAL_REMINDERS, "on"))
    assert not ReminderOptOut.objects.filter(user=user).exists()


def test_a_forged_post_cannot_turn_an_essential_email_off(site):
    user = member()
    client = Client()
    client.force_login(user)
    forged = {
        ReminderKind.CHECKIN: "",
        ReminderKind.MATCHED: "off",
        "kinds_off": [ReminderKind.CHECKIN, ReminderKind.ANNOUNCEMENT],
        **dict.fromkeys(OPTIONAL_REMINDERS, "on"),
    }
    assert client.post(PREFERENCES, forged).status_code == 302
    assert not ReminderOptOut.objects.exists()


def test_the_preferences_form_keeps_its_csrf_protection(site):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member())
    assert client.post(PREFERENCES, {}).status_code == 403
    assert not ReminderOptOut.objects.exists()


def test_the_service_refuses_essential_and_unknown_kinds(site):
    user = member()
    services.reminder_opt_outs_set(user=user, kinds_off={ReminderKind.SURVEY_REMINDER})
    with pytest.raises(ValidationError) as refused:
        services.reminder_opt_outs_set(
            user=user, kinds_off={ReminderKind.SURVEY_REMINDER, ReminderKind.CHECKIN}
        )
    assert refused.value.messages == [
        services.ESSENTIAL_KIND.format(kind="Check-in from the chair")
    ]
    with pytest.raises(ValidationError) as refused:
        services.reminder_opt_outs_set(user=user, kinds_off={"no_such_kind"})
    assert refused.value.messages == [services.UNKNOWN_KIND]
    with pytest.raises(ValidationError) as refused:
        services.reminder_unsubscribe(user_id=user.pk, kind=ReminderKind.MATCHED)
    assert refused.value.messages == [services.ESSENTIAL_KIND.format(kind="You are matched")]
    kinds = list(ReminderOptOut.objects.values_list("user", "kind"))
    assert kinds == [(user.pk, ReminderKind.SURVEY_REMINDER)]


def test_setting_the_list_clears_an_old_opt_out_of_an_essential_kind(site):
    user = member()
    ReminderOptOut.objects.create(user=user, kind=ReminderKind.CHECKIN)
    services.reminder_opt_outs_set(user=user, kinds_off=set())
    assert not ReminderOptOut.objects.exists()


def test_the_account_page_links_to_the_preferences(site):
    client = Client()
    client.force_login(member())
    page = text(client.get(reverse("member_profile")))
    assert f'href="{PREFERENCES}"' in page and "E-mail from the program" in page


# Stop an optional e-mail ---------------------------------------------------------------------


def test_opening_the_unsubscribe_link_changes_nothing(site):
    user = member()
    path = unsubscribe_url(user)
    for response in (Client().get(path), Client().head(path)):
        assert response.status_code == 200
        assert_never_cached(response)
    assert "Stop “Behind on contact” e-mails?" in text(Client().get(path))
    assert not ReminderOptOut.objects.exists()


def test_the_button_stops_the_emails_once(site):
    user = member()
    path = unsubscribe_url(user, ReminderKind.SURVEY_REMINDER)
    for _ in range(2):
        response = Client(enforce_csrf_checks=True).post(path)
        assert response.status_code == 200
        assert_never_cached(response)
        assert f'href="{PREFERENCES}"' in text(response)
    assert list(ReminderOptOut.objects.values_list("user", "kind")) == [
        (user.pk, ReminderKind.SURVEY_REMINDER)
    ]


@pytest.mark.parametrize("encoding", ["urlencoded", "multipart"])
def test_one_click_unsubscribe_needs_no_cookie_and_no_csrf_token(site, encoding):
    user = member()
    client = Client(enforce_csrf_checks=True)
    if encoding == "urlencoded":
        response = client.post(
            unsubscribe_url(user),
            data="List-Unsubscribe=One-Click",
            content_type="application/x-www-form-urlencoded",
        )
    else:
        response = client.post(unsubscribe_url(user), {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert ReminderOptOut.objects.filter(user=user, kind=ReminderKind.BEHIND_ON_CONTACT).exists()


def test_an_unsubscribe_link_for_an_essential_email_is_refused(site):
    user = member()
    path = unsubscribe_url(user, ReminderKind.CHECKIN)
    for response in (Client().get(path), Client().post(path)):
        assert response.status_code == 400
        assert "This link is not valid" in text(response)
        assert "cannot be turned off" in text(response)
    assert not ReminderOptOut.objects.exists()


def test_an_unsubscribe_link_of_a_deleted_account_is_refused(site):
    user = member()
    path = unsubscribe_url(user)
    user.delete()
    response = Client().post(path)
    assert response.status_code == 400
    assert escape(services.NO_SUCH_ACCOUNT) in text(response)


def forged_tokens(user_id: int) -> list[str]:
    good = unsubscribe_url_token(user_id)
    return [
        "x",
        good[:-1] + ("A" if good[-1] != "A" else "B"),  # signature changed
        good[: len(good) // 2],  # cut short
        good.replace(":", ";"),
        "a" * 3000,
        "\x00",
        "ünïcödé:abc:def",
        "..:..",
        # Signed with the right key but another purpose, or another shape.
        signing.dumps({"u": user_id, "k": "behind_on_contact"}, salt="another.purpose"),
        signing.dumps(["u", user_id], salt=links.UNSUBSCRIBE_SALT),
        signing.dumps({"u": "me", "k": "x"}, salt=links.UNSUBSCRIBE_SALT),
        signing.dumps({"u": user_id, "k": "no_such_kind"}, salt=links.UNSUBSCRIBE_SALT),
        signing.dumps({"m": "x", "a": GOING_WELL}, salt=links.CHECKIN_SALT),
        signing.dumps({"m": 10**9, "a": GOING_WELL}, salt=links.CHECKIN_SALT),
        signing.dumps([1, 2], salt=links.CHECKIN_SALT),
    ]


def unsubscribe_url_token(user_id: int) -> str:
    return links.unsubscribe_path(user_id=user_id, kind="behind_on_contact").split("/")[-2]


@pytest.mark.parametrize("route", ["reminder_unsubscribe", "reminder_checkin"])
def test_forged_and_garbled_links_get_a_clear_400(site, route):
    user = member()
    prefix = reverse(route, args=["TOKEN"]).replace("TOKEN/", "")
    client = Client(raise_request_exception=False)
    for token in forged_tokens(user.pk):
        path = prefix + quote(token, safe="") + "/"
        for response in (client.get(path), client.post(path, {"answer": GOING_WELL})):
            assert response.status_code == 400, (token, response.status_code)
            assert "This link is not valid" in text(response)
            assert_never_cached(response)
    assert not ReminderOptOut.objects.exists() and not CheckInAnswer.objects.exists()


# Answer the chair's check-in -----------------------------------------------------------------


def test_opening_a_checkin_link_records_nothing(pair, mentee):
    message = sent(pair, mentee)
    for answer in CheckInAnswerChoice.values:
        response = Client().get(checkin_url(message, answer))
        assert response.status_code == 200
        assert_never_cached(response)
        assert checked(text(response), "answer") == [answer]
        assert "<legend>How is your mentoring going?</legend>" in text(response)
        assert "Send my answer" in text(response)
    assert not CheckInAnswer.objects.exists() and not SupportRequest.objects.exists()


def test_an_answer_is_recorded_and_can_be_changed(pair, mentee):
    message = sent(pair, mentee)
    client = Client()
    response = client.post(checkin_url(message), {"answer": GOING_WELL})
    assert response.status_code == 200
    assert "Thank you for your answer" in text(response)
    record = CheckInAnswer.objects.get()
    assert (record.message, record.user, record.pair, record.cohort, record.period) == (
        message,
        mentee,
        pair,
        pair.cohort,
        "q1",
    )
    assert record.answer == GOING_WELL

    page = text(client.get(checkin_url(message, COULD_BE_BETTER)))
    assert "You answered “Going well”" in page
    assert checked(page, "answer") == [COULD_BE_BETTER]
    client.post(checkin_url(message, COULD_BE_BETTER), {"answer": COULD_BE_BETTER})
    assert CheckInAnswer.objects.get().answer == COULD_BE_BETTER
    assert CheckInAnswer.objects.count() == 1 and not SupportRequest.objects.exists()


def test_need_help_opens_one_support_request_however_often_it_is_sent(
    pair, mentee, django_capture_on_commit_callbacks
):
    coordinator = member("coordinator@example.org", groups=[COORDINATORS])
    message = sent(pair, mentee)
    client = Client()
    path = checkin_url(message, NEED_HELP)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(path, {"answer": NEED_HELP, "comment": " We have not met. "})
    assert "The subcommittee will be in touch" in text(response)
    assert "We have not met." in text(response)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(path, {"answer": GOING_WELL})
        again = client.post(path, {"answer": NEED_HELP})
    assert "The subcommittee will be in touch" in text(again)

    request = SupportRequest.objects.get()
    assert (request.pair, request.author, request.message) == (pair, mentee, "We have not met.")
    assert CheckInAnswer.objects.get().support_request == request
    assert [m.to for m in mail.outbox] == [[coordinator.email]]


def test_need_help_without_a_comment_says_where_it_came_from(pair, mentee):
    services.checkin_answer_record(message_id=sent(pair, mentee).pk, answer=NEED_HELP)
    assert SupportRequest.objects.get().message == services.HELP_DEFAULT_MESSAGE


def test_need_help_from_an_ended_pair_is_recorded_without_a_request(pair, mentee):
    message = sent(pair, mentee)
    pair.status, pair.ended_at = PairStatus.ENDED, timezone.now()
    pair.save(update_fields=["status", "ended_at"])
    response = Client().post(
        checkin_url(message, NEED_HELP), {"answer": NEED_HELP, "comment": "<b>Help</b>"}
    )
    assert response.status_code == 200
    assert "No request for help was opened" in text(response)
    assert escape("<b>Help</b>") in text(response) and "<b>Help</b>" not in text(response)
    record = CheckInAnswer.objects.get()
    assert (record.answer, record.support_request) == (NEED_HELP, None)
    assert not SupportRequest.objects.exists()


def test_a_comment_goes_to_the_subcommittee_with_any_answer(pair, mentee):
    message = sent(pair, mentee)
    response = Client().post(
        checkin_url(message), {"answer": COULD_BE_BETTER, "comment": " We meet rarely. "}
    )
    assert response.status_code == 200
    record = CheckInAnswer.objects.get()
    assert (record.answer, record.comment) == (COULD_BE_BETTER, "We meet rarely.")
    assert record.support_request is None and not SupportRequest.objects.exists()


def test_the_service_refuses_bad_answers_and_comments(pair, mentee):
    message = sent(pair, mentee)
    cases = [
        ({"answer": "maybe"}, services.UNKNOWN_ANSWER),
        ({"answer": NEED_HELP, "comment": "a\x00b"}, services.COMMENT_NULL_CHARACTER),
        ({"answer": NEED_HELP, "comment": "a" * 1001}, services.COMMENT_TOO_LONG),
    ]
    for fields, error in cases:
        with pytest.raises(ValidationError) as refused:
            services.checkin_answer_record(message_id=message.pk, **fields)
        assert refused.value.messages == [error]
    services.checkin_answer_record(message_id=message.pk, answer=NEED_HELP, comment="a" * 1000)
    assert len(SupportRequest.objects.get().message) == 1000
    assert CheckInAnswer.objects.count() == 1


@pytest.mark.parametrize(
    ("kind", "status"),
    [
        (ReminderKind.BEHIND_ON_CONTACT, OutboxStatus.SENT),
        (ReminderKind.CHECKIN, OutboxStatus.QUEUED),
        (ReminderKind.CHECKIN, OutboxStatus.FAILED),
        (ReminderKind.CHECKIN, OutboxStatus.SUPPRESSED),
    ],
)
def test_a_checkin_link_for_another_message_or_one_not_sent_is_refused(pair, mentee, kind, status):
    message = sent(pair, mentee, kind=kind, status=status)
    path = checkin_url(message, NEED_HELP)
    for response in (Client().get(path), Client().post(path, {"answer": NEED_HELP})):
        assert response.status_code == 400
        assert "This link is not valid" in text(response)
    with pytest.raises(ValidationError) as refused:
        services.checkin_answer_record(message_id=message.pk, answer=NEED_HELP)
    assert refused.value.messages == [services.NOT_A_CHECKIN]
    assert not CheckInAnswer.objects.exists() and not SupportRequest.objects.exists()


def test_a_checkin_link_with_an_unknown_answer_is_refused(pair, mentee):
    response = Client().get(checkin_url(sent(pair, mentee), "maybe"))
    assert response.status_code == 400


def test_an_expired_checkin_link_is_refused(pair, mentee):
    message = sent(pair, mentee)
    path = checkin_url(message, NEED_HELP)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=59)):
        assert Client().get(path).status_code == 200
    with time_machine.travel(timezone.now() + datetime.timedelta(days=61)):
        for response in (Client().get(path), Client().post(path, {"answer": NEED_HELP})):
            assert response.status_code == 410
            assert "This check-in link has expired" in text(response)
            assert "Ask for help" in text(response)
            assert 'href="/my-mentoring/"' in text(response)
            assert_never_cached(response)
    assert not CheckInAnswer.objects.exists() and not SupportRequest.objects.exists()


def test_hostile_comments_never_fail_and_are_escaped(pair, mentee, hostile_inputs):
    client = Client(raise_request_exception=False)
    for number, hostile in enumerate(hostile_inputs):
        message = sent(pair, mentee, period=f"h{number}")
        path = checkin_url(message, NEED_HELP)
        response = client.post(path, {"answer": NEED_HELP, "comment": hostile})
        page = text(response)
        assert response.status_code == 200, hostile
        if "<" in hostile:
            assert hostile not in page, hostile
        comment = hostile.strip()
        if "\x00" in comment:
            assert escape(services.COMMENT_NULL_CHARACTER) in page
            assert not CheckInAnswer.objects.filter(message=message).exists()
        else:
            assert linebreaksbr(comment or services.HELP_DEFAULT_MESSAGE) in page, hostile
        refused = client.post(path, {"answer": hostile})
        assert refused.status_code == 200 and escape(services.UNKNOWN_ANSWER) in text(refused)


# The e-mails' own links ----------------------------------------------------------------------


def test_the_links_in_sent_emails_lead_to_these_pages(pair, mentee):
    checkin = outbox_add(
        kind=ReminderKind.CHECKIN,
        cohort=pair.cohort,
        period="q1",
        recipients=[(mentee.pk, pair.pk)],
    )
    behind = outbox_add(
        kind=ReminderKind.BEHIND_ON_CONTACT,
        cohort=pair.cohort,
        period="midway",
        recipients=[(mentee.pk, pair.pk)],
    )
    assert outbox_deliver(ids=checkin + behind) == 2
    checkin_mail, behind_mail = mail.outbox

    answer_links = re.findall(
        r"http://testserver(/reminders/check-in/[^/\s]+/)", checkin_mail.body
    )
    assert len(answer_links) == 3
    for path in answer_links:
        assert Client().get(path).status_code == 200
    assert not CheckInAnswer.objects.exists()
    Client().post(answer_links[2], {"answer": NEED_HELP})
    assert CheckInAnswer.objects.get().answer == NEED_HELP

    header = behind_mail.extra_headers["List-Unsubscribe"]
    assert behind_mail.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    path = header.strip("<>").removeprefix("http://testserver")
    Client(enforce_csrf_checks=True).post(
        path, data="List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert ReminderOptOut.objects.filter(user=mentee).count() == 1
    assert f"http://testserver{PREFERENCES}" in checkin_mail.body
