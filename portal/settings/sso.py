"""Single sign-on settings, read by base.py (README: Single sign-on)."""

from django.core.exceptions import ImproperlyConfigured

from portal.settings.environment import env, env_bool, env_list

# --- Single sign-on (sso) ---
# "Log in with your association account": OpenID Connect with the association's identity
# provider (README: Single sign-on). Off while SSO_ISSUER is empty; then nothing changes.
# SSO_ISSUER is the issuer exactly as the provider's discovery document names it.
SSO_ISSUER = (env("SSO_ISSUER", "") or "").strip()
SSO_CLIENT_ID = env("SSO_CLIENT_ID", "")
SSO_CLIENT_SECRET = env("SSO_CLIENT_SECRET", "")
SSO_SCOPES = env_list("SSO_SCOPES", "openid,email,profile")
# The button reads "Log in with your <SSO_ASSOCIATION> account" unless SSO_BUTTON_LABEL says
# otherwise.
SSO_ASSOCIATION = env("SSO_ASSOCIATION", "association")
SSO_BUTTON_LABEL = env("SSO_BUTTON_LABEL", "")
# Which claims carry the member number, the membership's expiry date, and an "active member"
# flag (true/false, or a list such as groups that must hold SSO_ACTIVE_VALUE).
SSO_CLAIM_MEMBER_NUMBER = env("SSO_CLAIM_MEMBER_NUMBER", "member_number")
SSO_CLAIM_EXPIRES = env("SSO_CLAIM_EXPIRES", "membership_expires")
SSO_CLAIM_ACTIVE = env("SSO_CLAIM_ACTIVE", "")
SSO_ACTIVE_VALUE = env("SSO_ACTIVE_VALUE", "")
# Off: only the association's sign-on logs anyone in (administrators included).
SSO_PASSWORD_LOGIN = env_bool("SSO_PASSWORD_LOGIN", True)
SSO_PROVIDER_ID = "association"


def openid_connect_providers(
    *, issuer: str, client_id: str, secret: str, scopes: list[str], name: str
) -> dict:
    """allauth's SOCIALACCOUNT_PROVIDERS for one OpenID Connect provider: PKCE on, and the
    ID token's issuer must be the configured one (not merely the discovery document's)."""
    if not issuer:
        return {}
    app = {
        "provider_id": SSO_PROVIDER_ID,
        "name": name,
        "client_id": client_id,
        "secret": secret,
        "settings": {
            "server_url": issuer,
            "scope": scopes,
            "oauth_pkce_enabled": True,
            "openid_configuration_overrides": {"issuer": issuer},
        },
    }
    return {"openid_connect": {"APPS": [app]}}


SOCIALACCOUNT_PROVIDERS = openid_connect_providers(
    issuer=SSO_ISSUER,
    client_id=SSO_CLIENT_ID or "",
    secret=SSO_CLIENT_SECRET or "",
    scopes=SSO_SCOPES,
    name=SSO_ASSOCIATION or "association",
)
# Linking to an existing account and membership from the claims: members/sso/adapter.py.
SOCIALACCOUNT_ADAPTER = "members.sso.adapter.SocialAccountAdapter"
SOCIALACCOUNT_AUTO_SIGNUP = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_LOGIN_ON_GET = False
# The refresh token, for the daily membership refresh (members/sso/tasks.py), encrypted at
# rest under NOTES_ENCRYPTION_KEYS (members/sso/tokens.py).
SOCIALACCOUNT_STORE_TOKENS = True
SOCIALACCOUNT_REQUESTS_TIMEOUT = 10
if SSO_ISSUER and not (SSO_CLIENT_ID and SSO_CLIENT_SECRET):
    raise ImproperlyConfigured("SSO_ISSUER is set: set SSO_CLIENT_ID and SSO_CLIENT_SECRET too.")
# --- end single sign-on ---
