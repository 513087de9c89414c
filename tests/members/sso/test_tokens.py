"""The sign-on's tokens at rest: encrypted under NOTES_ENCRYPTION_KEYS after a real login,
opened only by the daily refresh, re-encrypted by rotate_note_keys, and the tokens stored
before encryption encrypted by a data migration that may run again."""

import importlib
import json

import pytest
import requests
from allauth.socialaccount.models import SocialToken
from cryptography.fernet import Fernet
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from members.sso.tasks import sso_memberships_refresh
from members.sso.tokens import SEALED, token_open
from tests.members.sso.helpers import claims, sso_login

pytestmark = pytest.mark.django_db

encrypt_tokens = importlib.import_module("members.migrations.0008_sign_on_tokens_encrypted")


def raw_tokens() -> list[tuple[str, str]]:
    """The token columns exactly as the database (and so every backup) holds them."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT token, token_secret FROM socialaccount_socialtoken ORDER BY id")
        return cursor.fetchall()


def stored_session(client) -> str:
    """Everything the session store (SESSION_ENGINE) holds for this browser, decoded."""
    store = importlib.import_module(settings.SESSION_ENGINE).SessionStore
    return json.dumps(store(session_key=client.session.session_key).load())


def provider_accepts(provider, access_token: str) -> bool:
    """Whether the provider's user-info endpoint takes ``access_token``."""
    config = requests.get(f"{provider.issuer}/.well-known/openid-configuration", timeout=10)
    answer = requests.get(
        config.json()["userinfo_endpoint"],
        headers={"Authorization": f"Bearer {access_token}"},
        timeout=10,
    )
    return answer.status_code == 200


@pytest.fixture
def logged_in(sso, client):
    """Mei has logged in once with the sign-on: her tokens are stored."""
    sso.accounts(mei=claims("mei@example.org"))
    sso_login(client, sso, "mei")
    return sso


def test_after_a_login_the_database_holds_no_token_in_clear(logged_in):
    [(access, refresh)] = raw_tokens()

    assert access.startswith(SEALED) and refresh.startswith(SEALED)
    opened_access, opened_refresh = token_open(access), token_open(refresh)
    assert opened_access not in access and opened_refresh not in refresh
    assert provider_accepts(logged_in, opened_access), "the sealed value opens to the real token"
    assert not provider_accepts(logged_in, access)


def test_the_daily_refresh_opens_the_token_and_stores_the_new_ones_encrypted(logged_in):
    before = raw_tokens()

    assert sso_memberships_refresh() == {"refreshed": 1, "failed": 0}

    [(access, refresh)] = raw_tokens()
    assert (access, refresh) != before[0]
    assert access.startswith(SEALED) and refresh.startswith(SEALED)
    assert provider_accepts(logged_in, token_open(access))
    assert sso_memberships_refresh() == {"refreshed": 1, "failed": 0}, "the new one works too"


def test_a_second_login_stores_its_tokens_encrypted(logged_in, client):
    client.logout()
    sso_login(client, logged_in, "mei")

    [(access, refresh)] = raw_tokens()
    assert access.startswith(SEALED) and refresh.startswith(SEALED)
    assert provider_accepts(logged_in, token_open(access))


def test_tokens_no_key_opens_fail_the_refresh_without_an_error(logged_in, settings):
    settings.NOTES_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]

    assert sso_memberships_refresh() == {"refreshed": 0, "failed": 1}


def test_rotating_the_keys_reencrypts_the_tokens_under_the_newest(logged_in, settings):
    old_key = settings.NOTES_ENCRYPTION_KEYS[0]
    new_key = Fernet.generate_key().decode()
    before = raw_tokens()
    settings.NOTES_ENCRYPTION_KEYS = [new_key, old_key]

    call_command("rotate_note_keys", stdout=open("/dev/null", "w"))

    assert set(raw_tokens()[0]).isdisjoint(before[0])
    settings.NOTES_ENCRYPTION_KEYS = [new_key]
    assert sso_memberships_refresh() == {"refreshed": 1, "failed": 0}


def test_the_migration_encrypts_tokens_stored_in_clear_and_may_run_again(logged_in):
    token = SocialToken.objects.get()
    access, refresh = token_open(token.token), token_open(token.token_secret)
    # As stored before encryption: update() writes the columns without the pre_save seal.
    SocialToken.objects.update(token=access, token_secret=refresh)
    assert raw_tokens() == [(access, refresh)]

    encrypt_tokens.tokens_seal(apps, None)
    once = raw_tokens()
    encrypt_tokens.tokens_seal(apps, None)

    assert raw_tokens() == once, "a second run changes nothing"
    [(sealed_access, sealed_refresh)] = once
    assert access not in sealed_access and refresh not in sealed_refresh
    assert (token_open(sealed_access), token_open(sealed_refresh)) == (access, refresh)
    assert sso_memberships_refresh() == {"refreshed": 1, "failed": 0}


def test_the_migration_reversed_gives_back_what_allauth_stored(logged_in):
    token = SocialToken.objects.get()
    clear = (token_open(token.token), token_open(token.token_secret))

    encrypt_tokens.tokens_open(apps, None)

    assert raw_tokens() == [clear]


def test_a_pending_sign_up_keeps_the_tokens_out_of_the_session_store(sso, client, settings):
    """allauth keeps the login in the session while its sign-up form waits; a member may
    leave it there, and the session store holds it until the session expires."""
    settings.SOCIALACCOUNT_AUTO_SIGNUP = False
    sso.accounts(mei=claims("mei@example.org"))

    response = sso_login(client, sso, "mei")

    assert response["Location"] == reverse("socialaccount_signup")
    pending = stored_session(client)
    assert "socialaccount_sociallogin" in pending
    assert SocialToken.objects.count() == 0
    signup = {"email": "mei@example.org", "first_name": "Mei", "last_name": "Haddad"}
    assert client.post(reverse("socialaccount_signup"), signup).status_code == 302
    [(access, refresh)] = raw_tokens()
    assert access.startswith(SEALED) and refresh.startswith(SEALED)
    opened_access, opened_refresh = token_open(access), token_open(refresh)
    assert provider_accepts(sso, opened_access), "the token stored at sign-up is the real one"
    assert opened_access not in pending and opened_refresh not in pending
    assert "socialaccount_sociallogin" not in stored_session(client)
    assert sso_memberships_refresh() == {"refreshed": 1, "failed": 0}
