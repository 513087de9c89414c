from django import forms

from .services.verification import member_signup


class SignupDetailsForm(forms.Form):
    """The questions allauth's sign-up form adds to e-mail and password."""

    first_name = forms.CharField(max_length=150, label="First name")
    last_name = forms.CharField(max_length=150, label="Last name")
    member_number = forms.CharField(
        max_length=32,
        required=False,
        label="Member number (optional)",
        help_text=(
            "From your membership card or renewal e-mail. If the e-mail address you sign up "
            "with is the one the association has for you, you can leave this empty."
        ),
    )

    def signup(self, request, user):
        member_signup(
            user=user,
            first_name=self.cleaned_data["first_name"],
            last_name=self.cleaned_data["last_name"],
            member_number=self.cleaned_data["member_number"],
        )
