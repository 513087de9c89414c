"""A mentor and a mentee side by side: their answers that matching weighs, what speaks for
and against the pair, its fit, and the actions open to it (accept or reject a suggestion,
pair by hand). Reached from a suggestion's row or the hand-pairing form."""

from django.urls import reverse
from django.views.generic import TemplateView

from cohorts.matching.engine import FIT_SCALE
from cohorts.matching.selectors import PairingReview, accepted_applications, pairing_review
from cohorts.matching.views.base import CHANGE_PERMISSION, MatchingMixin
from cohorts.program.models import Application
from members.choices import ContactMethod

NOT_A_PAIRING = "Choose an accepted mentor and an accepted mentee of this cohort."


class PairingReviewView(MatchingMixin, TemplateView):
    """``?mentor=<application id>&mentee=<application id>``, or the form to choose them."""

    template_name = "cohorts/admin/matching/review.html"
    page_title = "Compare a mentor and a mentee"

    def get_context_data(self, **kwargs):
        found = self.found()
        workspace_url = self.workspace_url()
        applications = sorted(
            accepted_applications(cohort=self.cohort),
            key=lambda a: (a.applicant.last_name, a.applicant.first_name, a.pk),
        )
        return super().get_context_data(
            cohort=self.cohort,
            found=found,
            rows=profile_rows(found.mentor, found.mentee) if found else [],
            problem="" if found or not self.asked() else NOT_A_PAIRING,
            mentors=[a for a in applications if a.is_mentor],
            mentees=[a for a in applications if a.is_mentee],
            chosen=self.request.GET,
            fit_scale=FIT_SCALE,
            can_change=self.request.user.has_perm(CHANGE_PERMISSION),
            workspace_url=workspace_url,
            back_url=workspace_url + _anchor(found),
            action_url=workspace_url,
            review_url=reverse("cohorts_matching:review", args=[self.cohort.pk]),
            **kwargs,
        )

    def asked(self) -> bool:
        return "mentor" in self.request.GET or "mentee" in self.request.GET

    def found(self) -> PairingReview | None:
        ids = [self.request.GET.get(name, "") for name in ("mentor", "mentee")]
        if not all(value.isdigit() and len(value) <= 12 for value in ids):
            return None
        return pairing_review(cohort=self.cohort, mentor_id=int(ids[0]), mentee_id=int(ids[1]))


def _anchor(found: PairingReview | None) -> str:
    if found is None:
        return ""
    if found.suggestion is not None:
        return f"#suggestion-{found.suggestion.pk}"
    return f"#pair-{found.pair.pk}" if found.pair is not None else "#unmatched"


def _yes(value: bool) -> str:
    return "Yes" if value else "No"


def _methods(application: Application) -> str:
    labels = dict(ContactMethod.choices)
    return ", ".join(labels.get(m, m) for m in application.contact_methods) or "—"


def _conferences(application: Application) -> str:
    names = [
        name
        for name, going in (
            ("Midwinter", application.attends_midwinter),
            ("Annual", application.attends_annual),
        )
        if going
    ]
    return " and ".join(names) or "Neither"


def _profile(application: Application, name: str) -> str:
    profile = getattr(application.applicant, "profile", None)
    if profile is None:
        return "—"
    if name == "library_type":
        return profile.get_library_type_display() or "—"
    return profile.institution or "—"


FIELDS = [
    ("Institution", lambda a: _profile(a, "institution")),
    ("Library type", lambda a: _profile(a, "library_type")),
    ("Years of experience", lambda a: "—" if a.years_experience is None else a.years_experience),
    ("Career stage", lambda a: a.get_career_stage_display() or "—"),
    ("Areas of interest", lambda a: ", ".join(area.name for area in a.areas.all()) or "—"),
    ("Contact methods", _methods),
    ("Time zone", lambda a: a.time_zone or "—"),
    ("Conferences", _conferences),
    ("Availability", lambda a: a.availability or "—"),
    ("Prefers a library type", lambda a: a.get_preferred_library_type_display() or "No"),
    ("Asks for a mentor from another institution", lambda a: _yes(a.prefers_outside_institution)),
    ("Carried over with priority", lambda a: _yes(a.priority)),
    ("Goals for the year", lambda a: a.goals or "—"),
    ("What they can offer a mentee", lambda a: a.offer or "—"),
]


def profile_rows(mentor: Application, mentee: Application) -> list[tuple[str, str, str]]:
    """(what, the mentor's answer, the mentee's answer) for every answer matching weighs."""
    return [(label, value(mentor), value(mentee)) for label, value in FIELDS]
