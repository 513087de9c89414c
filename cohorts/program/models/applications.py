from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from cohorts.choices import ApplicationStatus, Role
from members.choices import CareerStage, LibraryType
from members.models import AreaOfInterest, validate_contact_methods, validate_time_zone

MENTEE_CAPACITY_MAX = 3
# What the applicant answered: carried into next year's cohort, and in their data download.
ANSWER_FIELDS = [
    "role",
    "mentee_capacity",
    "goals",
    "offer",
    "career_stage",
    "years_experience",
    "contact_methods",
    "availability",
    "time_zone",
    "attends_midwinter",
    "attends_annual",
    "prefers_outside_institution",
    "preferred_library_type",
    "avoid_pairing_with",
    "identity_preferences",
    "commitment",
]


class Application(models.Model):
    """A member's application to one cohort, as mentor, mentee or both.

    Text the member writes is plain text, always escaped when shown. The identity
    preferences are for the matching subcommittee only, never shown to a partner.
    """

    cohort = models.ForeignKey(
        "cohorts.CohortPage", on_delete=models.CASCADE, related_name="applications"
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="applications"
    )
    role = models.CharField(max_length=10, choices=Role.choices)
    mentee_capacity = models.PositiveSmallIntegerField(
        "mentees I can take",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MENTEE_CAPACITY_MAX)],
    )
    areas = models.ManyToManyField(
        AreaOfInterest, blank=True, related_name="applications", verbose_name="areas of interest"
    )
    goals = models.TextField("goals for the year", max_length=2000, blank=True)
    offer = models.TextField("what I can offer a mentee", max_length=2000, blank=True)
    career_stage = models.CharField(max_length=20, choices=CareerStage.choices, blank=True)
    years_experience = models.PositiveSmallIntegerField(
        "years of experience", null=True, blank=True, validators=[MaxValueValidator(70)]
    )
    contact_methods = models.JSONField(
        "preferred contact methods",
        default=list,
        blank=True,
        validators=[validate_contact_methods],
    )
    availability = models.CharField("rough availability", max_length=300, blank=True)
    time_zone = models.CharField(max_length=64, blank=True, validators=[validate_time_zone])
    attends_midwinter = models.BooleanField("plans to attend Midwinter", default=False)
    attends_annual = models.BooleanField("plans to attend Annual", default=False)
    prefers_outside_institution = models.BooleanField(
        "prefers a partner outside their institution", default=False
    )
    preferred_library_type = models.CharField(
        "preferred partner library type", max_length=20, choices=LibraryType.choices, blank=True
    )
    avoid_pairing_with = models.TextField(
        "not to be paired with",
        max_length=1000,
        blank=True,
        help_text="Names or e-mail addresses, one per line.",
    )
    identity_preferences = models.TextField(
        max_length=1000,
        blank=True,
        help_text="Seen only by the matching subcommittee, never by your partner.",
    )
    commitment = models.BooleanField(default=False)
    status = models.CharField(
        max_length=20, choices=ApplicationStatus.choices, default=ApplicationStatus.DRAFT
    )
    withdraw_reason = models.CharField(max_length=500, blank=True)
    priority = models.BooleanField(
        "matched with priority",
        default=False,
        help_text="Left unmatched last year and carried forward: matched ahead of others.",
    )
    carried_from = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="carried_to",
        help_text="Last year's application this one was carried forward from.",
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(
        max_length=1000,
        blank=True,
        help_text="The coordinator's note to the applicant with the latest status, as e-mailed.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "application"
        ordering = ["cohort", "applicant__last_name", "applicant__first_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "applicant"], name="one_application_per_member_per_cohort"
            )
        ]
        indexes = [models.Index(fields=["cohort", "status"])]

    def __str__(self):
        return f"{self.applicant.display_name}: {self.get_role_display()} ({self.cohort.title})"

    @property
    def is_mentor(self) -> bool:
        return self.role in {Role.MENTOR, Role.BOTH}

    @property
    def is_mentee(self) -> bool:
        return self.role in {Role.MENTEE, Role.BOTH}
