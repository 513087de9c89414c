"""Fixtures of the single sign-on tests: a real OpenID Connect provider on loopback (one per
test process) and the portal configured to use it."""

import pytest

from portal.settings.sso import openid_connect_providers
from tests.oidc_provider.provider import running_provider

CALLBACK = "http://testserver/accounts/oidc/association/login/callback/"


@pytest.fixture(scope="session")
def oidc_provider():
    """Node's oidc-provider, started once for this test process."""
    with running_provider([CALLBACK], ["http://testserver/"]) as provider:
        yield provider


@pytest.fixture
def sso(oidc_provider, settings, site):
    """The portal's sign-on pointed at ``oidc_provider``, which behaves (no faults)."""
    settings.SSO_ISSUER = oidc_provider.issuer
    settings.SSO_CLIENT_ID = oidc_provider.client_id
    settings.SSO_CLIENT_SECRET = oidc_provider.client_secret
    settings.SSO_ASSOCIATION = "Library Association"
    settings.SSO_CLAIM_ACTIVE = ""
    settings.SSO_SCOPES = ["openid", "email", "profile", "membership", "offline_access"]
    settings.SOCIALACCOUNT_PROVIDERS = openid_connect_providers(
        issuer=oidc_provider.issuer,
        client_id=oidc_provider.client_id,
        secret=oidc_provider.client_secret,
        scopes=settings.SSO_SCOPES,
        name=settings.SSO_ASSOCIATION,
    )
    oidc_provider.faults()
    yield oidc_provider
    oidc_provider.faults()
