"""Accounts and membership from the association's sign-on: what its OpenID Connect claims say.

The claims go through the roster's rules (members/services/roster.py), so both routes to
membership share them:

- A member number is trimmed and upper-cased, a date is YYYY-MM-DD or M/D/YYYY (a date-time
  such as 2027-06-30T00:00:00Z counts for its date, a number for the UTC day of that Unix time);
  a value a spreadsheet would run as a formula, or with control characters, is refused and
  the claim counts as missing.
- An expiry date in the past, or an "active member" flag that says no, is a lapsed
  membership: the member sees the same "lapsed" state and renewal link as a roster member.
- A member number binds to one account (``membership_bind``): when another verified
  account holds it, this one waits for a coordinator, who sees both.
- Claims that say nothing about membership leave it to the roster, as at sign-up.

Linking an existing account, never taking it over: an account is linked when it holds the
same confirmed e-mail address (and the provider says it verified the address) or holds the
same member number as a verified member; an unconfirmed address is never enough.
"""

import datetime
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount, SocialToken
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from members.choices import MembershipStatus, VerificationMethod
from members.models import MemberProfile, User
from members.selectors import member_number_holders, profile_for
from members.services.accounts import data_export_section, erasure_step
from members.services.roster import roster_value_clean
from members.services.verification import member_verify_from_roster, membership_bind
from members.sso.tokens import token_reseal

NO_EMAIL = (
    "The association's sign-on did not share your e-mail address, which the portal needs "
    "for your account. Ask the association to share it, or log in with your e-mail address "
    "and password."
)
UNCONFIRMED_ADDRESS = (
    "A portal account uses {email}, but that address was never confirmed, so it cannot be "
    "linked to your association account. Log in with that address and its password (or "
    "reset the password) to confirm it, then log in with the association again."
)
UNVERIFIED_AT_PROVIDER = (
    "A portal account already uses {email}, and the association's sign-on has not verified "
    "that address, so the two cannot be linked. Verify your address with the association, "
    "or log in with your e-mail address and password."
)
ALREADY_LINKED = (
    "The portal account for {email} is already linked to another association account. "
    "Contact the mentoring subcommittee."
)
EMAIL_KEPT = (
    "Your e-mail address at the association is now {new}, but another portal account uses "
    "it, so this account keeps {old}. Contact the mentoring subcommittee to merge them."
)
NUMBER_HELD = (
    "Your association account gives member number {number}, which another portal account "
    "already holds as a verified member. Your membership waits for the mentoring "
    "subcommittee, who will compare both accounts and e-mail you their decision."
)
TRUE_WORDS = frozenset({"true", "1", "yes", "y", "active", "current"})


class SignOnRefused(ValueError):
    """The sign-on cannot log this person in; the message says why and what to do."""


@dataclass(frozen=True)
class ClaimedMembership:
    """What the claims say about membership: ``active`` is None when they say nothing."""

    member_number: str
    expires: datetime.date | None
    active: bool | None


def claims_email(claims: dict) -> tuple[str, bool]:
    """The e-mail address in the claims, lower-cased, and whether the provider verified it."""
    email = str(claims.get("email") or "").strip().lower()
    verified = claims.get("email_verified")
    if isinstance(verified, str):
        verified = verified.strip().lower() == "true"
    return email, verified is True


def membership_claims_read(*, claims: dict, today: datetime.date) -> ClaimedMembership:
    """The membership the claims describe, under the roster's rules (see the module)."""
    number = _claimed_number(claims.get(settings.SSO_CLAIM_MEMBER_NUMBER))
    expires = _claimed_date(claims.get(settings.SSO_CLAIM_EXPIRES))
    flag = (
        _claimed_flag(claims.get(settings.SSO_CLAIM_ACTIVE)) if settings.SSO_CLAIM_ACTIVE else None
    )
    by_date = None if expires is None else expires >= today
    if flag is False or by_date is False:
        active = False
    elif flag or by_date:
        active = True
    else:
        active = None
    return ClaimedMembership(number, expires, active)


def _claimed_number(value) -> str:
    if value is None or isinstance(value, (bool, dict, list)):
        return ""
    number, problem = roster_value_clean(column="member_number", raw=str(value))
    return "" if problem else number


def _claimed_date(value) -> datetime.date | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        try:
            # A date sent as a Unix time is that day's midnight in UTC.
            return datetime.datetime.fromtimestamp(value, tz=datetime.UTC).date()
        except (OverflowError, OSError, ValueError):
            return None
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    if "T" in text[10:11]:
        text = text[:10]
    date, problem = roster_value_clean(column="membership_expires", raw=text)
    return None if problem else date


def _claimed_flag(value) -> bool | None:
    wanted = (settings.SSO_ACTIVE_VALUE or "").strip().lower()
    if isinstance(value, bool):
        return value
    if isinstance(value, list):
        return wanted in {str(item).strip().lower() for item in value} if wanted else bool(value)
    if isinstance(value, str):
        text = value.strip().lower()
        return text == wanted if wanted else text in TRUE_WORDS
    return None


def membership_from_claims(*, user, claims: dict) -> MemberProfile:
    """Record the membership the sign-on's claims describe on this account (see the module):
    verified until the claimed expiry, lapsed, waiting for a coordinator when another
    account holds the member number, or left to the roster when the claims say nothing."""
    today = timezone.localdate()
    claimed = membership_claims_read(claims=claims, today=today)
    with transaction.atomic():
        profile = MemberProfile.objects.select_for_update().get(pk=profile_for(user=user).pk)
        if claimed.active is None:
            _number_record(profile, claimed.member_number)
        elif not membership_bind(
            profile=profile,
            member_number=claimed.member_number,
            membership_expires=_expiry(claimed, profile, today),
            method=VerificationMethod.SIGN_ON,
        ):
            _number_record(profile, claimed.member_number)
    if claimed.active is None:
        member_verify_from_roster(user=user)
    profile.refresh_from_db()
    return profile


def membership_wait_message(*, profile: MemberProfile) -> str:
    """For the member who just logged in: why their membership waits for a coordinator
    although the sign-on gave a member number (another account holds it), else ''."""
    if profile.membership_status == MembershipStatus.VERIFIED:
        return ""
    if not member_number_holders(member_number=profile.member_number, exclude=profile):
        return ""
    return NUMBER_HELD.format(number=profile.member_number)


def _expiry(claimed: ClaimedMembership, profile, today) -> datetime.date | None:
    """The expiry to record: the claimed one; for a lapsed membership with no past date,
    the last known past expiry, else yesterday (so that it reads as expired)."""
    if claimed.active or (claimed.expires and claimed.expires < today):
        return claimed.expires
    known = profile.membership_expires
    return known if known and known < today else today - datetime.timedelta(days=1)


def _number_record(profile: MemberProfile, number: str) -> None:
    """A pending profile keeps the claimed number, for the roster and the coordinator."""
    if number and profile.membership_status != MembershipStatus.VERIFIED:
        profile.member_number = number
        profile.save(update_fields=["member_number"])


def sso_account_to_link(*, claims: dict, uid_accounts) -> User | None:
    """The existing account this sign-on belongs to, None for a new one, or SignOnRefused.

    The account with the claimed address comes first, if that address is confirmed here and
    verified by the provider; else the verified member holding the claimed number. An
    account linked to another identity at the provider (``uid_accounts``, the accounts
    already linked through it) is never re-linked: with the same address the login is
    refused; holding the number, it keeps it, and the new account waits for a coordinator.

    Call inside the transaction that links it: the account is locked, then chosen again, so
    that of two logins choosing it at the same instant the second sees the first's link.
    """
    chosen = _account_to_link(claims, uid_accounts)
    while chosen is not None:
        list(User.objects.select_for_update().filter(pk=chosen.pk).order_by().values_list("pk"))
        again = _account_to_link(claims, uid_accounts)
        if again == chosen:
            return chosen
        chosen = again
    return None


def _account_to_link(claims: dict, uid_accounts) -> User | None:
    email, verified = claims_email(claims)
    if not email:
        raise SignOnRefused(NO_EMAIL)
    linked = set(uid_accounts.values_list("user_id", flat=True))
    by_email = User.objects.filter(email__iexact=email, erased_at__isnull=True).first()
    if by_email is not None:
        if not verified:
            raise SignOnRefused(UNVERIFIED_AT_PROVIDER.format(email=email))
        confirmed = EmailAddress.objects.filter(user=by_email, email__iexact=email, verified=True)
        if not confirmed.exists():
            raise SignOnRefused(UNCONFIRMED_ADDRESS.format(email=email))
        if by_email.pk in linked:
            raise SignOnRefused(ALREADY_LINKED.format(email=email))
        return by_email
    number = membership_claims_read(claims=claims, today=timezone.localdate()).member_number
    holders = member_number_holders(member_number=number)
    return next((p.user for p in holders if p.user_id not in linked), None)


def member_details_from_claims(*, user, claims: dict) -> str:
    """Refresh the account's name and e-mail address from the claims; a message for the
    member when the new address could not be taken, else an empty string.

    The address changes only when the provider verified it and no other account uses it.
    """
    first, last = _names(claims)
    changed = []
    if first and first != user.first_name:
        user.first_name = first
        changed.append("first_name")
    if last and last != user.last_name:
        user.last_name = last
        changed.append("last_name")
    email, verified = claims_email(claims)
    message = ""
    if email and verified and email != user.email.lower():
        if User.objects.filter(email__iexact=email).exclude(pk=user.pk).exists():
            message = EMAIL_KEPT.format(new=email, old=user.email)
        else:
            with transaction.atomic():
                _email_replace(user, email)
            changed.append("email")
    if changed:
        user.save(update_fields=changed)
    return message


def _names(claims: dict) -> tuple[str, str]:
    first = str(claims.get("given_name") or "").strip()
    last = str(claims.get("family_name") or "").strip()
    if not (first or last):
        first, _, last = str(claims.get("name") or "").strip().partition(" ")
    return first[:150], last.strip()[:150]


def _email_replace(user, email: str) -> None:
    EmailAddress.objects.filter(user=user).update(primary=False)
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    user.email = email


@erasure_step(
    "sign-on links",
    covers={"socialaccount.SocialAccount": "deleted, with the tokens stored for it"},
)
def sso_links_erase(*, user, emails) -> None:
    """A deleted account keeps no link to the association's sign-on: its identity there, the
    claims last received (names, address, member number) and the stored tokens go."""
    SocialAccount.objects.filter(user=user).delete()


@data_export_section("sign-on")
def sso_links_export(*, user) -> list[dict]:
    """The association's sign-on identities linked to the account, and when last used."""
    accounts = SocialAccount.objects.filter(user=user).order_by("pk")
    return [
        {"provider": a.provider, "identity": a.uid, "last_login": a.last_login.isoformat()}
        for a in accounts
    ]


def sso_tokens_rotate_keys(*, batch_size: int = 500) -> int:
    """Re-encrypt every stored sign-on token under the newest key of NOTES_ENCRYPTION_KEYS
    (encrypting any stored before tokens were); returns how many rows.

    All or nothing: a token no key opens raises NotesKeyError and nothing is rewritten.
    """
    count = 0
    with transaction.atomic():
        tokens = SocialToken.objects.select_for_update().only("pk", "token", "token_secret")
        for token in tokens.iterator(chunk_size=batch_size):
            SocialToken.objects.filter(pk=token.pk).update(
                token=token_reseal(token.token), token_secret=token_reseal(token.token_secret)
            )
            count += 1
    return count
