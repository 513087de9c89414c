"""How django-allauth creates accounts here: its sign-up form's answers go through the
members' own service, so the rules of a new account live in one place; and the client
address its rate limits count by is the portal's own (core/clients.py)."""

from allauth.account.adapter import DefaultAccountAdapter
from django import forms
from django.conf import settings

from core.clients import client_ip
from members.services.verification import member_signup
from members.sso import sso_button_label, sso_enabled

PASSWORD_LOGIN_OFF = "Log in with the association: use the button “{label}” above."  # noqa: S105 (a message)


class AccountAdapter(DefaultAccountAdapter):
    """allauth's adapter (``ACCOUNT_ADAPTER``), with the member's details recorded at sign-up."""

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            member_signup(
                user=user,
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
                member_number=form.cleaned_data.get("member_number", ""),
            )
        return user

    def password_login_off(self) -> bool:
        """Whether only the association's sign-on logs anyone in (SSO_PASSWORD_LOGIN off)."""
        return sso_enabled() and not settings.SSO_PASSWORD_LOGIN

    def is_open_for_signup(self, request) -> bool:
        return not self.password_login_off() and super().is_open_for_signup(request)

    def pre_authenticate(self, request, **credentials) -> None:
        if self.password_login_off():
            raise forms.ValidationError(PASSWORD_LOGIN_OFF.format(label=sso_button_label()))
        super().pre_authenticate(request, **credentials)

    def get_client_ip(self, request) -> str:
        """The client's address as every limit of the portal sees it: the trusted proxy's
        word, never a header from anyone else (allauth would fail on a short header)."""
        return client_ip(request)
