"""What account deletion and the member's data download do with applications and pairs.

Loaded by CohortsConfig.ready(); the steps register with members.services.accounts.
"""

from collections import defaultdict
from typing import Any

from django.db.models import Count, Q

from cohorts.choices import ApplicationStatus, PairStatus, ReminderKind
from cohorts.matching.models import MatchSuggestion, PairingComment
from cohorts.outbox.models import OutboxMessage, ReminderOptOut
from cohorts.pairs.models import (
    ChangeRequest,
    ConfidentialNote,
    Pair,
    SupportRequest,
)
from cohorts.program.models import Application
from cohorts.program.models.applications import ANSWER_FIELDS
from cohorts.reminders.models import CheckInAnswer
from members.choices import ContactMethod
from members.models import FORMER_PARTICIPANT
from members.services.accounts import (
    data_export_section,
    erasure_consequence,
    erasure_keeps,
    erasure_step,
    export_fields,
    export_value,
)

EXPORTED_FIELDS = ["status", *ANSWER_FIELDS, "withdraw_reason"]


# What a paired application keeps after its author is erased: the bare facts the partner's
# shared history needs (who mentored whom, in which cohort), none of the person's words.
ERASED_TEXT_FIELDS = ["goals", "offer", "availability", "avoid_pairing_with"]
ERASED_TEXT_FIELDS += ["identity_preferences", "withdraw_reason", "decision_note"]


@erasure_step(
    "pairs",
    covers={
        "cohorts.Pair": "kept; a published pair ends (partner left the program) and its "
        "members are told; a confirmed draft goes with the application; a pair whose liaison "
        "the person was has no liaison any more and shows under Needs attention",
    },
)
def erase_pairs(*, user, emails) -> None:
    """The person leaves the program: their published pairs end, and their partners can be
    matched again (cohorts.pairs.services.pairs.pairs_partner_leaves); the pairs whose
    liaison they were lose their liaison (``pairs_liaison_leaves``)."""
    from cohorts.pairs.services.pairs import pairs_liaison_leaves, pairs_partner_leaves

    pairs_partner_leaves(user=user)
    pairs_liaison_leaves(user=user)


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


@erasure_step("confidential notes", covers={"cohorts.ConfidentialNote": "deleted, shared too"})
def erase_notes(*, user, emails) -> None:
    """Notes the person wrote go with them, shared ones too."""
    ConfidentialNote.objects.filter(author=user).delete()


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


# ---- What an administrator reads before deleting accounts ------------------------------------

PAIR_ENDS = (
    '{name} is in 1 pair under way ({cohort}, with {partner}): it ends ("{reason}"), and '
    "{told} told by e-mail."
)
PAIRS_END = (
    '{name} is in {count} pairs under way; each ends ("{reason}"), and its partner and '
    "liaison (or the mentoring subcommittee) are told by e-mail: {pairs}."
)
LIAISON_OF = (
    "They are the liaison of {count} {pairs} under way: {it_is} left without a liaison, so "
    "the whole mentoring subcommittee hears from {them}, and {it_is} listed under Needs "
    "attention until another liaison is named."
)
NOTES_DELETED = "Their {count} confidential {notes} deleted, shared ones too."
APPLICATIONS_ERASED = "The answers in their {count} {applications} are erased."
HELP_DELETED = "Their {count} {requests} for help {are} deleted."
SUBCOMMITTEE = "the mentoring subcommittee"


@erasure_consequence
def pairs_consequences(*, users) -> dict[int, list[str]]:
    """The pairs under way that end, and who is told, for each of ``users``; and the pairs
    whose liaison they are."""
    from cohorts.pairs.services.pairs import PARTNER_LEFT

    by_id = {user.pk: user for user in users}
    under_way = Pair.objects.filter(status=PairStatus.PUBLISHED).select_related(
        "cohort", "liaison", "mentor__applicant", "mentee__applicant"
    )
    mine = under_way.filter(Q(mentor__applicant__in=by_id) | Q(mentee__applicant__in=by_id))
    ending = defaultdict(list)
    for pair in mine.order_by("cohort__formal_start", "pk"):
        for person in (pair.mentor.applicant, pair.mentee.applicant):
            if person.pk in by_id:
                ending[person.pk].append((pair, *_told_of(pair, person)))
    consequences = defaultdict(list)
    for user_id, pairs in ending.items():
        consequences[user_id].append(_pairs_sentence(by_id[user_id], pairs, PARTNER_LEFT))
    liaison_of = under_way.filter(liaison__in=by_id).values("liaison").annotate(n=Count("pk"))
    for row in liaison_of.values_list("liaison", "n"):
        consequences[row[0]].append(_liaison_sentence(row[1]))
    return consequences


def _told_of(pair: Pair, leaver) -> tuple[str, str]:
    """The partner's name, and who is told in words ("Maria Mentor and the liaison, ...")."""
    from cohorts.pairs.services.emails import partner_left_told

    partner = (
        pair.mentee.applicant if pair.mentor.applicant_id == leaver.pk else pair.mentor.applicant
    )
    staying, liaison = partner_left_told(pair=pair, leaver=leaver)
    helpers = f"the liaison, {liaison.display_name}," if liaison else SUBCOMMITTEE
    people = [person.display_name for person in staying] + [helpers]
    return partner.display_name, " and ".join(people) + (" are" if len(people) > 1 else " is")


def _pairs_sentence(user, pairs, reason: str) -> str:
    if len(pairs) == 1:
        pair, partner, told = pairs[0]
        return PAIR_ENDS.format(
            name=user.display_name,
            cohort=pair.cohort.title,
            partner=partner,
            reason=reason,
            told=told,
        )
    listed = "; ".join(f"with {partner} ({pair.cohort.title})" for pair, partner, _ in pairs)
    return PAIRS_END.format(name=user.display_name, count=len(pairs), reason=reason, pairs=listed)


def _liaison_sentence(count: int) -> str:
    plural = count != 1
    return LIAISON_OF.format(
        count=count,
        pairs="pairs" if plural else "pair",
        them="them" if plural else "it",
        it_is="they are" if plural else "it is",
    )


@erasure_consequence
def records_consequences(*, users) -> dict[int, list[str]]:
    """How many notes, applications and requests for help of each of ``users`` go: counted,
    never quoted."""
    ids = [user.pk for user in users]
    consequences = defaultdict(list)
    counted = [
        (ConfidentialNote.objects.filter(author__in=ids), "author", _notes_sentence),
        (Application.objects.filter(applicant__in=ids), "applicant", _applications_sentence),
        (SupportRequest.objects.filter(author__in=ids), "author", _help_sentence),
    ]
    for rows, owner, sentence in counted:
        for user_id, count in rows.values(owner).annotate(n=Count("pk")).values_list(owner, "n"):
            consequences[user_id].append(sentence(count))
    return consequences


def _notes_sentence(count: int) -> str:
    return NOTES_DELETED.format(count=count, notes="notes are" if count != 1 else "note is")


def _applications_sentence(count: int) -> str:
    return APPLICATIONS_ERASED.format(
        count=count, applications="applications" if count != 1 else "application"
    )


def _help_sentence(count: int) -> str:
    plural = count != 1
    return HELP_DELETED.format(
        count=count, requests="requests" if plural else "request", are="are" if plural else "is"
    )


@data_export_section("Your applications")
def export_applications(*, user) -> list[dict[str, Any]]:
    applications = (
        Application.objects.filter(applicant=user)
        .select_related("cohort")
        .prefetch_related("areas")
        .order_by("created_at")
    )
    return [
        {
            "Cohort": application.cohort.title,
            **export_fields(application, EXPORTED_FIELDS, contact_methods=ContactMethod.choices),
            "Areas of interest": [area.name for area in application.areas.all()],
            "Submitted": export_value(application.submitted_at),
            "Started": export_value(application.created_at),
        }
        for application in applications
    ]


PAIR_FIELDS = ["status", "published_at", "ended_at", "end_reason"]
PAIR_LABELS = {"published_at": "Published", "ended_at": "Ended", "end_reason": "Why it ended"}
CHANGE_LABELS = {
    "created_at": "Asked on",
    "decided_at": "Decided on",
    "decision_note": "The subcommittee's note",
}


@data_export_section("Your pairs")
def export_pairs(*, user) -> list[dict[str, Any]]:
    """Each pair the person was in, published or ended, with the record they share with
    their partner, their own notes and the notes their partner shared with them (marked as
    the partner's); never the partner's private notes or reasons."""
    pairs = (
        Pair.objects.filter(Q(mentor__applicant=user) | Q(mentee__applicant=user))
        .filter(status__in=[PairStatus.PUBLISHED, PairStatus.ENDED])
        .select_related("cohort", "mentor__applicant", "mentee__applicant", "agreement")
        .prefetch_related("goals", "contacts", "support_requests", "change_requests")
        .order_by("cohort__formal_start", "pk")
    )
    return [_export_pair(pair, user) for pair in pairs]


def _export_pair(pair: Pair, user) -> dict[str, Any]:
    mine_is_mentor = pair.mentor.applicant_id == user.pk
    partner = (pair.mentee if mine_is_mentor else pair.mentor).applicant
    return {
        "Cohort": pair.cohort.title,
        "Your role": "Mentor" if mine_is_mentor else "Mentee",
        "Partner": partner.display_name,
        **export_fields(pair, PAIR_FIELDS, labels=PAIR_LABELS),
        **_export_after_end(pair, mine_is_mentor),
        "Agreement": _export_agreement(pair),
        "Goals": [
            {"Goal": goal.text, "Done": export_value(goal.done_at is not None)}
            | ({"Done on": export_value(goal.done_at)} if goal.done_at else {})
            for goal in pair.goals.all()
        ],
        "Contact log": [
            {
                **export_fields(contact, ["date", "minutes", "method", "conference", "summary"]),
                "Recorded by": _whose(contact.author_id, user, partner),
            }
            for contact in sorted(pair.contacts.all(), key=lambda c: (c.date, c.pk))
        ],
        **_export_notes(pair, user, partner),
        "Your requests for help": [
            export_fields(
                request,
                ["created_at", "message", "answer", "answered_at"],
                labels={"created_at": "Asked", "answered_at": "Answered"},
            )
            for request in pair.support_requests.all()
            if request.author_id == user.pk
        ],
        "Changes of partner": [
            _export_change(change, user, partner) for change in pair.change_requests.all()
        ],
    }


def _export_after_end(pair: Pair, mine_is_mentor: bool) -> dict[str, Any]:
    """Each partner's choice after the formal end, as the pair's page shows them to both,
    and, for the mentee, whether their name appears in the mentor's letter of service."""
    mine, theirs = ("mentor", "mentee") if mine_is_mentor else ("mentee", "mentor")
    row = {
        "Your choice after the formal end": getattr(pair, f"get_{mine}_after_end_display")(),
        "Your choice made on": export_value(getattr(pair, f"{mine}_after_end_at")),
        "Your partner's choice after the formal end": getattr(
            pair, f"get_{theirs}_after_end_display"
        )(),
    }
    if not mine_is_mentor:
        row["Your name in your mentor's letter of service"] = export_value(
            pair.mentee_named_in_letter
        )
    return row


def _whose(author_id, user, partner) -> str:
    if author_id == user.pk:
        return "You"
    return partner.display_name if author_id == partner.pk else FORMER_PARTICIPANT


def _export_agreement(pair: Pair) -> dict[str, Any]:
    agreement = getattr(pair, "agreement", None)
    if agreement is None:
        return {}
    return export_fields(
        agreement,
        ["frequency", "methods", "updated_at"],
        labels={"updated_at": "Last changed"},
        methods=ContactMethod.choices,
    )


def _export_notes(pair: Pair, user, partner) -> dict[str, Any]:
    """The person's own notes, and the ones their partner shared with them, decrypted for
    them alone; never the partner's private notes."""
    from cohorts.pairs.services.notes import note_text

    notes = ConfidentialNote.objects.filter(Q(author=user) | Q(shared=True), pair=pair)
    mine, shared_with_me = [], []
    for note in notes.order_by("created_at", "pk"):
        row = {"Written": export_value(note.created_at), "Text": note_text(note=note)}
        if note.author_id == user.pk:
            mine.append({**row, "Shared with your partner": export_value(note.shared)})
        else:
            shared_with_me.append({**row, "Written by": partner.display_name})
    return {"Your notes": mine, "Notes your partner shared with you": shared_with_me}


def _export_change(change: ChangeRequest, user, partner) -> dict[str, Any]:
    """A change of partner; its reason only when the person gave it (a partner's reason is
    for the subcommittee alone)."""
    asked_by_me = change.requested_by_id == user.pk
    fields = ["created_at", "status", "decided_at", "decision_note"]
    if asked_by_me:
        fields.insert(1, "reason")
    return {
        "Asked by": _whose(change.requested_by_id, user, partner),
        **export_fields(change, fields, labels=CHANGE_LABELS),
    }


@data_export_section("E-mail from the program")
def export_email_records(*, user) -> dict[str, Any]:
    """The reminders the person turned off, their check-in answers, and the e-mails the
    program sent them (what, subject, when)."""
    answers = CheckInAnswer.objects.filter(user=user).select_related("cohort")
    sent = OutboxMessage.objects.filter(recipient=user).order_by("created_at", "pk")
    kinds = dict(ReminderKind.choices)
    return {
        "Reminders you turned off": sorted(
            kinds.get(kind, kind)
            for kind in ReminderOptOut.objects.filter(user=user).values_list("kind", flat=True)
        ),
        "Your check-in answers": [
            {
                "Cohort": answer.cohort.title,
                "Check-in": answer.period,
                **export_fields(
                    answer,
                    ["answer", "comment", "answered_at"],
                    labels={"answered_at": "Answered"},
                ),
            }
            for answer in answers.order_by("answered_at")
        ],
        "E-mails sent to you": [
            export_fields(
                message,
                ["kind", "subject", "status", "sent_at"],
                labels={"kind": "What", "sent_at": "Sent"},
            )
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
