"""allauth's "connect" process (``?process=connect``), which would link an identity at the
association to whoever is logged in, against a real OpenID Connect provider: it is refused
wherever it starts, and nothing changes on any account. Accounts are linked only by logging
in with the association's button (test_login.py)."""

import datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from allauth.account.models import EmailAddress
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import get_adapter
from allauth.socialaccount.internal.statekit import STATES_SESSION_KEY
from allauth.socialaccount.models import SocialAccount
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core import mail
from django.urls import reverse

from members.choices import MembershipStatus
from members.models import MemberProfile
from members.sso.provider import CONNECT_REFUSED
from tests.factories import member
from tests.members.helpers import text
from tests.members.sso.helpers import LOGIN_PATH, claims, provider_login, written

pytestmark = pytest.mark.django_db

CONNECTIONS = reverse("socialaccount_connections")
BEA_NUMBER = "M300001"


def account_state(user) -> dict:
    """Everything a link or a refresh from the sign-on could change on ``user``."""
    user.refresh_from_db()
    profile = MemberProfile.objects.get(user=user)
    return {
        "user": (user.email, user.first_name, user.last_name),
        "addresses": sorted(
            EmailAddress.objects.filter(user=user).values_list("email", "verified", "primary")
        ),
        "membership": (
            profile.membership_status,
            profile.member_number,
            profile.membership_expires,
            profile.verification_method,
        ),
        "links": sorted(SocialAccount.objects.filter(user=user).values_list("uid", flat=True)),
    }


@pytest.fixture
def ana_and_bea(sso, client):
    """Ana, logged in with her password, waiting for verification; Bea, a verified member
    with a confirmed address and member number. At the provider: Bea's own identity, one
    carrying only Bea's number, and Ana's own identity."""
    ana = member("ana@example.org", status=MembershipStatus.PENDING)
    bea = member(
        "bea@example.org",
        member_number=BEA_NUMBER,
        membership_expires=datetime.date.today() + datetime.timedelta(days=30),
    )
    sso.accounts(
        bea=claims("bea@example.org", given_name="Beatriz", member_number=BEA_NUMBER),
        numbered=claims("someone@example.org", given_name="Sam", member_number=BEA_NUMBER),
        ana=claims("ana@example.org", given_name="Anabel", member_number="M300002"),
    )
    client.force_login(ana)
    return ana, bea


def connect(client, provider, login: str):
    """Ask for the connect process as a browser would (the POST that starts it, then the
    provider's login as ``login`` and the callback, should the portal send it there); the
    page the browser ends on."""
    response = client.post(f"{LOGIN_PATH}?process=connect")
    location = response["Location"]
    if location.startswith(provider.issuer):
        callback = provider.authorize(location, login, "http://testserver/")
        response = client.get(callback.removeprefix("http://testserver"))
    assert response.status_code == 302, response.content[:500]
    return client.get(response["Location"], follow=True)


@pytest.mark.parametrize(
    "login",
    ["bea", "numbered", "ana"],
    ids=["another member's address", "another member's number", "her own identity"],
)
def test_connecting_an_identity_is_refused_and_changes_no_account(sso, client, ana_and_bea, login):
    ana, bea = ana_and_bea
    before = (account_state(ana), account_state(bea), written())

    page = connect(client, sso, login)

    assert (account_state(ana), account_state(bea), written()) == before
    assert mail.outbox == [], "nobody is told of a link"
    assert page.request["PATH_INFO"] == CONNECTIONS
    assert CONNECT_REFUSED in text(page)
    assert int(client.session["_auth_user_id"]) == ana.pk, "Ana stays logged in as herself"


@pytest.mark.parametrize("method", ["get", "post"])
def test_the_connect_process_never_reaches_the_provider(sso, client, ana_and_bea, method):
    response = getattr(client, method)(f"{LOGIN_PATH}?process=connect")

    assert response.status_code == 302
    assert response["Location"] == CONNECTIONS
    assert not client.session.get(STATES_SESSION_KEY), "no login was started"


def test_a_visitor_who_is_not_logged_in_is_refused_too(sso, client):
    response = client.post(f"{LOGIN_PATH}?process=connect", follow=True)

    assert response.request["PATH_INFO"] == reverse("account_login")
    assert CONNECT_REFUSED in text(response)
    assert not client.session.get(STATES_SESSION_KEY)
    assert written() == (0, 0, 0)


def test_the_provider_itself_starts_no_connect_process(sso, client, rf, ana_and_bea):
    """Whatever address starts it: allauth's own views and tags all go through here."""
    request = rf.post(LOGIN_PATH)
    request.user, request.session = ana_and_bea[0], client.session
    request._messages = FallbackStorage(request)
    provider = get_adapter().get_provider(request, "association")

    with pytest.raises(ImmediateHttpResponse) as refused:
        provider.redirect(request, "connect")

    assert refused.value.response["Location"] == CONNECTIONS
    assert not request.session.get(STATES_SESSION_KEY)
    assert [str(message) for message in request._messages] == [CONNECT_REFUSED]


def test_a_connect_answer_coming_back_from_the_provider_changes_nothing(
    sso, client, ana_and_bea, caplog
):
    """A connect process that reaches the callback all the same (started before this
    refusal was in place, for one) is refused there, before anything is written."""
    ana, bea = ana_and_bea
    before = (account_state(ana), account_state(bea), written())
    location = client.post(LOGIN_PATH)["Location"]
    session = client.session
    states = session[STATES_SESSION_KEY]
    for stashed in states.values():
        stashed[0]["process"] = "connect"
    session[STATES_SESSION_KEY] = states
    session.save()
    callback = sso.authorize(location, "bea", "http://testserver/")

    response = client.get(callback.removeprefix("http://testserver"))

    assert (account_state(ana), account_state(bea), written()) == before
    assert response.status_code == 302
    assert response["Location"] == CONNECTIONS
    assert CONNECT_REFUSED in text(client.get(CONNECTIONS))
    query = parse_qs(urlsplit(callback).query)
    secrets = [query["code"][0], query["state"][0], parse_qs(urlsplit(location).query)["nonce"][0]]
    assert "Sign-on refused: not a login process" in caplog.text
    assert not [secret for secret in secrets if secret in caplog.text]
    assert int(client.session["_auth_user_id"]) == ana.pk


def test_logging_in_with_the_button_still_links_a_confirmed_address(sso, client, ana_and_bea):
    """The way an account is linked: logging in with the association's button."""
    ana, _ = ana_and_bea

    response = client.get(provider_login(client, sso, "ana"))

    assert response.status_code == 302
    assert account_state(ana)["links"] == ["ana"]
    assert int(client.session["_auth_user_id"]) == ana.pk
