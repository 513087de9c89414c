"""Choices of the yearly program: its stages, application roles and statuses."""

from django.db import models


class Stage(models.TextChoices):
    """Where a cohort is in its year; cohort_stage() decides it from the cohort's dates."""

    UPCOMING = "upcoming", "Applications not open yet"
    APPLICATIONS_OPEN = "applications_open", "Applications open"
    MATCHING = "matching", "Matching mentors and mentees"
    ORIENTATION = "orientation", "Pairs announced; orientation before the start"
    IN_PROGRESS = "in_progress", "Formal mentoring under way"
    ENDED = "ended", "Program year ended"


class CheckInCadence(models.TextChoices):
    QUARTERLY = "quarterly", "Quarterly"
    MONTHLY = "monthly", "Monthly"
    NONE = "none", "No check-ins"


class Role(models.TextChoices):
    MENTOR = "mentor", "Mentor"
    MENTEE = "mentee", "Mentee"
    BOTH = "both", "Both mentor and mentee"


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    ACCEPTED = "accepted", "Accepted"
    WAITLISTED = "waitlisted", "Waitlisted"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"


class PairStatus(models.TextChoices):
    """A pair is a draft (confirmed by a coordinator) until it is published to its members."""

    CONFIRMED = "confirmed", "Confirmed, not published"
    PUBLISHED = "published", "Published"
    ENDED = "ended", "Ended"


class PairSource(models.TextChoices):
    SUGGESTED = "suggested", "Accepted suggestion"
    MANUAL = "manual", "Paired by hand"


class ConferenceMeeting(models.TextChoices):
    MIDWINTER = "midwinter", "At Midwinter"
    ANNUAL = "annual", "At Annual"


class ChangeRequestStatus(models.TextChoices):
    """A change of partner needs the partner's consent, then a coordinator's approval."""

    AWAITING_CONSENT = "awaiting_consent", "Waiting for the partner's consent"
    AWAITING_APPROVAL = "awaiting_approval", "Waiting for a coordinator"
    APPROVED = "approved", "Approved: the pair has ended"
    DECLINED_BY_PARTNER = "declined_by_partner", "The partner did not consent"
    DECLINED = "declined", "Declined by a coordinator"
    WITHDRAWN = "withdrawn", "Withdrawn by the person who asked"


class AfterEnd(models.TextChoices):
    """What a pair chooses once the formal mentoring period is over."""

    CONTINUE = "continue", "Continue informally"
    CLOSE = "close", "Close"
