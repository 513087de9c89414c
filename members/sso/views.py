"""The sign-on's own pages: starting a login (allauth's view, with a page for a provider
that does not answer) and logging out of the portal and of the association's sign-on."""

import logging
from urllib.parse import urlencode

from allauth.account.adapter import get_adapter as get_account_adapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import get_adapter
from allauth.socialaccount.providers.base.constants import AuthProcess
from allauth.socialaccount.providers.openid_connect import views as openid_connect_views
from allauth.utils import get_request_param
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist
from django.shortcuts import redirect
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from requests import RequestException

from members.sso.adapter import PROVIDER_DOWN, sign_on_refused
from members.sso.provider import connect_refused

logger = logging.getLogger(__name__)

LOGGED_OUT_HERE_ONLY = (
    "You are logged out of the portal. The association's sign-on could not be reached, so "
    "you may still be logged in there."
)


@never_cache
def login(request, provider_id: str):
    """allauth's OpenID Connect login; a provider whose discovery document cannot be read
    gets a page saying so instead of a server error. A connect process is refused before
    the page that leads to the provider (and again by the provider, members/sso/provider.py)."""
    if get_request_param(request, "process", AuthProcess.LOGIN) != AuthProcess.LOGIN:
        return connect_refused(request)
    try:
        return openid_connect_views.login(request, provider_id)
    except ImmediateHttpResponse as refused:
        return refused.response
    except (RequestException, ValueError, KeyError) as error:
        logger.warning("Sign-on provider unreachable: %s", type(error).__name__)
        return sign_on_refused(request, PROVIDER_DOWN, status=503)


def end_session_url(request) -> str | None:
    """The provider's end-session address, bringing the member back to the portal's home
    page, or None where the provider has none or cannot be reached."""
    try:
        provider = get_adapter().get_provider(request, settings.SSO_PROVIDER_ID)
        endpoint = provider.get_oauth2_adapter(request).openid_config.get("end_session_endpoint")
    except (RequestException, ValueError, KeyError, ObjectDoesNotExist) as error:
        logger.warning("Sign-on end-session address unknown: %s", type(error).__name__)
        return None
    if not endpoint:
        return None
    query = {
        "client_id": provider.app.client_id,
        "post_logout_redirect_uri": f"{settings.SITE_URL}/",
    }
    return f"{endpoint}{'&' if '?' in endpoint else '?'}{urlencode(query)}"


@never_cache
@require_POST
def logout_everywhere(request):
    """Log out of the portal (every device), then of the association's sign-on."""
    url = end_session_url(request) if settings.SSO_ISSUER else None
    get_account_adapter(request).logout(request)
    if url is None:
        messages.info(request, LOGGED_OUT_HERE_ONLY)
        return redirect("/")
    return redirect(url)
