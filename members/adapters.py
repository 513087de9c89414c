"""How django-allauth creates accounts here: its sign-up form's answers go through the
members' own service, so the rules of a new account live in one place."""

from allauth.account.adapter import DefaultAccountAdapter

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
