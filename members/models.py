import zoneinfo

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils.crypto import salted_hmac

from members.choices import (
    CareerStage,
    ContactMethod,
    LibraryType,
    MembershipStatus,
    VerificationMethod,
)

FORMER_PARTICIPANT = "Former participant"
UNKNOWN_TIME_ZONE = "Choose a time zone from the list."
UNKNOWN_CONTACT_METHOD = "Choose contact methods from the list."


class EmailUserManager(UserManager):
    """Creates users keyed on their e-mail address; there is no username."""

    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person with an account on the portal; the e-mail address is the login."""

    username = None
    email = models.EmailField("e-mail address", unique=True)
    # Raising this ends every session of the account (see _get_session_auth_hash).
    session_generation = models.PositiveIntegerField(default=0, editable=False)
    # Set when the person deleted their account: personal data is gone, and their partner
    # sees "former participant" where their name was.
    erased_at = models.DateTimeField(null=True, blank=True, editable=False)

    USERNAME_FIELD = "email"
    # Nothing beyond the e-mail address and password, so that `createsuperuser --noinput`
    # needs only DJANGO_SUPERUSER_EMAIL and DJANGO_SUPERUSER_PASSWORD on a first start; the
    # name is filled in later under the admin's account settings.
    REQUIRED_FIELDS: list[str] = []

    objects = EmailUserManager()

    class Meta:
        verbose_name = "user"
        verbose_name_plural = "users"
        ordering = ["last_name", "first_name", "email"]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.erased_at:
            return FORMER_PARTICIPANT
        return self.get_full_name() or self.email

    def _get_session_auth_hash(self, secret=None):
        # Django keeps a session only while this hash matches the one stored in it, so
        # mixing in the generation lets one logout end the account's other sessions too.
        # https://docs.djangoproject.com/en/5.2/topics/auth/default/#session-invalidation-on-password-change
        key_salt = "members.User.session_auth_hash"
        value = f"{self.password}:{self.session_generation}"
        return salted_hmac(key_salt, value, secret=secret, algorithm="sha256").hexdigest()


class AreaOfInterest(models.Model):
    """A subject members are interested or expert in; editors extend the list as snippets."""

    name = models.CharField(max_length=80, unique=True)
    sort_order = models.PositiveSmallIntegerField(default=100)

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = "area of interest"
        verbose_name_plural = "areas of interest"

    def __str__(self):
        return self.name


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(UNKNOWN_TIME_ZONE)


def validate_contact_methods(value) -> None:
    if not isinstance(value, list) or not set(value) <= set(ContactMethod.values):
        raise ValidationError(UNKNOWN_CONTACT_METHOD)


class MemberProfile(models.Model):
    """What a member says about themself, and whether the association counts them a member.

    The member edits the profile fields; only coordinators (through services) change the
    membership fields.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="profile",
        verbose_name="member",
    )
    pronouns = models.CharField(max_length=40, blank=True)
    institution = models.CharField(max_length=160, blank=True)
    position = models.CharField("position or job title", max_length=160, blank=True)
    library_type = models.CharField(max_length=20, choices=LibraryType.choices, blank=True)
    career_stage = models.CharField(max_length=20, choices=CareerStage.choices, blank=True)
    years_experience = models.PositiveSmallIntegerField(
        "years of experience", null=True, blank=True, validators=[MaxValueValidator(70)]
    )
    areas = models.ManyToManyField(
        AreaOfInterest, blank=True, related_name="profiles", verbose_name="areas of interest"
    )
    time_zone = models.CharField(
        max_length=64, default="America/Chicago", validators=[validate_time_zone]
    )
    contact_methods = models.JSONField(
        "preferred contact methods",
        default=list,
        blank=True,
        validators=[validate_contact_methods],
    )
    bio = models.TextField("short bio", max_length=1500, blank=True)

    member_number = models.CharField(max_length=32, blank=True)
    membership_status = models.CharField(
        max_length=20, choices=MembershipStatus.choices, default=MembershipStatus.PENDING
    )
    membership_expires = models.DateField(null=True, blank=True)
    verification_method = models.CharField(
        max_length=20, choices=VerificationMethod.choices, blank=True
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decline_reason = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "member"
        verbose_name_plural = "members"
        ordering = ["user__last_name", "user__first_name"]
        indexes = [models.Index(fields=["membership_status"])]
        constraints = [
            # A member number binds to one account (members.services.verification,
            # membership_bind): checked there first, and here for two logins or roster
            # matches at the same instant. A coordinator's decision is deliberate, so it
            # is not bound by this.
            models.UniqueConstraint(
                Lower("member_number"),
                condition=models.Q(
                    membership_status=MembershipStatus.VERIFIED,
                    verification_method__in=[
                        VerificationMethod.ROSTER,
                        VerificationMethod.SIGN_ON,
                    ],
                )
                & ~models.Q(member_number=""),
                name="member_number_verified_automatically_once",
            )
        ]

    def __str__(self):
        return str(self.user)


class MemberRoster(models.Model):
    """One member on the association's roster, as the membership staff export it.

    Coordinators import the roster as CSV; an account whose e-mail or member number
    matches an unexpired entry is a verified member.
    """

    member_number = models.CharField(max_length=32, unique=True)
    email = models.EmailField(db_index=True)
    first_name = models.CharField(max_length=150, blank=True)
    last_name = models.CharField(max_length=150, blank=True)
    membership_expires = models.DateField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["last_name", "first_name", "member_number"]
        constraints = [
            models.UniqueConstraint(
                Lower("member_number"), name="member_roster_number_unique_any_case"
            )
        ]
        verbose_name = "roster entry"
        verbose_name_plural = "member roster"

    def __str__(self):
        return f"{self.member_number} {self.first_name} {self.last_name}".strip()
