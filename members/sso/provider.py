"""allauth's OpenID Connect provider, sending a nonce with each login.

allauth's generic provider checks the ID token's signature (where needed), issuer, audience
and expiry, and keeps the state and PKCE verifier in the session; it sends no nonce. This
one sends a fresh nonce with every authorisation request and keeps it in that login's
state, so an ID token issued for another login (a replayed one) is refused
(``SocialAccountAdapter.pre_social_login``).
https://openid.net/specs/openid-connect-core-1_0.html#NonceNotes

Only the login process starts here. allauth's "connect" process (``?process=connect``)
would link the identity to whoever is logged in, and the portal's linking rules
(members/services/sso.py) would then pick the account by the identity's claims, which may
be another member's: an account is linked by logging in with the sign-on, nowhere else.
"""

import logging

from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.providers.base.constants import AuthProcess
from allauth.socialaccount.providers.openid_connect.provider import OpenIDConnectProvider
from django.contrib import messages
from django.shortcuts import redirect
from django.utils.crypto import get_random_string

logger = logging.getLogger(__name__)

NONCE_LENGTH = 32
CONNECT_REFUSED = (
    "The association's sign-on cannot be linked from here. To link it, log in with the "
    "association's button on the login page (after logging out): the account with the same "
    "confirmed e-mail address, or the verified member with the same member number, is "
    "linked. Nothing was changed."
)


def connect_refused(request):
    """Where any process but a login ends: the "Your association sign-on" page, saying
    why, with nothing written."""
    logger.warning("Sign-on refused: not a login process")
    messages.error(request, CONNECT_REFUSED)
    return redirect("socialaccount_connections")


def login_process(sociallogin) -> bool:
    """Whether this sign-on answer belongs to a login (not a connect process)."""
    return (sociallogin.state or {}).get("process") == AuthProcess.LOGIN


class AssociationProvider(OpenIDConnectProvider):
    def redirect(self, request, process, next_url=None, data=None, **kwargs):
        if process != AuthProcess.LOGIN:
            raise ImmediateHttpResponse(connect_refused(request))
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
