"""The outbox over a real SMTP conversation (aiosmtpd on 127.0.0.1): what each kind of
reminder looks like when it arrives, and what becomes of a row when the mail server is down,
refuses a message, or the same delivery runs twice."""

import datetime
import html
import re
from html.parser import HTMLParser
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import icalendar
import pytest
import time_machine
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from django.urls import resolve
from django.utils import timezone

from cohorts.choices import OPTIONAL_REMINDERS, CheckInAnswerChoice, OutboxStatus, ReminderKind
from cohorts.models import OutboxMessage
from cohorts.outbox.services import MAX_ATTEMPTS, RETRY_DELAYS, outbox_add, outbox_deliver
from cohorts.reminders import links
from cohorts.reminders.rendering import Renderer
from home.models import SiteSettings
from tests.cohorts.factories import make_cohort, make_pair
from tests.factories import member
from tests.helpers import Inbox
from tests.processes import free_port

pytestmark = pytest.mark.django_db

K = ReminderKind
S = OutboxStatus
YEAR = 2027
PROGRAM = "Northwind Library Mentoring"
HOSTILE_FIRST_NAME = "<script>alert(1)</script>"
PARTNER_LAST_NAME = "O'Hara & <b>Co</b>"
ORIENTATION_TIME = datetime.time(18, 30)
LEFTOVER_PLACEHOLDER = re.compile(r"\{\w+\}")
URL = re.compile(r"https?://[^\s<>\"')]+")


class Paragraphs(HTMLParser):
    """The visible text of each <p> of an HTML part, whitespace collapsed, and every link."""

    def __init__(self, markup: str):
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[str] = []
        self.hrefs: list[str] = []
        self._open: list[str] | None = None
        self.feed(markup)
        self.close()

    def handle_starttag(self, tag, attrs):
        if tag == "p":
            self._open = []
        elif tag == "a":
            self.hrefs.append(dict(attrs).get("href") or "")

    def handle_endtag(self, tag):
        if tag == "p" and self._open is not None:
            self.paragraphs.append(" ".join("".join(self._open).split()))
            self._open = None

    def handle_data(self, data):
        if self._open is not None:
            self._open.append(data)

    def after_greeting(self) -> str:
        """The paragraph after "Dear ...,": the sentence that says what the e-mail is about."""
        greeting = next(n for n, text in enumerate(self.paragraphs) if text.startswith("Dear "))
        return self.paragraphs[greeting + 1]


def collapsed(text: str) -> str:
    return " ".join(text.split())


def long_date(day: datetime.date) -> str:
    return f"{day:%B} {day.day}, {day.year}"


def parts(message) -> tuple[str, str]:
    """(plain text, HTML) of a received message; both must be there."""
    text, markup = message.get_body(("plain",)), message.get_body(("html",))
    assert text is not None and markup is not None
    return text.get_content(), markup.get_content()


def signed_link(url: str, view: str) -> str:
    """The token of an absolute link to one of the signed-link views."""
    match = resolve(urlsplit(url).path)
    assert match.url_name == view
    return match.kwargs["token"]


@pytest.fixture
def cohort(home):
    cohort = make_cohort(home, YEAR)
    cohort.orientation_time = ORIENTATION_TIME
    cohort.orientation_details = "Join the video call at https://meet.example.org/orientation"
    cohort.save()
    site_settings = SiteSettings.for_site(home.get_site())
    site_settings.program_name = PROGRAM
    site_settings.save()
    return cohort


@pytest.fixture
def recipient():
    """A participant whose first name is an attempt at script injection."""
    user = member("ada@example.org")
    user.first_name, user.last_name = HOSTILE_FIRST_NAME, "Lovelace"
    user.save()
    return user


@pytest.fixture
def pair(cohort, recipient):
    """The recipient's published pair; publishing wrote the "you are matched" rows."""
    partner = member("grace@example.org")
    partner.first_name, partner.last_name = "Grace", PARTNER_LAST_NAME
    partner.save()
    return make_pair(cohort, mentor=recipient, mentee=partner)


@pytest.fixture
def rows(cohort, recipient, pair) -> dict[str, OutboxMessage]:
    """One queued row of each kind that matters, for the recipient, as the dispatcher and
    publishing write them."""
    dated = [
        (K.ORIENTATION, "d7", pair.pk),
        (K.CHECKIN, "q1", pair.pk),
        (K.DEADLINE_APPROACHING, "d7", None),
        (K.PROGRAM_ENDS, "end", pair.pk),
    ]
    for kind, period, object_id in dated:
        outbox_add(kind=kind, cohort=cohort, period=period, recipients=[(recipient.pk, object_id)])
    found = {row.kind: row for row in OutboxMessage.objects.filter(recipient=recipient)}
    assert set(found) == {K.MATCHED, *(kind for kind, _, _ in dated)}
    assert all(row.status == S.QUEUED for row in found.values())
    return found


@pytest.fixture
def delivered(smtp_inbox, rows) -> dict[str, object]:
    """Every row delivered in one batch over one SMTP connection: {kind: received}."""
    assert outbox_deliver(ids=[row.pk for row in rows.values()]) == len(rows)
    by_id = {message["Message-ID"]: message for message in smtp_inbox.messages}
    assert len(by_id) == len(smtp_inbox.messages) == len(rows)
    return {kind: by_id[f"<outbox.{row.pk}.{kind}@testserver>"] for kind, row in rows.items()}


# ---- What arrives ----------------------------------------------------------------------


def test_every_kind_arrives_once_with_its_headers(delivered, rows, recipient, settings):
    for kind, message in delivered.items():
        assert message["From"] == settings.DEFAULT_FROM_EMAIL
        assert message["To"] == recipient.email
        assert message["X-Envelope-To"] == recipient.email
        assert message["Reply-To"] == "chair@example.org"
        assert message["Subject"].startswith(f"{PROGRAM}: ")
        assert message["Auto-Submitted"] == "auto-generated"
        assert message["Message-ID"] == f"<outbox.{rows[kind].pk}.{kind}@testserver>"
    for row in OutboxMessage.objects.filter(pk__in=[row.pk for row in rows.values()]):
        assert (row.status, row.attempts, row.last_error) == (S.SENT, 1, "")
        assert row.subject == delivered[row.kind]["Subject"]
        assert row.sent_at is not None


def test_only_optional_kinds_carry_a_one_click_unsubscribe(delivered, recipient):
    assert {kind for kind, m in delivered.items() if "List-Unsubscribe" in m} == {
        K.DEADLINE_APPROACHING
    }
    assert set(delivered) & OPTIONAL_REMINDERS == {K.DEADLINE_APPROACHING}
    message = delivered[K.DEADLINE_APPROACHING]
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # A long value is folded onto a continuation line: parsed, it keeps the fold's space.
    [url] = re.fullmatch(r"\s*<(\S+)>", message["List-Unsubscribe"]).groups()
    token = signed_link(url, "reminder_unsubscribe")
    assert links.unsubscribe_read(token) == (recipient.pk, K.DEADLINE_APPROACHING)
    text, markup = parts(message)
    assert url in text
    assert url in Paragraphs(markup).hrefs
    for kind in set(delivered) - {K.DEADLINE_APPROACHING}:
        assert "List-Unsubscribe-Post" not in delivered[kind]
        assert "Stop these" not in parts(delivered[kind])[0]


def test_both_parts_say_the_same_with_every_placeholder_filled(delivered, cohort, recipient, pair):
    partner_name = pair.mentee.applicant.display_name
    about = {
        K.ORIENTATION: [cohort.title, long_date(cohort.orientation_date), "6:30 PM"],
        K.DEADLINE_APPROACHING: [cohort.title, long_date(cohort.application_deadline)],
        K.MATCHED: [cohort.title, partner_name],
        K.CHECKIN: [partner_name],
        K.PROGRAM_ENDS: [cohort.title, long_date(cohort.formal_end), partner_name],
    }
    for kind, message in delivered.items():
        text, markup = parts(message)
        html_part = Paragraphs(markup)
        sentence = html_part.after_greeting()
        assert f"Dear {HOSTILE_FIRST_NAME}," in html_part.paragraphs, kind
        assert f"Dear {HOSTILE_FIRST_NAME}," in text, kind
        assert sentence in collapsed(text), kind
        for fragment in about[kind]:
            assert fragment in sentence, (kind, fragment)
        for content in (message["Subject"], text, markup):
            assert not LEFTOVER_PLACEHOLDER.search(content), (kind, content)


def test_the_html_part_escapes_what_members_wrote(delivered):
    for kind, message in delivered.items():
        _, markup = parts(message)
        assert HOSTILE_FIRST_NAME not in markup, kind
        assert html.escape(HOSTILE_FIRST_NAME) in markup, kind
        assert "<b>Co</b>" not in markup, kind
    _, checkin = parts(delivered[K.CHECKIN])
    assert html.escape(PARTNER_LAST_NAME) in checkin


def test_the_checkin_carries_three_signed_answer_links_in_both_parts(delivered, rows):
    text, markup = parts(delivered[K.CHECKIN])
    answers = [url for url in URL.findall(text) if "/check-in/" in url]
    assert len(answers) == len(CheckInAnswerChoice.choices) == 3
    read = [links.checkin_read(signed_link(url, "reminder_checkin")) for url in answers]
    assert read == [(rows[K.CHECKIN].pk, value) for value in CheckInAnswerChoice.values]
    assert [href for href in Paragraphs(markup).hrefs if "/check-in/" in href] == answers
    for kind in set(delivered) - {K.CHECKIN}:
        assert "/check-in/" not in parts(delivered[kind])[0]


def test_the_orientation_attaches_its_calendar_entry(delivered, cohort):
    message = delivered[K.ORIENTATION]
    assert message.get_content_type() == "multipart/mixed"
    [attachment] = list(message.iter_attachments())
    assert attachment.get_filename() == "orientation.ics"
    assert attachment.get_content_type() == "text/calendar"
    calendar = icalendar.Calendar.from_ical(attachment.get_content())
    [event] = calendar.walk("VEVENT")
    zone = ZoneInfo(timezone.get_default_timezone_name())
    starts = datetime.datetime.combine(cohort.orientation_date, ORIENTATION_TIME, tzinfo=zone)
    assert event.decoded("DTSTART") == starts
    assert "meet.example.org/orientation" in str(event.get("DESCRIPTION"))
    for kind in set(delivered) - {K.ORIENTATION}:
        assert delivered[kind].get_content_type() == "multipart/alternative", kind
        assert list(delivered[kind].iter_attachments()) == [], kind


# ---- When delivery goes wrong ------------------------------------------------------------


@pytest.fixture
def closed_port(settings) -> int:
    """Django's mail pointed at a port on 127.0.0.1 where nothing listens."""
    port = free_port()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    return port


def checkins(cohort, pair) -> list[OutboxMessage]:
    """Queued check-ins for both partners, the mentor's first."""
    recipients = [(pair.mentor.applicant_id, pair.pk), (pair.mentee.applicant_id, pair.pk)]
    ids = outbox_add(kind=K.CHECKIN, cohort=cohort, period="q1", recipients=recipients)
    return list(OutboxMessage.objects.filter(pk__in=ids).order_by("pk"))


def test_a_mail_server_that_is_down_means_a_retry_later(closed_port, cohort, pair):
    first, second = checkins(cohort, pair)
    with time_machine.travel(timezone.now(), tick=False):
        assert outbox_deliver(ids=[first.pk, second.pk]) == 0
        now = timezone.now()
    first.refresh_from_db()
    assert (first.status, first.attempts) == (S.QUEUED, 1)
    assert first.last_error.startswith("ConnectionRefusedError")
    assert first.next_attempt_at == now + RETRY_DELAYS[0] > now
    assert first.claim and first.enqueued_at is None
    # The batch stopped at the first refusal: the server is down for the others too.
    second.refresh_from_db()
    assert (second.status, second.attempts, second.last_error) == (S.QUEUED, 0, "")


def test_a_row_not_yet_due_for_its_retry_waits(closed_port, cohort, pair):
    first, _ = checkins(cohort, pair)
    outbox_deliver(ids=[first.pk])
    assert outbox_deliver(ids=[first.pk]) == 0
    first.refresh_from_db()
    assert first.attempts == 1


def test_after_the_last_attempt_the_row_fails(closed_port, cohort, pair):
    first, _ = checkins(cohort, pair)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        for attempt in range(1, MAX_ATTEMPTS + 1):
            outbox_deliver(ids=[first.pk])
            first.refresh_from_db()
            assert first.attempts == attempt
            if attempt < MAX_ATTEMPTS:
                assert first.status == S.QUEUED
                assert first.next_attempt_at == timezone.now() + RETRY_DELAYS[attempt - 1]
                clock.move_to(first.next_attempt_at)
        assert first.status == S.FAILED
        assert first.last_error.startswith("ConnectionRefusedError")
        # A failed row is never tried again by the workers.
        clock.shift(datetime.timedelta(days=1))
        outbox_deliver(ids=[first.pk])
    first.refresh_from_db()
    assert (first.status, first.attempts) == (S.FAILED, MAX_ATTEMPTS)


@pytest.fixture
def mail_server(closed_port):
    """Starts an SMTP server with the given handler on the mail port; stops it afterwards."""
    controllers = []

    def start(handler, **options):
        controller = Controller(handler, hostname="127.0.0.1", port=closed_port, **options)
        controller.start()
        controllers.append(controller)
        return handler

    yield start
    for controller in controllers:
        controller.stop()


class Refusing(Inbox):
    """An SMTP server that refuses one address with a 550, at RCPT or after DATA."""

    def __init__(self, *, address: str, stage: str):
        super().__init__()
        self.address, self.stage = address, stage

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.stage == "RCPT" and address == self.address:
            return "550 5.1.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.stage == "DATA" and self.address in envelope.rcpt_tos:
            return "550 5.7.1 Message refused"
        return await super().handle_DATA(server, session, envelope)


@pytest.mark.parametrize("stage", ["RCPT", "DATA"])
def test_a_550_refusal_fails_at_once_and_the_batch_goes_on(mail_server, stage, cohort, pair):
    inbox = mail_server(Refusing(address=pair.mentor.applicant.email, stage=stage))
    refused, accepted = checkins(cohort, pair)
    assert outbox_deliver(ids=[refused.pk, accepted.pk]) == 1
    refused.refresh_from_db()
    assert (refused.status, refused.attempts, refused.next_attempt_at) == (S.FAILED, 1, None)
    assert "550" in refused.last_error
    accepted.refresh_from_db()
    assert accepted.status == S.SENT
    assert [m["To"] for m in inbox.messages] == [pair.mentee.applicant.email]


class Greylisting(Inbox):
    """An SMTP server that asks for every recipient to be tried again later."""

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        return "450 4.2.0 Greylisted, please try again later"


def test_a_temporary_refusal_of_a_recipient_is_retried(mail_server, cohort, pair):
    mail_server(Greylisting())
    first, second = checkins(cohort, pair)
    assert outbox_deliver(ids=[first.pk, second.pk]) == 0
    for row in (first, second):
        row.refresh_from_db()
        assert (row.status, row.attempts) == (S.QUEUED, 1)
        assert row.next_attempt_at > timezone.now()
        assert "450" in row.last_error


def test_a_failed_login_fails_no_message(mail_server, settings, cohort, pair):
    """Wrong SMTP credentials are the portal's configuration: the batch stops and waits."""
    mail_server(
        Inbox(),
        authenticator=lambda *args: AuthResult(success=False, handled=False),
        auth_require_tls=False,
    )
    settings.EMAIL_HOST_USER, settings.EMAIL_HOST_PASSWORD = "portal", "expired-password"
    first, second = checkins(cohort, pair)
    assert outbox_deliver(ids=[first.pk, second.pk]) == 0
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.attempts) == (S.QUEUED, 1)
    assert first.last_error.startswith("SMTPAuthenticationError")
    assert (second.status, second.attempts) == (S.QUEUED, 0)


# ---- Exactly once ----------------------------------------------------------------------


def test_delivering_the_same_rows_twice_sends_them_once(smtp_inbox, cohort, pair):
    ids = [row.pk for row in checkins(cohort, pair)]
    assert outbox_deliver(ids=ids) == 2
    assert outbox_deliver(ids=ids) == 0
    assert sorted(m["Message-ID"] for m in smtp_inbox.messages) == [
        f"<outbox.{pk}.checkin@testserver>" for pk in ids
    ]


def test_a_row_another_worker_claimed_meanwhile_is_left_to_it(
    smtp_inbox, cohort, pair, monkeypatch
):
    """Two workers load the same row; the one that claims it second sends nothing."""
    first, second = checkins(cohort, pair)
    render = Renderer.render

    def render_while_another_worker_claims(renderer, message):
        if message.pk == first.pk:
            OutboxMessage.objects.filter(pk=first.pk).update(
                status=S.SENDING, claim="another-worker", claimed_at=timezone.now()
            )
        return render(renderer, message)

    monkeypatch.setattr(Renderer, "render", render_while_another_worker_claims)
    assert outbox_deliver(ids=[first.pk, second.pk]) == 1
    first.refresh_from_db()
    assert (first.status, first.claim, first.attempts) == (S.SENDING, "another-worker", 0)
    assert [m["Message-ID"] for m in smtp_inbox.messages] == [
        f"<outbox.{second.pk}.checkin@testserver>"
    ]
