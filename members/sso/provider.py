"""allauth's OpenID Connect provider, sending a nonce with each login.

allauth's generic provider checks the ID token's signature (where needed), issuer, audience
and expiry, and keeps the state and PKCE verifier in the session; it sends no nonce. This
one sends a fresh nonce with every authorisation request and keeps it in that login's
state, so an ID token issued for another login (a replayed one) is refused
(``SocialAccountAdapter.pre_social_login``).
https://openid.net/specs/openid-connect-core-1_0.html#NonceNotes
"""

from allauth.socialaccount.providers.openid_connect.provider import OpenIDConnectProvider
from django.utils.crypto import get_random_string

NONCE_LENGTH = 32


class AssociationProvider(OpenIDConnectProvider):
    def redirect(self, request, process, next_url=None, data=None, **kwargs):
        nonce = get_random_string(NONCE_LENGTH)
        auth_params = kwargs.pop("auth_params", None)
        if auth_params is None:
            auth_params = self.get_auth_params()
        kwargs["auth_params"] = {**auth_params, "nonce": nonce}
        return super().redirect(request, process, next_url, data, nonce=nonce, **kwargs)


def login_nonce_matches(sociallogin) -> bool:
    """Whether the ID token carries the nonce this login sent."""
    sent = (sociallogin.state or {}).get("nonce")
    id_token = (sociallogin.account.extra_data or {}).get("id_token") or {}
    return bool(sent) and id_token.get("nonce") == sent
