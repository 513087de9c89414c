"""Membership verification: by the roster at sign-up, or by a coordinator's decision."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from members.choices import MembershipStatus, VerificationMethod
from members.models import MemberProfile, MemberRoster
from members.selectors import member_number_holders, profile_for, roster_match
from members.services.notifications import membership_decision_tell

DECLINE_REASON_REQUIRED = "Say why the membership could not be verified; the person is told."
ALREADY_DECIDED = "This membership has already been {status}."


def member_signup(*, user, first_name: str, last_name: str, member_number: str) -> MemberProfile:
    """Record what a new account told us at sign-up; verification waits for the e-mail."""
    with transaction.atomic():
        user.first_name, user.last_name = first_name.strip(), last_name.strip()
        user.save(update_fields=["first_name", "last_name"])
        profile = profile_for(user=user)
        profile.member_number = member_number.strip()
        profile.save(update_fields=["member_number"])
    return profile


def member_verify_from_roster(*, user) -> bool:
    """Verify a pending account that matches an unexpired roster entry; True if it did.

    A member number binds to one account (``membership_bind``). The roster entry is locked,
    so two accounts claiming one number at once are decided one after the other.
    """
    with transaction.atomic():
        profile = MemberProfile.objects.select_for_update().get(pk=profile_for(user=user).pk)
        if profile.membership_status != MembershipStatus.PENDING:
            return False
        entry = roster_match(
            email=user.email,
            member_number=profile.member_number,
            last_name=user.last_name,
            today=timezone.localdate(),
        )
        if entry is None:
            return False
        entry = MemberRoster.objects.select_for_update().get(pk=entry.pk)
        return membership_bind(
            profile=profile,
            member_number=entry.member_number,
            membership_expires=entry.membership_expires,
            method=VerificationMethod.ROSTER,
        )


def membership_bind(
    *, profile: MemberProfile, member_number: str, membership_expires, method: str
) -> bool:
    """Record a locked profile as the member with this number, as the roster or the
    association's sign-on says; True if it did.

    A member number binds to one account: when another verified account already holds it,
    nothing changes here, and a coordinator sees both on the decision screen
    (``member_number_holders``). Two binds of one number at the same instant both pass that
    check; the database's constraint refuses the second, which then changes nothing either.
    Call inside a transaction holding the profile's lock.
    """
    if member_number_holders(member_number=member_number, exclude=profile):
        return False
    if profile.membership_status != MembershipStatus.VERIFIED:
        profile.verified_at = timezone.now()
    profile.membership_status = MembershipStatus.VERIFIED
    profile.verification_method = method
    profile.member_number = member_number or profile.member_number
    profile.membership_expires = membership_expires
    profile.decline_reason = ""
    try:
        with transaction.atomic():
            profile.save()
    except IntegrityError:
        profile.refresh_from_db()
        return False
    return True


def member_verify(
    *, profile: MemberProfile, coordinator, membership_expires=None
) -> MemberProfile:
    """A coordinator confirms that this person is a member; they are told by e-mail."""
    with transaction.atomic():
        profile = MemberProfile.objects.select_for_update().get(pk=profile.pk)
        if profile.membership_status == MembershipStatus.VERIFIED:
            raise ValueError(ALREADY_DECIDED.format(status="verified"))
        profile.membership_status = MembershipStatus.VERIFIED
        profile.verification_method = VerificationMethod.COORDINATOR
        profile.verified_at = timezone.now()
        profile.decided_by = coordinator
        profile.decline_reason = ""
        if membership_expires:
            profile.membership_expires = membership_expires
        profile.save()
        _notify(profile, "verified")
    return profile


def member_decline(*, profile: MemberProfile, coordinator, reason: str) -> MemberProfile:
    """A coordinator finds no membership for this person; they are told why by e-mail."""
    if not reason.strip():
        raise ValueError(DECLINE_REASON_REQUIRED)
    with transaction.atomic():
        profile = MemberProfile.objects.select_for_update().get(pk=profile.pk)
        if profile.membership_status == MembershipStatus.DECLINED:
            raise ValueError(ALREADY_DECIDED.format(status="declined"))
        profile.membership_status = MembershipStatus.DECLINED
        profile.verification_method = ""
        profile.verified_at = None
        profile.decided_by = coordinator
        profile.decline_reason = reason.strip()
        profile.save()
        _notify(profile, "declined")
    return profile


def _notify(profile: MemberProfile, decision: str) -> None:
    membership_decision_tell(profile=profile, decision=decision)
