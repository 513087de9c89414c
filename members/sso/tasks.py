"""The daily membership refresh from the association's sign-on (setup_schedules).

For each member who logged in with the sign-on and whose provider issued a refresh token,
the token endpoint gives a fresh access token and the user-info endpoint the member's
current claims, which go through the same rules as a login (members/services/sso.py): a
membership that lapsed at the association lapses here the next morning. A provider that
issues no refresh token leaves membership to the next login, or to the roster import.
"""

import logging
from datetime import timedelta

from allauth.socialaccount.adapter import get_adapter
from allauth.socialaccount.models import SocialToken
from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.utils import timezone
from django.views.decorators.debug import sensitive_variables
from requests import RequestException

from core.crypto import NotesKeyError
from members.services.sso import member_details_from_claims, membership_from_claims
from members.sso import sso_enabled
from members.sso.tokens import token_open

logger = logging.getLogger(__name__)


class RefreshFailed(Exception):
    """The provider refused or did not answer; the member's membership is left as it is."""


def sso_memberships_refresh() -> dict:
    """Refresh every linked member with a refresh token; counts of refreshed and failed."""
    counts = {"refreshed": 0, "failed": 0}
    if not sso_enabled():
        return counts
    try:
        provider = get_adapter().get_provider(None, settings.SSO_PROVIDER_ID)
        config = provider.get_oauth2_adapter(None).openid_config
    except (RequestException, ValueError, ObjectDoesNotExist) as error:
        logger.warning("Membership refresh skipped: %s", type(error).__name__)
        return counts
    tokens = (
        SocialToken.objects.filter(account__provider=settings.SSO_PROVIDER_ID)
        .exclude(token_secret="")
        .select_related("account__user")
        .order_by("pk")
    )
    for token in tokens:
        try:
            _refresh(token, provider.app, config)
        except RefreshFailed:
            counts["failed"] += 1
        else:
            counts["refreshed"] += 1
    # Counts only: never a token, a member's name or address.
    logger.info("Membership refresh: %(refreshed)d refreshed, %(failed)d failed", counts)
    return counts


def _refresh(token: SocialToken, app, config: dict) -> None:
    claims = _current_claims(token, app, config)
    user = token.account.user
    if str(claims.get("sub")) != token.account.uid or user.erased_at:
        raise RefreshFailed
    member_details_from_claims(user=user, claims=claims)
    membership_from_claims(user=user, claims=claims)


@sensitive_variables()
def _current_claims(token: SocialToken, app, config: dict) -> dict:
    try:
        data = {
            "grant_type": "refresh_token",
            "refresh_token": token_open(token.token_secret),
            "client_id": app.client_id,
            "client_secret": app.secret,
        }
        with get_adapter().get_requests_session() as session:
            response = session.post(config["token_endpoint"], data=data)
            response.raise_for_status()
            fresh = response.json()
            access = fresh["access_token"]
            _token_store(token, access, fresh)
            answer = session.get(
                config["userinfo_endpoint"], headers={"Authorization": f"Bearer {access}"}
            )
            answer.raise_for_status()
            return answer.json()
    except (RequestException, ValueError, KeyError, TypeError, NotesKeyError) as error:
        raise RefreshFailed from error


@sensitive_variables()
def _token_store(token: SocialToken, access: str, fresh: dict) -> None:
    """Keep the new tokens (sealed on save); a provider that sends no new refresh token
    leaves the stored one."""
    token.token = access
    token.token_secret = fresh.get("refresh_token") or token.token_secret
    if fresh.get("expires_in"):
        token.expires_at = timezone.now() + timedelta(seconds=int(fresh["expires_in"]))
    token.save(update_fields=["token", "token_secret", "expires_at"])
