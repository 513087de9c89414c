"""What account deletion and the member's data download do with applications.

Loaded by CohortsConfig.ready(); the steps register with members.services.accounts.
"""

from typing import Any

from members.services.accounts import data_export_section, erasure_step

from .models import Application

EXPORTED_FIELDS = [
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
    "status",
    "withdraw_reason",
]


@erasure_step("applications")
def erase_applications(*, user, emails) -> None:
    """Applications are the person's own words about themself: they go with the account."""
    Application.objects.filter(applicant=user).delete()


@data_export_section("applications")
def export_applications(*, user) -> list[dict[str, Any]]:
    applications = (
        Application.objects.filter(applicant=user)
        .select_related("cohort")
        .prefetch_related("areas")
        .order_by("created_at")
    )
    return [
        {
            "cohort": application.cohort.title,
            **{name: getattr(application, name) for name in EXPORTED_FIELDS},
            "areas_of_interest": [area.name for area in application.areas.all()],
            "submitted_at": application.submitted_at.isoformat()
            if application.submitted_at
            else None,
            "created_at": application.created_at.isoformat(),
        }
        for application in applications
    ]
