"""What account deletion and the member's data download do with applications and pairs.

Loaded by CohortsConfig.ready(); the steps register with members.services.accounts.
"""

from typing import Any

from django.db.models import Q

from cohorts.choices import ApplicationStatus, PairStatus
from cohorts.matching.models import MatchSuggestion, PairingComment
from cohorts.outbox.models import OutboxMessage, ReminderOptOut
from cohorts.pairs.models import (
    ChangeRequest,
    ConfidentialNote,
    ContactLog,
    Pair,
    SupportRequest,
)
from cohorts.program.models import Application
from cohorts.program.models.applications import ANSWER_FIELDS
from cohorts.reminders.models import CheckInAnswer
from members.services.accounts import data_export_section, erasure_keeps, erasure_step

EXPORTED_FIELDS = [*ANSWER_FIELDS, "status", "withdraw_reason"]


# What a paired application keeps after its author is erased: the bare facts the partner's
# shared history needs (who mentored whom, in which cohort), none of the person's words.
ERASED_TEXT_FIELDS = ["goals", "offer", "availability", "avoid_pairing_with"]
ERASED_TEXT_FIELDS += ["identity_preferences", "withdraw_reason"]


@erasure_step(
    "pairs",
    covers={
        "cohorts.Pair": "kept; a published pair ends (partner left the program) and its "
        "members are told; a confirmed draft goes with the application",
    },
)
def erase_pairs(*, user, emails) -> None:
    """The person leaves the program: their published pairs end, and their partners can be
    matched again (cohorts.pairs.services.pairs.pairs_partner_leaves)."""
    from cohorts.pairs.services.pairs import pairs_partner_leaves

    pairs_partner_leaves(user=user)


@erasure_step(
    "requests to the subcommittee",
    covers={
        "cohorts.SupportRequest": "deleted: the person's requests for help, with their answers",
        "cohorts.ChangeRequest": "anonymised: the reason the person gave is erased; open "
        "requests on their pairs close",
    },
)
def erase_requests(*, user, emails) -> None:
    """What the person asked the subcommittee is theirs: their requests for help go, and the
    reasons they gave for a change of partner are erased (the request itself stays in the
    program's figures)."""
    SupportRequest.objects.filter(author=user).delete()
    ChangeRequest.objects.filter(requested_by=user).update(reason="")


@erasure_step(
    "applications",
    covers={
        "cohorts.Application": "deleted, or emptied of every answer and withdrawn when a "
        "published or ended pair keeps it",
        "cohorts.MatchSuggestion": "deleted when it names one of the person's applications",
        "cohorts.PairingComment": "deleted when it is about the person; a coordinator's own "
        "comments stay under the anonymised account",
    },
)
def erase_applications(*, user, emails) -> None:
    """Applications are the person's own words about themself: they go with the account.

    An application in a published or ended pair stays, emptied of every answer and
    withdrawn, so the partner keeps the pair's history under "Former participant" and the
    matching workspace never offers the person again. Coordinators' comments and suggestions
    about the person go.
    """
    mine = Application.objects.filter(applicant=user)
    either = Q(mentor__in=mine) | Q(mentee__in=mine)
    PairingComment.objects.filter(either).delete()
    MatchSuggestion.objects.filter(either).delete()
    shared = Pair.objects.filter(either, status__in=[PairStatus.PUBLISHED, PairStatus.ENDED])
    kept = set(shared.values_list("mentor_id", flat=True)) | set(
        shared.values_list("mentee_id", flat=True)
    )
    kept_mine = mine.filter(pk__in=kept)
    kept_mine.update(**dict.fromkeys(ERASED_TEXT_FIELDS, ""), status=ApplicationStatus.WITHDRAWN)
    Application.areas.through.objects.filter(application__in=kept_mine).delete()
    mine.exclude(pk__in=kept).delete()


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


@data_export_section("pairs")
def export_pairs(*, user) -> list[dict[str, Any]]:
    """The person's published pairs: cohort, their role, and their partner's name."""
    from cohorts.pairs.selectors.pairs import member_pairs

    return [
        {
            "cohort": row.pair.cohort.title,
            "role": row.role,
            "partner": row.partner.display_name,
            "published_at": row.pair.published_at.isoformat() if row.pair.published_at else None,
        }
        for row in member_pairs(user=user)
    ]


@erasure_step("confidential notes", covers={"cohorts.ConfidentialNote": "deleted, shared too"})
def erase_notes(*, user, emails) -> None:
    """Notes the person wrote go with them, shared ones too."""
    ConfidentialNote.objects.filter(author=user).delete()


@data_export_section("confidential_notes")
def export_notes(*, user) -> list[dict[str, Any]]:
    """The person's own notes, decrypted for them alone; never their partner's."""
    from cohorts.pairs.services.notes import note_text

    notes = ConfidentialNote.objects.filter(author=user).select_related("pair__cohort")
    return [
        {
            "cohort": note.pair.cohort.title,
            "shared_with_partner": note.shared,
            "text": note_text(note=note),
            "created_at": note.created_at.isoformat(),
        }
        for note in notes.order_by("created_at")
    ]


@data_export_section("contacts")
def export_contacts(*, user) -> list[dict[str, Any]]:
    """The contacts the person recorded."""
    contacts = ContactLog.objects.filter(author=user).select_related("pair__cohort")
    return [
        {
            "cohort": contact.pair.cohort.title,
            "date": contact.date.isoformat(),
            "minutes": contact.minutes,
            "method": contact.method,
            "conference": contact.conference,
            "summary": contact.summary,
        }
        for contact in contacts.order_by("date", "pk")
    ]


@erasure_step(
    "e-mail and check-ins",
    covers={
        "cohorts.ReminderOptOut": "deleted",
        "cohorts.CheckInAnswer": "anonymised: the answer stays for the figures, the comment goes",
        "cohorts.OutboxMessage": "anonymised: that a message went stays, its subject and error go",
    },
)
def erase_email_records(*, user, emails) -> None:
    """The person's reminder choices go; their check-in answers keep only the answer (for
    the program's figures), not their comment; the outbox keeps that a message went, not
    its subject, which may hold their name."""
    ReminderOptOut.objects.filter(user=user).delete()
    CheckInAnswer.objects.filter(user=user).update(comment="")
    OutboxMessage.objects.filter(recipient=user).update(subject="", last_error="")


@data_export_section("email")
def export_email_records(*, user) -> dict[str, Any]:
    """The reminders the person turned off, their check-in answers, and the e-mails the
    program sent them (kind, subject, when)."""
    answers = CheckInAnswer.objects.filter(user=user).select_related("cohort")
    sent = OutboxMessage.objects.filter(recipient=user).order_by("created_at", "pk")
    return {
        "reminders_turned_off": sorted(
            ReminderOptOut.objects.filter(user=user).values_list("kind", flat=True)
        ),
        "checkin_answers": [
            {
                "cohort": answer.cohort.title,
                "period": answer.period,
                "answer": answer.answer,
                "comment": answer.comment,
                "answered_at": answer.answered_at.isoformat(),
            }
            for answer in answers.order_by("answered_at")
        ],
        "emails": [
            {
                "kind": message.kind,
                "subject": message.subject,
                "status": message.status,
                "sent_at": message.sent_at.isoformat() if message.sent_at else None,
            }
            for message in sent
        ],
    }


erasure_keeps(
    {
        "cohorts.ContactLog": "kept: the pair's shared log, which the partner keeps reading; "
        "its author becomes the anonymised account",
        "cohorts.PairAgreement": "kept: the pair's shared agreement, under the anonymised account",
        "cohorts.PairGoal": "kept: the pair's shared goals, under the anonymised account",
        "cohorts.PairViewLog": "kept: a coordinator's view of a pair, under the anonymised "
        "account",
        "cohorts.MatchingSettings": "kept: a cohort's matching settings",
        "cohorts.PairingRejection": "kept: a coordinator's decision, under the anonymised account",
        "cohorts.Announcement": "kept: the subcommittee's announcements",
        "cohorts.ReminderTemplate": "kept: editors' wording",
        "cohorts.DispatchMark": "kept: when the reminders last ran",
        "cohorts.CohortFigures": "kept: a cohort's figures, counts only",
    }
)
