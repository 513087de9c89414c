"""Reads about members: their profile, the roster entry that makes them a member, and
whether they may apply to the program today."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from members.choices import MembershipStatus
from members.models import MemberProfile, MemberRoster

CANNOT_APPLY_PENDING = "Your membership has not been verified yet."
CANNOT_APPLY_DECLINED = "Your membership could not be verified."
CANNOT_APPLY_LAPSED = "Your membership expired on {date:%B %-d, %Y}."


def profile_for(*, user) -> MemberProfile:
    """The member's profile, created (pending verification) for accounts that lack one."""
    profile, _ = MemberProfile.objects.get_or_create(user=user)
    return profile


def roster_match(
    *, email: str, member_number: str = "", last_name: str = "", today: datetime.date
) -> MemberRoster | None:
    """The unexpired roster entry for this person, or None.

    An e-mail match is enough: the address was confirmed before this is asked. A member
    number alone is not, since numbers are printed on cards and invoices; it must come
    with the same last name.
    """
    current = MemberRoster.objects.filter(membership_expires__gte=today).order_by(
        "-membership_expires", "pk"
    )
    by_email = current.filter(email__iexact=email.strip()).first()
    if by_email or not member_number.strip():
        return by_email
    return current.filter(
        member_number__iexact=member_number.strip(), last_name__iexact=last_name.strip()
    ).first()


@dataclass(frozen=True)
class Eligibility:
    allowed: bool
    reason: str = ""


def member_eligibility(*, user, today: datetime.date | None = None) -> Eligibility:
    """Whether this account may start a new application, and if not, why."""
    today = today or timezone.localdate()
    profile = profile_for(user=user)
    if profile.membership_status == MembershipStatus.PENDING:
        return Eligibility(False, CANNOT_APPLY_PENDING)
    if profile.membership_status == MembershipStatus.DECLINED:
        return Eligibility(False, CANNOT_APPLY_DECLINED)
    if profile.membership_expires and profile.membership_expires < today:
        return Eligibility(False, CANNOT_APPLY_LAPSED.format(date=profile.membership_expires))
    return Eligibility(True)


def members_pending_count() -> int:
    return MemberProfile.objects.filter(membership_status=MembershipStatus.PENDING).count()


def roster_candidates(*, profile: MemberProfile, limit: int = 10) -> list[MemberRoster]:
    """Roster entries a coordinator may want to compare with a pending person."""
    from django.db.models import Q

    user = profile.user
    match = Q(email__iexact=user.email)
    if profile.member_number:
        match |= Q(member_number__iexact=profile.member_number)
    if user.last_name:
        match |= Q(last_name__iexact=user.last_name)
    return list(MemberRoster.objects.filter(match).order_by("-membership_expires")[:limit])


def member_number_holders(*, member_number: str, exclude: MemberProfile | None = None):
    """The verified accounts that hold ``member_number`` (in any case), other than
    ``exclude``: a number binds to one account, so a second claim waits for a coordinator."""
    if not member_number.strip():
        return []
    holders = MemberProfile.objects.filter(
        member_number__iexact=member_number.strip(),
        membership_status=MembershipStatus.VERIFIED,
        user__erased_at__isnull=True,
    ).select_related("user")
    if exclude is not None:
        holders = holders.exclude(pk=exclude.pk)
    return list(holders.order_by("verified_at", "pk"))


def member_number_claims(*, profile: MemberProfile) -> list[tuple[str, list[MemberProfile]]]:
    """For the coordinator deciding on ``profile``: each member number it claims (the one it
    gave, the one the roster has for its e-mail address) that other verified accounts
    already hold, with those accounts."""
    claimed = [profile.member_number]
    claimed += MemberRoster.objects.filter(email__iexact=profile.user.email).values_list(
        "member_number", flat=True
    )
    claims, seen = [], set()
    for number in claimed:
        key = number.strip().lower()
        if key and key not in seen:
            seen.add(key)
            if holders := member_number_holders(member_number=number, exclude=profile):
                claims.append((holders[0].member_number, holders))
    return claims
