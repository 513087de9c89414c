"""What a pair asks of the subcommittee from the dashboard: help, and a change of partner that
needs the partner's consent and keeps the reason to its author."""

import pytest
from django.utils.html import escape

from cohorts.choices import ChangeRequestStatus
from cohorts.models import ChangeRequest, SupportRequest
from cohorts.pairs.services import pairs as pair_services
from cohorts.pairs.views import dashboard as views
from tests.cohorts.pairs.dashboard.helpers import url
from tests.helpers import client_for, html, messages_of

pytestmark = pytest.mark.django_db


# Help and a change of partner ----------------------------------------------------------------


def test_a_support_request_goes_to_the_subcommittee(dashboard, pair, mentor, mentee):
    client = client_for(mentee)
    page = html(client.get(url(dashboard, pair, "support")))
    assert "This message is not a note." in page and "answer you by e-mail" in page

    response = client.post(url(dashboard, pair, "support"), {"message": "We cannot meet."})
    assert response.status_code == 302
    request = SupportRequest.objects.get()
    assert (request.author, request.message) == (mentee, "We cannot meet.")
    pair_services.support_request_answer(
        request_id=request.pk, coordinator=pair.confirmed_by, answer="Try a phone call."
    )
    page = html(client.get(url(dashboard, pair, "support")))
    assert "We cannot meet." in page and "Try a phone call." in page
    assert "We cannot meet." not in html(client_for(mentor).get(url(dashboard, pair, "support")))

    refused = client.post(url(dashboard, pair, "support"), {"message": "  "})
    assert refused.status_code == 200
    assert escape(pair_services.MESSAGE_EMPTY) in html(refused)
    assert SupportRequest.objects.count() == 1


def test_a_change_of_partner_needs_the_partners_consent(dashboard, pair, mentor, mentee):
    reason = "A reason only the subcommittee reads."
    asker, partner = client_for(mentee), client_for(mentor)
    page = html(asker.get(url(dashboard, pair, "change")))
    assert (
        "Only the subcommittee reads your reason; your partner is asked to agree to a change, "
        "without the reason." in page
    )
    ask = {"action": "ask", "message": reason}
    asked = html(asker.post(url(dashboard, pair, "change"), ask))
    # A confirmation first, carrying the reason; nothing is sent until it is confirmed.
    assert "Ask for a change of partner?" in asked and not ChangeRequest.objects.exists()
    assert (
        '<input type="hidden" name="message" value="A reason only the subcommittee reads.">'
        in asked
    )
    assert '<input type="hidden" name="confirmed" value="1">' in asked
    response = asker.post(url(dashboard, pair, "change"), {**ask, "confirmed": "1"})
    assert response.status_code == 302
    change = ChangeRequest.objects.get()
    assert (change.requested_by, change.reason) == (mentee, reason)

    seen_by_partner = html(partner.get(url(dashboard, pair, "change")))
    assert "Theo Mentee asks for a change of partner" in seen_by_partner
    assert reason not in seen_by_partner
    assert reason in html(asker.get(url(dashboard, pair, "change")))
    again = asker.post(
        url(dashboard, pair, "change"), {"action": "ask", "message": "Again", "confirmed": "1"}
    )
    assert again.status_code == 200 and ChangeRequest.objects.count() == 1

    answer = {"action": "consent", "change": change.pk}
    assert asker.post(url(dashboard, pair, "change"), answer).status_code == 302
    change.refresh_from_db()
    assert change.status == ChangeRequestStatus.AWAITING_CONSENT
    response = partner.post(url(dashboard, pair, "change"), answer)
    assert messages_of(response) == [views.CHANGE_CONSENTED]
    change.refresh_from_db()
    assert change.status == ChangeRequestStatus.AWAITING_APPROVAL
    assert "Waiting for a coordinator" in html(asker.get(url(dashboard, pair, "change")))


def test_the_asker_withdraws_and_the_history_keeps_the_reason_to_its_author(
    dashboard, pair, mentor, mentee
):
    change = pair_services.change_request_create(pair=pair, user=mentor, reason="Mentor's why")
    response = client_for(mentor).post(
        url(dashboard, pair, "change"), {"action": "withdraw", "change": change.pk}
    )
    assert messages_of(response) == [views.CHANGE_WITHDRAWN]
    change.refresh_from_db()
    assert change.status == ChangeRequestStatus.WITHDRAWN
    assert "Mentor&#x27;s why" in html(client_for(mentor).get(url(dashboard, pair, "change")))
    seen_by_mentee = html(client_for(mentee).get(url(dashboard, pair, "change")))
    assert "Maria Mentor asked on" in seen_by_mentee and "Mentor&#x27;s why" not in seen_by_mentee
    assert "Ask for a change of partner" in seen_by_mentee
