"""How django-allauth's social login works here (``SOCIALACCOUNT_ADAPTER``).

Every login through the association's sign-on passes ``pre_social_login``, before anything
is written: it must be a login (allauth's connect process is refused, members/sso/provider.py),
and the ID token must carry the nonce this login sent; then either the linked
account is refreshed from the claims, an existing account is linked (members/services/sso.py
says when), or nothing matches and allauth creates the account (``save_user``), whose
membership comes from the claims. A refusal renders a page that says why and writes nothing.
"""

import logging

from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialAccount, SocialToken
from allauth.socialaccount.providers.base.constants import AuthError
from allauth.socialaccount.providers.oauth2.client import OAuth2Error
from django.contrib import messages
from django.db import transaction
from django.shortcuts import render
from django.views.decorators.debug import sensitive_variables
from requests import RequestException

from members.services.sso import (
    SignOnRefused,
    member_details_from_claims,
    membership_from_claims,
    membership_wait_message,
    sso_account_to_link,
)
from members.sso.provider import (
    AssociationProvider,
    connect_refused,
    login_nonce_matches,
    login_process,
)
from members.sso.tokens import token_seal

logger = logging.getLogger(__name__)

NONCE_MISMATCH = (
    "The answer from the association's sign-on was not issued for this login (it may have "
    "been replayed). Nothing was changed; start again from the login page."
)
UNTRUSTED_IDENTITY = (
    "The association's sign-on sent an identity the portal cannot trust (its ID token was "
    "issued by another server, for another site, or has expired). Nothing was changed; try "
    "again, and if it happens again, tell the mentoring subcommittee."
)
PROVIDER_DOWN = (
    "The association's sign-on did not answer. Nothing was changed; try again in a few "
    "minutes, or log in with your e-mail address and password."
)
STATE_UNKNOWN = (
    "This sign-on answer was already used, has expired, or was started in another browser. "
    "Nothing was changed; start again from the login page."
)
CANCELLED = "The login with the association was cancelled. Nothing was changed."
FAILED = (
    "The association's sign-on could not log you in. Nothing was changed; try again from "
    "the login page."
)


def sign_on_refused(request, message: str, status: int = 400):
    """The page that says why the sign-on did not log this person in."""
    return render(
        request, "socialaccount/authentication_error.html", {"message": message}, status=status
    )


def login_claims(sociallogin) -> dict:
    """The claims of this login: the ID token's, with the user-info endpoint's over them."""
    data = sociallogin.account.extra_data or {}
    return {**(data.get("id_token") or {}), **(data.get("userinfo") or {})}


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    # What the "Your association sign-on" page (socialaccount/connections.html) says when
    # the link cannot be removed.
    error_messages = {
        **DefaultSocialAccountAdapter.error_messages,
        "no_password": (
            "Your account has no password, so without this link you could not log in. Set "
            "a password on your account page first, then unlink."
        ),
        "no_verified_email": (
            "Your account has no confirmed e-mail address, so without this link you could "
            "not log in. Confirm your address first, then unlink."
        ),
    }

    def get_provider(self, request, provider, client_id=None):
        found = super().get_provider(request, provider, client_id=client_id)
        if found.id == AssociationProvider.id and not isinstance(found, AssociationProvider):
            return AssociationProvider(request, app=found.app)
        return found

    def is_open_for_signup(self, request, sociallogin) -> bool:
        # The association vouches for its members, even where password sign-up is off.
        return True

    def pre_social_login(self, request, sociallogin) -> None:
        if not login_process(sociallogin):
            raise ImmediateHttpResponse(connect_refused(request))
        if not login_nonce_matches(sociallogin):
            raise ImmediateHttpResponse(sign_on_refused(request, NONCE_MISMATCH))
        claims = login_claims(sociallogin)
        if not sociallogin.is_existing:
            # The account stays locked until its link is written (sso_account_to_link).
            with transaction.atomic():
                user = self._account_to_link(request, sociallogin, claims)
                if user is None:
                    return
                sociallogin.connect(request, user)
        self._refresh(request, sociallogin.user, claims)

    def _account_to_link(self, request, sociallogin, claims):
        linked = SocialAccount.objects.filter(provider=sociallogin.account.provider)
        try:
            return sso_account_to_link(claims=claims, uid_accounts=linked)
        except SignOnRefused as refused:
            raise ImmediateHttpResponse(sign_on_refused(request, str(refused))) from refused

    def _refresh(self, request, user, claims) -> None:
        message = member_details_from_claims(user=user, claims=claims)
        if message:
            messages.warning(request, message)
        self._membership(request, user, claims)

    def _membership(self, request, user, claims) -> None:
        profile = membership_from_claims(user=user, claims=claims)
        if message := membership_wait_message(profile=profile):
            messages.warning(request, message)

    def populate_user(self, request, sociallogin, data):
        user = super().populate_user(request, sociallogin, data)
        user.email = (user.email or "").lower()
        return user

    def save_user(self, request, sociallogin, form=None):
        user = super().save_user(request, sociallogin, form=form)
        self._membership(request, user, login_claims(sociallogin))
        return user

    @sensitive_variables()
    def serialize_instance(self, instance):
        """allauth's copy of a model for the session, with a login's tokens sealed as in the
        database (members/sso/tokens.py): while the sign-up form waits, the login sits in the
        session store. The token restored from it keeps the sealed values, which the
        ``pre_save`` seal stores as they are, so only the daily refresh ever opens them."""
        data = super().serialize_instance(instance)
        if isinstance(instance, SocialToken):
            data["token"] = token_seal(data.get("token") or "")
            data["token_secret"] = token_seal(data.get("token_secret") or "")
        return data

    def on_authentication_error(
        self, request, provider, error=None, exception=None, extra_context=None
    ) -> None:
        message = _error_message(error, exception, extra_context or {})
        # The kind of failure only: never the callback's code, state or any token.
        logger.warning("Sign-on refused: %s", type(exception).__name__ if exception else error)
        raise ImmediateHttpResponse(sign_on_refused(request, message))


def _error_message(error, exception, extra_context: dict) -> str:
    if isinstance(exception, RequestException):
        return PROVIDER_DOWN
    if isinstance(exception, OAuth2Error):
        return PROVIDER_DOWN if "access token" in str(exception).lower() else UNTRUSTED_IDENTITY
    if error == AuthError.CANCELLED:
        return CANCELLED
    if exception is None and extra_context.get("state") is None:
        return STATE_UNKNOWN
    return FAILED
