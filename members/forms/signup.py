"""allauth's sign-up form as the portal uses it (``ACCOUNT_FORMS["signup"]``).

Apart from ``members.forms`` because allauth builds its own sign-up form on
``SignupDetailsForm`` (``ACCOUNT_SIGNUP_FORM_CLASS``) there: this subclass of it can only be
defined once that module is loaded.
"""

from allauth.account.forms import SignupForm
from django.contrib.auth.hashers import make_password


class MemberSignupForm(SignupForm):
    """Sign-up that costs the same whether or not the address already has an account.

    allauth answers a taken address like a new one (``ACCOUNT_PREVENT_ENUMERATION``), but a
    new account hashes its password and a taken address did not: about 0.05 s against
    0.28 s, enough to tell which addresses have accounts. Hashing the password given on the
    taken-address path too makes both one hash; the hash is thrown away.
    """

    def try_save(self, request):
        if self.account_already_exists:
            make_password(self.cleaned_data.get("password1") or None)
        return super().try_save(request)
