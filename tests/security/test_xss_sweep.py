"""Every hostile payload (tests/data/hostile-inputs.json, 105 of them) goes through every text
field a member writes, by the real forms, and is then looked for wherever that text shows:
the member's own pages, their partner's, the coordinators' admin screens and the e-mails the
portal sends. Markup never comes back as markup: it is escaped, or it was refused with a
message on the form. The demo site supplies the people, the cohorts and the published pair.

The fields each module already tests on its own page (tests/members/test_accounts.py,
tests/cohorts/test_application_flow.py, tests/home/test_contact.py and others) are followed
here to the other people and screens that show them."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from cohorts.models import (
    Application,
    ContactLog,
    OutboxMessage,
    Pair,
    PairDashboardPage,
    SupportRequest,
)
from cohorts.reminders.rendering import Renderer
from cohorts.services.outbox import outbox_add
from members.models import User

pytestmark = pytest.mark.django_db

PAIR_INSPECT = "cohorts_pair:inspect"
APPLICATION_INSPECT = "cohorts_application:inspect"
PROFILE_TEXT_FIELDS = ["first_name", "last_name", "pronouns", "institution", "position", "bio"]
# Markup a payload may try to open: a tag, or an attribute escaping its quotes.
MARKUP = re.compile(r"<[a-zA-Z!/?]|\"\s*\w+\s*=|'\s*\w+\s*=")


def carries_markup(text: str) -> bool:
    return bool(MARKUP.search(text))


def assert_never_raw(body: str, texts, where: str) -> None:
    """None of `texts` that could open markup appears unescaped in `body`."""
    for text in texts:
        if carries_markup(text):
            assert text not in body, f"{where}: {text!r} came back unescaped"


def assert_shown_escaped(body: str, text: str, where: str) -> None:
    """`text` (one line) is on the page, escaped."""
    assert escape(text) in body, f"{where}: {text!r} is not shown (escaped)"


def logged_in(email: str) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(User.objects.get(email=email))
    return client


@pytest.fixture
def demo(demo_site):
    pair = Pair.objects.select_related("mentor__applicant", "mentee__applicant").get(
        mentor__applicant__email="mentor@example.org"
    )
    dashboard = PairDashboardPage.objects.get()
    base = dashboard.url + dashboard.reverse_subpage("pair", args=[pair.pk])
    return {
        "pair": pair,
        "pair_url": base,
        "section": lambda name: base + f"{name}/",
        "mentee": logged_in("mentee@example.org"),
        "mentor": logged_in("mentor@example.org"),
        "coordinator": logged_in("coordinator@example.org"),
    }


def test_the_checks_catch_an_unescaped_payload():
    with pytest.raises(AssertionError):
        assert_never_raw(
            "<p><img src=x onerror=alert(1)></p>", ["<img src=x onerror=alert(1)>"], ""
        )
    with pytest.raises(AssertionError):
        assert_shown_escaped("<p>nothing</p>", "<b>", "")
    assert carries_markup('"><script>') and carries_markup("' onmouseover='x")
    assert not carries_markup("a < b and c > d")


def test_pair_record_texts_are_escaped_for_both_partners_the_coordinators_and_in_emails(
    demo, hostile_inputs, django_capture_on_commit_callbacks
):
    """Contact summaries, shared notes and calls for help, written by the mentee."""
    mentee = demo["mentee"]
    accepted = {"summary": [], "note": [], "support": []}
    for text in hostile_inputs:
        for kind, section, data in (
            ("summary", "contacts", _contact(summary=text)),
            ("note", "notes", {"text": text, "shared": "on"}),
            ("support", "support", {"message": text}),
        ):
            with django_capture_on_commit_callbacks(execute=True):
                response = mentee.post(demo["section"](section), data)
            assert response.status_code in (200, 302), (kind, text)
            assert_never_raw(response.content.decode(), [text], f"{kind} form")
            if response.status_code == 302:
                accepted[kind].append(text.strip())
    assert min(len(texts) for texts in accepted.values()) > 90, {
        kind: len(texts) for kind, texts in accepted.items()
    }
    pair = demo["pair"]
    assert ContactLog.objects.filter(pair=pair, summary__in=accepted["summary"]).exists()
    assert SupportRequest.objects.filter(pair=pair).count() >= len(accepted["support"])
    every_text = [text for texts in accepted.values() for text in texts]

    pages = {
        "mentee's pair page": mentee.get(demo["pair_url"]),
        "mentor's pair page": demo["mentor"].get(demo["pair_url"]),
        "mentee's notes": mentee.get(demo["section"]("notes")),
        "mentor's notes": demo["mentor"].get(demo["section"]("notes")),
        "coordinators' pair screen": demo["coordinator"].get(
            reverse("cohorts_pair:inspect", args=[pair.pk])
        ),
    }
    for where, response in pages.items():
        assert response.status_code == 200, where
        assert_never_raw(response.content.decode(), every_text, where)
    single_line = [t for t in accepted["note"] if "\n" not in t and "\r" not in t and t]
    mentor_notes = pages["mentor's notes"].content.decode()
    for text in single_line[:40]:
        assert_shown_escaped(mentor_notes, text, "mentor's notes")
    admin = pages["coordinators' pair screen"].content.decode()
    assert "Shared note" not in admin and accepted["note"][0] not in admin

    assert mail.outbox, "a call for help is e-mailed to the subcommittee"
    _assert_emails_escape(mail.outbox, every_text)


def test_profile_texts_are_escaped_on_the_partners_page_the_admin_and_in_emails(
    demo, hostile_inputs
):
    """Name, pronouns, institution, position and biography, written by the mentee on their
    profile, as the mentor, the coordinators and the mentee's own reminders show them."""
    mentee_user = demo["pair"].mentee.applicant
    application = demo["pair"].mentee
    current = _profile_form()
    coordinator_screens = {
        "pair screen": reverse(PAIR_INSPECT, args=[demo["pair"].pk]),
        "application screen": reverse(APPLICATION_INSPECT, args=[application.pk]),
        "members listing": reverse("members_member:index"),
        "applications listing": reverse("cohorts_application:index"),
        "pairs listing": reverse("cohorts_pair:index"),
    }.items()
    accepted = 0
    for text in hostile_inputs:
        data = {**current, **dict.fromkeys(PROFILE_TEXT_FIELDS, text)}
        response = demo["mentee"].post(reverse("member_profile_edit"), data)
        assert response.status_code in (200, 302), text
        if response.status_code != 302:
            assert_never_raw(response.content.decode(), [text], "profile form")
            continue
        accepted += 1
        stored = text.strip()
        partner_page = demo["mentor"].get(demo["pair_url"]).content.decode()
        assert_never_raw(partner_page, [stored], "mentor's pair page")
        if "\n" not in stored and "\r" not in stored:
            assert_shown_escaped(partner_page, stored, "mentor's pair page")
        for where, address in coordinator_screens:
            response = demo["coordinator"].get(address)
            assert response.status_code == 200, where
            assert_never_raw(response.content.decode(), [stored], where)
        reminder = _reminder_to(mentee_user, demo["pair"])
        assert [kind for _, kind in reminder.alternatives] == ["text/html"]
        _assert_emails_escape([reminder], [stored])
    assert accepted > 60, accepted  # the rest are too long for a name or have control characters


def test_application_answers_are_escaped_on_the_coordinators_screens(demo, hostile_inputs):
    """An application's goals and offer, as the coordinators' listing and detail show them."""
    application = demo["pair"].mentee
    shown = 0
    for text in hostile_inputs:
        Application.objects.filter(pk=application.pk).update(goals=text, offer=text)
        response = demo["coordinator"].get(
            reverse("cohorts_application:inspect", args=[application.pk])
        )
        assert response.status_code == 200, text
        body = response.content.decode()
        assert_never_raw(body, [text], "coordinators' application")
        if text.strip() and "\n" not in text and "\r" not in text and carries_markup(text):
            assert_shown_escaped(body, text, "coordinators' application")
            shown += 1
    assert shown > 30, shown


def _contact(**overrides) -> dict:
    import datetime

    from django.utils import timezone

    day = timezone.localdate() - datetime.timedelta(days=1)
    return {
        "date": day.isoformat(),
        "minutes": "30",
        "method": "virtual",
        "conference": "",
        "summary": "A call.",
        **overrides,
    }


def _profile_form() -> dict:
    """A complete, valid profile, with two of the areas of interest."""
    from members.models import AreaOfInterest

    from ..members.test_accounts import profile_data

    return profile_data(areas=AreaOfInterest.objects.all()[:2])


def _reminder_to(user, pair):
    """A check-in reminder to `user`, rendered into the e-mail the outbox would send."""
    [message_id] = outbox_add(
        kind="checkin",
        cohort=pair.cohort,
        period=f"xss-{OutboxMessage.objects.count()}",
        recipients=[(user.pk, pair.pk)],
    )
    message = OutboxMessage.objects.get(pk=message_id)
    renderer = Renderer()
    renderer.prefetch([message])
    return renderer.email(message, renderer.render(message))


def _assert_emails_escape(messages, texts) -> None:
    for message in messages:
        for content, mimetype in getattr(message, "alternatives", []):
            if mimetype == "text/html":
                assert_never_raw(content, texts, f"e-mail {message.subject!r}")
