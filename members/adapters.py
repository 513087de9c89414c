"""How django-allauth creates accounts here: its sign-up form's answers go through the
members' own service, so the rules of a new account live in one place; and the client
address its rate limits count by is the portal's own (core/clients.py)."""

from allauth.account.adapter import DefaultAccountAdapter

from core.clients import client_ip
from members.services.verification import member_signup


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

    def get_client_ip(self, request) -> str:
        """The client's address as every limit of the portal sees it: the trusted proxy's
        word, never a header from anyone else (allauth would fail on a short header)."""
        return client_ip(request)
