"""Error reports: Sentry events (SENTRY_DSN) and Django's e-mails to ADMINS carry the error,
never a note's text, a token, a cookie or who the member is."""

import pytest
import sentry_sdk
from django.core import mail
from sentry_sdk.integrations.django import DjangoIntegration
from sentry_sdk.transport import Transport

from cohorts.pairs.services import notes as note_services
from portal.error_reporting import FILTERED, path_scrub, sentry_options
from tests.cohorts.pairs.dashboard.helpers import url
from tests.helpers import client_for

pytestmark = pytest.mark.django_db

NOTE = "Private note: worried about telling my director about the job offer in Denver."
DSN = "https://public@sentry.example.invalid/1"


class CapturingTransport(Transport):
    """Keeps every envelope the SDK would send, serialized as it would go on the wire."""

    def __init__(self, options=None):
        super().__init__(options)
        self.sent: list[bytes] = []

    def capture_envelope(self, envelope) -> None:
        self.sent.append(envelope.serialize())


@pytest.fixture
def capture_sentry():
    """Start the SDK with the given options and a capturing transport; returns the
    transport. The SDK is switched off again after the test."""
    transports = []

    def start(**options) -> CapturingTransport:
        transport = CapturingTransport()
        sentry_sdk.init(**{**options, "transport": transport})
        transports.append(transport)
        return transport

    yield start
    sentry_sdk.get_client().close()
    sentry_sdk.get_global_scope().set_client(None)


@pytest.fixture
def failing_note_post(dashboard, pair, mentee, monkeypatch):
    """Posts a note that the notes service fails to save; returns the client's response."""

    def fail(**kwargs):
        raise RuntimeError("the notes key could not be loaded")

    monkeypatch.setattr(note_services, "note_add", fail)

    def post():
        client = client_for(mentee)
        client.raise_request_exception = False
        client.cookies["portal_marker"] = "cookie-value-never-sent"
        return client.post(
            url(dashboard, pair, "notes") + "?ref=tok-987654321",
            {"text": NOTE, "shared": "on"},
            HTTP_AUTHORIZATION="Bearer header-token-never-sent",
        )

    return post


def test_an_event_from_a_request_with_a_note_in_its_post_carries_no_note_text(
    capture_sentry, failing_note_post, mentee
):
    transport = capture_sentry(**sentry_options(dsn=DSN, environment="test"))

    assert failing_note_post().status_code == 500
    sentry_sdk.flush()

    [event] = [sent for sent in transport.sent if b'"type":"event"' in sent]
    assert b"RuntimeError" in event and b"the notes key could not be loaded" in event
    assert b'"function":"notes_section"' in event
    for secret in (
        NOTE,
        "worried about telling",
        mentee.email,
        "cookie-value-never-sent",
        "header-token-never-sent",
        "tok-987654321",
        "sessionid",
    ):
        assert secret.encode() not in event, secret
    assert b'"vars"' not in event


def test_without_the_portals_options_the_same_event_would_carry_the_note(
    capture_sentry, failing_note_post
):
    """The test above can fail: the SDK's own defaults send the body and frame variables."""
    transport = capture_sentry(
        dsn=DSN, integrations=[DjangoIntegration()], max_request_body_size="always"
    )

    assert failing_note_post().status_code == 500
    sentry_sdk.flush()

    assert any(b"worried about telling" in sent for sent in transport.sent)


def test_token_segments_of_an_address_are_filtered():
    link = "https://mentoring.example.org/reminders/check-in/MTIz:1vQx2b:AbCdEf123456789/"
    assert path_scrub(link) == f"https://mentoring.example.org/reminders/check-in/{FILTERED}/"
    assert path_scrub("/cohorts/2027-2028/apply/") == "/cohorts/2027-2028/apply/"
    assert path_scrub("/accounts/confirm-email/Mg:1vQx:abcdefghij1234/") == (
        f"/accounts/confirm-email/{FILTERED}/"
    )


def test_admins_get_the_error_by_email_without_the_note(failing_note_post, settings):
    settings.ADMINS = [("Ops", "ops@example.org")]

    assert failing_note_post().status_code == 500

    [report] = [m for m in mail.outbox if m.to == ["ops@example.org"]]
    assert "RuntimeError" in report.body and "/my-mentoring/" in report.body
    assert "worried about telling" not in report.body
    for alternative, _ in getattr(report, "alternatives", []):
        assert "worried about telling" not in alternative
