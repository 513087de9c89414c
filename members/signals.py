"""Connects allauth's and Django's account events to the member services."""

from allauth.account.signals import email_confirmed
from allauth.socialaccount.models import SocialToken
from django.contrib.auth import HASH_SESSION_KEY
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.db.models.signals import pre_save
from django.dispatch import receiver

from members.services.sessions import member_sessions_end
from members.services.verification import member_verify_from_roster
from members.sso.tokens import token_seal


@receiver(email_confirmed)
def verify_on_email_confirmed(request, email_address, **kwargs):
    member_verify_from_roster(user=email_address.user)


@receiver(user_logged_out)
def end_every_session_on_logout(request, user, **kwargs):
    if user is not None:
        member_sessions_end(user=user)


@receiver(user_logged_in)
def stamp_the_current_session_generation(request, user, **kwargs):
    # login() hashed the user object it was given; if that object predates a logout
    # elsewhere, its generation is stale and the new session would end at once.
    user.refresh_from_db(fields=["session_generation"])
    if request is not None and hasattr(request, "session"):
        request.session[HASH_SESSION_KEY] = user.get_session_auth_hash()


@receiver(pre_save, sender=SocialToken)
def seal_sign_on_tokens(sender, instance, **kwargs):
    # Every write of allauth's token row, wherever allauth makes it (members/sso/tokens.py).
    instance.token = token_seal(instance.token)
    instance.token_secret = token_seal(instance.token_secret)
