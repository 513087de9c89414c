import zoneinfo
from functools import cache

from django import forms

from members.choices import CareerStage, ContactMethod, LibraryType
from members.models import AreaOfInterest, MemberProfile

# The zones most members are in, first and by their everyday names; every other zone
# follows, sorted, so nobody has to scroll through "Africa/..." to reach Chicago.
COMMON_TIME_ZONES = [
    ("America/New_York", "Eastern time (New York, Toronto)"),
    ("America/Chicago", "Central time (Chicago, Winnipeg)"),
    ("America/Denver", "Mountain time (Denver, Edmonton)"),
    ("America/Phoenix", "Mountain time without daylight saving (Phoenix)"),
    ("America/Los_Angeles", "Pacific time (Los Angeles, Vancouver)"),
    ("America/Anchorage", "Alaska time (Anchorage)"),
    ("Pacific/Honolulu", "Hawaii time (Honolulu)"),
    ("America/Halifax", "Atlantic time (Halifax)"),
    ("America/St_Johns", "Newfoundland time (St. John's)"),
    ("America/Regina", "Central time without daylight saving (Regina)"),
    ("America/Puerto_Rico", "Atlantic time without daylight saving (Puerto Rico)"),
]
# Old aliases (US/Central, EST5EDT, Etc/GMT+6) that only make the list longer.
LEGACY_ZONE_PREFIXES = ("Etc/", "US/", "Canada/", "SystemV/", "posix", "right/")


@cache
def time_zone_choices() -> list:
    """The time zone select: common North American zones first, then every other zone."""
    common = {name for name, _ in COMMON_TIME_ZONES}
    others = sorted(
        name
        for name in zoneinfo.available_timezones()
        if name not in common
        and ("/" in name or name == "UTC")
        and not name.startswith(LEGACY_ZONE_PREFIXES)
    )
    return [
        ("United States and Canada", COMMON_TIME_ZONES),
        ("Other time zones", [(name, name.replace("_", " ")) for name in others]),
    ]


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
        """Nothing more to do here: ``members.adapters.AccountAdapter`` records the answers."""


class ProfileForm(forms.Form):
    """What a member says about themself; ``member_profile_update`` checks it again and saves.

    Built with the account's user and profile, whose current values become the initial ones.
    """

    first_name = forms.CharField(max_length=150, label="First name")
    last_name = forms.CharField(max_length=150, label="Last name")
    pronouns = forms.CharField(
        max_length=40,
        required=False,
        label="Pronouns",
        help_text="For example she/her, he/him or they/them. Shown to your partner.",
    )
    institution = forms.CharField(
        max_length=160, label="Institution", help_text="Your library, company or school."
    )
    position = forms.CharField(max_length=160, label="Position or job title")
    library_type = forms.ChoiceField(
        choices=[("", "Choose one"), *LibraryType.choices], label="Library type"
    )
    career_stage = forms.ChoiceField(
        choices=[("", "Choose one"), *CareerStage.choices], label="Career stage"
    )
    years_experience = forms.IntegerField(
        min_value=0,
        max_value=70,
        required=False,
        label="Years of experience",
        help_text="Years working in libraries or information work, as a whole number.",
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    areas = forms.ModelMultipleChoiceField(
        queryset=AreaOfInterest.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Areas of interest and expertise",
        help_text="Choose any that apply; they help the committee find you a good match.",
    )
    time_zone = forms.ChoiceField(
        label="Time zone",
        help_text="So that your partner knows when to call.",
    )
    contact_methods = forms.MultipleChoiceField(
        choices=ContactMethod.choices,
        widget=forms.CheckboxSelectMultiple,
        label="Preferred contact methods",
        help_text="Every way you are happy to meet your partner.",
        error_messages={"required": "Choose at least one way to meet your partner."},
    )
    bio = forms.CharField(
        max_length=MemberProfile._meta.get_field("bio").max_length,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        label="A short bio",
        help_text="A few sentences about your work and what you hope to get from mentoring. "
        "Plain text; up to 1,500 characters.",
    )

    def __init__(self, *args, user, profile: MemberProfile, **kwargs):
        current = {
            "first_name": user.first_name,
            "last_name": user.last_name,
            "pronouns": profile.pronouns,
            "institution": profile.institution,
            "position": profile.position,
            "library_type": profile.library_type,
            "career_stage": profile.career_stage,
            "years_experience": profile.years_experience,
            "areas": list(profile.areas.all()) if profile.pk else [],
            "time_zone": profile.time_zone,
            "contact_methods": profile.contact_methods,
            "bio": profile.bio,
        }
        kwargs["initial"] = {**current, **(kwargs.get("initial") or {})}
        super().__init__(*args, **kwargs)
        choices = time_zone_choices()
        # A zone set elsewhere (by a coordinator, or an old alias) stays selectable.
        if profile.time_zone and not any(
            profile.time_zone == name for _, group in choices for name, _ in group
        ):
            choices = [*choices, ("Current", [(profile.time_zone, profile.time_zone)])]
        self.fields["time_zone"].choices = choices


class AccountDeleteForm(forms.Form):
    """Deleting an account asks for its password, or for an account with none (made by the
    association's sign-on) its e-mail address; ``member_account_delete`` checks either."""

    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text="To make sure it is you.",
    )
    confirmation = forms.CharField(
        label="Your e-mail address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
        help_text="Your account has no password: type its e-mail address to make sure it is you.",
    )

    def __init__(self, *args, has_password: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["confirmation" if has_password else "password"]
