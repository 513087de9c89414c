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
    CLOSED = "closed", "Closed: a partner left the program"
    CLOSED_SIDE = "closed_side", "Closed: a partner closed their side after the formal end"


class AfterEnd(models.TextChoices):
    """What a pair chooses once the formal mentoring period is over."""

    CONTINUE = "continue", "Continue informally"
    CLOSE = "close", "Close"


class ReminderKind(models.TextChoices):
    """Every e-mail the program sends through the outbox; one wording snippet each."""

    APPLICATIONS_OPEN = "applications_open", "Applications open"
    DEADLINE_APPROACHING = "deadline_approaching", "Deadline approaching"
    APPLICATION_RECEIVED = "application_received", "Application received"
    MATCHED = "matched", "You are matched"
    ORIENTATION = "orientation", "Orientation"
    PROGRAM_STARTS = "program_starts", "Program starts"
    CHECKIN = "checkin", "Check-in from the chair"
    BEHIND_ON_CONTACT = "behind_on_contact", "Behind on contact"
    SURVEY_OPEN = "survey_open", "Survey open"
    SURVEY_REMINDER = "survey_reminder", "Survey reminder"
    PROGRAM_ENDS = "program_ends", "Program ends"
    CHANGE_CONSENT = "change_consent", "Change of partner: consent asked"
    CHANGE_AGREED = "change_agreed", "Change of partner: partner agreed"
    CHANGE_APPROVAL = "change_approval", "Change of partner: for the subcommittee to decide"
    CHANGE_DECLINED_BY_PARTNER = "change_declined_by_partner", "Change of partner: not agreed"
    CHANGE_APPROVED = "change_approved", "Change of partner: approved"
    CHANGE_DECLINED = "change_declined", "Change of partner: declined"
    CHANGE_WITHDRAWN = "change_withdrawn", "Change of partner: withdrawn"
    CHANGE_CLOSED = "change_closed", "Change of partner: closed when the partner closed their side"
    ANNOUNCEMENT = "announcement", "Announcement from the subcommittee"
    PARTNER_CLOSED = "partner_closed", "After the formal end: the partner closed their side"
    APPLICATION_ACCEPTED = "application_accepted", "Application accepted"
    APPLICATION_WAITLISTED = "application_waitlisted", "Application waitlisted"
    APPLICATION_DECLINED = "application_declined", "Application declined"
    APPLICATION_REOPENED = "application_reopened", "Application back under review"
    APPLICATION_WITHDRAWN = "application_withdrawn", "Application withdrawn by a coordinator"
    HELP_ASKED = "help_asked", "Request for help: to the subcommittee"
    HELP_ANSWERED = "help_answered", "Request for help: the answer"
    MEMBERSHIP_VERIFIED = "membership_verified", "Membership verified"
    MEMBERSHIP_DECLINED = "membership_declined", "Membership not verified"
    PARTNER_LEFT = "partner_left", "Your partner left the program"
    PARTNER_LEFT_SUBCOMMITTEE = "partner_left_subcommittee", "A participant left the program"


# Each step of a change of partner, told to the people it concerns.
CHANGE_OF_PARTNER_REMINDERS = (
    ReminderKind.CHANGE_CONSENT,
    ReminderKind.CHANGE_AGREED,
    ReminderKind.CHANGE_APPROVAL,
    ReminderKind.CHANGE_DECLINED_BY_PARTNER,
    ReminderKind.CHANGE_APPROVED,
    ReminderKind.CHANGE_DECLINED,
    ReminderKind.CHANGE_WITHDRAWN,
    ReminderKind.CHANGE_CLOSED,
)

# The e-mail that tells an applicant their application's new status, by status.
APPLICATION_STATUS_REMINDERS = {
    ApplicationStatus.ACCEPTED: ReminderKind.APPLICATION_ACCEPTED,
    ApplicationStatus.WAITLISTED: ReminderKind.APPLICATION_WAITLISTED,
    ApplicationStatus.DECLINED: ReminderKind.APPLICATION_DECLINED,
    ApplicationStatus.SUBMITTED: ReminderKind.APPLICATION_REOPENED,
    ApplicationStatus.WITHDRAWN: ReminderKind.APPLICATION_WITHDRAWN,
}

# Reminders a member may turn off; every other kind is essential to taking part.
OPTIONAL_REMINDERS = frozenset(
    {
        ReminderKind.APPLICATIONS_OPEN,
        ReminderKind.DEADLINE_APPROACHING,
        ReminderKind.BEHIND_ON_CONTACT,
        ReminderKind.SURVEY_REMINDER,
    }
)


class OutboxStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"
    SUPPRESSED = "suppressed", "Suppressed"


class CheckInAnswerChoice(models.TextChoices):
    GOING_WELL = "going_well", "Going well"
    COULD_BE_BETTER = "could_be_better", "Could be better"
    NEED_HELP = "need_help", "We need help"


class AnnouncementAudience(models.TextChoices):
    PARTICIPANTS = "participants", "Every participant (mentors and mentees in pairs)"
    MENTORS = "mentors", "Mentors in pairs"
    MENTEES = "mentees", "Mentees in pairs"
    APPLICANTS = "applicants", "Everyone who applied (not withdrawn)"


class RetentionStatus(models.TextChoices):
    """Where a cohort's personal data stands (cohorts.reports.selectors.retention decides it)."""

    KEPT = "kept", "Kept"
    DUE_SOON = "due_soon", "Due within 30 days"
    DUE = "due", "Due: erased at the next daily run"
    ERASED = "erased", "Erased"
